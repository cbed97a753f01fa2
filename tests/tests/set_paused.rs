//! `set_paused` (R32): pauses register_device, create_offer, fill_offer and stake (except to
//! cover, R6), at once; the exits are never paused (R17).
use device_staking_tests::client::device_staking::events::PausedSet;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R17, R32: pause stops registrations, offers, fills and stake; every exit goes on.
#[test]
fn r32_pause_stops_only_registration_offers_fills_and_stake() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.staked_device();
        let offer = w.offer_ok(other, HALF, SHARE);
        let ok = w.ok(|w| w.set_paused(true));
        assert!(events::<PausedSet>(&ok)[0].paused);
        assert!(w.config().is_paused());
        let (owner, c0, c1) = (w.owner.clone(), w.costaker(0), w.costaker(1));
        let id = w.new_device_id();
        w.refused("Paused", |w| w.try_register(&owner, id, 1, 10_000));
        w.refused("Paused", |w| w.stake(device, 1));
        w.refused("Paused", |w| w.fill(&c1, other, offer));
        w.ok(|w| w.retract(other, offer));
        w.refused("Paused", |w| w.create_offer(other, HALF, SHARE).0);
        // never pausable (R17)
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000)]));
        w.ok(|w| w.claim(&c0, device, seq));
        w.ok(|w| w.withdraw_overflow(device, IO));
        w.ok(|w| w.cancel(&c0, device, seq));
        w.ok(|w| w.unstake(device));
        w.advance(14 * DAY);
        w.ok(|w| w.withdraw_position(device, seq));
        w.ok(|w| w.withdraw_ticket(device));
        w.ok(|w| w.close_device(device));
        let ok = w.ok(|w| w.set_paused(false));
        assert!(!events::<PausedSet>(&ok)[0].paused);
        w.ok(|w| w.stake(other, 1));
    });
}

/// R6, R32: while paused the owner stakes only to cover: while a co-staker's wait runs, up to
/// what keeps counted stake at the minimum once it ends (StakeExceedsCover above it); with
/// nothing to cover, nothing (Paused).
#[test]
fn r6_r32_while_paused_the_owner_stakes_only_to_cover() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        w.ok(|w| w.withdraw_overflow(device, HALF));
        w.ok(|w| w.set_paused(true));
        w.refused("Paused", |w| w.stake(device, 1));
        let c = w.costaker(0);
        let cancelled = w.now();
        w.ok(|w| w.cancel(&c, device, seq));
        w.refused("StakeExceedsCover", |w| w.stake(device, HALF + 1));
        w.ok(|w| w.stake(device, HALF - IO));
        w.warp_to(cancelled + 7 * DAY - 1);
        w.refused("StakeExceedsCover", |w| w.stake(device, IO + 1));
        w.ok(|w| w.stake(device, IO));
        w.refused("Paused", |w| w.stake(device, 1));
        w.warp_to(cancelled + 7 * DAY);
        assert!(w.eligible(&device), "covered before the wait ended");
        // an R2 grace is covered the same way
        w.ok(|w| w.update_hardware(device, 2 * GPUS, MULTIPLIER));
        w.refused("StakeExceedsCover", |w| w.stake(device, MIN + 1));
        w.ok(|w| w.stake(device, MIN));
    });
}

/// R32, R51: only the admin pauses.
#[test]
fn set_paused_refusals() {
    for_each_world(|w| {
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(intruder.pubkey(), true), &intruder));
        let oracle = w.roles.oracle.insecure_clone();
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(oracle.pubkey(), true), &oracle));
    });
}
