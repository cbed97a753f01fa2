//! `withdraw_overflow` (R12): rewards first, then principal above the minimum and within the
//! co-stake cap, to any token account of the mint the owner names; refused beyond; the principal
//! part waits out a hold (R41); never paused (R17).
use device_staking_tests::client::device_staking::events::OverflowWithdrawn;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;

/// R12: rewards come first, then principal, down to the minimum.
#[test]
fn r12_rewards_come_first_then_principal() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.stake(device, 100 * IO));
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, 50 * IO)]));
        let (owner, stake_vault, overflow_vault) =
            (w.owner.token, w.device(&device).stake_vault, w.device(&device).overflow_vault);
        let before = w.token_balance(&owner);
        let ok = w.ok(|w| w.withdraw_overflow(device, 70 * IO));
        let e: OverflowWithdrawn = events(&ok).remove(0);
        assert_eq!((e.from_rewards, e.from_principal, e.owner_stake, e.owner_rewards), (50 * IO, 20 * IO, MIN + 80 * IO, 0));
        assert_eq!((w.token_balance(&overflow_vault), w.token_balance(&stake_vault)), (0, MIN + 80 * IO));
        assert_eq!(w.token_balance(&owner), before + 70 * IO);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 80 * IO + 1));
        w.ok(|w| w.withdraw_overflow(device, 80 * IO));
        assert!(w.eligible(&device));
    });
}

/// R12: the co-stake cap limits the principal overflow; the owner may name any account of the mint.
#[test]
fn r12_the_co_stake_cap_limits_the_principal_overflow() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        w.ok(|w| w.stake(device, 2_000 * IO));
        // 18,000 + 8,000: the minimum allows 10,000 out, the 50% cap 10,000 (16,000 needed)
        assert_eq!(w.status(device).owner_principal_overflow, 10_000 * IO);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 10_000 * IO + 1));
        let owner = w.owner.clone();
        let mint = w.mint.mint;
        let elsewhere = w.create_token_account(&owner.pubkey(), &mint);
        w.ok(|w| w.send_by(ix::withdraw_overflow(owner.pubkey(), device, elsewhere, 10_000 * IO, &w.mint), &owner.key));
        assert_eq!((w.device(&device).owner_stake, w.token_balance(&elsewhere)), (HALF, 10_000 * IO));
    });
}

/// R12, R17, R41, R51: `withdraw_overflow`'s refusals; a hold keeps the principal, not the
/// rewards; never paused.
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
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, IO)]));
        w.ok(|w| w.hold(device, w.now() + DAY));
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, IO + 1));
        assert_eq!(w.status(device).owner_overflow, IO, "only the rewards while held");
        w.ok(|w| w.withdraw_overflow(device, IO));
        w.advance(DAY);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 10 * IO + 1));
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.withdraw_overflow(device, 10 * IO));
    });
}
