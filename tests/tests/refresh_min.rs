//! `refresh_min` (R2): anyone recomputes a device's minimum after the base changed, with the
//! same grace as a hardware change.
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::world::*;

/// Rules: R2 R33.
#[test]
fn anyone_applies_a_new_base_with_a_grace_window() {
    for_each_world(|w| {
        let device = w.staked_device();
        // an unchanged base changes nothing
        w.ok(|w| w.refresh_min(device));
        assert_eq!((w.device(&device).min_required, w.device(&device).grace_end), (MIN, 0));
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: 400 * IO, ..Params::defaults(6).unwrap() }));
        assert_eq!(w.device(&device).min_required, MIN, "a parameter change alone moves no minimum");
        w.ok(|w| w.refresh_min(device));
        let d = w.device(&device);
        assert_eq!((d.min_required, d.grace_min, d.grace_end), (2 * MIN, MIN, w.now() + 7 * DAY));
        assert!(w.eligible(&device));
        // a lower base applies at once, and the grace end stays recorded
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: 100 * IO, ..Params::defaults(6).unwrap() }));
        w.ok(|w| w.refresh_min(device));
        assert_eq!(w.status(device).min_in_force, HALF);
    });
}

/// Rules: R2 R51 R53.
#[test]
fn a_minimum_beyond_u64_is_refused() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: u64::MAX / 2, ..Params::defaults(6).unwrap() }));
        w.refused("MathOverflow", |w| w.refresh_min(device));
    });
}
