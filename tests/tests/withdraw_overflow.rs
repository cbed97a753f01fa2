//! `withdraw_overflow` (R12): rewards first, then principal above the minimum and the co-stake
//! cap; refused beyond; principal held by a hold (R41); never paused (R17).
use device_staking_tests::client::ix;
use device_staking_tests::world::*;

/// Rules: R12.
#[test]
fn rewards_come_first_then_principal() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.stake(device, 100 * IO));
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, 50 * IO)]));
        let (owner, stake_vault, overflow_vault) = (w.owner.token, w.device(&device).stake_vault, w.device(&device).overflow_vault);
        let before = w.token_balance(&owner);
        w.ok(|w| w.withdraw_overflow(device, 70 * IO));
        let d = w.device(&device);
        assert_eq!((d.owner_rewards, d.owner_stake), (0, MIN + 80 * IO));
        assert_eq!((w.token_balance(&overflow_vault), w.token_balance(&stake_vault)), (0, MIN + 80 * IO));
        assert_eq!(w.token_balance(&owner), before + 70 * IO);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 80 * IO + 1));
        w.ok(|w| w.withdraw_overflow(device, 80 * IO));
        assert!(w.eligible(&device));
    });
}

/// Rules: R12.
#[test]
fn the_co_stake_cap_limits_the_principal_overflow() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        w.ok(|w| w.stake(device, 2_000 * IO));
        // 18,000 + 8,000: the minimum allows 10,000 out, the 50% cap only 10,000 (16,000 needed)
        assert_eq!(w.status(device).owner_principal_overflow, 10_000 * IO);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 10_000 * IO + 1));
        w.ok(|w| w.withdraw_overflow(device, 10_000 * IO));
        assert_eq!(w.device(&device).owner_stake, HALF);
    });
}

/// Rules: R12 R51.
#[test]
fn withdraw_overflow_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.stake(device, 10 * IO));
        w.refused("ZeroAmount", |w| w.withdraw_overflow(device, 0));
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::withdraw_overflow(intruder.pubkey(), device, intruder.token, IO, &w.mint);
            w.send_by(ix, &intruder.key)
        });
        // on hold: principal overflow is held, rewards are not
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, IO)]));
        w.ok(|w| w.hold(device, w.now() + DAY));
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, IO + 1));
        w.ok(|w| w.withdraw_overflow(device, IO));
        w.advance(DAY);
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.withdraw_overflow(device, 10 * IO));
    });
}
