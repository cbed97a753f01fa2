//! `register_device` (R3): the owner registers with the oracle co-signing; the minimum follows
//! the hardware and the base in force (R1); both vaults are created; the id of a closed device
//! revives its tombstone.
use anchor_lang::prelude::Pubkey;
use device_staking_tests::client::device_staking::events::DeviceRegistered;
use device_staking_tests::client::device_staking::state::{Device, Params};
use device_staking_tests::client::ix::{self, Mint};
use device_staking_tests::client::{pda, PROGRAM_ID};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R1, R3: the device records its owner, payer, hardware and registration time; its vaults are
/// empty token accounts of the mint owned by the device.
#[test]
fn r1_r3_the_owner_registers_with_the_oracle_co_signing() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        let ok = w.ok(|w| w.try_register(&owner, id, 4, 2_500));
        let device = pda::device(&id).0;
        let e: DeviceRegistered = events(&ok).remove(0);
        assert_eq!((e.device, e.device_id, e.owner, e.min_required, e.revived), (device, id, owner.pubkey(), 800 * IO, false));
        let d: Device = w.device(&device);
        assert_eq!(
            (d.owner, d.payer, d.gpu_count, d.multiplier_bps, d.registered_at),
            (owner.pubkey(), owner.pubkey(), 4, 2_500, w.now())
        );
        assert_eq!(w.status(device).min_required, 800 * IO, "4 x RTX 4070 at 0.25 (R1)");
        assert_eq!((d.stake_vault, d.overflow_vault), (pda::stake_vault(&device).0, pda::overflow_vault(&device).0));
        for vault in [d.stake_vault, d.overflow_vault] {
            assert_eq!((w.account(&vault).owner, w.token_balance(&vault)), (SPL_TOKEN, 0));
        }
        assert!(!w.eligible(&device), "nothing staked");
        // a live id again, by its owner or another: the device is checked before the vaults are
        // created (DeviceAlreadyRegistered; their creation would refuse next: AccountAlreadyInUse)
        let owner2 = w.owner2.clone();
        let watched = w.all_accounts();
        let before = w.snapshot(&watched);
        for who in [&owner, &owner2] {
            let fail = w.try_register(who, id, 4, 2_500).expect_err("registered twice");
            assert_eq!(refusal_name(&fail), "DeviceAlreadyRegistered");
        }
        assert!(w.snapshot(&watched) == before);
    });
}

/// R3, R8: the id of a closed device is registered again by any owner: the tombstone revives,
/// paid by the new owner, with the new hardware.
#[test]
fn r3_registering_a_closed_id_revives_its_tombstone() {
    for_each_world(|w| {
        let (owner, owner2) = (w.owner.clone(), w.owner2.clone());
        let id = w.new_device_id();
        w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
        let device = pda::device(&id).0;
        w.ok(|w| w.close_device(device));
        assert!(w.is_tombstone(&device));
        let lamports = w.account(&owner2.pubkey()).lamports;
        let ok = w.ok(|w| w.try_register(&owner2, id, 1, 10_000));
        assert!(events::<DeviceRegistered>(&ok)[0].revived);
        let d = w.device(&device);
        assert_eq!((d.owner, d.payer, d.gpu_count), (owner2.pubkey(), owner2.pubkey(), 1));
        assert!(w.account(&owner2.pubkey()).lamports < lamports, "the new owner pays the rent");
        w.ok(|w| w.stake(device, 200 * IO));
        assert!(w.eligible(&device));
    });
}

/// R1, R3, R32, R51, R53: `register_device`'s refusals.
#[test]
fn register_device_refusals() {
    for_each_world(|w| {
        let (owner, intruder) = (w.owner.clone(), w.funded_keypair());
        let id = w.new_device_id();
        w.refused("NotOracle", |w| {
            let ix = ix::register_device(owner.pubkey(), intruder.pubkey(), id, 1, 10_000, &w.mint);
            w.env.send(&[ix], &[&owner.key, &intruder])
        });
        w.refused("InvalidHardware", |w| w.try_register(&owner, id, 0, 10_000));
        w.refused("InvalidHardware", |w| w.try_register(&owner, id, 1, 0));
        w.refused("WrongMint", |w| {
            let other = Mint { mint: w.create_mint(SPL_TOKEN, 6, &[]), token_program: SPL_TOKEN };
            let oracle = w.roles.oracle.insecure_clone();
            let ix = ix::register_device(owner.pubkey(), oracle.pubkey(), id, 1, 10_000, &other);
            w.env.send(&[ix], &[&owner.key, &oracle])
        });
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.try_register(&owner, id, 1, 10_000));
        w.ok(|w| w.set_paused(false));
        assert!(w.svm.get_account(&pda::device(&id).0).is_none());
    });
}

