//! `withdraw_escrow` (R16): the co-staker of a released position takes everything in its escrow
//! to any token account of the mint they name; the escrow's rent returns to whoever released it
//! and the offer's to its payer. It needs no device: the device may be closed or revived.
use device_staking_tests::client::device_staking::events::EscrowWithdrawn;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// A device whose only position was released by `anyone` and whose owner then left and closed
/// it; returns the device and the position's seq.
fn released_and_closed(w: &mut World) -> (anchor_lang::prelude::Pubkey, u64) {
    let (device, seq) = w.costaked_device();
    let c = w.costaker(0);
    w.ok(|w| w.cancel(&c, device, seq));
    w.ok(|w| w.unstake(device));
    w.advance(14 * DAY);
    w.ok(|w| w.release(device, seq));
    w.ok(|w| w.withdraw_ticket(device));
    w.ok(|w| w.close_device(device));
    (device, seq)
}

/// R16, R17: after the device closed, the co-staker empties the escrow into another account of
/// theirs, even while paused; both rents go back to who paid them.
#[test]
fn r16_the_co_staker_empties_the_escrow_into_an_account_they_name() {
    for_each_world(|w| {
        let (device, seq) = released_and_closed(w);
        let c = w.costaker(0);
        let mint = w.mint.mint;
        let destination = w.create_token_account(&c.pubkey(), &mint);
        let offer = pda::offer(&device, seq).0;
        let escrow = pda::escrow(&offer).0;
        let (owner, anyone) = (w.owner.pubkey(), w.anyone.pubkey());
        let (offer_rent, escrow_rent) = (w.account(&offer).lamports, w.account(&escrow).lamports);
        let (owner_lamports, anyone_lamports) = (w.account(&owner).lamports, w.account(&anyone).lamports);
        w.ok(|w| w.set_paused(true));
        let ok = w.ok(|w| w.withdraw_escrow_to(&c, device, seq, destination));
        let e: EscrowWithdrawn = events(&ok).remove(0);
        assert_eq!((e.device, e.seq, e.costaker, e.amount), (device, seq, c.pubkey(), HALF));
        assert_eq!(w.token_balance(&destination), HALF);
        assert!(!w.is_program_account(&offer) && !w.is_token_account(&escrow));
        assert_eq!(w.account(&owner).lamports, owner_lamports + offer_rent);
        assert_eq!(w.account(&anyone).lamports, anyone_lamports + escrow_rent);
    });
}

/// R3, R16: the escrow of a released position survives the device's close and revival.
#[test]
fn r16_an_escrow_outlives_the_device_and_its_revival() {
    for_each_world(|w| {
        let (device, seq) = released_and_closed(w);
        let owner = w.owner.clone();
        let id = w.tombstone(&device).device_id;
        w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
        let c = w.costaker(0);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_escrow(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + HALF);
    });
}

/// R16, R51: only the co-staker, only a released offer with its escrow, rents only to their
/// payers, a destination of the staking mint. An offer that is not released has no escrow, so
/// the missing escrow (AccountNotInitialized) is what refuses it; `NotReleased` is the program's
/// second line.
#[test]
fn withdraw_escrow_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        // not released: there is no escrow
        w.refused("AccountNotInitialized", |w| w.withdraw_escrow(&c, device, seq));
        w.ok(|w| w.cancel(&c, device, seq));
        w.advance(21 * DAY);
        w.ok(|w| w.release(device, seq));
        let other = w.costaker(1);
        w.refused("NotCostaker", |w| {
            let o = w.offer(&device, seq);
            let ix = ix::withdraw_escrow(other.pubkey(), device, seq, other.token, o.payer, o.escrow_payer, &w.mint);
            w.send_by(ix, &other.key)
        });
        let intruder = w.funded_keypair();
        w.refused("ConstraintHasOne", |w| {
            let o = w.offer(&device, seq);
            let ix = ix::withdraw_escrow(c.pubkey(), device, seq, c.token, intruder.pubkey(), o.escrow_payer, &w.mint);
            w.send_by(ix, &c.key)
        });
        w.refused("ConstraintHasOne", |w| {
            let o = w.offer(&device, seq);
            let ix = ix::withdraw_escrow(c.pubkey(), device, seq, c.token, o.payer, intruder.pubkey(), &w.mint);
            w.send_by(ix, &c.key)
        });
        let foreign = w.create_mint(SPL_TOKEN, 6, &[]);
        let foreign_account = w.create_token_account(&c.pubkey(), &foreign);
        w.refused("ConstraintTokenMint", |w| w.withdraw_escrow_to(&c, device, seq, foreign_account));
        let o = w.offer(&device, seq);
        w.ok(|w| w.withdraw_escrow(&c, device, seq));
        // the offer is closed: the zero-copy loader refuses the missing account by its owner
        w.refused("AccountOwnedByWrongProgram", |w| {
            let ix = ix::withdraw_escrow(c.pubkey(), device, seq, c.token, o.payer, o.escrow_payer, &w.mint);
            w.send_by(ix, &c.key)
        });
    });
}
