//! Admin instructions: `propose_admin` / `accept_admin` and `propose_role` (R31), `set_paused`
//! (R32, R17) and `update_params` (R33).
use device_staking_tests::client::device_staking::state::{Config, Params, Role};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use solana_signer::Signer;

fn config(w: &World) -> Config {
    w.decode(&pda::config().0)
}

/// Rules: R31 R51.
#[test]
fn the_admin_is_handed_over_in_two_steps() {
    for_each_world(|w| {
        let (admin, next, intruder) = (w.roles.admin.insecure_clone(), w.funded_keypair(), w.funded_keypair());
        w.refused("NotAdmin", |w| w.send_by(ix::propose_admin(intruder.pubkey(), next.pubkey()), &intruder));
        w.refused("NotPendingAdmin", |w| w.send_by(ix::accept_admin(next.pubkey()), &next));
        w.ok(|w| w.send_by(ix::propose_admin(admin.pubkey(), next.pubkey()), &admin));
        assert_eq!((config(w).admin, config(w).pending_admin), (admin.pubkey(), next.pubkey()));
        w.refused("NotPendingAdmin", |w| w.send_by(ix::accept_admin(intruder.pubkey()), &intruder));
        w.ok(|w| w.send_by(ix::accept_admin(next.pubkey()), &next));
        assert_eq!((config(w).admin, config(w).pending_admin), (next.pubkey(), Default::default()));
        // the previous admin has no power left
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(admin.pubkey(), true), &admin));
        w.ok(|w| w.send_by(ix::set_paused(next.pubkey(), true), &next));
    });
}

/// Rules: R31.
#[test]
fn a_new_oracle_takes_over_after_the_role_delay() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let (admin, old, new) = (w.roles.admin.insecure_clone(), w.roles.oracle.insecure_clone(), w.funded_keypair());
        w.refused("NotAdmin", |w| w.send_by(ix::propose_role(old.pubkey(), Role::Oracle, new.pubkey()), &old));
        let proposed = w.now();
        w.ok(|w| w.send_by(ix::propose_role(admin.pubkey(), Role::Oracle, new.pubkey()), &admin));
        w.warp_to(proposed + 7 * DAY - 1);
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(new.pubkey(), device, true), &new));
        w.ok(|w| w.send_by(ix::set_hired(old.pubkey(), device, true), &old));
        w.warp_to(proposed + 7 * DAY);
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(old.pubkey(), device, false), &old));
        w.ok(|w| w.send_by(ix::set_hired(new.pubkey(), device, false), &new));
    });
}

/// Rules: R17 R32.
#[test]
fn pause_stops_only_stake_offers_fills_and_registration() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let other = w.staked_device();
        let offer = w.offer_ok(other, HALF, SHARE);
        let admin = w.roles.admin.insecure_clone();
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(intruder.pubkey(), true), &intruder));
        w.ok(|w| w.send_by(ix::set_paused(admin.pubkey(), true), &admin));
        assert!(config(w).paused);
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
        w.ok(|w| w.send_by(ix::set_paused(admin.pubkey(), false), &admin));
        w.ok(|w| w.stake(other, 1));
    });
}

/// Rules: R33.
#[test]
fn parameters_change_within_bounds_and_never_move_recorded_deadlines() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        w.ok(|w| w.cancel(&c, device, seq));
        let recorded = w.offer(&device, seq);
        let admin = w.roles.admin.insecure_clone();
        let mut params = Params::defaults(6).unwrap();
        params.cover_window_secs = 1;
        params.cooldown_secs = 1;
        params.base_stake_per_gpu = 400 * IO;
        let bad = Params { cooldown_secs: 0, ..params };
        w.refused("ParamOutOfBounds", |w| w.send_by(ix::update_params(admin.pubkey(), bad), &admin));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::update_params(intruder.pubkey(), params), &intruder));
        w.ok(|w| w.send_by(ix::update_params(admin.pubkey(), params), &admin));
        assert_eq!(config(w).params, params);
        let now = w.offer(&device, seq);
        assert_eq!((now.wait_end, now.unlock_at), (recorded.wait_end, recorded.unlock_at), "R33");
        // the minimum follows the base only through refresh_min (R2), with a grace period
        assert_eq!(w.device(&device).min_required, MIN);
        w.ok(|w| w.env.send(&[ix::refresh_min(device)], &[]));
        let d = w.device(&device);
        assert_eq!((d.min_required, d.grace_min, d.grace_end), (2 * MIN, MIN, w.now() + 1));
    });
}
