//! `register_device` (R3): the owner registers with the oracle co-signing; the minimum (R1) is
//! recorded and both vaults are created.
use device_staking_tests::client::device_staking::state::{Device, Params};
use device_staking_tests::client::ix::{self, Mint};
use device_staking_tests::client::pda;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R1 R3.
#[test]
fn the_owner_registers_with_the_oracle_co_signing() {
    for_each_world(|w| {
        let owner = w.owner.clone();
        let id = w.new_device_id();
        w.ok(|w| w.try_register(&owner, id, 4, 2_500));
        let device = pda::device(&id).0;
        let d: Device = w.device(&device);
        assert_eq!((d.owner, d.payer, d.gpu_count, d.multiplier_bps), (owner.pubkey(), owner.pubkey(), 4, 2_500));
        assert_eq!(d.min_required, 800 * IO, "4 x RTX 4070 at 0.25 (R1)");
        assert_eq!((d.stake_vault, d.overflow_vault), (pda::stake_vault(&device).0, pda::overflow_vault(&device).0));
        for vault in [d.stake_vault, d.overflow_vault] {
            assert_eq!((w.account(&vault).owner, w.token_balance(&vault)), (SPL_TOKEN, 0));
        }
        assert!(!w.eligible(&device), "nothing staked");
        // the same id again: the system program refuses to allocate the device (custom 0)
        let fail = w.try_register(&owner, id, 4, 2_500).expect_err("registered twice");
        assert_eq!((fail.error_code, refusal_name(&fail).as_str()), (Some(0), "AccountAlreadyInUse"));
    });
}

/// Rules: R1 R3 R32 R51.
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
        // a minimum beyond u64 (R53)
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: u64::MAX / 2, ..Params::defaults(6).unwrap() }));
        w.refused("MathOverflow", |w| w.try_register(&owner, id, 8, 10_000));
        assert!(w.svm.get_account(&pda::device(&id).0).is_none());
    });
}
