//! `cancel_params` (R31, R33): the admin in force cancels a pending parameter set before it
//! applies; the parameters in force stay.
use device_staking_tests::client::device_staking::events::ParamsCancelled;
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// Parameters that loosen the slash cap.
fn loose() -> Params {
    Params { max_slash_bps_per_30d: 10_000, ..Params::defaults(6).unwrap() }
}

/// R31, R33: a parameter set cancelled one second before it would apply never applies.
#[test]
fn r31_cancelled_parameters_never_apply() {
    for_each_world(|w| {
        let proposed = w.now();
        w.ok(|w| w.update_params(loose()));
        w.warp_to(proposed + CHANGE_DELAY - 1);
        let ok = w.ok(|w| w.cancel_params());
        assert_eq!(events::<ParamsCancelled>(&ok)[0].current, Params::defaults(6).unwrap());
        w.warp_to(proposed + CHANGE_DELAY);
        assert_eq!(w.params(), Params::defaults(6).unwrap());
        let device = w.staked_device();
        w.ok(|w| w.slash(device, MIN, w.now()));
        assert_eq!(w.token_balance(&w.treasury_token), HALF, "the cap in force is still 50%");
    });
}

/// R31, R51: only the admin cancels, and only a pending set (one that applied is no longer
/// pending).
#[test]
fn cancel_params_refusals() {
    for_each_world(|w| {
        w.refused("NoPendingChange", |w| w.cancel_params());
        let proposed = w.now();
        w.ok(|w| w.update_params(loose()));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::cancel_params(intruder.pubkey()), &intruder));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NoPendingChange", |w| w.cancel_params());
        assert_eq!(w.params(), loose());
    });
}
