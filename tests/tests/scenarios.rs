//! The user stories of docs/protocol.md, end to end, with the Clock moved to one second before
//! and exactly at every deadline, and R52 checked after every step.
use device_staking_tests::client::device_staking::state::OfferState;
use device_staking_tests::world::*;
use device_staking_tests::*;

#[test]
fn owner_takes_out_the_co_staked_half_as_overflow() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        let owner_before = w.token_balance(&w.owner.token);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, HALF + 1));
        w.ok(|w| w.withdraw_overflow(device, HALF));
        assert_eq!(w.token_balance(&w.owner.token), owner_before + HALF);
        let d = w.device(&device);
        assert_eq!((d.owner_stake, d.positions_principal), (HALF, HALF));
        assert!(w.eligible(&device), "16,000 counted: 8,000 owner + 8,000 co-staker");
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 1));
    });
}

#[test]
fn a_cancelled_co_stake_counts_for_the_cover_window_then_the_owner_covers() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.withdraw_overflow(device, HALF));
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        let o = w.offer(&device, seq);
        assert_eq!((o.state, o.wait_end, o.unlock_at), (OfferState::Exiting, cancelled + 7 * DAY, cancelled + 21 * DAY));

        w.warp_to(cancelled + 7 * DAY - 1);
        assert!(w.eligible(&device), "still counted one second before day 7");
        assert!(w.status(device).eligible);
        w.warp_to(cancelled + 7 * DAY);
        assert!(!w.eligible(&device), "uncovered at day 7");
        let status = w.status(device);
        assert_eq!((status.eligible, status.counted_stake), (false, HALF));
        w.check_all();

        w.ok(|w| w.stake(device, HALF));
        assert!(w.eligible(&device), "covered by staking");

        w.warp_to(cancelled + 21 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.warp_to(cancelled + 21 * DAY);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_position(device, seq));
        assert_eq!(w.token_balance(&c.token), before + HALF);
        assert!(w.svm.get_account(&client::pda::offer(&device, seq).0).is_none(), "the offer is closed");
    });
}

#[test]
fn an_owner_unstake_takes_the_positions_into_cooldown_without_the_wait() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        let ticket = w.ticket(&device).expect("a ticket");
        assert_eq!((ticket.amount, ticket.unlock_at), (MIN, start + 14 * DAY));
        let o = w.offer(&device, seq);
        assert_eq!((o.state, o.unlock_at), (OfferState::Cooling, start + 14 * DAY), "no 7-day wait");
        assert!(!w.eligible(&device));
        assert_eq!(w.env.decode::<client::device_staking::state::CostakerProfile>(&client::pda::costaker(&w.costaker(0).pubkey()).0).active_positions, 0);

        w.refused("DeviceUnstaking", |w| w.stake(device, 1));
        w.warp_to(start + 14 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_ticket(device, ticket.seq));
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.refused("DeviceUnstaking", |w| w.stake(device, 1));
        w.warp_to(start + 14 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.refused("DeviceUnstaking", |w| w.stake(device, 1));
        let before = w.token_balance(&w.owner.token);
        w.ok(|w| w.withdraw_ticket(device, ticket.seq));
        assert_eq!(w.token_balance(&w.owner.token), before + MIN);
        w.ok(|w| w.stake(device, MIN));
        assert!(w.eligible(&device), "restaked after the ticket was withdrawn");
    });
}

#[test]
fn an_exiting_position_keeps_the_earlier_of_its_unlock_and_the_owners() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + DAY);
        w.ok(|w| w.unstake(device));
        assert_eq!(w.offer(&device, seq).unlock_at, cancelled + 15 * DAY, "min(day 21, day 1 + 14)");
        w.warp_to(cancelled + 15 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.warp_to(cancelled + 15 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}

#[test]
fn unstake_is_refused_while_hired_or_with_an_open_offer() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.ok(|w| w.stake(device, MIN));
        w.ok(|w| w.set_hired(device, true));
        w.refused("DeviceHired", |w| w.unstake(device));
        w.ok(|w| w.set_hired(device, false));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.unstake(device));
        w.ok(|w| w.retract(device, seq));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.unstake(device));
    });
}

#[test]
fn rewards_are_split_by_share_with_the_remainder_to_the_owner() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let idle = w.register(GPUS, MULTIPLIER); // nothing staked: not eligible
        let filled_at = w.now();
        w.advance(3_600);
        let (source, paid) = (w.token_balance(&w.reward_source), 1_001);
        w.ok(|w| w.reward(1, filled_at, w.now(), &[(device, paid), (idle, 5_000)]));
        assert_eq!(w.token_balance(&w.reward_source), source - paid, "nothing paid to the ineligible device");
        assert_eq!(w.offer(&device, seq).rewards, 740, "floor(1,001 x 74%)");
        assert_eq!(w.device(&device).owner_rewards, 261, "the remainder goes to the owner");
        assert_eq!((w.device(&idle).owner_rewards, w.device(&idle).last_block_id), (0, 1));
        assert_eq!(w.token_balance(&client::pda::overflow_vault(&idle).0), 0);
        // a block that started before the fill pays the co-staker nothing
        w.ok(|w| w.reward(2, filled_at - 1, w.now(), &[(device, 1_000)]));
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).owner_rewards), (740, 1_261));
        let c = w.costaker(0);
        w.ok(|w| w.claim(&c, device, seq));
        w.ok(|w| w.withdraw_overflow(device, 1_261));
    });
}

#[test]
fn slashing_takes_owner_stake_then_the_ticket_then_positions() {
    for_each_world_slashing_all(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.slash(device, 1_000 * IO));
        assert_eq!(w.device(&device).owner_stake, MIN - 1_000 * IO, "owner stake first");
        assert_eq!(w.offer(&device, seq).principal, HALF);
        w.ok(|w| w.unstake(device));
        w.ok(|w| w.slash(device, 17_000 * IO));
        assert_eq!(w.ticket(&device).unwrap().amount, 0, "the ticket next");
        assert_eq!(w.offer(&device, seq).principal, HALF - 2_000 * IO, "then the position");
        assert_eq!(w.token_balance(&w.treasury_token), 18_000 * IO);
        // the rest is capped at what is there
        w.ok(|w| w.slash(device, 100_000 * IO));
        assert_eq!(w.offer(&device, seq).principal, 0);
        w.refused("NothingToSlash", |w| w.slash(device, 1));
        assert_eq!(w.token_balance(&w.treasury_token), 24_000 * IO);
    });
}

#[test]
fn a_terminated_device_earns_nothing_and_takes_no_offers() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.ok(|w| w.terminate(device));
        assert!(!w.eligible(&device));
        w.advance(60);
        let source = w.token_balance(&w.reward_source);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, 1_000)]));
        assert_eq!(w.token_balance(&w.reward_source), source);
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).owner_rewards), (0, 0));
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("DeviceTerminated", |w| w.create_offer(device, HALF, SHARE).0);
        // the owner still leaves the ordinary way
        w.ok(|w| w.unstake(device));
    });
}
