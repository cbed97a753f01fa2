//! Amount attacks: zero, `u64::MAX` and amounts whose arithmetic would overflow, on every
//! instruction that takes an amount, a time or a hardware figure. Each refusal names its error
//! and changes nothing; what is accepted is capped or checked (R51, R52, R53).
use device_staking_tests::attack::*;
use device_staking_tests::client::device_staking::events::RewardSkipped;
use device_staking_tests::client::device_staking::state::{skip, Params};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::{HALF, SHARE};
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R6 R7 R9 R11 R12 R20 R34 R40 R41 R51 R52 R53.
/// Zero and the extremes of `u64`, `u16` and `i64` in every amount, share and time argument.
#[test]
fn zero_and_maximal_amounts_are_refused() {
    for_each_scene(|s| {
        let (a, b, d) = (s.a, s.b, s.d);
        let w = &s.w;
        let (owner, owner2, costaker2) = (w.owner.clone(), w.owner2.clone(), w.costaker(2));
        let (admin, oracle) = (w.roles.admin.insecure_clone(), w.roles.oracle.insecure_clone());
        let (rewarder, slasher) = (w.roles.reward_authority.insecure_clone(), w.roles.slash_authority.insecure_clone());
        let (mint, now, treasury) = (w.mint, w.now(), w.roles.treasury.pubkey());
        let last = w.device(&a).last_paid_end;
        let reward = |amount, start, end| {
            ix::distribute_rewards(rewarder.pubkey(), w.reward_source, 2, start, end, &[w.target(a, amount)], &mint)
        };
        let slash = |amount, incident_at| ix::slash(slasher.pubkey(), a, treasury, amount, incident_at, &mint);
        let table = vec![
            ("stake 0", ix::stake(owner.pubkey(), a, owner.token, 0, &mint), &owner.key, "ZeroAmount"),
            ("stake max", ix::stake(owner.pubkey(), a, owner.token, u64::MAX, &mint), &owner.key, "MathOverflow"),
            ("offer 0", ix::create_offer(owner2.pubkey(), d, 0, 0, SHARE), &owner2.key, "ZeroAmount"),
            ("offer max", ix::create_offer(owner2.pubkey(), d, 0, u64::MAX, SHARE), &owner2.key, "MathOverflow"),
            ("offer share max", ix::create_offer(owner2.pubkey(), d, 0, HALF, u16::MAX), &owner2.key, "InvalidRewardShare"),
            (
                "fill 0",
                ix::fill_offer(costaker2.pubkey(), b, 0, 0, SHARE, costaker2.token, &mint),
                &costaker2.key,
                "OfferTermsMismatch",
            ),
            (
                "fill max",
                ix::fill_offer(costaker2.pubkey(), b, 0, u64::MAX, SHARE, costaker2.token, &mint),
                &costaker2.key,
                "OfferTermsMismatch",
            ),
            ("overflow 0", ix::withdraw_overflow(owner.pubkey(), a, owner.token, 0, &mint), &owner.key, "ZeroAmount"),
            (
                "overflow max",
                ix::withdraw_overflow(owner.pubkey(), a, owner.token, u64::MAX, &mint),
                &owner.key,
                "ExceedsOverflow",
            ),
            ("slash 0", slash(0, now), &slasher, "ZeroAmount"),
            ("slash incident max", slash(1, i64::MAX), &slasher, "IncidentOutOfRange"),
            ("slash incident 0", slash(1, 0), &slasher, "IncidentOutOfRange"),
            ("slash incident min", slash(1, i64::MIN), &slasher, "IncidentOutOfRange"),
            ("hold max", ix::hold(slasher.pubkey(), a, i64::MAX), &slasher, "HoldTooLong"),
            ("hold min", ix::hold(slasher.pubkey(), a, i64::MIN), &slasher, "HoldTooLong"),
            ("hired max", ix::set_hired(oracle.pubkey(), a, i64::MAX), &oracle, "InvalidHiredUntil"),
            ("hired min", ix::set_hired(oracle.pubkey(), a, i64::MIN), &oracle, "InvalidHiredUntil"),
            ("hardware 0", ix::update_hardware(oracle.pubkey(), a, 0, 10_000), &oracle, "InvalidHardware"),
            ("multiplier 0", ix::update_hardware(oracle.pubkey(), a, 1, 0), &oracle, "InvalidHardware"),
            ("slash cap max", ix::lower_slash_cap(admin.pubkey(), u16::MAX), &admin, "NotATightening"),
            ("reward max", reward(u64::MAX, last, now), &rewarder, "InsufficientFunds"),
            ("block end max", reward(1, last, i64::MAX), &rewarder, "InvalidBlockTimes"),
            ("block start max", reward(1, i64::MAX, now), &rewarder, "InvalidBlockTimes"),
        ];
        for (label, ix, signer, error) in table {
            s.refused_as(label, error, &[ix], &[signer], &[]);
        }
        // a block that began at the dawn of time overlaps the one paid: skipped, not refused
        let w = &mut s.w;
        let ok = w.ok(|w| w.reward(2, i64::MIN, now, &[(a, 1)]));
        assert_eq!(events::<RewardSkipped>(&ok)[0].reason, skip::ALREADY_PAID);
    });
}

