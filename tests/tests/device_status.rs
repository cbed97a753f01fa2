//! `device_status` (R54): a read-only instruction returning, through return data, eligibility
//! and the reasons when not eligible, overflow per party, the position table with every pending
//! unlock, hired and hold status and the slash allowance left, read from the device alone (no
//! position or ticket accounts), in a layout that fits the 1,024 bytes of return data.
use device_staking_tests::client::device_staking::constants::MAX_POSITIONS;
use device_staking_tests::client::device_staking::instructions::device_status::TicketStatus;
use device_staking_tests::client::device_staking::state::{ineligible, PositionState};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::SPL_TOKEN;
use solana_signer::Signer;

/// Return data the runtime allows a program to set.
const MAX_RETURN_DATA: usize = 1_024;

/// Rules: R4 R5 R12 R40 R54.
/// An idle device, then a co-staked one: eligibility and its reasons, counted stake, the
/// minimum, overflow per party, the table and the slash allowances.
#[test]
fn r54_the_status_reports_eligibility_overflow_and_the_table() {
    for_each_world(|w| {
        let idle = w.register(GPUS, MULTIPLIER);
        let s = w.status(idle);
        assert_eq!((s.now, s.eligible, s.ineligible_reasons), (w.now(), false, ineligible::NO_STAKE | ineligible::BELOW_MINIMUM));
        assert_eq!((s.min_required, s.min_in_force, s.grace_end, s.counted_stake), (MIN, MIN, 0, 0));
        assert_eq!((s.ticket, s.positions.len(), s.open_offer, s.hired, s.held), (None, 0, None, false, false));

        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, 1_000)]));
        let s = w.status(device);
        assert_eq!((s.eligible, s.ineligible_reasons, s.counted_stake), (true, 0, MIN + HALF));
        // principal overflow: 16,000 + 8,000 - 16,000, within the 50% cap; plus 260 of rewards
        assert_eq!((s.owner_stake, s.owner_principal_overflow, s.owner_rewards, s.owner_overflow), (MIN, HALF, 260, HALF + 260));
        // the default cap: half of each staker's slashable principal in 30 days
        assert_eq!(s.owner_slash_allowance, MIN / 2);
        assert_eq!(s.positions.len(), 1);
        let p = &s.positions[0];
        assert_eq!((p.seq, p.state, p.principal, p.rewards, p.reward_share_bps), (seq, PositionState::Filled, HALF, 740, SHARE));
        assert_eq!((p.counts, p.wait_end, p.unlock_at, p.slash_allowance), (true, 0, 0, HALF / 2));
        // the status agrees with the device's own rules
        let (d, env) = (w.device(&device), w.env_now());
        assert_eq!((s.owner_overflow, s.counted_stake), (d.owner_overflow(&env), d.counted_stake(env.now)));
    });
}

/// Rules: R2 R7 R13 R15 R41 R54.
/// Hired, grace, hold, an exit and the owner's unstake as the status shows them: every pending
/// unlock, the ticket and whether a hold keeps it.
#[test]
fn r54_the_status_reports_hired_hold_grace_and_every_pending_unlock() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let now = w.now();
        w.ok(|w| w.set_hired(device, now + DAY));
        let s = w.status(device);
        assert_eq!((s.hired, s.hired_until), (true, now + DAY));
        // a higher minimum: the previous one stays in force for a cover window (R2)
        w.ok(|w| w.update_hardware(device, GPUS, MULTIPLIER + 10_000));
        let s = w.status(device);
        assert_eq!((s.min_in_force, s.min_required, s.grace_end), (MIN, MIN + 1_600 * IO, now + 7 * DAY));
        assert!(s.eligible);
        w.ok(|w| w.update_hardware(device, GPUS, MULTIPLIER));
        w.ok(|w| w.set_hired(device, 0));
        // a hold: no principal overflow while it runs
        w.ok(|w| w.hold(device, now + DAY));
        let s = w.status(device);
        assert_eq!((s.held, s.hold_until, s.hold_incident_start, s.owner_principal_overflow), (true, now + DAY, now, 0));

        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        let p = &w.status(device).positions[0];
        assert_eq!((p.state, p.counts, p.wait_end, p.unlock_at), (PositionState::Exiting, true, now + 7 * DAY, now + 21 * DAY));
        w.warp_to(now + DAY / 2);
        w.ok(|w| w.unstake(device));
        let unstaked = w.now();
        let s = w.status(device);
        assert_eq!(s.ineligible_reasons, ineligible::UNSTAKING | ineligible::NO_STAKE | ineligible::BELOW_MINIMUM);
        // the ticket was not ripe when the hold began: the hold keeps it (R41)
        assert_eq!(s.ticket, Some(TicketStatus { seq: 0, amount: MIN, unlock_at: unstaked + 14 * DAY, held: true }));
        // the owner's unstake ends the wait now and brings the unlock to the ticket's (R15)
        let p = &s.positions[0];
        assert_eq!((p.state, p.counts, p.wait_end, p.unlock_at), (PositionState::Cooling, false, unstaked, unstaked + 14 * DAY));
        w.warp_to(unstaked + 14 * DAY);
        let s = w.status(device);
        assert_eq!((s.positions[0].state, s.ticket.unwrap().held, s.held), (PositionState::Ripe, false, false));
        w.ok(|w| w.terminate(device));
        assert_eq!(w.status(device).ineligible_reasons & ineligible::TERMINATED, ineligible::TERMINATED);
    });
}

