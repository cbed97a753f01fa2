//! `distribute_rewards` (R20, R21): the reward authority pays eligible devices, split by share
//! with remainders to the owner; each block once per device.
use device_staking_tests::client::ix::{self, RewardTarget};
use device_staking_tests::client::pda;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R20 R21.
#[test]
fn a_batch_pays_eligible_devices_and_records_the_block_on_all() {
    for_each_world(|w| {
        let (costaked, seq) = w.costaked_device();
        let solo = w.staked_device();
        let idle = w.register(GPUS, MULTIPLIER);
        let start = w.now();
        w.advance(600);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(7, start, w.now(), &[(costaked, 10_001), (solo, 3), (idle, 50)]));
        assert!(ok.logs.iter().any(|l| l.contains("Program data:")), "events are emitted");
        assert_eq!(w.token_balance(&w.reward_source), source - 10_004);
        assert_eq!((w.offer(&costaked, seq).rewards, w.device(&costaked).owner_rewards), (7_400, 2_601));
        assert_eq!(w.device(&solo).owner_rewards, 3);
        assert_eq!(w.token_balance(&pda::overflow_vault(&idle).0), 0);
        for d in [costaked, solo, idle] {
            assert_eq!(w.device(&d).last_block_id, 7);
        }
    });
}

/// Rules: R21.
#[test]
fn a_position_cancelled_within_the_block_earns_nothing() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let start = w.now();
        w.advance(10);
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        w.advance(10);
        w.ok(|w| w.reward(1, start, w.now(), &[(device, 1_000)]));
        assert_eq!(w.device(&device).owner_rewards, 1_000, "the exit still counts: the owner earns all");
        assert_eq!(w.offer(&device, seq).rewards, 0);
    });
}

/// Rules: R20 R51.
#[test]
fn distribute_rewards_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let solo = w.staked_device();
        let now = w.now();
        let intruder = w.owner2.clone();
        w.refused("NotRewardAuthority", |w| {
            let targets = [w.target(device, 1)];
            let ix = ix::distribute_rewards(intruder.pubkey(), intruder.token, 1, now, now, &targets, &w.mint);
            w.send_by(ix, &intruder.key)
        });
        w.refused("InvalidBlockTimes", |w| w.reward(1, now, now + 1, &[(device, 1)]));
        w.refused("InvalidBlockTimes", |w| w.reward(1, now, now - 1, &[(device, 1)]));
        w.refused("DuplicateDeviceInBatch", |w| w.reward(1, now, now, &[(device, 1), (device, 1)]));
        let without = RewardTarget { device, amount: 1, filled_seq: None };
        w.refused("WrongRewardOffer", |w| w.reward_targets(1, now, now, &[without]));
        // another device's position given for a device without one
        w.refused("WrongRewardOffer", |w| {
            let authority = w.roles.reward_authority.insecure_clone();
            let foreign = RewardTarget { device: solo, amount: 1, filled_seq: Some(seq) };
            let mut ix = ix::distribute_rewards(authority.pubkey(), w.reward_source, 1, now, now, &[foreign], &w.mint);
            replace_account(&mut ix, &pda::offer(&solo, seq).0, pda::offer(&device, seq).0);
            w.send_by(ix, &authority)
        });
        w.refused("BatchAccountsMismatch", |w| {
            let authority = w.roles.reward_authority.insecure_clone();
            let mut ix = ix::distribute_rewards(authority.pubkey(), w.reward_source, 1, now, now, &[w.target(solo, 1)], &w.mint);
            replace_account(&mut ix, &pda::overflow_vault(&solo).0, pda::stake_vault(&solo).0);
            w.send_by(ix, &authority)
        });
        w.ok(|w| w.reward(5, now, now, &[(device, 1)]));
        w.refused("BlockAlreadyPaid", |w| w.reward(5, now, now, &[(device, 1)]));
        w.refused("BlockAlreadyPaid", |w| w.reward(4, now, now, &[(device, 1)]));
        // a later block in the same batch as a repeated one fails as a whole
        w.refused("BlockAlreadyPaid", |w| w.reward(5, now, now, &[(solo, 1), (device, 1)]));
    });
}

/// Rules: R5 R20.
#[test]
fn an_ineligible_device_is_skipped_but_records_the_block() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.unstake(device));
        let now = w.now();
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(3, now, now, &[(device, 1_000)]));
        assert!(ok.logs.iter().any(|l| l.contains("Program data:")), "the skip is an event");
        assert_eq!((w.token_balance(&w.reward_source), w.device(&device).owner_rewards), (source, 0));
        assert_eq!(w.device(&device).last_block_id, 3);
        w.refused("BlockAlreadyPaid", |w| w.reward(3, now, now, &[(device, 1)]));
    });
}

/// Rules: R21.
#[test]
fn a_position_filled_after_the_block_start_earns_nothing_for_that_block() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled - 1, w.now(), &[(device, 1_000)]));
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).owner_rewards), (0, 1_000));
        w.ok(|w| w.reward(2, filled, w.now(), &[(device, 1_000)]));
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).owner_rewards), (740, 1_260));
    });
}
