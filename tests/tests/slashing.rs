//! `slash` (R40) and `hold` (R41).
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

#[test]
fn a_slash_is_capped_per_thirty_days_and_goes_to_the_treasury() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.slash(device, 10_000 * IO));
        assert_eq!(w.device(&device).owner_stake, MIN - HALF, "at most 50% of 16,000");
        assert_eq!(w.token_balance(&w.treasury_token), HALF);
        w.warp_to(start + 30 * DAY - 1);
        w.refused("NothingToSlash", |w| w.slash(device, 1));
        w.warp_to(start + 30 * DAY);
        w.ok(|w| w.slash(device, 10_000 * IO));
        assert_eq!(w.device(&device).owner_stake, HALF / 2, "a new window on the 8,000 left");
    });
}

#[test]
fn a_ripe_ticket_is_not_slashed() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY - 1);
        w.ok(|w| w.slash(device, IO));
        assert_eq!(w.ticket(&device).unwrap().amount, MIN - IO);
        w.warp_to(start + 14 * DAY);
        w.refused("NothingToSlash", |w| w.slash(device, IO));
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}

#[test]
fn slash_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.refused("ZeroAmount", |w| w.slash(device, 0));
        let intruder = w.funded_keypair();
        w.refused("NotSlashAuthority", |w| {
            let ix = ix::slash(intruder.pubkey(), device, w.treasury_token, None, &[], IO, &w.mint);
            w.send_by(ix, &intruder)
        });
        w.refused("NotTreasuryAccount", |w| {
            let authority = w.roles.slash_authority.insecure_clone();
            let ix = ix::slash(authority.pubkey(), device, w.owner.token, None, &[], IO, &w.mint);
            w.send_by(ix, &authority)
        });
        let empty = w.register(GPUS, MULTIPLIER);
        w.refused("NothingToSlash", |w| w.slash(empty, IO));
    });
}

#[test]
fn a_hold_lasts_at_most_seven_days_per_incident() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        let intruder = w.funded_keypair();
        w.refused("NotSlashAuthority", |w| w.send_by(ix::hold(intruder.pubkey(), device, start + DAY), &intruder));
        w.refused("HoldTooLong", |w| w.hold(device, start));
        w.refused("HoldTooLong", |w| w.hold(device, start + 7 * DAY + 1));
        w.ok(|w| w.hold(device, start + DAY));
        w.advance(DAY / 2);
        w.ok(|w| w.hold(device, start + 7 * DAY));
        w.refused("HoldTooLong", |w| w.hold(device, start + 7 * DAY + 1));
        // principal overflow is held; a co-staker's exit never is
        w.ok(|w| w.stake(device, IO));
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, IO));
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.unstake(device));
        // the position's unlock: min(cancel + 21 days, unstake + 14 days) = start + 14.5 days
        let unlock = start + DAY / 2 + 14 * DAY;
        assert_eq!((w.offer(&device, seq).unlock_at, w.ticket(&device).unwrap().unlock_at), (unlock, unlock));
        // a new incident once the first hold ended
        w.warp_to(unlock);
        w.ok(|w| w.hold(device, unlock + DAY));
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device, 0));
        w.ok(|w| w.withdraw_position(device, seq));
        w.warp_to(unlock + DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}

#[test]
fn a_position_slashed_to_zero_earns_nothing() {
    for_each_world_slashing_all(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.slash(device, MIN + HALF));
        assert_eq!((w.device(&device).owner_stake, w.offer(&device, seq).principal), (0, 0));
        w.ok(|w| w.stake(device, MIN));
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start - 1, w.now(), &[(device, 1_000)]));
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).owner_rewards), (0, 1_000));
    });
}

/// R40: the owner's unripe ticket is slashed before any position. The slash authority lists the
/// accounts, so a slash that leaves out the outstanding ticket must not reach the positions.
#[test]
fn a_slash_cannot_skip_the_owners_ticket() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.unstake(device));
        let authority = w.roles.slash_authority.insecure_clone();
        let (treasury, mint) = (w.treasury_token, w.mint);
        w.refused("TicketRequired", |w| {
            w.send_by(ix::slash(authority.pubkey(), device, treasury, None, &[seq], IO, &mint), &authority)
        });
        assert_eq!(w.offer(&device, seq).principal, HALF, "the position was slashed before the owner's ticket");
    });
}
