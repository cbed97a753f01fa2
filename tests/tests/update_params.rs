//! `update_params` (R33): the admin sets parameters within their bounds; deadlines already
//! recorded never move.
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Short windows and a doubled base, within bounds.
fn short_windows() -> Params {
    Params { cover_window_secs: 1, cooldown_secs: 1, base_stake_per_gpu: 400 * IO, ..Params::defaults(6).unwrap() }
}

/// Rules: R33.
#[test]
fn parameters_change_within_bounds_and_never_move_recorded_deadlines() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        let recorded = w.offer(&device, seq);
        let params = short_windows();
        w.ok(|w| w.update_params(params));
        assert_eq!(w.config().params, params);
        let now = w.offer(&device, seq);
        assert_eq!((now.wait_end, now.unlock_at), (recorded.wait_end, recorded.unlock_at), "R33");
        assert_eq!(w.device(&device).min_required, MIN, "the minimum follows the base only through refresh_min (R2)");
        // a new exit uses the new windows
        let next = w.offer_ok(device, HALF, SHARE);
        let c1 = w.costaker(1);
        w.ok(|w| w.fill(&c1, device, next));
        w.ok(|w| w.cancel(&c1, device, next));
        let o = w.offer(&device, next);
        assert_eq!((o.wait_end, o.unlock_at), (w.now() + 1, w.now() + 2));
    });
}

/// Rules: R33 R51.
#[test]
fn update_params_refusals() {
    for_each_world(|w| {
        let admin = w.roles.admin.insecure_clone();
        let bad = Params { cooldown_secs: 0, ..short_windows() };
        w.refused("ParamOutOfBounds", |w| w.send_by(ix::update_params(admin.pubkey(), bad), &admin));
        let bad = Params { max_costake_bps: 5_001, ..short_windows() };
        w.refused("ParamOutOfBounds", |w| w.send_by(ix::update_params(admin.pubkey(), bad), &admin));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::update_params(intruder.pubkey(), short_windows()), &intruder));
    });
}
