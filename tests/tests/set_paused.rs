//! `set_paused` (R32): pauses stake, create_offer, fill_offer and register_device only; the exits
//! are never paused (R17).
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R17 R32.
#[test]
fn pause_stops_only_stake_offers_fills_and_registration() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.staked_device();
        let offer = w.offer_ok(other, HALF, SHARE);
        w.ok(|w| w.set_paused(true));
        assert!(w.config().paused);
        let (owner, c1) = (w.owner.clone(), w.costaker(1));
        let id = w.new_device_id();
        w.refused("Paused", |w| w.try_register(&owner, id, 1, 10_000));
        w.refused("Paused", |w| w.stake(device, 1));
        w.refused("Paused", |w| w.fill(&c1, other, offer));
        w.ok(|w| w.retract(other, offer));
        w.refused("Paused", |w| w.create_offer(other, HALF, SHARE).0);
        // never pausable (R17)
        w.ok(|w| w.withdraw_overflow(device, IO));
        let c0 = w.costaker(0);
        w.ok(|w| w.cancel(&c0, device, seq));
        w.ok(|w| w.unstake(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.ok(|w| w.withdraw_ticket(device, 0));
        w.ok(|w| w.set_paused(false));
        assert!(!w.config().paused);
        w.ok(|w| w.stake(other, 1));
    });
}

/// Rules: R32 R51.
#[test]
fn only_the_admin_pauses() {
    for_each_world(|w| {
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(intruder.pubkey(), true), &intruder));
        let oracle = w.roles.oracle.insecure_clone();
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(oracle.pubkey(), true), &oracle));
    });
}
