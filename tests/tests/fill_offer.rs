//! `fill_offer` (R11): a co-staker restates the terms and moves exactly the amount in; the
//! position enters the device's table and the co-staker's profile counts it.
use device_staking_tests::client::device_staking::events::OfferFilled;
use device_staking_tests::client::device_staking::state::{OfferState, Params, PositionState};
use device_staking_tests::client::pda;
use device_staking_tests::events;
use device_staking_tests::world::*;

/// Rules: R11 R50.
#[test]
fn r11_a_co_staker_fills_on_the_exact_terms() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        let before = w.token_balance(&c.token);
        let ok = w.ok(|w| w.fill(&c, device, seq));
        let o = w.offer(&device, seq);
        assert_eq!((o.state().unwrap(), o.costaker, o.amount), (OfferState::Filled, c.pubkey(), HALF));
        assert_eq!(w.token_balance(&c.token), before - HALF, "exactly the amount moves in");
        assert_eq!(w.token_balance(&pda::stake_vault(&device).0), MIN + HALF);
        let profile = w.profile(&c.pubkey()).expect("the first fill creates the profile");
        assert_eq!((profile.wallet, profile.active_positions, profile.payer), (c.pubkey(), 1, c.pubkey()));
        let d = w.device(&device);
        let p = d.position(seq).expect("the position is in the table");
        assert_eq!((p.costaker, p.principal, p.rewards, p.reward_share_bps), (c.pubkey(), HALF, 0, SHARE));
        assert_eq!((p.filled_at, p.stopped_at, p.wait_end, p.unlock_at), (w.now(), 0, 0, 0));
        assert_eq!((p.state(w.now()), d.open_offer(), d.counted_stake(w.now())), (PositionState::Filled, None, MIN + HALF));
        let filled: Vec<OfferFilled> = events(&ok);
        assert_eq!(filled.len(), 1);
        let e = &filled[0];
        assert_eq!((e.device, e.seq, e.costaker, e.amount, e.reward_share_bps), (device, seq, c.pubkey(), HALF, SHARE));
        assert_eq!((e.counted_stake, e.active_positions), (MIN + HALF, 1));
    });
}

/// Rules: R11 R13.
/// One wallet holds at most `max_active_costakes` (2) filled positions; a cancel frees a place.
#[test]
fn r11_a_co_staker_holds_at_most_two_filled_positions() {
    for_each_world(|w| {
        let c = w.costaker(0);
        let mut first = None;
        for _ in 0..2 {
            let device = w.staked_device();
            let seq = w.offer_ok(device, HALF, SHARE);
            w.ok(|w| w.fill(&c, device, seq));
            first.get_or_insert((device, seq));
        }
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("TooManyPositions", |w| w.fill(&c, device, seq));
        let (first, first_seq) = first.unwrap();
        w.ok(|w| w.cancel(&c, first, first_seq));
        w.ok(|w| w.fill(&c, device, seq));
        assert_eq!(w.profile(&c.pubkey()).unwrap().active_positions, 2);
    });
}

/// Rules: R11 R18.
/// A fill after `close_profile` creates the profile again, paid by the co-staker.
#[test]
fn r11_a_fill_creates_a_closed_profile_again() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.close_profile(&c));
        assert!(w.profile(&c.pubkey()).is_none());
        let next = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c, device, next));
        let profile = w.profile(&c.pubkey()).expect("created again");
        assert_eq!((profile.active_positions, profile.payer), (1, c.pubkey()));
    });
}

/// Rules: R11 R32 R41 R51.
/// Every refusal by name, each leaving every account unchanged; the minimum and the cap are
/// re-checked at the fill against the device and parameters as they are then.
#[test]
fn r11_fill_offer_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        w.refused("OfferTermsMismatch", |w| w.fill_terms(&c, device, seq, HALF - 1, SHARE));
        w.refused("OfferTermsMismatch", |w| w.fill_terms(&c, device, seq, HALF, SHARE + 1));
        w.refused("AccountOwnedByWrongProgram", |w| w.fill_terms(&c, device, seq + 1, HALF, SHARE));
        let owner = w.owner.clone();
        w.refused("OwnerCannotCostake", |w| w.fill(&owner, device, seq));
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.fill(&c, device, seq));
        w.ok(|w| w.set_paused(false));
        let now = w.now();
        w.ok(|w| w.hold(device, now + DAY));
        w.refused("DeviceOnHold", |w| w.fill(&c, device, seq));
        w.warp_to(now + DAY);
        // the minimum fell and the owner took principal out: the fill would break the 50% cap
        w.ok(|w| w.update_hardware(device, 2, MULTIPLIER));
        w.ok(|w| w.withdraw_overflow(device, HALF + IO));
        w.refused("CostakeCapExceeded", |w| w.fill(&c, device, seq));
        w.ok(|w| w.stake(device, HALF + IO));
        // the minimum rose after the offer: the fill would leave the owner's stake with it short
        w.ok(|w| w.update_hardware(device, 16, 100_000));
        w.refused("BelowMinimum", |w| w.fill(&c, device, seq));
        w.ok(|w| w.update_hardware(device, GPUS, MULTIPLIER));
        w.ok(|w| w.fill(&c, device, seq));
        let c1 = w.costaker(1);
        w.refused("OfferNotOpen", |w| w.fill(&c1, device, seq));
    });
}

/// Rules: R11 R33.
/// A reward share above the maximum in force at the fill (lowered after the offer) is refused.
#[test]
fn r11_the_reward_share_cap_in_force_at_the_fill_applies() {
    for_each_world_with(short_params(), |w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let lower = Params { max_reward_share_bps: SHARE - 1, ..w.params() };
        w.ok(|w| w.update_params(lower));
        let effective_at = w.config().params_effective_at;
        w.warp_to(effective_at);
        let c = w.costaker(0);
        w.refused("InvalidRewardShare", |w| w.fill(&c, device, seq));
    });
}

/// Rules: R7 R11 R51.
#[test]
fn r11_a_terminated_device_takes_no_fill() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.terminate(device));
        let c = w.costaker(0);
        w.refused("DeviceTerminated", |w| w.fill(&c, device, seq));
    });
}
