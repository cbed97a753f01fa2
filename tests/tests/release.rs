//! `release` (R16): anyone moves a ripe position's principal and unclaimed rewards into an escrow
//! token account of its offer, paying the escrow's rent (returned when the co-staker empties it),
//! and frees the position's slot. Never paused (R17).
use anchor_lang::prelude::Pubkey;
use device_staking_tests::client::device_staking::events::PositionReleased;
use device_staking_tests::client::device_staking::state::OfferState;
use device_staking_tests::client::{ix, pda, PROGRAM_ID};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R16: the escrow holds principal and rewards; the slot is free; the offer is marked released
/// with its escrow's payer; nothing reaches the co-staker until they withdraw the escrow.
#[test]
fn r16_anyone_releases_a_ripe_position_into_its_escrow() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY);
        let (c_before, anyone) = (w.token_balance(&c.token), w.anyone.pubkey());
        let (stake_vault, overflow_vault) = (pda::stake_vault(&device).0, pda::overflow_vault(&device).0);
        let (stake_before, overflow_before) = (w.token_balance(&stake_vault), w.token_balance(&overflow_vault));
        let lamports = w.account(&anyone).lamports;
        w.ok(|w| w.set_paused(true));
        let ok = w.ok(|w| w.release(device, seq));
        let e: PositionReleased = events(&ok).remove(0);
        assert_eq!((e.device, e.seq, e.costaker, e.principal, e.rewards, e.caller), (device, seq, c.pubkey(), HALF, 740, anyone));
        let escrow = pda::escrow(&pda::offer(&device, seq).0).0;
        assert_eq!(w.token_balance(&escrow), HALF + 740);
        assert_eq!(
            (w.token_balance(&stake_vault), w.token_balance(&overflow_vault)),
            (stake_before - HALF, overflow_before - 740)
        );
        assert_eq!(w.token_balance(&c.token), c_before);
        assert_eq!(w.account(&anyone).lamports, lamports - w.account(&escrow).lamports, "the caller paid the escrow's rent");
        let offer = w.offer(&device, seq);
        assert_eq!((offer.state().unwrap(), offer.escrow_payer), (OfferState::Released, anyone));
        assert!(w.device(&device).position(seq).is_err(), "the slot is free");
        assert!(w.status(device).positions.is_empty());
    });
}

/// R16: a table of eight exiting positions takes no new offer until one is released (or
/// withdrawn); a release frees its slot.
#[test]
fn r16_a_release_frees_a_slot_of_a_full_table() {
    for_each_world(|w| {
        let device = w.staked_device();
        let mut seqs = Vec::new();
        for i in 0..8 {
            let c = w.costaker(i % 3);
            let seq = w.offer_ok(device, 1_000 * IO, SHARE);
            w.ok(|w| w.fill(&c, device, seq));
            w.ok(|w| w.cancel(&c, device, seq));
            seqs.push(seq);
            w.advance(1);
        }
        w.refused("NoFreePositionSlot", |w| w.create_offer(device, 1_000 * IO, SHARE).0);
        w.advance(21 * DAY);
        w.ok(|w| w.release(device, seqs[0]));
        let next = w.offer_ok(device, 1_000 * IO, SHARE);
        assert_eq!(next, 8);
    });
}

/// R16, R51: only a ripe, exiting position of a filled offer, once; the caller pays the rent.
#[test]
fn release_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.refused("PositionNotExiting", |w| w.release(device, seq));
        let open_on = w.staked_device();
        let open = w.offer_ok(open_on, HALF, SHARE);
        w.refused("PositionNotFound", |w| w.release(open_on, open));
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY - 1);
        w.refused("StillLocked", |w| w.release(device, seq));
        w.warp_to(cancelled + 21 * DAY);
        // an offer of another device under this device's seeds
        let anyone = w.anyone.insecure_clone();
        w.refused("ConstraintSeeds", |w| {
            let mut ix = ix::release(anyone.pubkey(), device, seq, &w.mint);
            replace_account(&mut ix, &pda::offer(&device, seq).0, pda::offer(&open_on, open).0);
            w.send_by(ix, &anyone)
        });
        w.ok(|w| w.release(device, seq));
        // released once: the escrow exists
        let watched = w.all_accounts();
        let before = w.snapshot(&watched);
        let fail = w.release(device, seq).expect_err("released twice");
        assert_eq!(refusal_name(&fail), "AccountAlreadyInUse");
        assert!(w.snapshot(&watched) == before);
        // emptied: the offer is closed
        w.ok(|w| w.withdraw_escrow(&c, device, seq));
        w.refused("AccountOwnedByWrongProgram", |w| w.release(device, seq));
    });
}

/// R16, R52: the escrow is created only at the address its seeds and the bump the instruction
/// names derive (the `create_account` is signed by `["escrow", offer, bump]`, which the runtime
/// grants to that address alone): a fresh key, the stake vault, another offer's escrow address or
/// the escrow's address named with another bump is refused and nothing changes; the right one then
/// works.
#[test]
fn r16_the_escrow_is_created_only_at_its_seeds() {
    for_each_world(|w| {
        let (device, seq) = w.ripe_position();
        let anyone = w.anyone.insecure_clone();
        let offer = pda::offer(&device, seq).0;
        let (escrow, bump) = pda::escrow(&offer);
        let base = ix::release(anyone.pubkey(), device, seq, &w.mint);
        let escrow_meta = base.accounts.iter().position(|m| m.pubkey == escrow).expect("the escrow's meta");
        let bump_at = base.data.len() - 1;
        assert_eq!(base.data[bump_at], bump);
        let other_bump = (0..bump)
            .rev()
            .find(|b| Pubkey::create_program_address(&[b"escrow", offer.as_ref(), &[*b]], &PROGRAM_ID).is_ok())
            .expect("a valid non-canonical bump");
        let other_offers_escrow = pda::escrow(&pda::offer(&device, seq + 1).0).0;
        let stake_vault = pda::stake_vault(&device).0;
        for (address, named_bump) in
            [(Pubkey::new_unique(), bump), (stake_vault, bump), (other_offers_escrow, bump), (escrow, other_bump)]
        {
            let mut ix = base.clone();
            ix.accounts[escrow_meta].pubkey = address;
            ix.data[bump_at] = named_bump;
            let watched = w.all_accounts();
            let before = w.snapshot(&watched);
            let fail = w.env.send(&[ix], &[&anyone]).expect_err("an escrow at another address");
            assert_eq!(refusal_name(&fail), "InstructionError(0, PrivilegeEscalation)", "{address}");
            assert!(w.snapshot(&watched) == before, "nothing changed ({address})");
        }
        w.ok(|w| w.release(device, seq));
        assert_eq!(w.offer(&device, seq).escrow_bump, bump);
    });
}
