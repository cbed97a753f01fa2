//! `close_device` (R8): the owner closes an empty device: donated leftovers go to the treasury,
//! the vaults close, and the device shrinks to a tombstone (id, counters, last paid block, hold
//! and slash history) whose freed rent returns to the payer. `register_device` of the same id
//! revives it with its counters carried on (R3). Never paused (R17).
use anchor_lang::prelude::Pubkey;
use device_staking_tests::client::device_staking::events::{DeviceClosed, DeviceRegistered, RewardSkipped};
use device_staking_tests::client::device_staking::state::skip;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::{events, SPL_TOKEN};
use solana_signer::Signer;

/// `close_device` of `device` signed by `who`, leftovers to `treasury`, rent to `payer`.
fn close_to(w: &mut World, device: Pubkey, who: &Wallet, treasury: Pubkey, payer: Pubkey) -> device_staking_tests::TxResult {
    let ix = ix::close_device(who.pubkey(), device, treasury, payer, &w.mint);
    w.send_by(ix, &who.key)
}

/// A device of the first owner that has lived a full life: staked, co-staked, paid one block,
/// both stakers left and withdrew, rewards withdrawn; 3 and 4 tokens donated to its vaults.
/// Returns the device, its id and the end of the block paid.
fn emptied_device(w: &mut World) -> (Pubkey, [u8; 32], i64) {
    let owner = w.owner.clone();
    let id = w.new_device_id();
    w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
    let device = pda::device(&id).0;
    w.ok(|w| w.stake(device, MIN));
    let seq = w.offer_ok(device, HALF, SHARE);
    let c = w.costaker(0);
    w.ok(|w| w.fill(&c, device, seq));
    let start = w.now();
    w.advance(600);
    let end = w.now();
    w.ok(|w| w.reward(1, start, end, &[(device, 10_000)]));
    w.ok(|w| w.cancel(&c, device, seq));
    w.ok(|w| w.unstake(device));
    w.advance(14 * DAY);
    w.ok(|w| w.withdraw_ticket(device));
    w.ok(|w| w.withdraw_position(device, seq));
    let rewards = w.device(&device).owner_rewards;
    w.ok(|w| w.withdraw_overflow(device, rewards));
    let mint = w.mint.mint;
    w.mint_to(&mint, &pda::stake_vault(&device).0, 3);
    w.mint_to(&mint, &pda::overflow_vault(&device).0, 4);
    (device, id, end)
}

/// Rules: R8 R50.
/// The device becomes a tombstone that keeps its counters, last paid block and hold history;
/// the vaults close; the donations go to the treasury and every freed lamport to the payer.
#[test]
fn r8_an_empty_device_closes_into_a_tombstone() {
    for_each_world(|w| {
        let (device, id, end) = emptied_device(w);
        let owner = w.owner.clone();
        let before = w.device(&device);
        let size = w.account(&device).data.len();
        let vaults = [pda::stake_vault(&device).0, pda::overflow_vault(&device).0];
        let lamports: u64 = [device, vaults[0], vaults[1]].iter().map(|a| w.account(a).lamports).sum();
        let (payer, treasury) = (w.account(&owner.pubkey()).lamports, w.token_balance(&w.treasury_token));
        let ok = w.ok(|w| w.close_device(device));

        assert!(w.is_tombstone(&device) && !w.is_live_device(&device));
        let t = w.tombstone(&device);
        assert_eq!((t.device_id, t.bump, t.closed_at), (id, pda::device(&id).1, w.now()));
        assert_eq!((t.next_offer_seq, t.next_ticket_seq, t.last_paid_end), (1, 1, end));
        assert_eq!(
            (t.hold_until, t.hold_incident_start, t.owner_slashes),
            (before.hold_until, before.hold_incident_start, before.owner_slashes)
        );
        let tombstone = w.account(&device);
        assert_eq!(
            tombstone.lamports,
            w.svm.minimum_balance_for_rent_exemption(tombstone.data.len()),
            "the tombstone keeps only its rent"
        );
        assert!(tombstone.data.len() < size, "the device shrank");
        for vault in vaults {
            assert!(w.svm.get_account(&vault).is_none_or(|a| a.lamports == 0), "{vault} is closed");
        }
        assert_eq!(
            w.account(&owner.pubkey()).lamports,
            payer + lamports - tombstone.lamports,
            "the freed rent goes to the payer"
        );
        assert_eq!(w.token_balance(&w.treasury_token), treasury + 7, "the donations go to the treasury");
        let closed: Vec<DeviceClosed> = events(&ok);
        assert_eq!((closed.len(), closed[0].device, closed[0].swept), (1, device, 7));
    });
}

