//! `accept_role` (R31): the proposed key proves control by signing; it takes over at the later
//! of its acceptance and R34's time. Nobody else can accept, and an unaccepted key never takes over.
use device_staking_tests::client::device_staking::events::RoleChanged;
use device_staking_tests::client::device_staking::state::Role;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_signer::Signer;

/// R34's delay with the default parameters: 7 d + 14 d + 1 s.
const CHANGE_DELAY: i64 = 21 * DAY + 1;

/// R31: acceptance is recorded (event `accepted`); an acceptance before R34's time takes effect
/// at that time, one after it at once.
#[test]
fn r31_the_proposed_key_takes_over_at_the_later_of_acceptance_and_r34s_time() {
    for_each_world(|w| {
        let (early, late) = (w.funded_keypair(), w.funded_keypair());
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::RewardAuthority, early.pubkey()));
        w.ok(|w| w.propose_role(Role::Treasury, late.pubkey()));
        let ok = w.ok(|w| w.accept_role(&early, Role::RewardAuthority));
        let e: RoleChanged = events(&ok).remove(0);
        assert_eq!((e.role, e.action, e.pending, e.accepted), (Role::RewardAuthority as u8, 1, early.pubkey(), true));
        assert_eq!(e.effective_at, proposed + CHANGE_DELAY);
        let config = w.config();
        assert_eq!(config.reward_authority.key_at(proposed + CHANGE_DELAY - 1), w.roles.reward_authority.pubkey());
        assert_eq!(config.reward_authority.key_at(proposed + CHANGE_DELAY), early.pubkey());
        // the treasury's key accepts 9 days late: it takes over at its acceptance
        w.warp_to(proposed + 30 * DAY);
        assert_eq!(w.config().treasury.key_at(w.now()), w.roles.treasury.pubkey(), "not accepted: never in force");
        w.ok(|w| w.accept_role(&late, Role::Treasury));
        assert_eq!(w.config().treasury.key_at(w.now()), late.pubkey());
        // the reward authority in force pays
        let device = w.staked_device();
        let start = w.now();
        w.advance(60);
        let mint = w.mint.mint;
        let source = w.create_ata(&early.pubkey(), &mint);
        w.mint_to(&mint, &source, 1_000);
        let pay = |w: &World, key: &solana_keypair::Keypair, from| {
            ix::distribute_rewards(key.pubkey(), from, 1, start, start + 60, &[w.target(device, 1_000)], &w.mint)
        };
        let old = w.roles.reward_authority.insecure_clone();
        w.refused("NotRewardAuthority", |w| w.send_by(pay(w, &old, w.reward_source), &old));
        w.ok(|w| w.send_by(pay(w, &early, source), &early));
        assert_eq!(w.device(&device).owner_rewards, 1_000);
    });
}

/// R31: a pending change survives a handover of the admin and stays cancellable by the admin
/// in force; its key still accepts it.
#[test]
fn r31_a_pending_change_survives_an_admin_handover() {
    for_each_world(|w| {
        let (next_admin, oracle) = (w.funded_keypair(), w.funded_keypair());
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Admin, next_admin.pubkey()));
        w.ok(|w| w.propose_role(Role::Oracle, oracle.pubkey()));
        w.ok(|w| w.accept_role(&next_admin, Role::Admin));
        w.warp_to(proposed + CHANGE_DELAY);
        w.ok(|w| w.accept_role(&oracle, Role::Oracle));
        assert_eq!(w.config().oracle.key_at(w.now()), oracle.pubkey());
        let old_admin = w.roles.admin.insecure_clone();
        w.refused("NotAdmin", |w| w.send_by(ix::set_paused(old_admin.pubkey(), true), &old_admin));
        w.ok(|w| w.send_by(ix::set_paused(next_admin.pubkey(), true), &next_admin));
    });
}

/// R31, R51: only the proposed key accepts, only the role it was proposed for, and only while a
/// proposal is pending (once in force, there is nothing left to accept).
#[test]
fn accept_role_refusals() {
    for_each_world(|w| {
        let (key, intruder) = (w.funded_keypair(), w.funded_keypair());
        w.refused("NoPendingChange", |w| w.accept_role(&key, Role::Oracle));
        let proposed = w.now();
        w.ok(|w| w.propose_role(Role::Oracle, key.pubkey()));
        w.refused("NotPendingKey", |w| w.accept_role(&intruder, Role::Oracle));
        let admin = w.roles.admin.insecure_clone();
        w.refused("NotPendingKey", |w| w.accept_role(&admin, Role::Oracle));
        w.refused("NoPendingChange", |w| w.accept_role(&key, Role::SlashAuthority));
        w.ok(|w| w.accept_role(&key, Role::Oracle));
        w.warp_to(proposed + CHANGE_DELAY);
        w.refused("NoPendingChange", |w| w.accept_role(&key, Role::Oracle));
        assert_eq!(w.config().oracle.key_at(w.now()), key.pubkey());
    });
}
