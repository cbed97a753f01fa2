//! `cancel_role` (R31): until a proposed key takes over, the admin in force may cancel it; a
//! cancelled key never takes over, even if it had accepted.
use device_staking_tests::client::device_staking::events::RoleChanged;
use device_staking_tests::client::device_staking::state::Role;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// R31: an accepted proposal cancelled one second before it would apply never applies.
#[test]
fn r31_a_cancelled_key_never_takes_over() {
    for_each_world(|w| {
        let device = w.staked_device();
        let next = w.funded_keypair();
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::SlashAuthority, next.pubkey()));
        w.ok(|w| w.accept_role(&next, Role::SlashAuthority));
        w.warp_to(proposed + CHANGE_DELAY - 1);
        let ok = w.ok(|w| w.cancel_role(Role::SlashAuthority));
        let e: RoleChanged = events(&ok).remove(0);
        assert_eq!((e.role, e.action), (Role::SlashAuthority as u8, 2));
        assert_eq!(
            (e.current, e.pending, e.effective_at, e.accepted),
            (w.roles.slash_authority.pubkey(), Default::default(), 0, false)
        );
        w.warp_to(proposed + 60 * DAY);
        w.refused("NotSlashAuthority", |w| w.send_by(ix::hold(next.pubkey(), device, w.now() + DAY), &next));
        w.refused("NoPendingChange", |w| w.accept_role(&next, Role::SlashAuthority));
        w.ok(|w| w.hold(device, w.now() + DAY));
    });
}

/// R31: after a handover, the new admin cancels a change the previous admin proposed.
#[test]
fn r31_the_admin_in_force_cancels_a_change_proposed_before_the_handover() {
    for_each_world(|w| {
        let (next_admin, treasury) = (w.funded_keypair(), w.funded_keypair());
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Admin, next_admin.pubkey()));
        w.ok(|w| w.accept_role(&next_admin, Role::Admin));
        w.advance(DAY);
        w.ok(|w| w.propose_role(Role::Treasury, treasury.pubkey()));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NotAdmin", |w| w.cancel_role(Role::Treasury));
        w.ok(|w| w.send_by(ix::cancel_role(next_admin.pubkey(), Role::Treasury), &next_admin));
        assert!(!w.config().treasury.has_pending());
    });
}

/// R31, R51: only the admin cancels, and only a pending change (one that took over is no longer
/// pending).
#[test]
fn cancel_role_refusals() {
    for_each_world(|w| {
        let (key, intruder) = (w.funded_keypair(), w.funded_keypair());
        w.refused("NoPendingChange", |w| w.cancel_role(Role::Oracle));
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Oracle, key.pubkey()));
        w.refused("NotAdmin", |w| w.send_by(ix::cancel_role(intruder.pubkey(), Role::Oracle), &intruder));
        w.refused("NotAdmin", |w| w.send_by(ix::cancel_role(key.pubkey(), Role::Oracle), &key));
        w.refused("NoPendingChange", |w| w.cancel_role(Role::RewardAuthority));
        w.ok(|w| w.accept_role(&key, Role::Oracle));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NoPendingChange", |w| w.cancel_role(Role::Oracle));
        assert_eq!(w.config().oracle.key_at(w.now()), key.pubkey());
    });
}
