//! `device_status` (R54): eligibility, reasons, overflow and every pending unlock as return data.
use device_staking_tests::client::device_staking::state::{ineligible, OfferState};
use device_staking_tests::client::device_staking::instructions::TicketStatus;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use anchor_lang::solana_program::instruction::AccountMeta;
use device_staking_tests::client::pda;

/// Rules: R54.
#[test]
fn the_status_reports_eligibility_overflow_and_unlocks() {
    for_each_world(|w| {
        let idle = w.register(GPUS, MULTIPLIER);
        let s = w.status(idle);
        assert_eq!((s.eligible, s.ineligible_reasons), (false, ineligible::NO_STAKE | ineligible::BELOW_MINIMUM));
        assert_eq!((s.min_required, s.min_in_force, s.ticket, s.positions.len()), (MIN, MIN, None, 0));

        let (device, seq) = w.costaked_device();
        let s = w.status(device);
        assert_eq!((s.eligible, s.ineligible_reasons, s.counted_stake), (true, 0, MIN + HALF));
        assert_eq!((s.owner_stake, s.owner_overflow, s.owner_principal_overflow), (MIN, HALF, HALF));
        let p = &s.positions[0];
        assert_eq!((p.seq, p.state, p.principal, p.counts), (seq, OfferState::Filled, HALF, true));

        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 7 * DAY);
        w.ok(|w| w.unstake(device));
        let s = w.status(device);
        assert_eq!(s.ineligible_reasons, ineligible::UNSTAKING | ineligible::NO_STAKE | ineligible::BELOW_MINIMUM);
        assert_eq!(s.ticket, Some(TicketStatus { amount: MIN, unlock_at: cancelled + 21 * DAY }));
        let p = &s.positions[0];
        assert_eq!((p.state, p.counts, p.wait_end, p.unlock_at), (OfferState::Exiting, false, cancelled + 7 * DAY, cancelled + 21 * DAY));
        w.ok(|w| w.terminate(idle));
        assert_eq!(w.status(idle).ineligible_reasons & ineligible::TERMINATED, ineligible::TERMINATED);
    });
}

/// Rules: R54.
#[test]
fn another_devices_offer_is_refused() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.staked_device();
        let foreign = ix::device_status(other, None, &[]);
        let mut ix = foreign.clone();
        ix.accounts.push(AccountMeta::new_readonly(pda::offer(&device, seq).0, false));
        w.refused("WrongDevice", |w| w.env.send(&[ix], &[]));
        w.ok(|w| w.env.send(&[foreign], &[]));
    });
}
