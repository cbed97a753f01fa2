//! `cancel_costake` (R13): the co-staker leaves at any time; the position stops earning at once
//! and counts until the cover window ends.
use device_staking_tests::client::device_staking::state::{CostakerProfile, OfferState};
use device_staking_tests::client::pda;
use device_staking_tests::world::*;

/// Rules: R13.
#[test]
fn a_cancel_records_the_wait_and_the_unlock() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let now = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        let o = w.offer(&device, seq);
        assert_eq!((o.state, o.cancelled_at, o.wait_end, o.unlock_at), (OfferState::Exiting, now, now + 7 * DAY, now + 21 * DAY));
        let d = w.device(&device);
        assert_eq!((d.filled, d.exiting[0].seq, d.exiting[0].principal), (None, seq, HALF));
        let profile: CostakerProfile = w.decode(&pda::costaker(&c.pubkey()).0);
        assert_eq!(profile.active_positions, 0);
        // the owner covers with a new co-staker while the exit still counts (R9)
        let next = w.offer_ok(device, HALF, SHARE);
        let c1 = w.costaker(1);
        w.ok(|w| w.fill(&c1, device, next));
        assert_eq!(w.status(device).counted_stake, MIN + 2 * HALF);
    });
}

/// Rules: R13 R51.
#[test]
fn cancel_costake_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.costaker(1);
        // a wallet that never co-staked has no profile
        w.refused("AccountNotInitialized", |w| w.cancel(&other, device, seq));
        let elsewhere = w.staked_device();
        let offer = w.offer_ok(elsewhere, HALF, SHARE);
        w.ok(|w| w.fill(&other, elsewhere, offer));
        w.refused("NotCostaker", |w| w.cancel(&other, device, seq));
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("PositionNotFilled", |w| w.cancel(&c, device, seq));
    });
}
