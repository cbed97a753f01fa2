//! `create_offer` (R9), `retract_offer` (R10) and `fill_offer` (R11).
use device_staking_tests::client::device_staking::state::{CostakerProfile, OfferState};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R9 R10.
#[test]
fn an_offer_is_created_retracted_and_recreated_under_a_new_seq() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let o = w.offer(&device, seq);
        assert_eq!((o.seq, o.state, o.amount, o.reward_share_bps, o.payer), (0, OfferState::Open, HALF, SHARE, w.owner.pubkey()));
        assert_eq!(w.device(&device).open_offer, Some(0));
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        w.ok(|w| w.retract(device, seq));
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "rent back to the payer");
        assert_eq!(w.device(&device).open_offer, None);
        assert_eq!(w.offer_ok(device, HALF, 5_000), 1, "seqs are never reused");
        // the cap is inclusive: 16,000 of 32,000 is exactly 50%
        w.ok(|w| w.retract(device, 1));
        assert_eq!(w.offer_ok(device, MIN, 1), 2);
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
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.create_offer(device, HALF, SHARE).0);
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        w.refused("PositionAlreadyFilled", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.create_offer(device, HALF, SHARE).0);
    });
}

/// Rules: R10 R51.
#[test]
fn retract_offer_refusals() {
    for_each_world(|w| {
        let (device, filled) = w.costaked_device();
        w.refused("OfferNotOpen", |w| w.retract(device, filled));
        let other = w.staked_device();
        let seq = w.offer_ok(other, HALF, SHARE);
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::retract_offer(intruder.pubkey(), other, seq, w.owner.pubkey());
            w.send_by(ix, &intruder.key)
        });
    });
}

/// Rules: R11.
#[test]
fn a_co_staker_fills_on_the_exact_terms() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        let before = w.token_balance(&c.token);
        w.refused("OfferTermsMismatch", |w| w.fill_terms(&c, device, seq, HALF - 1, SHARE));
        w.refused("OfferTermsMismatch", |w| w.fill_terms(&c, device, seq, HALF, SHARE + 1));
        w.ok(|w| w.fill(&c, device, seq));
        let o = w.offer(&device, seq);
        assert_eq!((o.state, o.costaker, o.principal, o.filled_at), (OfferState::Filled, c.pubkey(), HALF, w.now()));
        assert_eq!(w.token_balance(&c.token), before - HALF, "exactly the amount moves in");
        let profile: CostakerProfile = w.decode(&pda::costaker(&c.pubkey()).0);
        assert_eq!((profile.wallet, profile.active_positions), (c.pubkey(), 1));
        let c1 = w.costaker(1);
        w.refused("OfferNotOpen", |w| w.fill(&c1, device, seq));
    });
}

/// Rules: R11 R51.
#[test]
fn fill_offer_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let owner = w.owner.clone();
        w.refused("OwnerCannotCostake", |w| w.fill(&owner, device, seq));
        // the minimum rose after the offer: the fill would leave the device short
        let oracle = w.roles.oracle.insecure_clone();
        w.ok(|w| w.send_by(ix::update_hardware(oracle.pubkey(), device, 16, 100_000), &oracle));
        let c = w.costaker(0);
        w.refused("BelowMinimum", |w| w.fill(&c, device, seq));
        w.ok(|w| w.send_by(ix::update_hardware(oracle.pubkey(), device, GPUS, MULTIPLIER), &oracle));
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.fill(&c, device, seq));
    });
}

/// Rules: R11.
#[test]
fn a_co_staker_holds_at_most_two_filled_positions() {
    for_each_world(|w| {
        let c = w.costaker(0);
        for _ in 0..2 {
            let device = w.staked_device();
            let seq = w.offer_ok(device, HALF, SHARE);
            w.ok(|w| w.fill(&c, device, seq));
        }
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("TooManyPositions", |w| w.fill(&c, device, seq));
        // cancelling one frees a place
        let first = w.devices[0];
        w.ok(|w| w.cancel(&c, first, 0));
        w.ok(|w| w.fill(&c, device, seq));
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
