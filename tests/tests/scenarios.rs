//! The user stories of docs/protocol.md, end to end, with the Clock moved to one second before
//! and exactly at every deadline, and R52 checked after every step.
use device_staking_tests::client::device_staking::events::{RewardPaid, RewardSkipped};
use device_staking_tests::client::device_staking::state::{skip, PositionState};
use device_staking_tests::world::*;
use device_staking_tests::*;

/// R12: the owner takes the co-staked half out as overflow; the device stays eligible.
#[test]
fn r12_owner_takes_out_the_co_staked_half_as_overflow() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let owner_before = w.token_balance(&w.owner.token);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, HALF + 1));
        w.ok(|w| w.withdraw_overflow(device, HALF));
        assert_eq!(w.token_balance(&w.owner.token), owner_before + HALF);
        let d = w.device(&device);
        assert_eq!((d.owner_stake, d.position(seq).unwrap().principal), (HALF, HALF));
        assert!(w.eligible(&device), "16,000 counted: 8,000 owner + 8,000 co-staker");
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 1));
    });
}

/// R4, R13, R14: a cancelled co-stake counts for the cover window, then the owner covers; the
/// co-staker withdraws 21 days after the cancel.
#[test]
fn r13_a_cancelled_co_stake_counts_for_the_cover_window_then_the_owner_covers() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.withdraw_overflow(device, HALF));
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        let p = *w.device(&device).position(seq).unwrap();
        assert_eq!(
            (p.state(cancelled), p.wait_end, p.unlock_at),
            (PositionState::Exiting, cancelled + 7 * DAY, cancelled + 21 * DAY)
        );

        w.warp_to(cancelled + 7 * DAY - 1);
        assert!(w.eligible(&device), "still counted one second before day 7");
        assert!(w.status(device).eligible);
        w.warp_to(cancelled + 7 * DAY);
        assert!(!w.eligible(&device), "uncovered at day 7");
        let status = w.status(device);
        assert_eq!((status.eligible, status.counted_stake), (false, HALF));

        w.ok(|w| w.stake(device, HALF));
        assert!(w.eligible(&device), "covered by staking");

        w.warp_to(cancelled + 21 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.warp_to(cancelled + 21 * DAY);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_position(device, seq));
        assert_eq!(w.token_balance(&c.token), before + HALF);
        assert!(!w.is_program_account(&client::pda::offer(&device, seq).0), "the offer is closed");
    });
}

/// R9, R13: the owner covers a leaving co-staker with a new one, whose fill keeps the device
/// eligible past the first one's wait.
#[test]
fn r9_r13_the_owner_covers_with_a_new_co_staker() {
    for_each_world(|w| {
        let (device, first) = w.costaked_device();
        w.ok(|w| w.withdraw_overflow(device, HALF));
        let (c0, c1) = (w.costaker(0), w.costaker(1));
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c0, device, first));
        let second = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c1, device, second));
        w.warp_to(cancelled + 7 * DAY);
        assert!(w.eligible(&device), "8,000 owner + 8,000 of the new co-staker");
        assert_eq!(w.status(device).counted_stake, MIN);
    });
}

/// R15, R16: an owner's unstake takes the position into the owner's cooldown without the wait;
/// no restake until the ticket is withdrawn.
#[test]
fn r15_an_owner_unstake_takes_the_position_into_cooldown_without_the_wait() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        let d = w.device(&device);
        assert_eq!((d.ticket_principal, d.ticket_unlock_at), (MIN, start + 14 * DAY));
        let p = *d.position(seq).unwrap();
        assert_eq!((p.state(start), p.unlock_at), (PositionState::Cooling, start + 14 * DAY), "no 7-day wait");
        assert!(!w.eligible(&device));
        assert_eq!(w.profile(&w.costaker(0).pubkey()).unwrap().active_positions, 0);

        w.refused("DeviceUnstaking", |w| w.stake(device, 1));
        w.warp_to(start + 14 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_ticket(device));
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.refused("DeviceUnstaking", |w| w.stake(device, 1));
        w.warp_to(start + 14 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.refused("DeviceUnstaking", |w| w.stake(device, 1));
        let before = w.token_balance(&w.owner.token);
        w.ok(|w| w.withdraw_ticket(device));
        assert_eq!(w.token_balance(&w.owner.token), before + MIN);
        w.ok(|w| w.stake(device, MIN));
        assert!(w.eligible(&device), "restaked after the ticket was withdrawn");
    });
}