/// Rules: R3 R8 R20.
/// `register_device` of a closed id revives it, for any owner: the offer and ticket seqs carry
/// on (no number repeats) and so does the last paid block (no block is paid twice); a block
/// that started before the revival is not paid.
#[test]
fn r3_a_tombstone_is_revived_with_its_counters_carried_on() {
    for_each_world(|w| {
        let (device, id, end) = emptied_device(w);
        w.ok(|w| w.close_device(device));
        let owner2 = w.owner2.clone();
        let ok = w.ok(|w| w.try_register(&owner2, id, 1, 10_000));
        let registered: Vec<DeviceRegistered> = events(&ok);
        assert_eq!((registered[0].device, registered[0].owner, registered[0].revived), (device, owner2.pubkey(), true));
        let d = w.device(&device);
        assert_eq!((d.owner, d.payer, d.registered_at, d.gpu_count), (owner2.pubkey(), owner2.pubkey(), w.now(), 1));
        assert_eq!((d.next_offer_seq, d.next_ticket_seq, d.last_paid_end), (1, 1, end));
        assert_eq!((d.owner_stake, d.owner_rewards, d.open_offer()), (0, 0, None));
        assert!(w.is_token_account(&pda::stake_vault(&device).0) && w.is_token_account(&pda::overflow_vault(&device).0));
        let rent = w.svm.minimum_balance_for_rent_exemption(w.account(&device).data.len());
        assert_eq!(w.account(&device).lamports, rent, "the revived device holds its full rent");

        w.ok(|w| w.stake(device, 200 * IO));
        assert!(w.eligible(&device));
        assert_eq!(w.offer_ok(device, 100 * IO, SHARE), 1, "the offer seq carries on");
        // the block paid before the close, sent again, and a block that began before the revival
        let revived_at = d.registered_at;
        for (start, reason) in [(end - 600, skip::ALREADY_PAID), (revived_at - 1, skip::NOT_REGISTERED)] {
            w.advance(10);
            let now = w.now();
            let ok = w.ok(|w| w.reward(9, start, now, &[(device, 1_000)]));
            let skipped: Vec<RewardSkipped> = events(&ok);
            assert_eq!((skipped.len(), skipped[0].reason), (1, reason));
            assert_eq!(w.device(&device).owner_rewards, 0);
        }
    });
}

/// Rules: R8 R16.
/// A released position's escrow does not hold the device open, and outlives it: the co-staker
/// withdraws from it after the close.
#[test]
fn r8_escrows_outlive_the_device() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.unstake(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_ticket(device));
        w.ok(|w| w.release(device, seq));
        w.ok(|w| w.close_device(device));
        let before = w.token_balance(&c.token);
        w.ok(|w| w.withdraw_escrow(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + HALF);
        assert!(!w.is_program_account(&pda::offer(&device, seq).0), "the offer closes with its escrow");
    });
}

/// Rules: R8 R17 R51.
/// Every refusal by name, each leaving every account unchanged, in the order the rule lists
/// them; a pause does not stop a close.
#[test]
fn r8_close_device_refusals() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let (owner, intruder, treasury) = (w.owner.clone(), w.owner2.clone(), w.treasury_token);
        let payer = owner.pubkey();
        w.ok(|w| w.stake(device, MIN));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("OpenOfferExists", |w| w.close_device(device));
        w.ok(|w| w.retract(device, seq));
        w.refused("DeviceNotEmpty", |w| w.close_device(device));
        w.refused("NotDeviceOwner", |w| close_to(w, device, &intruder, treasury, payer));
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, 1_000)]));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.close_device(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_ticket(device));
        // the position is still in the table, and the owner's rewards in the vault
        w.refused("DeviceNotEmpty", |w| w.close_device(device));
        w.ok(|w| w.withdraw_position(device, seq));
        w.refused("DeviceNotEmpty", |w| w.close_device(device));
        w.ok(|w| w.withdraw_overflow(device, 260));
        // the leftovers go only to the treasury's account; the rent only to the device's payer
        let token = owner.token;
        w.refused("NotTreasuryAccount", |w| close_to(w, device, &owner, token, payer));
        let stranger = intruder.pubkey();
        w.refused("WrongDevice", |w| close_to(w, device, &owner, treasury, stranger));
        let other_mint = w.create_mint(SPL_TOKEN, 6, &[]);
        let treasury_wallet = w.roles.treasury.pubkey();
        let foreign = w.create_token_account(&treasury_wallet, &other_mint);
        w.refused("ConstraintTokenMint", |w| close_to(w, device, &owner, foreign, payer));
        // never paused (R17)
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.close_device(device));
        // a tombstone is not a device: nothing but a revival uses it
        w.refused("AccountDiscriminatorMismatch", |w| {
            w.send_by(ix::stake(owner.pubkey(), device, owner.token, 1, &w.mint), &owner.key)
        });
        w.refused("AccountDiscriminatorMismatch", |w| w.env.send(&[ix::device_status(device)], &[]));
        // closing again: its vaults are gone
        w.refused("AccountNotInitialized", |w| close_to(w, device, &owner, treasury, payer));
    });
}
