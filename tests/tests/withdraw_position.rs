//! `withdraw_position` (R14, R16, R22): anyone pays a ripe position's principal and unclaimed
//! rewards to the co-staker and closes the offer; never held (R41).
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use solana_signer::Signer;

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
        w.ok(|w| w.cancel(&c, device, seq));
        w.advance(21 * DAY);
        let ata = ix::associated_token(&c.pubkey(), &w.mint);
        assert!(w.svm.get_account(&ata).is_none());
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        w.ok(|w| w.withdraw_position(device, seq));
        assert_eq!(w.token_balance(&ata), HALF + 740, "principal and unclaimed rewards (R22)");
        assert!(w.svm.get_account(&pda::offer(&device, seq).0).is_none());
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "the offer's rent back to the owner who paid it");
        let d = w.device(&device);
        assert_eq!((d.positions_principal, d.positions_rewards, d.live_offers), (0, 0, 0));
    });
}

/// Rules: R14 R16 R51.
#[test]
fn withdraw_position_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("PositionNotExiting", |w| w.withdraw_position(device, seq));
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        w.refused("PositionNotExiting", |w| w.withdraw_position(device, seq));
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.warp_to(cancelled + 21 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        let anyone = w.anyone.insecure_clone();
        w.refused("AccountNotInitialized", |w| {
            let ix = ix::withdraw_position(anyone.pubkey(), device, seq, c.pubkey(), w.owner.pubkey(), &w.mint);
            w.send_by(ix, &anyone)
        });
    });
}

/// Rules: R41.
#[test]
fn a_hold_never_delays_a_co_stakers_exit() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY);
        w.ok(|w| w.hold(device, w.now() + DAY));
        w.ok(|w| w.withdraw_position(device, seq));
    });
}
