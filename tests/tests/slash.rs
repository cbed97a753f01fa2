//! `slash(amount, incident_at)` (R40): the slash authority takes principal for an incident within
//! the last 30 days: the owner first (owner stake, then a ticket created after the incident that
//! is not ripe or is held) up to the owner's rolling cap, then the positions that counted at the
//! incident and are not ripe, pro rata, each up to its own cap; to the treasury's associated
//! token account. The owner-first, pro rata and hold cases are in findings.rs.
use device_staking_tests::client::device_staking::events::{RewardPaid, Slashed};
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R40: at most 50% of the owner's stake in any 30 days, to the treasury; a slash exactly 30
/// days old no longer counts.
#[test]
fn r40_a_slash_is_capped_per_thirty_days_and_goes_to_the_treasury() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        let ok = w.ok(|w| w.slash(device, 10_000 * IO, start));
        let e: Slashed = events(&ok).remove(0);
        assert_eq!((e.device, e.requested, e.from_owner_stake, e.total, e.incident_at), (device, 10_000 * IO, HALF, HALF, start));
        assert_eq!(w.device(&device).owner_stake, MIN - HALF, "at most 50% of 16,000");
        assert_eq!(w.token_balance(&w.treasury_token), HALF);
        assert_eq!(w.token_balance(&w.device(&device).stake_vault), MIN - HALF);
        w.warp_to(start + 30 * DAY - 1);
        w.refused("NothingToSlash", |w| w.slash(device, 1, w.now()));
        w.warp_to(start + 30 * DAY);
        w.ok(|w| w.slash(device, 10_000 * IO, w.now()));
        assert_eq!(w.device(&device).owner_stake, HALF / 2, "a new window on the 8,000 left");
    });
}

/// R40: over any 30 days, a slash just before the first leaves the window and one just after
/// cannot together take more than the cap.
#[test]
fn r40_slashing_stays_within_the_cap_over_any_thirty_days() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.slash(device, 1, start));
        w.warp_to(start + 30 * DAY - 1);
        w.ok(|w| w.slash(device, MIN, w.now()));
        let principal_then = MIN - 1;
        w.warp_to(start + 30 * DAY);
        let _ = w.slash(device, MIN, w.now());
        let slashed_within_a_second = principal_then - w.device(&device).owner_stake;
        let cap = principal_then / 2;
        assert!(
            slashed_within_a_second <= cap,
            "{slashed_within_a_second} slashed within one second, above the 30-day cap of {cap}"
        );
    });
}

/// R40: the owner's ticket answers for incidents before the unstake until it is ripe; a ripe
/// ticket (not held) and a ticket created before the incident do not.
#[test]
fn r40_a_ticket_answers_for_earlier_incidents_until_it_is_ripe() {
    for_each_world(|w| {
        let device = w.staked_device();
        let before = w.now();
        w.advance(10);
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.advance(10);
        w.refused("NothingToSlash", |w| w.slash(device, IO, start + 5));
        w.warp_to(start + 14 * DAY - 1);
        let ok = w.ok(|w| w.slash(device, IO, before));
        assert_eq!(events::<Slashed>(&ok)[0].from_ticket, IO);
        assert_eq!(w.device(&device).ticket_principal, MIN - IO);
        w.warp_to(start + 14 * DAY);
        w.refused("NothingToSlash", |w| w.slash(device, IO, before));
        let tokens = w.token_balance(&w.owner.token);
        w.ok(|w| w.withdraw_ticket(device));
        assert_eq!(w.token_balance(&w.owner.token), tokens + MIN - IO);
    });
}

/// R21, R40: a position slashed to zero earns nothing; its block goes to the owner.
#[test]
fn r21_r40_a_position_slashed_to_zero_earns_nothing() {
    for_each_world_slashing_all(|w| {
        let (device, seq) = w.costaked_device();
        let ok = w.ok(|w| w.slash(device, MIN + HALF, w.now()));
        let e: Slashed = events(&ok).remove(0);
        assert_eq!((e.from_owner_stake, e.from_positions[0].seq, e.from_positions[0].amount), (MIN, seq, HALF));
        assert_eq!((w.device(&device).owner_stake, w.device(&device).position(seq).unwrap().principal), (0, 0));
        w.ok(|w| w.stake(device, MIN));
        let start = w.now();
        w.advance(60);
        let ok = w.ok(|w| w.reward(1, start, w.now(), &[(device, 1_000)]));
        let paid: RewardPaid = events(&ok).remove(0);
        assert_eq!((paid.position_seq, paid.owner_part), (None, 1_000));
        assert_eq!(w.device(&device).position(seq).unwrap().rewards, 0);
    });
}

/// R34, R40: the cap in force at the slash applies: a lowered cap at once.
#[test]
fn r40_the_cap_follows_the_cap_in_force() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.lower_slash_cap(1_000));
        w.ok(|w| w.slash(device, MIN, w.now()));
        assert_eq!(w.token_balance(&w.treasury_token), MIN / 10);
    });
}

/// R40, R51: `slash`'s refusals.
#[test]
fn slash_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let now = w.now();
        w.refused("ZeroAmount", |w| w.slash(device, 0, now));
        let intruder = w.funded_keypair();
        w.refused("NotSlashAuthority", |w| w.slash_by(&intruder, device, IO, now));
        w.refused("NotTreasuryAccount", |w| {
            let authority = w.roles.slash_authority.insecure_clone();
            let ix = ix::slash(authority.pubkey(), device, w.owner.pubkey(), IO, now, &w.mint);
            w.send_by(ix, &authority)
        });
        let empty = w.register(GPUS, MULTIPLIER);
        w.refused("NothingToSlash", |w| w.slash(empty, IO, now));
        // the incident: not in the future, not 30 days old or more, not before time began
        w.refused("IncidentOutOfRange", |w| w.slash(device, IO, now + 1));
        w.refused("IncidentOutOfRange", |w| w.slash(device, IO, 0));
        w.advance(30 * DAY);
        w.refused("IncidentOutOfRange", |w| w.slash(device, IO, now));
        w.ok(|w| w.slash(device, IO, now + 1));
        // during a hold, not after the incident's start
        let held = w.now();
        w.ok(|w| w.hold(device, held + DAY));
        w.advance(10);
        w.refused("IncidentOutOfRange", |w| w.slash(device, IO, held + 1));
        w.ok(|w| w.slash(device, IO, held));
    });
}