/// Rules: R20 R52.
/// A reward of zero is skipped (ZERO_AMOUNT) and moves nothing, but records the block; block ids
/// only label events: `u64::MAX`, then 0, then a repeated id are each paid for a new block.
#[test]
fn zero_rewards_move_nothing_and_block_ids_are_labels() {
    for_each_scene(|s| {
        let a = s.a;
        let vault = pda::overflow_vault(&a).0;
        let before = s.w.token_balance(&vault);
        let start = s.w.device(&a).last_paid_end;
        let end = s.w.now();
        let ok = s.w.ok(|w| w.reward(5, start, end, &[(a, 0)]));
        assert_eq!(events::<RewardSkipped>(&ok)[0].reason, skip::ZERO_AMOUNT);
        assert_eq!((s.w.token_balance(&vault), s.w.device(&a).last_paid_end), (before, end));
        let mut from = end;
        for (block_id, amount) in [(u64::MAX, 7), (0, 7), (u64::MAX, 7)] {
            s.w.advance(1);
            let to = s.w.now();
            s.w.ok(|w| w.reward(block_id, from, to, &[(a, amount)]));
            from = to;
        }
        assert_eq!(s.w.token_balance(&vault), before + 21);
    });
}

/// Rules: R1 R2 R3 R33 R53.
/// The largest hardware figures fit in a minimum; a base stake so large that a minimum would
/// overflow is refused with `MathOverflow` wherever a minimum is set (hardware, registration),
/// never wrapped; a device whose minimum no longer fits reads as needing everything.
#[test]
fn a_minimum_that_would_overflow_is_refused() {
    for_each_scene(|s| {
        let a = s.a;
        s.w.ok(|w| w.update_hardware(a, u16::MAX, u32::MAX));
        let expected = (u16::MAX as u128 * 200_000_000 * u32::MAX as u128).div_ceil(10_000) as u64;
        assert_eq!(s.w.device(&a).min_required(&s.w.env_now()), expected);
        let huge = Params { base_stake_per_gpu: u64::MAX, ..s.w.params() };
        s.w.ok(|w| w.update_params(huge));
        let effective_at = s.w.config().params_effective_at;
        s.w.warp_to(effective_at);
        assert_eq!(s.w.params().base_stake_per_gpu, u64::MAX);
        s.w.refused("MathOverflow", |w| w.update_hardware(a, 2, 10_000));
        let owner = s.w.owner.clone();
        s.w.refused("MathOverflow", |w| w.try_register(&owner, [0xAB; 32], 2, 10_000));
        let status = s.w.status(a);
        assert_eq!((status.min_required, status.eligible), (u64::MAX, false));
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
        let (start, end) = (s.w.device(&a).last_paid_end, s.w.now());
        let (owner_before, costaker_before) = (s.w.device(&a).owner_rewards, s.w.device(&a).position(0).unwrap().rewards);
        s.w.ok(|w| w.reward(2, start, end, &[(a, amount)]));
        let costaker_part = (amount as u128 * SHARE as u128 / 10_000) as u64;
        assert_eq!(s.w.device(&a).position(0).unwrap().rewards - costaker_before, costaker_part);
        assert_eq!(s.w.device(&a).owner_rewards - owner_before, amount - costaker_part);
        let costaker = s.w.costaker(0);
        s.w.ok(|w| w.claim(&costaker, a, 0));
        let owner_rewards = s.w.device(&a).owner_rewards;
        s.w.ok(|w| w.withdraw_overflow(a, owner_rewards));
        assert_eq!((s.w.device(&a).owner_rewards, s.w.device(&a).position(0).unwrap().rewards), (0, 0));
    });
}

/// Rules: R40 R53.
/// A slash of `u64::MAX` takes only what the caps allow (here 100%: everything slashable) and
/// moves exactly that to the treasury.
#[test]
fn a_maximal_slash_takes_only_what_the_caps_allow() {
    for_each_scene(|s| {
        let a = s.a;
        let d = s.w.device(&a);
        let slashable = d.owner_stake + d.position(0).unwrap().principal;
        let treasury = s.w.token_balance(&s.w.treasury_token);
        let now = s.w.now();
        s.w.ok(|w| w.slash(a, u64::MAX, now));
        assert_eq!(s.w.token_balance(&s.w.treasury_token), treasury + slashable);
        let after = s.w.device(&a);
        assert_eq!((after.owner_stake, after.position(0).unwrap().principal), (0, 0));
    });
}

/// The supply of an SPL Token mint (bytes 36..44 of its data).
fn spl_supply(data: &[u8]) -> u64 {
    u64::from_le_bytes(data[36..44].try_into().expect("a mint"))
}
