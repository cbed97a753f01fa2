//! `unstake` (R15): the whole owner stake into a ticket; every filled or exiting position is
//! unstaked with it.
use device_staking_tests::client::device_staking::state::OfferState;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;

/// Rules: R15.
#[test]
fn unstake_moves_the_owner_stake_into_a_ticket() {
    for_each_world(|w| {
        let device = w.staked_device();
        let now = w.now();
        let ok = w.ok(|w| w.unstake(device));
        assert!(ok.compute_units > 0);
        let t = w.ticket(&device).expect("a ticket");
        assert_eq!((t.seq, t.owner, t.amount, t.created_at, t.unlock_at), (0, w.owner.pubkey(), MIN, now, now + 14 * DAY));
        let d = w.device(&device);
        assert_eq!((d.owner_stake, d.ticket_principal, d.unstaking, d.next_ticket_seq), (0, MIN, true, 1));
        assert!(!w.eligible(&device));
    });
}

/// Rules: R15 R22.
#[test]
fn unstake_takes_the_filled_and_exiting_positions_along() {
    for_each_world(|w| {
        let (device, first) = w.costaked_device();
        let c0 = w.costaker(0);
        w.ok(|w| w.cancel(&c0, device, first));
        let second = w.offer_ok(device, HALF, SHARE);
        let c1 = w.costaker(1);
        w.ok(|w| w.fill(&c1, device, second));
        w.advance(DAY);
        let now = w.now();
        w.ok(|w| w.unstake(device));
        for seq in [first, second] {
            let o = w.offer(&device, seq);
            assert_eq!(o.state, OfferState::Cooling);
            assert!(o.unlock_at <= now + 14 * DAY, "never later than the owner's ticket");
        }
        let d = w.device(&device);
        assert_eq!((d.filled, d.exiting.iter().all(|e| e.wait_end == 0)), (None, true));
    });
}

/// Rules: R15 R51.
#[test]
fn unstake_refusals() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        w.refused("NothingToUnstake", |w| w.unstake(device));
        w.ok(|w| w.stake(device, MIN));
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::unstake(intruder.pubkey(), device, 0, None, &[]);
            w.send_by(ix, &intruder.key)
        });
        w.ok(|w| w.set_hired(device, true));
        w.refused("DeviceHired", |w| w.unstake(device));
        w.ok(|w| w.set_hired(device, false));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.unstake(device));
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        // the filled position must be listed
        let owner = w.owner.clone();
        w.refused("PositionAccountsMismatch", |w| w.send_by(ix::unstake(owner.pubkey(), device, 0, None, &[]), &owner.key));
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.unstake(device));
    });
}
