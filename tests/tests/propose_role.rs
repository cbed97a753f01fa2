//! `propose_role` (R31, R34): the admin proposes a new admin, oracle, reward authority, slash
//! authority or treasury; the key accepts (`accept_role`) and takes over at R34's time at the
//! earliest: proposal + max(role_change_delay_secs, cover + cooldown, cooldown + max_hold) + 1 s.
use anchor_lang::prelude::Pubkey;
use device_staking_tests::client::device_staking::events::RoleChanged;
use device_staking_tests::client::device_staking::state::{Params, Role};
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// R31, R34: a new oracle takes over at R34's time once it accepted; the old one serves until then.
#[test]
fn r31_r34_a_new_oracle_takes_over_at_r34s_time() {
    for_each_world(|w| {
        let device = w.staked_device();
        let (old, new) = (w.roles.oracle.insecure_clone(), w.funded_keypair());
        let proposed = w.now();
        let ok = w.ok(|w| w.propose_role(Role::Oracle, new.pubkey()));
        let e: RoleChanged = events(&ok).remove(0);
        assert_eq!((e.role, e.action, e.current, e.pending), (Role::Oracle as u8, 0, old.pubkey(), new.pubkey()));
        assert_eq!((e.effective_at, e.accepted), (proposed + CHANGE_DELAY, false));
        w.ok(|w| w.accept_role(&new, Role::Oracle));
        w.warp_to(proposed + CHANGE_DELAY - 1);
        let until = w.now() + DAY;
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(new.pubkey(), device, until), &new));
        w.ok(|w| w.send_by(ix::set_hired(old.pubkey(), device, until), &old));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NotOracle", |w| w.send_by(ix::set_hired(old.pubkey(), device, 0), &old));
        w.ok(|w| w.send_by(ix::set_hired(new.pubkey(), device, 0), &new));
        assert_eq!(w.config().oracle.key_at(w.now()), new.pubkey());
    });
}

/// R31: the admin is a role like the others: the successor accepts and takes over at R34's time;
/// the previous admin has no power left afterwards.
#[test]
fn r31_a_new_admin_accepts_and_takes_over_at_r34s_time() {
    for_each_world(|w| {
        let (admin, next) = (w.roles.admin.insecure_clone(), w.funded_keypair());
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Admin, next.pubkey()));
        w.ok(|w| w.accept_role(&next, Role::Admin));
        w.warp_to(proposed + CHANGE_DELAY - 1);
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(next.pubkey(), true), &next));
        w.ok(|w| w.send_by(ix::set_paused(admin.pubkey(), true), &admin));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(admin.pubkey(), false), &admin));
        w.ok(|w| w.send_by(ix::set_paused(next.pubkey(), false), &next));
        assert!(!w.config().is_paused());
    });
}

/// R31: a new treasury receives slashes only from R34's time on.
#[test]
fn r31_a_new_treasury_receives_slashes_only_from_r34s_time() {
    for_each_world(|w| {
        let device = w.staked_device();
        let new = w.funded_keypair();
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Treasury, new.pubkey()));
        w.ok(|w| w.accept_role(&new, Role::Treasury));
        let authority = w.roles.slash_authority.insecure_clone();
        let old = w.roles.treasury.pubkey();
        let slash_to = |w: &World, treasury: Pubkey| ix::slash(authority.pubkey(), device, treasury, IO, w.now(), &w.mint);
        w.warp_to(proposed + CHANGE_DELAY - 1);
        w.refused("NotTreasuryAccount", |w| w.send_by(slash_to(w, new.pubkey()), &authority));
        w.ok(|w| w.send_by(slash_to(w, old), &authority));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NotTreasuryAccount", |w| w.send_by(slash_to(w, old), &authority));
        w.ok(|w| w.send_by(slash_to(w, new.pubkey()), &authority));
        assert_eq!(w.token_balance(&ix::associated_token(&new.pubkey(), &w.mint)), IO);
    });
}

/// R34: the delay is the longest of the admin's role delay, a co-staker's exit (cover window +
/// cooldown) and an owner's held exit (cooldown + max_hold), plus one second, each as in force
/// when proposed.
#[test]
fn r34_the_delay_is_the_longest_of_the_role_delay_and_the_exits() {
    let cases = [
        (Params { role_change_delay_secs: 30 * DAY, ..Params::defaults(6).unwrap() }, 30 * DAY + 1),
        (short_params(), 301),
        (
            Params {
                cover_window_secs: DAY,
                cooldown_secs: 7 * DAY,
                max_hold_secs: 7 * DAY,
                role_change_delay_secs: 0,
                ..Params::defaults(6).unwrap()
            },
            14 * DAY + 1,
        ),
    ];
    for (params, delay) in cases {
        for_each_world_with(params, |w| {
            let key = w.funded_keypair();
            let proposed = w.now();
            let ok = w.ok(|w| w.propose_role(Role::RewardAuthority, key.pubkey()));
            assert_eq!(events::<RoleChanged>(&ok)[0].effective_at, proposed + delay, "{params:?}");
        });
    }
}

/// R34: a newer proposal for the same role replaces the older one and its clock starts again.
#[test]
fn r34_a_newer_proposal_replaces_the_older_and_restarts_the_clock() {
    for_each_world(|w| {
        let (first, second) = (w.funded_keypair(), w.funded_keypair());
        w.ok(|w| w.propose_role(Role::SlashAuthority, first.pubkey()));
        w.ok(|w| w.accept_role(&first, Role::SlashAuthority));
        w.advance(DAY);
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::SlashAuthority, second.pubkey()));
        let slot = w.config().slash_authority;
        assert_eq!((slot.pending, slot.effective_at, slot.is_accepted()), (second.pubkey(), proposed + CHANGE_DELAY, false));
        w.refused("NotPendingKey", |w| w.accept_role(&first, Role::SlashAuthority));
        w.ok(|w| w.accept_role(&second, Role::SlashAuthority));
        let device = w.staked_device();
        w.warp_to(proposed + CHANGE_DELAY);
        let until = w.now() + DAY;
        w.refused("NotSlashAuthority", |w| w.send_by(ix::hold(first.pubkey(), device, until), &first));
        w.ok(|w| w.send_by(ix::hold(second.pubkey(), device, until), &second));
    });
}

/// R31, R51: only the admin proposes, for every role, and never the empty key (revoke instead).
#[test]
fn propose_role_refusals() {
    for_each_world(|w| {
        let (oracle, new) = (w.roles.oracle.insecure_clone(), w.funded_keypair());
        for role in [Role::Admin, Role::Oracle, Role::RewardAuthority, Role::SlashAuthority, Role::Treasury] {
            w.refused("NotAdmin", |w| w.send_by(ix::propose_role(oracle.pubkey(), role, new.pubkey()), &oracle));
            w.refused("InvalidRoleKey", |w| w.propose_role(role, Pubkey::default()));
        }
    });
}
