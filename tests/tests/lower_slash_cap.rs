//! `lower_slash_cap` (R34): a tightening applies at once: the slash cap goes down in force and in
//! a pending parameter set; anything else is refused.
use device_staking_tests::client::device_staking::events::SlashCapLowered;
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// R34, R40: the lower cap bounds the next slash at once, and a pending loosening of the cap is
/// lowered with it.
#[test]
fn r34_a_lower_slash_cap_applies_at_once_and_to_the_pending_set() {
    for_each_world(|w| {
        let device = w.staked_device();
        let proposed = w.now();
        w.ok(|w| w.update_params(Params { max_slash_bps_per_30d: 10_000, ..Params::defaults(6).unwrap() }));
        let ok = w.ok(|w| w.lower_slash_cap(1_000));
        assert_eq!(events::<SlashCapLowered>(&ok)[0].max_slash_bps_per_30d, 1_000);
        assert_eq!(w.params().max_slash_bps_per_30d, 1_000);
        w.ok(|w| w.slash(device, MIN, w.now()));
        assert_eq!(w.token_balance(&w.treasury_token), MIN / 10, "10% at once");
        w.warp_to(proposed + CHANGE_DELAY);
        assert_eq!(w.params().max_slash_bps_per_30d, 1_000, "the pending set was lowered too");
        let other = w.staked_device();
        w.ok(|w| w.slash(other, MIN, w.now()));
        assert_eq!(w.token_balance(&w.treasury_token), 2 * (MIN / 10));
    });
}

/// R34, R51: only a lower cap, and only by the admin.
#[test]
fn lower_slash_cap_refusals() {
    for_each_world(|w| {
        w.refused("NotATightening", |w| w.lower_slash_cap(5_000));
        w.refused("NotATightening", |w| w.lower_slash_cap(6_000));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::lower_slash_cap(intruder.pubkey(), 1), &intruder));
        w.ok(|w| w.lower_slash_cap(0));
        w.refused("NotATightening", |w| w.lower_slash_cap(0));
        let device = w.staked_device();
        w.refused("NothingToSlash", |w| w.slash(device, IO, w.now()));
    });
}
