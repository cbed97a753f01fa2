//! `distribute_rewards` (R20, R21, R23): the reward authority pays one block into many devices.
//! The program picks from each device's table the position that earned during the block and
//! credits it its share, the owner the rest; entries are skipped, with a `RewardSkipped` event
//! naming why and nothing moved, on recorded facts, so a re-sent batch pays nobody twice and a
//! staker's action never fails the batch. One transfer per paid device.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::AccountMeta;
use device_staking_tests::client::device_staking::events::{RewardPaid, RewardSkipped};
use device_staking_tests::client::device_staking::state::{skip, Role};
use device_staking_tests::client::ix::{self, RewardTarget};
use device_staking_tests::client::pda;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// The `(device, reason)` of every entry the batch skipped.
fn skipped(ok: &TxOk) -> Vec<(Pubkey, u8)> {
    events::<RewardSkipped>(ok).iter().map(|e| (e.device, e.reason)).collect()
}

/// The payment event of `device` in the batch.
fn paid(ok: &TxOk, device: Pubkey) -> RewardPaid {
    events::<RewardPaid>(ok).into_iter().find(|e| e.device == device).expect("a RewardPaid event for the device")
}

/// Moves the clock `secs` on and returns the new time (a block's end).
fn later(w: &mut World, secs: i64) -> i64 {
    w.advance(secs);
    w.now()
}

/// Rules: R20 R21 R23 R50.
/// Each device is paid in one transfer: a co-staked one split by the share (rounded down, the
/// remainder to the owner), a solo one to the owner; whether a device met its minimum is the
/// reward authority's judgement, so an unstaked-for device registered before the block is paid.
#[test]
fn r20_a_batch_pays_each_device_and_records_the_block() {
    for_each_world(|w| {
        let (costaked, seq) = w.costaked_device();
        let solo = w.staked_device();
        let idle = w.register(GPUS, MULTIPLIER);
        let start = w.now();
        let end = later(w, 600);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(7, start, end, &[(costaked, 10_001), (solo, 3), (idle, 50)]));
        assert_eq!(w.token_balance(&w.reward_source), source - 10_054);
        assert!(skipped(&ok).is_empty());
        assert_eq!((w.device(&costaked).position(seq).unwrap().rewards, w.device(&costaked).owner_rewards), (7_400, 2_601));
        assert_eq!((w.device(&solo).owner_rewards, w.device(&idle).owner_rewards), (3, 50));
        assert_eq!(w.token_balance(&pda::overflow_vault(&costaked).0), 10_001);
        let e = paid(&ok, costaked);
        assert_eq!((e.block_id, e.amount, e.owner_part, e.position_part), (7, 10_001, 2_601, 7_400));
        assert_eq!((e.position_seq, e.position_left, e.transferred), (Some(seq), false, 10_001));
        let e = paid(&ok, solo);
        assert_eq!((e.owner_part, e.position_part, e.position_seq, e.transferred), (3, 0, None, 3));
        for d in [costaked, solo, idle] {
            assert_eq!(w.device(&d).last_paid_end, end);
        }
    });
}

