//! `close_device` (R8): the owner closes an empty device and its vaults; the rent returns to
//! the payer, donated leftovers go to the treasury, and the id may be registered again (R3).
use anchor_lang::prelude::Pubkey;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::{assert_ok, TxResult};

/// `close_device` of `device` signed by `who`, leftovers to `treasury`, rent to the first owner.
fn close(w: &mut World, device: Pubkey, who: &Wallet, treasury: Pubkey) -> TxResult {
    let payer = w.owner.pubkey();
    let ix = ix::close_device(who.pubkey(), device, treasury, payer, &w.mint);
    w.send_by(ix, &who.key)
}

/// Rules: R3 R8.
#[test]
fn an_empty_device_closes_and_its_id_registers_again() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
        let device = pda::device(&id).0;
        w.ok(|w| w.stake(device, MIN));
        w.ok(|w| w.unstake(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
        let mint = w.mint.mint;
        w.mint_to(&mint, &pda::stake_vault(&device).0, 3);
        let lamports = w.account(&owner.pubkey()).lamports;
        let accounts = [device, pda::stake_vault(&device).0, pda::overflow_vault(&device).0];
        let rent: u64 = accounts.iter().map(|a| w.account(a).lamports).sum();
        let treasury = w.treasury_token;
        assert_ok(&close(w, device, &owner, treasury));
        assert_eq!(w.account(&owner.pubkey()).lamports, lamports + rent, "all rent back to the payer");
        assert_eq!(w.token_balance(&w.treasury_token), 3, "the donation goes to the treasury");
        for a in accounts {
            assert!(w.svm.get_account(&a).is_none_or(|acc| acc.lamports == 0));
        }
        w.devices.retain(|d| *d != device);
        w.ok(|w| w.try_register(&owner, id, 1, 10_000));
        assert_eq!(w.device(&device).min_required, 200 * IO);
    });
}

/// Rules: R8 R51.
#[test]
fn close_device_refusals() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let (owner, intruder, treasury) = (w.owner.clone(), w.owner2.clone(), w.treasury_token);
        w.ok(|w| w.stake(device, MIN));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("DeviceNotEmpty", |w| close(w, device, &owner, treasury));
        w.ok(|w| w.retract(device, seq));
        w.refused("DeviceNotEmpty", |w| close(w, device, &owner, treasury));
        w.refused("NotDeviceOwner", |w| close(w, device, &intruder, treasury));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceNotEmpty", |w| close(w, device, &owner, treasury));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
        let token = owner.token;
        w.refused("NotTreasuryAccount", |w| close(w, device, &owner, token));
        assert_ok(&close(w, device, &owner, treasury));
    });
}
