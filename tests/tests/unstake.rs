//! `unstake` (R15): the whole owner stake into a ticket unlocking after the cooldown; the stake
//! stops counting at once; every position in the table loses its wait and unlocks no later than
//! the ticket; the filled one stops earning and its profile count drops. Never paused (R17).
use device_staking_tests::client::device_staking::events::{RewardPaid, Unstaked};
use device_staking_tests::client::device_staking::state::{PositionState, Ticket};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;

/// R15: the ticket's figures live on the device; its account holds the rent paid by the owner.
#[test]
fn r15_unstake_moves_the_owner_stake_into_a_ticket() {
    for_each_world(|w| {
        let device = w.staked_device();
        let now = w.now();
        let ok = w.ok(|w| w.unstake(device));
        let e: Unstaked = events(&ok).remove(0);
        assert_eq!((e.ticket_seq, e.amount, e.unlock_at, e.stopped_seq, e.positions_recapped), (0, MIN, now + 14 * DAY, None, 0));
        let d = w.device(&device);
        assert_eq!(
            (d.owner_stake, d.ticket_seq, d.ticket_principal, d.ticket_unlock_at, d.unstaked_at),
            (0, 0, MIN, now + 14 * DAY, now)
        );
        assert_eq!(d.next_ticket_seq, 1);
        let t: Ticket = w.decode(&pda::ticket(&device, 0).0);
        assert_eq!((t.device, t.seq, t.payer), (device, 0, w.owner.pubkey()));
        assert_eq!(w.token_balance(&pda::stake_vault(&device).0), MIN, "the tokens stay in the vault until withdrawn");
        let status = w.status(device);
        assert_eq!((status.eligible, status.counted_stake, status.ticket.map(|t| t.amount)), (false, 0, Some(MIN)));
    });
}

/// R13, R15: the filled position stops earning and cools down with the owner, its profile count
/// drops; an exiting position loses the rest of its wait and unlocks no later than the ticket.
#[test]
fn r15_unstake_takes_the_filled_and_exiting_positions_along() {
    for_each_world(|w| {
        let (device, first) = w.costaked_device();
        let (c0, c1) = (w.costaker(0), w.costaker(1));
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c0, device, first));
        let second = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c1, device, second));
        w.advance(DAY);
        let now = w.now();
        let ok = w.ok(|w| w.unstake(device));
        let e: Unstaked = events(&ok).remove(0);
        assert_eq!((e.stopped_seq, e.positions_recapped), (Some(second), 2));
        let d = w.device(&device);
        let (p0, p1) = (*d.position(first).unwrap(), *d.position(second).unwrap());
        assert_eq!((p0.wait_end, p0.unlock_at), (now, now + 14 * DAY), "min(cancel + 21 days, unstake + 14 days)");
        assert_eq!((p1.stopped_at, p1.wait_end, p1.unlock_at), (now, now, now + 14 * DAY));
        assert_eq!((p0.state(now), p1.state(now)), (PositionState::Cooling, PositionState::Cooling));
        assert!(cancelled + 21 * DAY > now + 14 * DAY);
        assert_eq!(w.profile(&c1.pubkey()).unwrap().active_positions, 0);
        assert_eq!(w.status(device).counted_stake, 0, "nothing counts after the owner's unstake");
        // a block from the unstake on pays nobody
        w.advance(60);
        let ok = w.ok(|w| w.reward(1, now, w.now(), &[(device, 1_000)]));
        assert!(events::<RewardPaid>(&ok).is_empty());
    });
}

/// R15, R17, R51: `unstake`'s refusals; it is never paused.
#[test]
fn unstake_refusals() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.refused("NothingToUnstake", |w| w.unstake(device));
        w.ok(|w| w.stake(device, MIN));
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::unstake(intruder.pubkey(), device, 0, None);
            w.send_by(ix, &intruder.key)
        });
        w.ok(|w| w.set_hired(device, w.now() + DAY));
        w.refused("DeviceHired", |w| w.unstake(device));
        w.ok(|w| w.set_hired(device, 0));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.unstake(device));
        let (c, other) = (w.costaker(0), w.costaker(1));
        w.ok(|w| w.fill(&c, device, seq));
        // the filled position's co-staker's profile must be passed, and no other
        let owner = w.owner.clone();
        w.refused("ProfileRequired", |w| w.send_by(ix::unstake(owner.pubkey(), device, 0, None), &owner.key));
        let second = w.staked_device();
        let offer = w.offer_ok(second, HALF, SHARE);
        w.ok(|w| w.fill(&other, second, offer));
        w.refused("ProfileRequired", |w| w.send_by(ix::unstake(owner.pubkey(), device, 0, Some(other.pubkey())), &owner.key));
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.unstake(device));
    });
}