/// Rules: R20 R23 G4.
/// A re-sent batch skips every entry already paid (reason ALREADY_PAID), moves nothing and pays
/// nobody twice; a batch that partly landed pays only the rest. A block that starts before the
/// end of the last one paid is skipped the same way, whatever its id.
#[test]
fn r20_a_re_sent_batch_pays_nobody_twice() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.staked_device();
        let start = w.now();
        let end = later(w, 600);
        w.ok(|w| w.reward(1, start, end, &[(device, 1_000)]));
        let (source, vault) = (w.token_balance(&w.reward_source), w.token_balance(&pda::overflow_vault(&device).0));
        let d = w.device(&device);
        let ok = w.ok(|w| w.reward(1, start, end, &[(device, 1_000), (other, 500)]));
        assert_eq!(skipped(&ok), [(device, skip::ALREADY_PAID)]);
        let e = events::<RewardSkipped>(&ok);
        assert_eq!((e[0].block_id, e[0].amount), (1, 1_000));
        assert_eq!(paid(&ok, other).amount, 500, "the entry that had not landed is paid");
        assert_eq!(w.token_balance(&w.reward_source), source - 500);
        assert_eq!(w.token_balance(&pda::overflow_vault(&device).0), vault);
        let after = w.device(&device);
        assert_eq!(
            (after.owner_rewards, after.position(seq).unwrap().rewards),
            (d.owner_rewards, d.position(seq).unwrap().rewards)
        );
        // an overlapping block under a new id is skipped too; the already-paid skip records nothing
        let ok = w.ok(|w| w.reward(2, end - 1, w.now(), &[(device, 1_000)]));
        assert_eq!(skipped(&ok), [(device, skip::ALREADY_PAID)]);
        assert_eq!(w.device(&device).last_paid_end, end);
        // the next block, starting where the last ended, is paid
        let next = later(w, 60);
        w.ok(|w| w.reward(3, end, next, &[(device, 1_000)]));
        assert_eq!(w.device(&device).last_paid_end, next);
    });
}

/// Rules: R3 R8 R20.
/// A closed device (a tombstone) is skipped with reason CLOSED; the rest of the batch is paid.
#[test]
fn r20_a_tombstone_entry_is_skipped() {
    for_each_world(|w| {
        let closed = w.register(1, 10_000);
        let live = w.staked_device();
        w.ok(|w| w.close_device(closed));
        let start = w.now();
        let end = later(w, 60);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, start, end, &[(closed, 1_000), (live, 10)]));
        assert_eq!(skipped(&ok), [(closed, skip::CLOSED)]);
        assert_eq!(w.token_balance(&w.reward_source), source - 10);
        assert_eq!(w.tombstone(&closed).last_paid_end, 0, "a tombstone is not written");
    });
}

/// Rules: R7 R15 R20.
/// Skips on recorded facts, each with its reason and each recording the block's end: terminated
/// or unstaking at the block's start, registered after it, a zero amount. Nothing moves.
#[test]
fn r20_entries_are_skipped_on_recorded_facts() {
    for_each_world(|w| {
        let terminated = w.staked_device();
        let unstaked = w.staked_device();
        let zero = w.staked_device();
        let start = later(w, 10);
        w.ok(|w| w.terminate(terminated));
        w.ok(|w| w.unstake(unstaked));
        w.advance(1);
        let newcomer = w.staked_device();
        let end = later(w, 60);
        let source = w.token_balance(&w.reward_source);
        let pay = [(terminated, 10), (unstaked, 10), (newcomer, 10), (zero, 0)];
        let ok = w.ok(|w| w.reward(1, start, end, &pay));
        let want = [
            (terminated, skip::TERMINATED),
            (unstaked, skip::UNSTAKING),
            (newcomer, skip::NOT_REGISTERED),
            (zero, skip::ZERO_AMOUNT),
        ];
        assert_eq!(skipped(&ok), want);
        assert!(events::<RewardPaid>(&ok).is_empty());
        assert_eq!(w.token_balance(&w.reward_source), source, "nothing moves");
        for (d, _) in pay {
            assert_eq!(w.device(&d).last_paid_end, end, "every skip but the already-paid one records the block");
            assert_eq!(w.device(&d).owner_rewards, 0);
        }
    });
}

/// Rules: R20.
/// The block that started before a device existed, or at its terminate or unstake, is skipped
/// with the reason; a block that started before a late terminate or unstake is paid.
#[test]
fn r20_the_block_start_decides_against_the_recorded_times() {
    for_each_world(|w| {
        let early = w.staked_device();
        let start = later(w, 10);
        w.advance(1);
        let newcomer = w.staked_device();
        let terminated_after = w.staked_device();
        w.advance(10);
        w.ok(|w| w.terminate(terminated_after));
        let end = later(w, 60);
        let source = w.token_balance(&w.reward_source);
        let ok = w.ok(|w| w.reward(1, start, end, &[(early, 10), (newcomer, 10)]));
        assert_eq!(skipped(&ok), [(newcomer, skip::NOT_REGISTERED)]);
        assert_eq!(w.token_balance(&w.reward_source), source - 10);
        // terminated after its block started: that block is still paid, the next is not
        let registered = w.device(&terminated_after).registered_at;
        let terminated_at = w.device(&terminated_after).terminated_at;
        let ok = w.ok(|w| w.reward(2, registered, terminated_at, &[(terminated_after, 10)]));
        assert_eq!(paid(&ok, terminated_after).amount, 10);
        let ok = w.ok(|w| w.reward(3, terminated_at, end, &[(terminated_after, 10)]));
        assert_eq!(skipped(&ok), [(terminated_after, skip::TERMINATED)]);
    });
}

