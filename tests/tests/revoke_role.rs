//! `revoke_role` (R34): the admin sets the oracle, the reward authority or the slash authority to
//! none at once; a pending grant of the role is cancelled with it; hired marks set before the
//! oracle's revocation and holds started before the slash authority's no longer count. The admin
//! and the treasury are only ever replaced.
use device_staking_tests::client::device_staking::events::RoleChanged;
use device_staking_tests::client::device_staking::state::Role;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// R34: a revoked oracle can no longer act, nor co-sign a registration; its hired mark stops
/// counting at once; a new oracle is granted the ordinary way.
#[test]
fn r34_a_revoked_oracle_loses_its_power_and_its_hired_marks_at_once() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.set_hired(device, w.now() + 20 * DAY));
        w.refused("DeviceHired", |w| w.unstake(device));
        let ok = w.ok(|w| w.revoke_role(Role::Oracle));
        let e: RoleChanged = events(&ok).remove(0);
        assert_eq!((e.role, e.action, e.current, e.pending), (Role::Oracle as u8, 3, Default::default(), Default::default()));
        assert!(!w.status(device).hired, "a mark set before the revocation no longer counts");
        w.refused("NotOracle", |w| w.set_hired(device, 0));
        let (owner, id) = (w.owner.clone(), w.new_device_id());
        w.refused("NotOracle", |w| w.try_register(&owner, id, 1, 10_000));
        w.ok(|w| w.unstake(device));
        // a new oracle, granted the ordinary way
        let next = w.funded_keypair();
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Oracle, next.pubkey()));
        w.ok(|w| w.accept_role(&next, Role::Oracle));
        w.warp_to(proposed + CHANGE_DELAY);
        let register = ix::register_device(owner.pubkey(), next.pubkey(), id, 1, 10_000, &w.mint);
        w.ok(|w| w.env.send(&[register], &[&owner.key, &next]));
    });
}

/// R34: a revoked reward authority pays nothing.
#[test]
fn r34_a_revoked_reward_authority_pays_nothing() {
    for_each_world(|w| {
        let device = w.staked_device();
        let start = w.now();
        w.advance(60);
        w.ok(|w| w.revoke_role(Role::RewardAuthority));
        w.refused("NotRewardAuthority", |w| w.reward(1, start, start + 60, &[(device, 1_000)]));
        assert_eq!(w.device(&device).owner_rewards, 0);
    });
}

/// R34, R41: a revoked slash authority can neither hold nor slash, its running hold ends at once,
/// and the grant pending for the role is cancelled with it.
#[test]
fn r34_a_revoked_slash_authority_ends_its_holds_and_its_pending_grant() {
    for_each_world(|w| {
        let device = w.staked_device();
        w.ok(|w| w.stake(device, 10 * IO));
        let next = w.funded_keypair();
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::SlashAuthority, next.pubkey()));
        w.ok(|w| w.accept_role(&next, Role::SlashAuthority));
        w.ok(|w| w.hold(device, w.now() + 7 * DAY));
        w.refused("DeviceOnHold", |w| w.withdraw_overflow(device, IO));
        w.ok(|w| w.revoke_role(Role::SlashAuthority));
        assert!(!w.status(device).held);
        w.ok(|w| w.withdraw_overflow(device, IO));
        w.refused("NotSlashAuthority", |w| w.hold(device, w.now() + DAY));
        w.refused("NotSlashAuthority", |w| w.slash(device, IO, w.now()));
        assert!(!w.config().slash_authority.has_pending());
        w.warp_to(proposed + CHANGE_DELAY);
        let treasury = w.roles.treasury.pubkey();
        w.refused("NotSlashAuthority", |w| {
            let ix = ix::slash(next.pubkey(), device, treasury, IO, w.now(), &w.mint);
            w.send_by(ix, &next)
        });
    });
}

/// R34, R51: only the admin revokes, and only the oracle, the reward authority and the slash
/// authority.
#[test]
fn revoke_role_refusals() {
    for_each_world(|w| {
        w.refused("RoleNotRevocable", |w| w.revoke_role(Role::Admin));
        w.refused("RoleNotRevocable", |w| w.revoke_role(Role::Treasury));
        let oracle = w.roles.oracle.insecure_clone();
        w.refused("NotAdmin", |w| w.send_by(ix::revoke_role(oracle.pubkey(), Role::Oracle), &oracle));
        let intruder = w.funded_keypair();
        w.refused("NotAdmin", |w| w.send_by(ix::revoke_role(intruder.pubkey(), Role::SlashAuthority), &intruder));
    });
}
