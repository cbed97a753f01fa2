//! `withdraw_ticket` (R16): pays a ripe ticket to the owner and closes it (rent to its payer);
//! signed by the owner it pays any account of the mint they name, sent by anyone else the
//! owner's associated token account (created if missing); the owner may stake again; a hold that
//! began before the ticket was ripe makes it wait (R41); never paused (R17).
use device_staking_tests::client::device_staking::events::TicketWithdrawn;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R15, R16, R17: anyone withdraws a ripe ticket to the owner, even while paused; the rent
/// returns; the owner may stake again.
#[test]
fn r16_anyone_withdraws_a_ripe_ticket_to_the_owner() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY);
        let (tokens, lamports) = (w.token_balance(&w.owner.token), w.account(&w.owner.pubkey()).lamports);
        let rent = w.account(&pda::ticket(&device, 0).0).lamports;
        w.ok(|w| w.set_paused(true));
        let ok = w.ok(|w| w.withdraw_ticket(device));
        let e: TicketWithdrawn = events(&ok).remove(0);
        assert_eq!((e.device, e.seq, e.owner, e.amount), (device, 0, w.owner.pubkey(), MIN));
        assert_eq!(w.token_balance(&w.owner.token), tokens + MIN);
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "rent back to the payer");
        assert!(!w.is_program_account(&pda::ticket(&device, 0).0));
        let d = w.device(&device);
        assert_eq!((d.is_unstaking(), d.ticket_principal), (false, 0));
        w.ok(|w| w.set_paused(false));
        w.ok(|w| w.stake(device, MIN));
    });
}

/// R16: the owner signs and names any account of the mint; a third party's withdrawal creates
/// the owner's missing associated token account.
#[test]
fn r16_the_owner_names_the_account_or_anyone_pays_the_associated_one() {
    for_each_world(|w| {
        let (named, created) = (w.staked_device(), w.staked_device());
        let start = w.now();
        w.ok(|w| w.unstake(named));
        w.ok(|w| w.unstake(created));
        w.warp_to(start + 14 * DAY);
        let owner = w.owner.clone();
        let mint = w.mint.mint;
        let elsewhere = w.create_token_account(&owner.pubkey(), &mint);
        w.ok(|w| w.withdraw_ticket_by(&owner.key, named, Some(elsewhere)));
        assert_eq!(w.token_balance(&elsewhere), MIN);
        // the owner's associated account is closed: a third party's withdrawal creates it
        let kept = w.create_token_account(&owner.pubkey(), &mint);
        let amount = w.token_balance(&owner.token);
        let ixs = [
            anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
                &SPL_TOKEN,
                &owner.token,
                &mint,
                &kept,
                &owner.pubkey(),
                &[],
                amount,
                6,
            )
            .unwrap(),
            anchor_spl::token_2022::spl_token_2022::instruction::close_account(
                &SPL_TOKEN,
                &owner.token,
                &owner.pubkey(),
                &owner.pubkey(),
                &[],
            )
            .unwrap(),
        ];
        assert_ok(&w.env.send(&ixs, &[&owner.key]));
        w.ok(|w| w.withdraw_ticket(created));
        assert_eq!(w.token_balance(&owner.token), MIN);
    });
}

/// R16, R51: `withdraw_ticket`'s refusals. Without an outstanding ticket its account does not
/// exist (AccountOwnedByWrongProgram: the zero-copy loader checks the owner first), before the
/// program's own `NoTicket`.
#[test]
fn withdraw_ticket_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.refused("AccountOwnedByWrongProgram", |w| w.withdraw_ticket(device));
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_ticket(device));
        w.warp_to(start + 14 * DAY);
        let anyone = w.anyone.insecure_clone();
        let (owner, mint) = (w.owner.pubkey(), w.mint.mint);
        let theirs = w.create_token_account(&anyone.pubkey(), &mint);
        w.refused("WrongRecipient", |w| {
            let ix = ix::withdraw_ticket(anyone.pubkey(), device, owner, 0, owner, theirs, &w.mint);
            w.send_by(ix, &anyone)
        });
        let intruder = w.owner2.clone();
        w.refused("ConstraintHasOne", |w| {
            let ix = ix::withdraw_ticket(intruder.pubkey(), device, intruder.pubkey(), 0, owner, intruder.token, &w.mint);
            w.send_by(ix, &intruder.key)
        });
        w.refused("ConstraintHasOne", |w| {
            let ix = ix::withdraw_ticket(anyone.pubkey(), device, owner, 0, intruder.pubkey(), w.owner.token, &w.mint);
            w.send_by(ix, &anyone)
        });
        w.ok(|w| w.withdraw_ticket(device));
        w.refused("AccountOwnedByWrongProgram", |w| w.withdraw_ticket(device));
    });
}

/// R41: a ticket not yet ripe when a hold began waits for the hold's end.
#[test]
fn r41_a_held_ticket_waits_for_the_hold() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 13 * DAY);
        w.ok(|w| w.hold(device, start + 15 * DAY));
        w.warp_to(start + 15 * DAY - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device));
        assert!(w.status(device).ticket.unwrap().held);
        w.warp_to(start + 15 * DAY);
        w.ok(|w| w.withdraw_ticket(device));
    });
}
