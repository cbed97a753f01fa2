//! `stake` (R6): the owner adds to owner_stake at any time except while unstaking or once
//! terminated; while paused only to cover (see set_paused.rs).
use device_staking_tests::client::device_staking::events::Staked;
use device_staking_tests::client::ix::{self, Mint};
use device_staking_tests::world::*;
use device_staking_tests::*;

/// R5, R6: the device becomes eligible at its minimum; the tokens move into the stake vault.
#[test]
fn r5_r6_the_owner_stakes_and_the_device_becomes_eligible_at_the_minimum() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let (owner, vault) = (w.owner.token, w.device(&device).stake_vault);
        let before = w.token_balance(&owner);
        let ok = w.ok(|w| w.stake(device, MIN - 1));
        let e: Staked = events(&ok).remove(0);
        assert_eq!((e.amount, e.owner_stake, e.counted_stake, e.eligible), (MIN - 1, MIN - 1, MIN - 1, false));
        assert!(!w.eligible(&device), "one base unit short");
        w.ok(|w| w.stake(device, 1));
        assert!(w.eligible(&device));
        assert_eq!((w.device(&device).owner_stake, w.token_balance(&vault)), (MIN, MIN));
        assert_eq!(w.token_balance(&owner), before - MIN);
    });
}

/// R6, R15: after the ticket is withdrawn the owner stakes again.
#[test]
fn r6_the_owner_stakes_again_once_the_ticket_is_withdrawn() {
    for_each_world(|w| {
        let device = w.staked_device();
        let unstaked = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(unstaked + 14 * DAY);
        w.refused("DeviceUnstaking", |w| w.stake(device, MIN));
        w.ok(|w| w.withdraw_ticket(device));
        w.ok(|w| w.stake(device, MIN));
        assert!(w.eligible(&device));
    });
}

/// R6, R32, R51: `stake`'s refusals.
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
        // another wallet's token account
        let other_token = w.owner2.token;
        w.refused("ConstraintTokenOwner", |w| w.send_by(ix::stake(owner.pubkey(), device, other_token, IO, &w.mint), &owner.key));
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.stake(device, IO));
        w.ok(|w| w.set_paused(false));
        w.ok(|w| w.unstake(device));
        w.refused("DeviceUnstaking", |w| w.stake(device, IO));
        let terminated = w.staked_device();
        w.ok(|w| w.terminate(terminated));
        w.refused("DeviceTerminated", |w| w.stake(terminated, IO));
    });
}
