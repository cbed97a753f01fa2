//! `propose_role` (R31): a new oracle, reward authority, slash authority or treasury takes effect
//! after `role_change_delay_secs`, by time alone.
use device_staking_tests::client::device_staking::state::Role;
use device_staking_tests::client::ix;
use device_staking_tests::world::*;
use solana_signer::Signer;

/// Rules: R31.
#[test]
fn a_new_oracle_takes_over_after_the_role_delay() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let (admin, old, new) = (w.roles.admin.insecure_clone(), w.roles.oracle.insecure_clone(), w.funded_keypair());
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

/// Rules: R31.
#[test]
fn a_new_treasury_receives_slashes_only_after_the_role_delay() {
    for_each_world(|w| {
        let device = w.staked_device();
        let admin = w.roles.admin.insecure_clone();
        let new = w.funded_keypair();
        let mint = w.mint.mint;
        let new_token = w.create_ata(&new.pubkey(), &mint);
        let proposed = w.now();
        w.ok(|w| w.send_by(ix::propose_role(admin.pubkey(), Role::Treasury, new.pubkey()), &admin));
        let authority = w.roles.slash_authority.insecure_clone();
        let slash_to = |w: &World, treasury| ix::slash(authority.pubkey(), device, treasury, None, &[], IO, &w.mint);
        w.refused("NotTreasuryAccount", |w| w.send_by(slash_to(w, new_token), &authority));
        w.ok(|w| w.send_by(slash_to(w, w.treasury_token), &authority));
        w.warp_to(proposed + 7 * DAY);
        w.refused("NotTreasuryAccount", |w| w.send_by(slash_to(w, w.treasury_token), &authority));
        w.ok(|w| w.send_by(slash_to(w, new_token), &authority));
        assert_eq!(w.token_balance(&new_token), IO);
    });
}

/// Rules: R31 R51.
#[test]
fn only_the_admin_proposes_a_role() {
    for_each_world(|w| {
        let (old, new) = (w.roles.oracle.insecure_clone(), w.funded_keypair());
        for role in [Role::Oracle, Role::RewardAuthority, Role::SlashAuthority, Role::Treasury] {
            w.refused("NotAdmin", |w| w.send_by(ix::propose_role(old.pubkey(), role, new.pubkey()), &old));
        }
    });
}
