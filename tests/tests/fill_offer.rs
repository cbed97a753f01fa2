//! `fill_offer` (R11): a co-staker restates the terms and moves exactly the amount in.
use device_staking_tests::client::device_staking::state::{CostakerProfile, OfferState};
use device_staking_tests::client::pda;
use device_staking_tests::world::*;

/// Rules: R11.
#[test]
fn a_co_staker_fills_on_the_exact_terms() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.fill(&c, device, seq));
        let o = w.offer(&device, seq);
        assert_eq!((o.state, o.costaker, o.principal, o.filled_at), (OfferState::Filled, c.pubkey(), HALF, w.now()));
        assert_eq!(w.token_balance(&c.token), before - HALF, "exactly the amount moves in");
        assert_eq!(w.token_balance(&pda::stake_vault(&device).0), MIN + HALF);
        let profile: CostakerProfile = w.decode(&pda::costaker(&c.pubkey()).0);
        assert_eq!((profile.wallet, profile.active_positions), (c.pubkey(), 1));
        let d = w.device(&device);
        assert_eq!((d.open_offer, d.filled.map(|f| (f.seq, f.principal))), (None, Some((seq, HALF))));
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

/// Rules: R11 R51.
#[test]
fn fill_offer_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        w.refused("OfferTermsMismatch", |w| w.fill_terms(&c, device, seq, HALF - 1, SHARE));
        w.refused("OfferTermsMismatch", |w| w.fill_terms(&c, device, seq, HALF, SHARE + 1));
        w.refused("AccountNotInitialized", |w| w.fill_terms(&c, device, seq + 1, HALF, SHARE));
        let owner = w.owner.clone();
        w.refused("OwnerCannotCostake", |w| w.fill(&owner, device, seq));
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.fill(&c, device, seq));
        w.ok(|w| w.set_paused(false));
        // the minimum fell and the owner took principal out: the fill would break the 50% cap
        w.ok(|w| w.update_hardware(device, 2, MULTIPLIER));
        w.ok(|w| w.withdraw_overflow(device, HALF + IO));
        w.refused("CostakeCapExceeded", |w| w.fill(&c, device, seq));
        w.ok(|w| w.stake(device, HALF + IO));
        // the minimum rose after the offer: the fill would leave the device short
        w.ok(|w| w.update_hardware(device, 16, 100_000));
        w.refused("BelowMinimum", |w| w.fill(&c, device, seq));
        w.ok(|w| w.update_hardware(device, GPUS, MULTIPLIER));
        w.ok(|w| w.fill(&c, device, seq));
        let c1 = w.costaker(1);
        w.refused("OfferNotOpen", |w| w.fill(&c1, device, seq));
    });
}

/// Rules: R7 R11 R51.
#[test]
fn a_terminated_device_takes_no_fill() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.terminate(device));
        let c = w.costaker(0);
        w.refused("DeviceTerminated", |w| w.fill(&c, device, seq));
    });
}