/// R1, R53: a minimum beyond u64 is refused.
#[test]
fn r53_a_minimum_beyond_u64_is_refused() {
    for_each_world_with(Params { base_stake_per_gpu: u64::MAX / 2, ..Params::defaults(6).unwrap() }, |w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        w.refused("MathOverflow", |w| w.try_register(&owner, id, 8, 10_000));
        w.ok(|w| w.try_register(&owner, id, 1, 10_000));
    });
}

/// R3, R52: a vault is created only at the address its seeds and the bump the instruction names
/// derive (the `create_account` is signed by those seeds, which the runtime grants to that address
/// alone): a fresh key, the other vault's address, or the vault's address named with another bump
/// is refused and nothing changes. A vault created at a valid non-canonical bump is recorded by
/// the device, and every later use checks that recorded address (a stake naming the canonical
/// address is `ConstraintHasOne`): a non-canonical bump harms nobody but misleads only a client
/// that derives the vault instead of reading the device.
#[test]
fn r3_a_vault_is_created_only_at_its_seeds() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let oracle = w.roles.oracle.insecure_clone();
        let id = w.new_device_id();
        let device = pda::device(&id).0;
        let (stake_vault, stake_bump) = pda::stake_vault(&device);
        let base = ix::register_device(owner.pubkey(), oracle.pubkey(), id, GPUS, MULTIPLIER, &w.mint);
        let stake_meta = base.accounts.iter().position(|m| m.pubkey == stake_vault).expect("the stake vault's meta");
        let bump_at = base.data.len() - 2;
        let fresh = Pubkey::new_unique();
        let overflow_vault = pda::overflow_vault(&device).0;
        let other_bump = (0..stake_bump)
            .rev()
            .find(|b| Pubkey::create_program_address(&[b"stake_vault", device.as_ref(), &[*b]], &PROGRAM_ID).is_ok())
            .expect("a valid non-canonical bump");
        for (address, bump) in [(fresh, stake_bump), (overflow_vault, stake_bump), (stake_vault, other_bump)] {
            let mut ix = base.clone();
            ix.accounts[stake_meta].pubkey = address;
            ix.data[bump_at] = bump;
            // the runtime's refusal (no program error name): the vault's seeds sign for another address
            let watched = w.all_accounts();
            let before = w.snapshot(&watched);
            let fail = w.env.send(&[ix], &[&owner.key, &oracle]).expect_err("a vault at another address");
            assert_eq!(refusal_name(&fail), "InstructionError(0, PrivilegeEscalation)", "{address}");
            assert!(w.snapshot(&watched) == before, "a refused registration changed an account");
        }
        // a valid non-canonical bump: created there and recorded; the canonical address is not the vault
        let elsewhere = Pubkey::create_program_address(&[b"stake_vault", device.as_ref(), &[other_bump]], &PROGRAM_ID)
            .expect("the non-canonical address");
        let mut ix = base.clone();
        ix.accounts[stake_meta].pubkey = elsewhere;
        ix.data[bump_at] = other_bump;
        // (sent directly: the world's R52 checks derive the canonical vaults, so it is not listed)
        assert_ok(&w.env.send(&[ix], &[&owner.key, &oracle]));
        assert_eq!(w.device(&device).stake_vault, elsewhere);
        assert!(w.is_token_account(&elsewhere) && w.svm.get_account(&stake_vault).is_none());
        let stake = ix::stake(owner.pubkey(), device, owner.token, 1, &w.mint);
        let fail = w.env.send(&[stake], &[&owner.key]).expect_err("the canonical address is not the vault");
        assert_eq!(refusal_name(&fail), "ConstraintHasOne");
    });
}
