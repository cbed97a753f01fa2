//! `hold(until)` (R41): the slash authority holds the owner's principal exits (principal
//! overflow, and the ticket when it was not ripe at the incident's start) for at most
//! max_hold_secs (7 days) past the incident's first hold, and a new incident may start only 30
//! days after the previous one; co-stakers' exits are never held. A revoked slash authority's
//! holds end (R34).
use device_staking_tests::client::device_staking::events::DeviceHeld;
use device_staking_tests::client::device_staking::state::Role;
use device_staking_tests::client::ix;
use device_staking_tests::events;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R12 R41 R50.
/// Holds within 7 days of the incident's first hold extend it, up to 7 days past its start;
/// principal overflow is held, rewards and the co-staker's exit are not; a new incident waits
/// 30 days from the previous one's start.
#[test]
fn r41_a_hold_lasts_at_most_seven_days_per_incident() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        w.ok(|w| w.stake(device, IO));
        let start = w.now();
        let ok = w.ok(|w| w.hold(device, start + DAY));
        let held: Vec<DeviceHeld> = events(&ok);
        assert_eq!((held[0].device, held[0].until, held[0].incident_start), (device, start + DAY, start));
        let d = w.device(&device);
        assert_eq!((d.hold_until, d.hold_incident_start), (start + DAY, start));
        w.advance(DAY / 2);
        w.ok(|w| w.hold(device, start + 7 * DAY));
        assert_eq!(w.device(&device).hold_incident_start, start, "a later hold belongs to the same incident");
        w.refused("HoldTooLong", |w| w.hold(device, start + 7 * DAY + 1));
        // principal overflow is held; the owner's rewards are not
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, 260 + IO));
        w.ok(|w| w.withdraw_overflow(device, 260));
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, IO));
        // a co-staker's exit is never held
        let c = w.costaker(0);
        w.ok(|w| w.claim(&c, device, seq));
        w.ok(|w| w.cancel(&c, device, seq));
        // the hold ends at its end: the overflow is free again
        w.warp_to(start + 7 * DAY - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, IO));
        w.warp_to(start + 7 * DAY);
        w.ok(|w| w.withdraw_overflow(device, IO));
        // a new incident: not within 30 days of the last one's start
        w.refused("HoldIncidentTooSoon", |w| w.hold(device, w.now() + DAY));
        w.warp_to(start + 30 * DAY - 1);
        w.refused("HoldIncidentTooSoon", |w| w.hold(device, w.now() + DAY));
        w.warp_to(start + 30 * DAY);
        w.ok(|w| w.hold(device, w.now() + DAY));
        assert_eq!(w.device(&device).hold_incident_start, start + 30 * DAY);
    });
}

/// Rules: R16 R41 G2.
/// A ticket that was not ripe when the incident began waits out the hold (at most 7 days past
/// its unlock); the co-staker's position ripening at the same time is withdrawn and released
/// regardless.
#[test]
fn r41_a_ticket_not_ripe_at_the_incident_waits_out_the_hold() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        let unstaked = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(unstaked + 13 * DAY);
        let incident = w.now();
        w.ok(|w| w.hold(device, incident + 7 * DAY));
        w.warp_to(unstaked + 14 * DAY);
        assert!(w.status(device).ticket.unwrap().held);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device));
        w.ok(|w| w.withdraw_position(device, seq));
        w.warp_to(incident + 7 * DAY - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device));
        w.warp_to(incident + 7 * DAY);
        assert!(w.now() <= unstaked + 14 * DAY + 7 * DAY, "G2: within the cooldown plus one hold");
        w.ok(|w| w.withdraw_ticket(device));
    });
}

/// Rules: R41.
/// A ticket already ripe when the incident begins is not newly frozen.
#[test]
fn r41_a_ripe_ticket_is_not_newly_frozen() {
    for_each_world(|w| {
        let device = w.staked_device();
        let unstaked = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(unstaked + 15 * DAY);
        w.ok(|w| w.hold(device, w.now() + DAY));
        assert!(!w.status(device).ticket.unwrap().held);
        w.ok(|w| w.withdraw_ticket(device));
    });
}

/// Rules: R34 R41.
/// Revoking the slash authority ends its running holds at once; it can hold no more.
#[test]
fn r34_a_revoked_slash_authority_holds_nothing() {
    for_each_world(|w| {
        let device = w.staked_device();
        let unstaked = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(unstaked + 13 * DAY);
        w.ok(|w| w.hold(device, w.now() + 7 * DAY));
        w.warp_to(unstaked + 14 * DAY);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device));
        w.ok(|w| w.revoke_role(Role::SlashAuthority));
        assert!(!w.status(device).held);
        w.refused("NotSlashAuthority", |w| w.hold(device, w.now() + DAY));
        w.ok(|w| w.withdraw_ticket(device));
    });
}

/// Rules: R41 R51.
/// Every refusal by name, each leaving every account unchanged.
#[test]
fn r41_hold_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        let intruder = w.funded_keypair();
        w.refused("NotSlashAuthority", |w| w.send_by(ix::hold(intruder.pubkey(), device, start + DAY), &intruder));
        let oracle = w.roles.oracle.insecure_clone();
        w.refused("NotSlashAuthority", |w| w.send_by(ix::hold(oracle.pubkey(), device, start + DAY), &oracle));
        w.refused("HoldTooLong", |w| w.hold(device, start));
        w.refused("HoldTooLong", |w| w.hold(device, start - 1));
        w.refused("HoldTooLong", |w| w.hold(device, start + 7 * DAY + 1));
        w.ok(|w| w.hold(device, start + 7 * DAY));
    });
}
