//! `stake` (R6): the owner adds to owner_stake at any time except while unstaking.
use device_staking_tests::client::ix::{self, Mint};
use device_staking_tests::world::*;
use device_staking_tests::SPL_TOKEN;

/// Rules: R5 R6.
#[test]
fn the_owner_stakes_and_the_device_becomes_eligible_at_the_minimum() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let (owner, vault) = (w.owner.token, w.device(&device).stake_vault);
        let before = w.token_balance(&owner);
        w.ok(|w| w.stake(device, MIN - 1));
        assert!(!w.eligible(&device), "one base unit short");
        w.ok(|w| w.stake(device, 1));
        assert!(w.eligible(&device));
        assert_eq!((w.device(&device).owner_stake, w.token_balance(&vault)), (MIN, MIN));
        assert_eq!(w.token_balance(&owner), before - MIN);
        // staking while terminated is allowed (R6 names only unstaking)
        w.ok(|w| w.terminate(device));
        w.ok(|w| w.stake(device, 1));
    });
}

/// Rules: R6 R32 R51.
#[test]
fn stake_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.refused("ZeroAmount", |w| w.stake(device, 0));
        let intruder = w.owner2.clone();
        w.refused("NotDeviceOwner", |w| {
            let ix = ix::stake(intruder.pubkey(), device, intruder.token, IO, &w.mint);
            w.send_by(ix, &intruder.key)
        });
        // tokens of another mint, from the owner's account of that mint
        let owner = w.owner.clone();
        w.refused("WrongMint", |w| {
            let other = Mint { mint: w.create_mint(SPL_TOKEN, 6, &[]), token_program: SPL_TOKEN };
            let token = w.create_ata(&owner.pubkey(), &other.mint);
            w.mint_to(&other.mint, &token, IO);
            w.send_by(ix::stake(owner.pubkey(), device, token, IO, &other), &owner.key)
        });
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.stake(device, IO));
        w.ok(|w| w.set_paused(false));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.stake(device, IO));
    });
}
