//! `withdraw_position` (R14, R16, R22): pays a ripe position's principal and unclaimed rewards to
//! its co-staker, frees its slot and closes its offer (rent to its payer). Signed by the
//! co-staker it pays any account of the mint they name; sent by anyone else it pays the
//! co-staker's associated token account, created if missing. Never held (R41) or paused (R17).
use device_staking_tests::client::device_staking::events::PositionWithdrawn;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R14, R16, R22: anyone withdraws for a co-staker who has no associated token account: it is
/// created, and holds principal and unclaimed rewards; the offer's rent returns to the owner.
#[test]
fn r16_anyone_withdraws_to_the_co_stakers_associated_account_created_if_missing() {
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
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY);
        let ata = ix::associated_token(&c.pubkey(), &w.mint);
        assert!(w.svm.get_account(&ata).is_none());
        let lamports = w.account(&w.owner.pubkey()).lamports;
        let rent = w.account(&pda::offer(&device, seq).0).lamports;
        w.ok(|w| w.set_paused(true));
        let ok = w.ok(|w| w.withdraw_position(device, seq));
        let e: PositionWithdrawn = events(&ok).remove(0);
        assert_eq!((e.seq, e.costaker, e.principal, e.rewards), (seq, c.pubkey(), HALF, 740));
        assert_eq!(w.token_balance(&ata), HALF + 740, "principal and unclaimed rewards (R22)");
        assert!(!w.is_program_account(&pda::offer(&device, seq).0));
        assert_eq!(w.account(&w.owner.pubkey()).lamports, lamports + rent, "the offer's rent back to the owner who paid it");
        assert!(w.device(&device).position(seq).is_err(), "the slot is free");
    });
}

/// R16: the co-staker signs and names any token account of the mint.
#[test]
fn r16_the_co_staker_names_the_account_paid() {
    for_each_world(|w| {
        let (device, seq) = w.ripe_position();
        let c = w.costaker(0);
        let mint = w.mint.mint;
        let elsewhere = w.create_token_account(&c.pubkey(), &mint);
        w.ok(|w| w.withdraw_position_by(&c.key, device, seq, Some(elsewhere)));
        assert_eq!(w.token_balance(&elsewhere), HALF);
    });
}

/// R14, R16, R51: `withdraw_position`'s refusals.
#[test]
fn withdraw_position_refusals() {
    for_each_world(|w| {
        let device = w.staked_device();
        let seq = w.offer_ok(device, HALF, SHARE);
        w.refused("PositionNotFound", |w| w.withdraw_position(device, seq));
        let c = w.costaker(0);
        w.ok(|w| w.fill(&c, device, seq));
        w.refused("PositionNotExiting", |w| w.withdraw_position(device, seq));
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY - 1);
        w.refused("StillLocked", |w| w.withdraw_position(device, seq));
        w.warp_to(cancelled + 21 * DAY);
        // a third party cannot choose the account paid
        let anyone = w.anyone.insecure_clone();
        let mint = w.mint.mint;
        let theirs = w.create_token_account(&anyone.pubkey(), &mint);
        w.refused("WrongRecipient", |w| {
            let ix = ix::withdraw_position(anyone.pubkey(), device, seq, c.pubkey(), w.owner.pubkey(), theirs, &w.mint);
            w.send_by(ix, &anyone)
        });
        // the co-staker and the rent payer are the offer's
        let other = w.costaker(1);
        w.refused("ConstraintHasOne", |w| {
            let ix = ix::withdraw_position(other.pubkey(), device, seq, other.pubkey(), w.owner.pubkey(), other.token, &w.mint);
            w.send_by(ix, &other.key)
        });
        w.refused("ConstraintHasOne", |w| {
            let ix = ix::withdraw_position(c.pubkey(), device, seq, c.pubkey(), other.pubkey(), c.token, &w.mint);
            w.send_by(ix, &c.key)
        });
        w.ok(|w| w.withdraw_position(device, seq));
        w.refused("AccountOwnedByWrongProgram", |w| {
            let ix = ix::withdraw_position(anyone.pubkey(), device, seq, c.pubkey(), w.owner.pubkey(), c.token, &w.mint);
            w.send_by(ix, &anyone)
        });
    });
}

/// R41: a hold never delays a co-staker's exit.
#[test]
fn r41_a_hold_never_delays_a_co_stakers_exit() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.warp_to(cancelled + 21 * DAY - 1);
        w.ok(|w| w.hold(device, w.now() + DAY));
        w.warp_to(cancelled + 21 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
    });
}