/// Rules: R21.
/// A position cancelled before the block's end earns nothing for it (the owner earns all); one
/// cancelled after the block's end still earns that block however late it is paid.
#[test]
fn r21_the_position_that_earned_during_the_block_is_credited() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        let first_end = later(w, 60);
        let cancelled = later(w, 60);
        w.ok(|w| w.cancel(&c, device, seq));
        let second_end = later(w, 60);
        // the first block ended before the cancel: paid after it, the position still earns it
        let ok = w.ok(|w| w.reward(1, filled, first_end, &[(device, 1_000)]));
        assert_eq!((paid(&ok, device).position_seq, paid(&ok, device).position_part), (Some(seq), 740));
        // the second block overlaps the cancel: the owner's alone
        let ok = w.ok(|w| w.reward(2, first_end, second_end, &[(device, 1_000)]));
        assert_eq!((paid(&ok, device).position_seq, paid(&ok, device).owner_part), (None, 1_000));
        assert_eq!((w.device(&device).position(seq).unwrap().rewards, w.device(&device).owner_rewards), (740, 1_260));
        assert!(cancelled < second_end);
    });
}

/// Rules: R21 G4.
/// A position filled after the block's start earns nothing for that block.
#[test]
fn r21_a_position_filled_after_the_block_start_earns_nothing_for_it() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.advance(10);
        let seq = w.offer_ok(device, HALF, SHARE);
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        let filled = w.now();
        let end = later(w, 60);
        w.ok(|w| w.reward(1, filled - 1, end, &[(device, 1_000)]));
        assert_eq!((w.device(&device).position(seq).unwrap().rewards, w.device(&device).owner_rewards), (0, 1_000));
        let next = later(w, 60);
        w.ok(|w| w.reward(2, end, next, &[(device, 1_000)]));
        assert_eq!((w.device(&device).position(seq).unwrap().rewards, w.device(&device).owner_rewards), (740, 1_260));
    });
}

/// Rules: R16 R21 R23 G4.
/// A block paid after the position that earned it was withdrawn: its part is not moved (it stays
/// with the reward authority) and the event names the position; the owner receives the rest.
#[test]
fn r21_a_withdrawn_positions_part_stays_with_the_reward_authority() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        let end = later(w, 60);
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.unstake(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        let (source, vault) = (w.token_balance(&w.reward_source), w.token_balance(&pda::overflow_vault(&device).0));
        let ok = w.ok(|w| w.reward(1, filled, end, &[(device, 1_000)]));
        let e = paid(&ok, device);
        assert_eq!(
            (e.position_seq, e.position_left, e.position_part, e.owner_part, e.transferred),
            (Some(seq), true, 740, 260, 260)
        );
        assert_eq!(w.token_balance(&w.reward_source), source - 260);
        assert_eq!(w.token_balance(&pda::overflow_vault(&device).0), vault + 260);
        assert_eq!(w.device(&device).owner_rewards, 260);
    });
}

