//! `sweep_surplus` (R52) and `close_device` (R8).
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R52.
#[test]
fn only_the_surplus_is_swept_only_to_the_treasury() {
    for_each_world(|w| {
        let device = w.staked_device();
        let admin = w.roles.admin.insecure_clone();
        let sweep = |w: &World, treasury| ix::sweep_surplus(admin.pubkey(), device, treasury, &w.mint);
        w.refused("NoSurplus", |w| w.send_by(sweep(w, w.treasury_token), &admin));
        let (stake_vault, overflow_vault) = (pda::stake_vault(&device).0, pda::overflow_vault(&device).0);
        let mint = w.mint.mint;
        w.mint_to(&mint, &stake_vault, 5);
        w.mint_to(&mint, &overflow_vault, 7);
        w.refused("NotTreasuryAccount", |w| w.send_by(sweep(w, w.owner.token), &admin));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::sweep_surplus(intruder.pubkey(), device, w.treasury_token, &w.mint), &intruder));
        // donations never block anything
        w.ok(|w| w.withdraw_overflow(device, 0).or_else(|_| w.stake(device, 1)));
        w.ok(|w| w.send_by(sweep(w, w.treasury_token), &admin));
        assert_eq!(w.token_balance(&w.treasury_token), 12);
        assert_eq!((w.token_balance(&stake_vault), w.token_balance(&overflow_vault)), (MIN + 1, 0));
    });
}

/// Rules: R3 R8.
#[test]
fn an_empty_device_closes_and_its_id_registers_again() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
        let device = pda::device(&id).0;
        let close = |w: &World, who: &Wallet| ix::close_device(who.pubkey(), device, w.treasury_token, owner.pubkey(), &w.mint);
        w.ok(|w| w.stake(device, MIN));
        w.refused("DeviceNotEmpty", |w| w.send_by(close(w, &owner), &owner.key));
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| w.send_by(close(w, &intruder), &intruder.key));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceNotEmpty", |w| w.send_by(close(w, &owner), &owner.key));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
        let mint = w.mint.mint;
        w.mint_to(&mint, &pda::stake_vault(&device).0, 3);
        let lamports = w.account(&owner.pubkey()).lamports;
        let rent: u64 = [device, pda::stake_vault(&device).0, pda::overflow_vault(&device).0].iter().map(|a| w.account(a).lamports).sum();
        w.refused("NotTreasuryAccount", |w| {
            w.send_by(ix::close_device(owner.pubkey(), device, owner.token, owner.pubkey(), &w.mint), &owner.key)
        });
        assert_eq!(w.send_by(close(w, &owner), &owner.key).map(|_| ()).map_err(|f| f.error_name), Ok(()));
        assert_eq!(w.account(&owner.pubkey()).lamports, lamports + rent, "all rent back to the payer");
        assert_eq!(w.token_balance(&w.treasury_token), 3, "the donation goes to the treasury");
        for a in [device, pda::stake_vault(&device).0, pda::overflow_vault(&device).0] {
            assert!(w.svm.get_account(&a).is_none_or(|acc| acc.lamports == 0));
        }
        w.devices.retain(|d| *d != device);
        w.ok(|w| w.try_register(&owner, id, 1, 10_000));
        assert_eq!(w.device(&device).min_required, 200 * IO);
    });
}
