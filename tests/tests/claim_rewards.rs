//! `claim_rewards(seq)` (R12): a co-staker takes their position's unclaimed rewards at any time,
//! in any state of the position, to any token account of the mint; never paused (R17).
use device_staking_tests::client::device_staking::events::RewardsClaimed;
use device_staking_tests::client::ix;
use device_staking_tests::events;
use device_staking_tests::world::*;

/// Pays one block from `start` to now into `device` and returns its end.
fn pay_block(w: &mut World, block_id: u64, start: i64, device: anchor_lang::prelude::Pubkey, amount: u64) -> i64 {
    w.advance(60);
    let end = w.now();
    w.ok(|w| w.reward(block_id, start, end, &[(device, amount)]));
    end
}

/// Rules: R12 R17 R50.
#[test]
fn r12_a_co_staker_claims_rewards_even_after_cancelling_and_while_paused() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        let end = pay_block(w, 1, filled, device, 10_000);
        assert_eq!(w.device(&device).position(seq).unwrap().rewards, 7_400);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.set_paused(true));
        let ok = w.ok(|w| w.claim(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + 7_400);
        assert_eq!(w.device(&device).position(seq).unwrap().rewards, 0);
        let e: Vec<RewardsClaimed> = events(&ok);
        assert_eq!((e.len(), e[0].device, e[0].seq, e[0].costaker, e[0].amount), (1, device, seq, c.pubkey(), 7_400));
        pay_block(w, 2, end, device, 1_000);
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.claim(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + 8_140);
    });
}

/// Rules: R12 R15.
/// Rewards credited before the owner's unstake are claimable while the position cools down.
#[test]
fn r12_a_cooling_position_after_the_owners_unstake_still_claims() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        pay_block(w, 1, filled, device, 1_000);
        w.ok(|w| w.unstake(device));
        let before = w.token_balance(&c.token);
        w.ok(|w| w.claim(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + 740);
    });
}

/// Rules: R12.
/// The co-staker signs, so the rewards may go to any token account of the mint they name.
#[test]
fn r12_rewards_go_to_any_account_the_co_staker_names() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        pay_block(w, 1, filled, device, 1_000);
        let mint = w.mint.mint;
        let stranger = w.owner2.pubkey();
        let elsewhere = w.create_token_account(&stranger, &mint);
        let before = w.token_balance(&c.token);
        w.ok(|w| w.send_by(ix::claim_rewards(c.pubkey(), device, seq, elsewhere, &w.mint), &c.key));
        assert_eq!((w.token_balance(&elsewhere), w.token_balance(&c.token)), (740, before));
    });
}

/// Rules: R12 R51.
/// Every refusal by name, each leaving every account unchanged.
#[test]
fn r12_claim_rewards_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.refused("NothingToClaim", |w| w.claim(&c, device, seq));
        let filled = w.now();
        pay_block(w, 1, filled, device, 10_000);
        let other = w.costaker(1);
        w.refused("NotCostaker", |w| w.claim(&other, device, seq));
        w.refused("PositionNotFound", |w| w.claim(&c, device, seq + 1));
        w.ok(|w| w.claim(&c, device, seq));
        w.refused("NothingToClaim", |w| w.claim(&c, device, seq));
        // a token account of another mint is refused by the account checks
        let other_mint = w.create_mint(device_staking_tests::SPL_TOKEN, 6, &[]);
        let foreign = w.create_token_account(&c.pubkey(), &other_mint);
        w.refused("ConstraintTokenMint", |w| w.send_by(ix::claim_rewards(c.pubkey(), device, seq, foreign, &w.mint), &c.key));
    });
}
