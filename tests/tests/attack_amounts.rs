//! Amount attacks: zero, `u64::MAX` and amounts whose arithmetic would overflow, on every
//! instruction that takes an amount, a time or a hardware figure. Each refusal names its error
//! and changes nothing; what is accepted is capped or checked (R51, R52, R53).
use device_staking_tests::attack::*;
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::{HALF, SHARE};
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R6 R9 R11 R12 R20 R40 R41 R51 R52 R53.
/// Zero and `u64::MAX` (or `i64::MAX` for times) in every amount argument.
#[test]
fn zero_and_maximal_amounts_are_refused() {
    for_each_scene(|s| {
        let (a, b, d) = (s.a, s.b, s.d);
        let w = &s.w;
        let (owner, owner2, costaker2) = (w.owner.clone(), w.owner2.clone(), w.costaker(2));
        let (rewarder, slasher) = (w.roles.reward_authority.insecure_clone(), w.roles.slash_authority.insecure_clone());
        let (mint, now) = (w.mint, w.now());
        let end = now - 1;
        let reward = |amount, block_id, start, end| {
            ix::distribute_rewards(rewarder.pubkey(), w.reward_source, block_id, start, end, &[w.target(a, amount)], &mint)
        };
        let table = vec![
            ("stake 0", ix::stake(owner.pubkey(), a, owner.token, 0, &mint), &owner.key, "ZeroAmount"),
            ("stake max", ix::stake(owner.pubkey(), a, owner.token, u64::MAX, &mint), &owner.key, "MathOverflow"),
            ("offer 0", ix::create_offer(owner2.pubkey(), d, 0, 0, SHARE), &owner2.key, "ZeroAmount"),
            ("offer max", ix::create_offer(owner2.pubkey(), d, 0, u64::MAX, SHARE), &owner2.key, "MathOverflow"),
            ("offer share max", ix::create_offer(owner2.pubkey(), d, 0, HALF, u16::MAX), &owner2.key, "InvalidRewardShare"),
            ("fill 0", ix::fill_offer(costaker2.pubkey(), b, 0, 0, SHARE, costaker2.token, &mint), &costaker2.key, "OfferTermsMismatch"),
            ("fill max", ix::fill_offer(costaker2.pubkey(), b, 0, u64::MAX, SHARE, costaker2.token, &mint), &costaker2.key, "OfferTermsMismatch"),
            ("overflow 0", ix::withdraw_overflow(owner.pubkey(), a, owner.token, 0, &mint), &owner.key, "ZeroAmount"),
            ("overflow max", ix::withdraw_overflow(owner.pubkey(), a, owner.token, u64::MAX, &mint), &owner.key, "ExceedsOverflow"),
            ("slash 0", ix::slash(slasher.pubkey(), a, w.treasury_token, None, &[0], 0, &mint), &slasher, "ZeroAmount"),
            ("hold max", ix::hold(slasher.pubkey(), a, i64::MAX), &slasher, "HoldTooLong"),
            ("reward max", reward(u64::MAX, 2, end, end), &rewarder, "InsufficientFunds"),
            ("block end max", reward(1, 2, end, i64::MAX), &rewarder, "InvalidBlockTimes"),
            ("block start min", reward(1, 2, i64::MIN, end), &rewarder, "ok"),
        ];
        for (label, ix, signer, error) in table {
            if error == "ok" {
                // a block that began at the dawn of time is valid: it only earns the owner's part
                let _ = s.w.env.simulate(&[ix], &[signer]).unwrap_or_else(|f| panic!("{label}: {:?}", refusal_name(&f)));
                continue;
            }
            s.refused_as(label, error, &[ix], &[signer], &[]);
        }
    });
}

/// Rules: R20 R52.
/// A reward of zero is recorded (the block id advances) but moves nothing; the last block id,
/// `u64::MAX`, can be paid, and nothing after it: the id never wraps around.
#[test]
fn zero_rewards_move_nothing_and_block_ids_never_wrap() {
    for_each_scene(|s| {
        let a = s.a;
        let end = s.w.now() - 1;
        let vault = pda::overflow_vault(&a).0;
        let before = s.w.token_balance(&vault);
        s.w.ok(|w| w.reward(5, end, end, &[(a, 0)]));
        assert_eq!((s.w.token_balance(&vault), s.w.device(&a).last_block_id), (before, 5));
        s.w.ok(|w| w.reward(u64::MAX, end, end, &[(a, 7)]));
        assert_eq!(s.w.token_balance(&vault), before + 7);
        s.w.refused("BlockAlreadyPaid", |w| w.reward(u64::MAX, end, end, &[(a, 7)]));
        s.w.refused("BlockAlreadyPaid", |w| w.reward(0, end, end, &[(a, 7)]));
    });
}

/// Rules: R1 R2 R3 R33 R53.
/// The largest hardware figures fit in a minimum; a base stake so large that the minimum would
/// overflow is refused with `MathOverflow` wherever a minimum is computed, never wrapped.
#[test]
fn a_minimum_that_would_overflow_is_refused() {
    for_each_scene(|s| {
        let a = s.a;
        s.w.ok(|w| w.update_hardware(a, u16::MAX, u32::MAX));
        let expected = (u16::MAX as u128 * 200_000_000 * u32::MAX as u128).div_ceil(10_000) as u64;
        assert_eq!(s.w.device(&a).min_required, expected);
        let huge = Params { base_stake_per_gpu: u64::MAX, ..s.w.config().params };
        s.w.ok(|w| w.update_params(huge));
        s.w.refused("MathOverflow", |w| w.refresh_min(a));
        s.w.refused("MathOverflow", |w| w.update_hardware(a, 2, 10_000));
        let owner = s.w.owner.clone();
        s.w.refused("MathOverflow", |w| w.try_register(&owner, [0xAB; 32], 2, 10_000));
    });
}

/// Rules: R20 R21 R52 R53.
/// A reward of nearly every token the mint can still issue (close to `u64::MAX`) is split without
/// overflow, the co-staker's part rounded down, and both parts can be claimed and withdrawn.
#[test]
fn a_reward_near_u64_max_is_split_without_overflow() {
    for_each_scene(|s| {
        let a = s.a;
        let mint = s.w.mint.mint;
        let supply = spl_supply(&s.w.account(&mint).data);
        let amount = u64::MAX - supply;
        let source = s.w.reward_source;
        s.w.mint_to(&mint, &source, amount);
        let filled = s.w.offer(&a, 0).filled_at;
        let (owner_before, costaker_before) = (s.w.device(&a).owner_rewards, s.w.offer(&a, 0).rewards);
        s.w.ok(|w| w.reward(2, filled, w.now() - 1, &[(a, amount)]));
        let costaker_part = (amount as u128 * SHARE as u128 / 10_000) as u64;
        assert_eq!(s.w.offer(&a, 0).rewards - costaker_before, costaker_part);
        assert_eq!(s.w.device(&a).owner_rewards - owner_before, amount - costaker_part);
        let costaker = s.w.costaker(0);
        s.w.ok(|w| w.claim(&costaker, a, 0));
        let owner_rewards = s.w.device(&a).owner_rewards;
        s.w.ok(|w| w.withdraw_overflow(a, owner_rewards));
        assert_eq!((s.w.device(&a).owner_rewards, s.w.offer(&a, 0).rewards), (0, 0));
    });
}

/// The supply of an SPL Token mint (bytes 36..44 of its data).
fn spl_supply(data: &[u8]) -> u64 {
    u64::from_le_bytes(data[36..44].try_into().expect("a mint"))
}
