//! `claim_rewards` (R12): a co-staker takes their position's unclaimed rewards at any time, in
//! any state of the position; never paused (R17).
use device_staking_tests::world::*;

/// Rules: R12 R17.
#[test]
fn a_co_staker_claims_rewards_even_after_cancelling_and_while_paused() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 10_000)]));
        let before = w.token_balance(&c.token);
        w.ok(|w| w.set_paused(true));
        w.ok(|w| w.claim(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + 7_400);
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).positions_rewards), (0, 0));
        w.advance(60);
        w.ok(|w| w.reward(2, filled, w.now(), &[(device, 1_000)]));
        w.ok(|w| w.cancel(&c, device, seq));
        w.ok(|w| w.claim(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + 8_140);
    });
}

/// Rules: R12 R51.
#[test]
fn claim_rewards_refusals() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.refused("NothingToClaim", |w| w.claim(&c, device, seq));
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 10_000)]));
        let other = w.costaker(1);
        w.refused("NotCostaker", |w| w.claim(&other, device, seq));
        w.refused("AccountNotInitialized", |w| w.claim(&c, device, seq + 1));
        w.ok(|w| w.claim(&c, device, seq));
        w.refused("NothingToClaim", |w| w.claim(&c, device, seq));
    });
}