/// Rules: R20 R34 R51.
/// Only the reward authority's own mistakes fail a batch: signer, times, duplicates, accounts,
/// funds. Each refusal is named and changes nothing.
#[test]
fn r20_distribute_rewards_refusals() {
    for_each_world(|w| {
        let (device, _) = w.costaked_device();
        let solo = w.staked_device();
        let start = w.now();
        let now = later(w, 60);
        let intruder = w.owner2.clone();
        w.refused("NotRewardAuthority", |w| {
            let targets = [w.target(device, 1)];
            let ix = ix::distribute_rewards(intruder.pubkey(), intruder.token, 1, start, now, &targets, &w.mint);
            w.send_by(ix, &intruder.key)
        });
        w.refused("InvalidBlockTimes", |w| w.reward(1, start, now + 1, &[(device, 1)]));
        w.refused("InvalidBlockTimes", |w| w.reward(1, now, now, &[(device, 1)]));
        w.refused("InvalidBlockTimes", |w| w.reward(1, now, start, &[(device, 1)]));
        w.refused("DuplicateDeviceInBatch", |w| w.reward(1, start, now, &[(device, 1), (solo, 1), (device, 1)]));
        let authority = w.roles.reward_authority.insecure_clone();
        let batch = |w: &World, targets: &[RewardTarget]| {
            ix::distribute_rewards(authority.pubkey(), w.reward_source, 1, start, now, targets, &w.mint)
        };
        // a vault that is not the device's overflow vault
        w.refused("BatchAccountsMismatch", |w| {
            let mut ix = batch(w, &[w.target(solo, 1)]);
            replace_account(&mut ix, &pda::overflow_vault(&solo).0, pda::stake_vault(&solo).0);
            w.send_by(ix, &authority)
        });
        // fewer accounts than entries, one more account than entries, a read-only device
        w.refused("BatchAccountsMismatch", |w| {
            let mut ix = batch(w, &[w.target(solo, 1)]);
            ix.accounts.pop();
            w.send_by(ix, &authority)
        });
        w.refused("BatchAccountsMismatch", |w| {
            let mut ix = batch(w, &[w.target(solo, 1)]);
            ix.accounts.push(AccountMeta::new(device, false));
            w.send_by(ix, &authority)
        });
        w.refused("BatchAccountsMismatch", |w| {
            let mut ix = batch(w, &[w.target(solo, 1)]);
            let meta = ix.accounts.iter_mut().find(|m| m.pubkey == solo).unwrap();
            meta.is_writable = false;
            w.send_by(ix, &authority)
        });
        // a source that is not the authority's
        w.refused("ConstraintTokenOwner", |w| {
            let mut ix = batch(w, &[w.target(solo, 1)]);
            replace_account(&mut ix, &w.reward_source, w.owner.token);
            w.send_by(ix, &authority)
        });
        // more than the source holds
        let all = w.token_balance(&w.reward_source);
        let fail = w.env.send(&[batch(w, &[w.target(solo, all + 1)])], &[&authority]).expect_err("insufficient funds");
        assert_eq!(refusal_name(&fail), "InsufficientFunds");
        // a revoked reward authority pays nothing (R34)
        w.ok(|w| w.revoke_role(Role::RewardAuthority));
        w.refused("NotRewardAuthority", |w| w.reward(1, start, now, &[(solo, 1)]));
    });
}

/// Rules: R20.
/// A staker's action between the batch's building and its landing never fails it: a device
/// closed, unstaked or terminated in between is skipped, the others paid.
#[test]
fn r20_a_stakers_action_before_landing_does_not_fail_the_batch() {
    for_each_world(|w| {
        let closing = w.register(1, 10_000);
        let unstaking = w.staked_device();
        let paid_device = w.staked_device();
        let start = w.now();
        let end = later(w, 60);
        let authority = w.roles.reward_authority.insecure_clone();
        let targets = [w.target(closing, 5), w.target(unstaking, 5), w.target(paid_device, 5)];
        let built = ix::distribute_rewards(authority.pubkey(), w.reward_source, 1, start, end, &targets, &w.mint);
        w.ok(|w| w.close_device(closing));
        w.ok(|w| w.unstake(unstaking));
        let ok = w.ok(|w| w.send_by(built, &authority));
        // the unstake came after the block's start: that block is still the owner's
        assert_eq!(skipped(&ok), [(closing, skip::CLOSED)]);
        assert_eq!(paid(&ok, unstaking).owner_part, 5);
        assert_eq!(paid(&ok, paid_device).owner_part, 5);
    });
}