/// Rules: R40 R54.
/// After a slash the allowances shrink by what it took: the owner's cap and each position's.
#[test]
fn r54_the_slash_allowance_left_follows_the_slashes() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        let now = w.now();
        w.ok(|w| w.slash(device, MIN / 2 + IO, now));
        let s = w.status(device);
        // the owner gave up its whole 30-day cap; the position lost 1 token of its 4,000
        assert_eq!((s.owner_stake, s.owner_slash_allowance), (MIN / 2, 0));
        assert_eq!((s.positions[0].principal, s.positions[0].slash_allowance), (HALF - IO, HALF / 2 - IO));
    });
}

/// Rules: R54.
/// The largest status (a full table of 8 positions and a ticket) fits the 1,024 bytes of return
/// data with room to spare, and decodes to what the device records.
#[test]
fn r54_the_largest_status_fits_the_return_data() {
    for_each_world(|w| {
        let device = w.staked_device();
        let c = w.costaker(0);
        for _ in 0..MAX_POSITIONS {
            let seq = w.offer_ok(device, 1_000 * IO, SHARE);
            w.ok(|w| w.fill(&c, device, seq));
            w.ok(|w| w.cancel(&c, device, seq));
        }
        w.ok(|w| w.unstake(device));
        let (ok, s) = w.status_ok(device);
        assert_eq!(s.positions.len(), MAX_POSITIONS);
        assert!(s.ticket.is_some());
        let size = ok.return_data.len();
        println!("device_status return data: {size} bytes with {MAX_POSITIONS} positions and a ticket");
        assert!(size <= MAX_RETURN_DATA * 3 / 4, "{size} bytes leave too little room under {MAX_RETURN_DATA}");
        let d = w.device(&device);
        let seqs: Vec<u64> = s.positions.iter().map(|p| p.seq).collect();
        let table: Vec<u64> = d.positions.iter().filter(|p| p.is_used()).map(|p| p.seq).collect();
        assert_eq!(seqs, table);
    });
}

/// Rules: R51 R54.
/// Read-only: a status changes no account. Only a device is accepted: a tombstone, the config or
/// a system account in its place is refused by name.
#[test]
fn r54_the_status_is_read_only_and_takes_only_a_device() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        let watched = w.all_accounts();
        let before = w.snapshot(&watched);
        w.status(device);
        assert!(w.snapshot(&watched) == before, "device_status changed an account");
        let stranger = w.anyone.insecure_clone();
        w.refused("AccountDiscriminatorMismatch", |w| w.env.send(&[ix::device_status(pda::config().0)], &[]));
        w.refused("AccountOwnedByWrongProgram", |w| w.env.send(&[ix::device_status(stranger.pubkey())], &[]));
        let mint = w.create_mint(SPL_TOKEN, 6, &[]);
        w.refused("AccountOwnedByWrongProgram", |w| w.env.send(&[ix::device_status(mint)], &[]));
        let empty = w.register(1, 10_000);
        w.ok(|w| w.close_device(empty));
        w.refused("AccountDiscriminatorMismatch", |w| w.env.send(&[ix::device_status(empty)], &[]));
    });
}
