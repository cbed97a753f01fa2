//! `hold` (R41): the slash authority holds the owner's principal exits (principal overflow and
//! ticket withdrawal) for at most 7 days from the incident's first hold; co-stakers' exits are
//! never held.
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R15 R41.
#[test]
fn a_hold_lasts_at_most_seven_days_per_incident() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.ok(|w| w.hold(device, start + DAY));
        assert_eq!((w.device(&device).hold_until, w.device(&device).hold_incident_start), (start + DAY, start));
        w.advance(DAY / 2);
        w.ok(|w| w.hold(device, start + 7 * DAY));
        w.refused("HoldTooLong", |w| w.hold(device, start + 7 * DAY + 1));
        // principal overflow is held; a co-staker's exit never is
        w.ok(|w| w.stake(device, IO));
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, IO));
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.unstake(device));
        // the position's unlock: min(cancel + 21 days, unstake + 14 days) = start + 14.5 days
        let unlock = start + DAY / 2 + 14 * DAY;
        assert_eq!((w.offer(&device, seq).unlock_at, w.ticket(&device).unwrap().unlock_at), (unlock, unlock));
        // a new incident once the first hold ended
        w.warp_to(unlock);
        w.ok(|w| w.hold(device, unlock + DAY));
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device, 0));
        w.ok(|w| w.withdraw_position(device, seq));
        w.warp_to(unlock + DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}

/// Rules: R41 R51.
#[test]
fn hold_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        let intruder = w.funded_keypair();
        w.refused("NotSlashAuthority", |w| w.send_by(ix::hold(intruder.pubkey(), device, start + DAY), &intruder));
        w.refused("HoldTooLong", |w| w.hold(device, start));
        w.refused("HoldTooLong", |w| w.hold(device, start + 7 * DAY + 1));
        w.ok(|w| w.hold(device, start + 7 * DAY));
    });
}
