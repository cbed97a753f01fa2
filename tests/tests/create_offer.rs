//! `create_offer` (R9): the owner invites one co-staker for an amount at a reward share, while the
//! device meets its minimum, has no open offer, no filled position and a free slot in its table.
use device_staking_tests::client::device_staking::constants::MAX_POSITIONS;
use device_staking_tests::client::device_staking::events::OfferCreated;
use device_staking_tests::client::device_staking::state::{OfferState, Params};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::events;
use device_staking_tests::world::*;

/// Rules: R9 R10 R50.
/// The offer records the frozen terms and its payer; seqs are never reused; the cap is inclusive.
#[test]
fn r9_an_offer_is_created_and_recreated_under_a_new_seq() {
    for_each_world(|w| {
        let device = w.staked_device();
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let (result, seq) = w.create_offer(device, HALF, SHARE);
        let ok = result.expect("create_offer");
        w.check_all();
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports - rent, "the owner pays the offer's rent");
        let o = w.offer(&device, seq);
        assert_eq!(
            (o.device, o.seq, o.state().unwrap(), o.amount, o.reward_share_bps),
            (device, 0, OfferState::Open, HALF, SHARE)
        );
        assert_eq!(
            (o.payer, o.created_at, o.costaker, o.escrow_payer),
            (w.owner.pubkey(), w.now(), Default::default(), Default::default())
        );
        let d = w.device(&device);
        assert_eq!((d.open_offer(), d.next_offer_seq), (Some(0), 1));
        assert!(d.positions.iter().all(|p| !p.is_used()), "an open offer takes no slot yet");
        let created: Vec<OfferCreated> = events(&ok);
        assert_eq!(created.len(), 1);
        let e = &created[0];
        assert_eq!((e.device, e.offer, e.seq, e.amount, e.reward_share_bps), (device, pda::offer(&device, 0).0, 0, HALF, SHARE));

        w.ok(|w| w.retract(device, seq));
        assert_eq!(w.offer_ok(device, HALF, 5_000), 1, "seqs are never reused");
        // the cap is inclusive: 16,000 of 32,000 is exactly 50%
        w.ok(|w| w.retract(device, 1));
        assert_eq!(w.offer_ok(device, MIN, 1), 2);
        // the smallest offer is inclusive: 1% of the 16,000 minimum
        w.ok(|w| w.retract(device, 2));
        assert_eq!(w.offer_ok(device, MIN / 100, SHARE), 3);
    });
}

/// Rules: R9 R13.
/// An exiting position does not block a new offer: that is how the owner covers.
#[test]
fn r9_an_owner_covers_a_leaving_co_staker_with_a_new_offer() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        assert_eq!(w.offer_ok(device, HALF, SHARE), seq + 1, "an exiting position does not block a new offer");
    });
}

/// Rules: R9 R16.
/// The table has 8 slots: with 8 positions exiting or cooling a new offer is refused
/// (`NoFreePositionSlot`); withdrawing a ripe one frees its slot.
#[test]
fn r9_a_full_position_table_takes_no_offer_until_a_slot_is_freed() {
    for_each_world(|w| {
        let device = w.staked_device();
        let c = w.costaker(0);
        let first_cancel = w.now();
        for _ in 0..MAX_POSITIONS {
            let seq = w.offer_ok(device, 1_000 * IO, SHARE);
            w.ok(|w| w.fill(&c, device, seq));
            w.ok(|w| w.cancel(&c, device, seq));
        }
        w.refused("NoFreePositionSlot", |w| w.create_offer(device, HALF, SHARE).0);
        // their waits ending frees nothing: the slots hold the principal until it is withdrawn
        let params = w.params();
        w.warp_to(first_cancel + params.cover_window_secs);
        w.refused("NoFreePositionSlot", |w| w.create_offer(device, HALF, SHARE).0);
        w.warp_to(first_cancel + params.cover_window_secs + params.cooldown_secs);
        w.ok(|w| w.withdraw_position(device, 0));
        assert_eq!(w.offer_ok(device, HALF, SHARE), MAX_POSITIONS as u64, "the withdrawn position's slot is free");
    });
}

/// Rules: R9 R32 R41 R51.
/// Every refusal by name, each leaving every account unchanged, in the order the rule lists them.
#[test]
fn r9_create_offer_refusals() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.ok(|w| w.stake(device, MIN - 1));
        w.refused("BelowMinimum", |w| w.create_offer(device, HALF, SHARE).0);
        w.ok(|w| w.stake(device, 1));
        w.refused("ZeroAmount", |w| w.create_offer(device, 0, SHARE).0);
        w.refused("OfferTooSmall", |w| w.create_offer(device, MIN / 100 - 1, SHARE).0);
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
        let now = w.now();
        w.ok(|w| w.hold(device, now + DAY));
        w.refused("DeviceOnHold", |w| w.create_offer(device, HALF, SHARE).0);
        w.warp_to(now + DAY);
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
/// The owner's stake with the offer must reach the minimum even while an exit still counts
/// (exiting positions are replaced, not kept, by the new offer).
#[test]
fn r9_the_owner_stake_with_the_offer_must_reach_the_minimum_even_while_an_exit_counts() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        // the owner takes out the principal overflow: 16,000 + 8,000 - 16,000 = 8,000
        w.ok(|w| w.withdraw_overflow(device, HALF));
        w.ok(|w| w.cancel(&c, device, seq));
        // counted: 8,000 own + 8,000 exiting = the minimum; 8,000 + 7,999 offered is short
        assert_eq!(w.status(device).counted_stake, MIN);
        w.refused("BelowMinimum", |w| w.create_offer(device, HALF - 1, SHARE).0);
        w.offer_ok(device, HALF, SHARE);
    });
}

/// Rules: R7 R9 R51.
#[test]
fn r9_a_terminated_device_takes_no_offer() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.terminate(device));
        w.refused("DeviceTerminated", |w| w.create_offer(device, HALF, SHARE).0);
    });
}

/// Rules: R1 R9 R33.
/// The minimum and the caps are those in force when the offer is made: a base raised by a
/// parameter change that has applied refuses an offer the old base allowed.
#[test]
fn r9_the_minimum_in_force_applies() {
    for_each_world_with(short_params(), |w| {
        let device = w.staked_device();
        let raised = Params { base_stake_per_gpu: 201 * IO, ..w.params() };
        w.ok(|w| w.update_params(raised));
        let effective_at = w.config().params_effective_at;
        w.warp_to(effective_at - 1);
        let seq = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.retract(device, seq));
        w.warp_to(effective_at);
        w.refused("BelowMinimum", |w| w.create_offer(device, HALF, SHARE).0);
    });
}
