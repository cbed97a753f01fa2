//! `withdraw_ticket` and `withdraw_position` (R14, R16, R22), and `claim_rewards` (R12).
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R16.
#[test]
fn anyone_withdraws_a_ripe_ticket_to_the_owner() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 14 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_ticket(device, 0));
        w.refused("AccountNotInitialized", |w| w.withdraw_ticket(device, 1));
        w.warp_to(start + 14 * DAY);
        let (tokens, lamports) = (w.token_balance(&w.owner.token), w.account(&w.owner.pubkey()).lamports);
        let rent = w.account(&pda::ticket(&device, 0).0).lamports;
        w.ok(|w| w.withdraw_ticket(device, 0));
        assert_eq!(w.token_balance(&w.owner.token), tokens + MIN);
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "rent back to the payer");
        let d = w.device(&device);
        assert_eq!((d.unstaking, d.ticket_principal), (false, 0));
    });
}

/// Rules: R41.
#[test]
fn a_held_ticket_waits_for_the_hold() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.ok(|w| w.unstake(device));
        w.warp_to(start + 13 * DAY);
        w.ok(|w| w.hold(device, start + 15 * DAY));
        w.warp_to(start + 15 * DAY - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device, 0));
        w.warp_to(start + 15 * DAY);
        w.ok(|w| w.withdraw_ticket(device, 0));
    });
}

/// Rules: R14 R16 R22.
#[test]
fn a_position_withdrawal_pays_principal_and_rewards_and_creates_the_ata() {
    for_each_world(|w| {
        let device = w.staked_device();
        // a co-staker paying from a plain token account, without an associated one
        let key = w.funded_keypair();
        let mint = w.mint.mint;
        let token = w.create_token_account(&key.pubkey(), &mint);
        w.mint_to(&mint, &token, HALF);
        let c = Wallet { key, token };
        let seq = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&c, device, seq));
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        w.refused("PositionNotExiting", |w| w.withdraw_position(device, seq));
        w.ok(|w| w.cancel(&c, device, seq));
        w.advance(21 * DAY);
        let ata = ix::associated_token(&c.pubkey(), &w.mint);
        assert!(w.svm.get_account(&ata).is_none());
        w.ok(|w| w.withdraw_position(device, seq));
        assert_eq!(w.token_balance(&ata), HALF + 740, "principal and unclaimed rewards (R22)");
        assert!(w.svm.get_account(&pda::offer(&device, seq).0).is_none());
    });
}

/// Rules: R12.
#[test]
fn a_co_staker_claims_rewards() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.refused("NothingToClaim", |w| w.claim(&c, device, seq));
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 10_000)]));
        let other = w.costaker(1);
        w.refused("NotCostaker", |w| w.claim(&other, device, seq));
        let before = w.token_balance(&c.token);
        w.ok(|w| w.claim(&c, device, seq));
        assert_eq!(w.token_balance(&c.token), before + 7_400);
        assert_eq!((w.offer(&device, seq).rewards, w.device(&device).positions_rewards), (0, 0));
        w.refused("NothingToClaim", |w| w.claim(&c, device, seq));
    });
}