/// R15: an exiting position keeps the earlier of its unlock and the owner's.
#[test]
fn r15_an_exiting_position_keeps_the_earlier_of_its_unlock_and_the_owners() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + DAY);
        w.ok(|w| w.unstake(device));
        assert_eq!(w.device(&device).position(seq).unwrap().unlock_at, cancelled + 15 * DAY, "min(day 21, day 1 + 14)");
        w.warp_to(cancelled + 15 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.warp_to(cancelled + 15 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.ok(|w| w.withdraw_ticket(device));
    });
}

/// R7, R10, R15: unstake is refused while hired or with an open offer.
#[test]
fn r15_unstake_is_refused_while_hired_or_with_an_open_offer() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.set_hired(device, w.now() + DAY));
        w.refused("DeviceHired", |w| w.unstake(device));
        w.ok(|w| w.set_hired(device, 0));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.unstake(device));
        w.ok(|w| w.retract(device, seq));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.unstake(device));
    });
}

/// R20, R21, R23: blocks are split by share with the remainder to the owner; a block that
/// started before the fill is the owner's alone; one transfer per paid device.
#[test]
fn r21_rewards_are_split_by_share_with_the_remainder_to_the_owner() {
    for_each_world(|w| {
        let device = w.staked_device();
        let registered = w.now();
        w.advance(60);
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        w.advance(3_600);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, registered, registered + 60, &[(device, 1_000)]));
        assert_eq!(events::<RewardPaid>(&ok)[0].position_seq, None, "the block started before the fill");
        let ok = w.ok(|w| w.reward(2, registered + 60, w.now(), &[(device, 1_001)]));
        let paid: RewardPaid = events(&ok).remove(0);
        assert_eq!((paid.position_seq, paid.position_part, paid.owner_part, paid.transferred), (Some(seq), 740, 261, 1_001));
        assert_eq!(w.token_balance(&w.reward_source), source - 2_001);
        assert_eq!(w.device(&device).position(seq).unwrap().rewards, 740, "floor(1,001 x 74%)");
        assert_eq!(w.device(&device).owner_rewards, 1_261, "the remainders go to the owner");
        w.ok(|w| w.claim(&c, device, seq));
        w.ok(|w| w.withdraw_overflow(device, 1_261));
    });
}

/// R40: slashing takes the owner first, owner stake then the ticket created after the incident,
/// then the positions that counted at the incident, up to what is there (cap 100%).
#[test]
fn r40_slashing_takes_owner_stake_then_the_ticket_then_positions() {
    for_each_world_slashing_all(|w| {
        let (device, seq) = w.costaked_device();
        let incident = w.now();
        w.ok(|w| w.slash(device, 1_000 * IO, incident));
        assert_eq!(w.device(&device).owner_stake, MIN - 1_000 * IO, "owner stake first");
        assert_eq!(w.device(&device).position(seq).unwrap().principal, HALF);
        w.advance(1);
        w.ok(|w| w.unstake(device));
        w.ok(|w| w.slash(device, 17_000 * IO, incident));
        let d = w.device(&device);
        assert_eq!(d.ticket_principal, 0, "the ticket next");
        assert_eq!(d.position(seq).unwrap().principal, HALF - 2_000 * IO, "then the position");
        assert_eq!(w.token_balance(&w.treasury_token), 18_000 * IO);
        // the rest is capped at what is there
        w.ok(|w| w.slash(device, 100_000 * IO, incident));
        assert_eq!(w.device(&device).position(seq).unwrap().principal, 0);
        w.refused("NothingToSlash", |w| w.slash(device, 1, incident));
        assert_eq!(w.token_balance(&w.treasury_token), 24_000 * IO);
    });
}

/// R7, R20: a terminated device earns nothing from its termination on and takes no offers;
/// the stakers leave the ordinary way.
#[test]
fn r7_a_terminated_device_earns_nothing_and_takes_no_offers() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.ok(|w| w.terminate(device));
        assert!(!w.eligible(&device));
        w.advance(60);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, start, w.now(), &[(device, 1_000)]));
        assert_eq!(events::<RewardSkipped>(&ok)[0].reason, skip::TERMINATED);
        assert_eq!(w.token_balance(&w.reward_source), source);
        assert_eq!((w.device(&device).position(seq).unwrap().rewards, w.device(&device).owner_rewards), (0, 0));
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("DeviceTerminated", |w| w.create_offer(device, HALF, SHARE).0);
        // the owner still leaves the ordinary way
        w.ok(|w| w.unstake(device));
    });
}
