//! `cancel_costake(seq)` (R13): the co-staker leaves at any time; the position stops earning at
//! once, counts until the cover window ends (none on a terminated device, R7), then cools down.
//! Never paused (R17).
use device_staking_tests::client::device_staking::events::CostakeCancelled;
use device_staking_tests::client::device_staking::state::PositionState;
use device_staking_tests::events;
use device_staking_tests::world::*;

/// Rules: R4 R13 R50.
#[test]
fn r13_a_cancel_records_the_wait_and_the_unlock() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let now = w.now();
        let ok = w.ok(|w| w.cancel(&c, device, seq));
        let p = *w.device(&device).position(seq).unwrap();
        assert_eq!((p.stopped_at, p.wait_end, p.unlock_at, p.principal), (now, now + 7 * DAY, now + 21 * DAY, HALF));
        assert_eq!(p.state(now), PositionState::Exiting);
        assert_eq!(w.profile(&c.pubkey()).unwrap().active_positions, 0, "the profile's count drops at once");
        let e: Vec<CostakeCancelled> = events(&ok);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].device, e[0].seq, e[0].costaker, e[0].principal), (device, seq, c.pubkey(), HALF));
        assert_eq!((e[0].wait_end, e[0].unlock_at), (now + 7 * DAY, now + 21 * DAY));
        // it counts until the wait ends, then no more (R4)
        let d = w.device(&device);
        assert_eq!((d.counted_stake(now + 7 * DAY - 1), d.counted_stake(now + 7 * DAY)), (MIN + HALF, MIN));
        // the owner covers with a new co-staker while the exit still counts (R9)
        let next = w.offer_ok(device, HALF, SHARE);
        let c1 = w.costaker(1);
        w.ok(|w| w.fill(&c1, device, next));
        assert_eq!(w.status(device).counted_stake, MIN + 2 * HALF);
        w.warp_to(now + 7 * DAY);
        assert_eq!(w.status(device).counted_stake, MIN + HALF);
        assert_eq!(w.device(&device).position(seq).unwrap().state(w.now()), PositionState::Cooling);
    });
}

/// Rules: R7 R13.
/// On a terminated device a co-staker who cancels has no wait: wait_end is now, and the
/// principal no longer counts.
#[test]
fn r13_a_cancel_on_a_terminated_device_has_no_wait() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.terminate(device));
        let c = w.costaker(0);
        let now = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        let p = *w.device(&device).position(seq).unwrap();
        assert_eq!((p.stopped_at, p.wait_end, p.unlock_at), (now, now, now + 14 * DAY));
        assert_eq!(w.device(&device).counted_stake(now), MIN);
    });
}

/// Rules: R13 R17 R51.
/// Every refusal by name, each leaving every account unchanged; a pause does not stop a cancel.
#[test]
fn r13_cancel_costake_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.costaker(1);
        // a wallet that never co-staked has no profile
        w.refused("AccountOwnedByWrongProgram", |w| w.cancel(&other, device, seq));
        let elsewhere = w.staked_device();
        let offer = w.offer_ok(elsewhere, HALF, SHARE);
        w.ok(|w| w.fill(&other, elsewhere, offer));
        w.refused("NotCostaker", |w| w.cancel(&other, device, seq));
        let c = w.costaker(0);
        w.refused("PositionNotFound", |w| w.cancel(&c, device, seq + 1));
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("PositionNotFilled", |w| w.cancel(&c, device, seq));
        // a position the owner's unstake stopped is no longer filled either
        w.ok(|w| w.set_paused(false));
        w.ok(|w| w.unstake(elsewhere));
        w.refused("PositionNotFilled", |w| w.cancel(&other, elsewhere, offer));
    });
}

/// Rules: R13 R16.
/// A withdrawn position is no longer in the table: cancelling it again is `PositionNotFound`.
#[test]
fn r13_a_withdrawn_position_cannot_be_cancelled() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let now = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(now + 21 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.refused("PositionNotFound", |w| w.cancel(&c, device, seq));
    });
}
