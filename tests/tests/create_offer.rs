//! `create_offer` (R9): the owner invites one co-staker for an amount at a reward share.
use device_staking_tests::client::device_staking::state::OfferState;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;

/// Rules: R9 R10.
#[test]
fn an_offer_is_created_and_recreated_under_a_new_seq() {
    for_each_world(|w| {
        let device = w.staked_device();
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let seq = w.offer_ok(device, HALF, SHARE);
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports - rent, "the owner pays the offer's rent");
        let o = w.offer(&device, seq);
        assert_eq!((o.seq, o.state, o.amount, o.reward_share_bps, o.payer), (0, OfferState::Open, HALF, SHARE, w.owner.pubkey()));
        assert_eq!((o.created_at, o.principal, o.costaker), (w.now(), 0, Default::default()));
        let d = w.device(&device);
        assert_eq!((d.open_offer, d.live_offers, d.next_offer_seq), (Some(0), 1, 1));
        w.ok(|w| w.retract(device, seq));
        assert_eq!(w.offer_ok(device, HALF, 5_000), 1, "seqs are never reused");
        // the cap is inclusive: 16,000 of 32,000 is exactly 50%
        w.ok(|w| w.retract(device, 1));
        assert_eq!(w.offer_ok(device, MIN, 1), 2);
    });
}

/// Rules: R9 R13.
#[test]
fn an_owner_covers_a_leaving_co_staker_with_a_new_offer() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        assert_eq!(w.offer_ok(device, HALF, SHARE), seq + 1, "an exiting position does not block a new offer");
    });
}

/// Rules: R9 R13.
#[test]
fn at_most_four_exits_may_run_while_offering() {
    for_each_world(|w| {
        let device = w.staked_device();
        let c = w.costaker(0);
        let first_cancel = w.now();
        for _ in 0..4 {
            let seq = w.offer_ok(device, HALF, SHARE);
            w.ok(|w| w.fill(&c, device, seq));
            w.ok(|w| w.cancel(&c, device, seq));
        }
        w.refused("TooManyExitingPositions", |w| w.create_offer(device, HALF, SHARE).0);
        w.warp_to(first_cancel + 7 * DAY);
        assert_eq!(w.offer_ok(device, HALF, SHARE), 4, "the first exit's wait ended: its slot is free");
    });
}

/// Rules: R9 R51.
#[test]
fn create_offer_refusals() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.ok(|w| w.stake(device, MIN - 1));
        w.refused("BelowMinimum", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.stake(device, 1));
        w.refused("ZeroAmount", |w| w.create_offer(device, 0, SHARE).0);
        w.refused("CostakeCapExceeded", |w| w.create_offer(device, MIN + 1, SHARE).0);
        w.refused("InvalidRewardShare", |w| w.create_offer(device, HALF, 0).0);
        w.refused("InvalidRewardShare", |w| w.create_offer(device, HALF, 10_001).0);
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::create_offer(intruder.pubkey(), device, 0, HALF, SHARE);
            w.send_by(ix, &intruder.key)
        });
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.set_paused(false));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.create_offer(device, HALF, SHARE).0);
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        w.refused("PositionAlreadyFilled", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.create_offer(device, HALF, SHARE).0);
    });
}

/// Rules: R4 R9 R51.
#[test]
fn the_owner_stake_with_the_offer_must_reach_the_minimum_even_while_an_exit_counts() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.slash(device, HALF));
        w.ok(|w| w.cancel(&c, device, seq));
        // counted: 8,000 own + 8,000 exiting = the minimum; 8,000 + 7,999 offered is short
        assert_eq!(w.status(device).counted_stake, MIN);
        w.refused("BelowMinimum", |w| w.create_offer(device, HALF - 1, SHARE).0);
        w.offer_ok(device, HALF, SHARE);
    });
}

/// Rules: R7 R9 R51.
#[test]
fn a_terminated_device_takes_no_offer() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.create_offer(device, HALF, SHARE).0);
    });
}
