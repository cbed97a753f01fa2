//! `update_params` (R33, R34): the admin proposes a full parameter set within the bounds and the
//! floors; it applies at R34's time by time alone; deadlines already recorded never move; a newer
//! proposal replaces the older one and its clock starts again.
use device_staking_tests::client::device_staking::events::ParamsProposed;
use device_staking_tests::client::device_staking::state::Params;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// Short windows and a doubled base, within the local floors.
fn short_windows() -> Params {
    Params { cover_window_secs: 1, cooldown_secs: 1, base_stake_per_gpu: 400 * IO, ..Params::defaults(6).unwrap() }
}

/// R33, R34: proposed parameters apply at R34's time and not a second before; a deadline
/// recorded under the old ones never moves; a new exit uses the new ones.
#[test]
fn r33_r34_parameters_apply_at_r34s_time_and_never_move_recorded_deadlines() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let c = w.costaker(0);
        let proposed = w.now();
        let params = short_windows();
        let ok = w.ok(|w| w.update_params(params));
        let e: ParamsProposed = events(&ok).remove(0);
        assert_eq!((e.current, e.pending, e.effective_at), (Params::defaults(6).unwrap(), params, proposed + CHANGE_DELAY));
        w.warp_to(proposed + CHANGE_DELAY - 1);
        w.ok(|w| w.cancel(&c, device, seq));
        let recorded = *w.device(&device).position(seq).unwrap();
        assert_eq!(
            (recorded.wait_end, recorded.unlock_at),
            (w.now() + 7 * DAY, w.now() + 21 * DAY),
            "the old windows until the change"
        );
        w.warp_to(proposed + CHANGE_DELAY);
        assert_eq!(w.params(), params);
        let now = *w.device(&device).position(seq).unwrap();
        assert_eq!((now.wait_end, now.unlock_at), (recorded.wait_end, recorded.unlock_at), "R33: recorded deadlines stay");
        // a new exit uses the new windows
        w.ok(|w| w.stake(device, MIN));
        let next = w.offer_ok(device, HALF, SHARE);
        let c1 = w.costaker(1);
        w.ok(|w| w.fill(&c1, device, next));
        w.ok(|w| w.cancel(&c1, device, next));
        let p = *w.device(&device).position(next).unwrap();
        assert_eq!((p.wait_end, p.unlock_at), (w.now() + 1, w.now() + 2));
    });
}

/// R1, R34: a new base applies to every device at R34's time, without any refresh: the minimum,
/// and with it eligibility, follow the base in force.
#[test]
fn r1_r34_a_base_change_applies_to_every_device_at_r34s_time_without_a_refresh() {
    for_each_world(|w| {
        let device = w.staked_device();
        let proposed = w.now();
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: 400 * IO, ..Params::defaults(6).unwrap() }));
        w.warp_to(proposed + CHANGE_DELAY - 1);
        let status = w.status(device);
        assert_eq!((status.min_required, status.eligible), (MIN, true));
        w.warp_to(proposed + CHANGE_DELAY);
        let status = w.status(device);
        assert_eq!((status.min_required, status.min_in_force, status.eligible), (2 * MIN, 2 * MIN, false));
        w.ok(|w| w.stake(device, MIN));
        assert!(w.eligible(&device));
        // a lower base applies the same way
        let proposed = w.now();
        w.ok(|w| w.update_params(Params { base_stake_per_gpu: 100 * IO, ..Params::defaults(6).unwrap() }));
        w.warp_to(proposed + CHANGE_DELAY);
        assert_eq!(w.status(device).min_in_force, HALF);
    });
}

/// R34: a newer proposal replaces the older one and its clock starts again.
#[test]
fn r34_a_newer_proposal_replaces_the_older_one() {
    for_each_world(|w| {
        let first = w.now();
        w.ok(|w| w.update_params(short_windows()));
        w.advance(DAY);
        let second = w.now();
        let replacement = Params { max_active_costakes: 3, ..Params::defaults(6).unwrap() };
        w.ok(|w| w.update_params(replacement));
        w.warp_to(first + CHANGE_DELAY);
        assert_eq!(w.params(), Params::defaults(6).unwrap(), "the first proposal is gone");
        w.warp_to(second + CHANGE_DELAY);
        assert_eq!(w.params(), replacement);
    });
}

/// R30, R33, R51: out of bounds, below a floor, or not by the admin.
#[test]
fn update_params_refusals() {
    for_each_world(|w| {
        let admin = w.roles.admin.insecure_clone();
        for bad in [
            Params { cooldown_secs: 0, ..short_windows() },
            Params { cover_window_secs: 14 * DAY + 1, ..short_windows() },
            Params { max_costake_bps: 5_001, ..short_windows() },
            Params { min_offer_bps: 0, ..short_windows() },
            Params { max_hold_secs: 7 * DAY + 1, ..short_windows() },
            Params { role_change_delay_secs: 30 * DAY + 1, ..short_windows() },
            Params { base_stake_per_gpu: 0, ..short_windows() },
        ] {
            w.refused("ParamOutOfBounds", |w| w.send_by(ix::update_params(admin.pubkey(), bad), &admin));
        }
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::update_params(intruder.pubkey(), short_windows()), &intruder));
    });
}

/// R30, R33: the floors fixed at initialize bound every later proposal.
#[test]
fn r33_a_proposal_below_a_floor_is_refused() {
    for binary in Binary::ALL {
        let mut env = TestEnv::new(binary);
        let roles = env.roles();
        let mint = env.create_mint(SPL_TOKEN, 6, &[]);
        let authority = env.upgrade_authority();
        let floors = device_staking_tests::client::device_staking::state::Floors {
            cover_window_secs: DAY,
            cooldown_secs: 7 * DAY,
            role_change_delay_secs: 7 * DAY,
        };
        assert_ok(&env.send(
            &[ix::initialize(authority.pubkey(), mint, SPL_TOKEN, roles.initialize_args_with(floors, None))],
            &[&authority],
        ));
        let admin = roles.admin.insecure_clone();
        for bad in [
            Params { cover_window_secs: DAY - 1, ..Params::defaults(6).unwrap() },
            Params { cooldown_secs: 7 * DAY - 1, ..Params::defaults(6).unwrap() },
            Params { role_change_delay_secs: 7 * DAY - 1, ..Params::defaults(6).unwrap() },
        ] {
            assert_err(&env.send(&[ix::update_params(admin.pubkey(), bad)], &[&admin]), "ParamOutOfBounds");
        }
        assert_ok(&env.send(&[ix::update_params(admin.pubkey(), Params::defaults(6).unwrap())], &[&admin]));
    }
}
