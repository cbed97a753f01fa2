//! Signer attacks on every instruction: a required signature left out, and the right account
//! signed by the wrong key (another owner, another co-staker, a key holding a different role).
//! Each refusal names its error and changes nothing (R51, R52).
use device_staking_tests::attack::*;
use device_staking_tests::client::pda;
use device_staking_tests::world::HALF;
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R3 R31 R51 R52.
/// Every signature an instruction requires is checked: the call with any one of its signer
/// flags cleared (and that key not signing) is refused with `AccountNotSigner`.
#[test]
fn every_required_signature_is_checked() {
    for_each_scene(|s| {
        for call in s.calls() {
            for signer in call.ix.accounts.iter().filter(|m| m.is_signer).map(|m| m.pubkey) {
                let ix = without_signature(&call.ix, &signer);
                let others: Vec<_> = call.signers.iter().filter(|k| k.pubkey() != signer).collect();
                s.refused("AccountNotSigner", &[ix], &others, &[]);
            }
        }
    });
}

/// Rules: R7 R8 R9 R10 R11 R12 R13 R15 R16 R18 R19 R20 R31 R32 R33 R34 R40 R41 R51 R52.
/// The signer of each role-gated instruction replaced by a key that holds another role, another
/// device's owner or another co-staker: refused with the instruction's own error (or, where the
/// signer's key seeds an account, by that account's seeds).
#[test]
fn a_signer_without_the_role_is_refused() {
    for_each_scene(|s| {
        let w = &s.w;
        let (admin, oracle) = (w.roles.admin.insecure_clone(), w.roles.oracle.insecure_clone());
        let pending_admin = s.pending_admin.insecure_clone();
        let (rewarder, slasher) = (w.roles.reward_authority.insecure_clone(), w.roles.slash_authority.insecure_clone());
        let (owner, owner2) = (w.owner.key.insecure_clone(), w.owner2.key.insecure_clone());
        let (costaker0, costaker1, costaker2) = (w.costaker(0).key, w.costaker(1).key, w.costaker(2).key);
        // (instruction, its rightful signer, the impostor, the error)
        let table = [
            ("propose_role", &admin, &oracle, "NotAdmin"),
            ("accept_role", &pending_admin, &admin, "NotPendingKey"),
            ("cancel_role", &admin, &pending_admin, "NotAdmin"),
            ("revoke_role", &admin, &oracle, "NotAdmin"),
            ("set_paused", &admin, &oracle, "NotAdmin"),
            ("update_params", &admin, &rewarder, "NotAdmin"),
            ("cancel_params", &admin, &slasher, "NotAdmin"),
            ("lower_slash_cap", &admin, &slasher, "NotAdmin"),
            ("sweep_surplus", &admin, &slasher, "NotAdmin"),
            ("register_device", &oracle, &admin, "NotOracle"),
            ("update_hardware", &oracle, &admin, "NotOracle"),
            ("set_hired", &oracle, &rewarder, "NotOracle"),
            ("terminate", &oracle, &slasher, "NotOracle"),
            ("distribute_rewards", &rewarder, &slasher, "NotRewardAuthority"),
            ("slash", &slasher, &oracle, "NotSlashAuthority"),
            ("hold", &slasher, &rewarder, "NotSlashAuthority"),
            ("stake", &owner, &owner2, "NotDeviceOwner"),
            ("withdraw_overflow", &owner, &owner2, "NotDeviceOwner"),
            ("unstake", &owner, &owner2, "NotDeviceOwner"),
            ("create_offer", &owner2, &owner, "NotDeviceOwner"),
            ("retract_offer", &owner2, &owner, "NotDeviceOwner"),
            ("close_device", &owner2, &owner, "NotDeviceOwner"),
            ("transfer_device", &owner2, &owner, "NotDeviceOwner"),
            ("cancel_transfer", &owner2, &owner, "NotDeviceOwner"),
            ("accept_device", &owner, &owner2, "NotPendingKey"),
            ("claim_rewards", &costaker0, &costaker1, "NotCostaker"),
            ("withdraw_escrow", &costaker2, &costaker0, "NotCostaker"),
            // the profile's address is the rightful co-staker's: its seeds do not match the impostor
            ("cancel_costake", &costaker0, &costaker1, "ConstraintSeeds"),
            ("close_profile", &costaker1, &costaker2, "ConstraintSeeds"),
        ];
        for (name, rightful, impostor, error) in table {
            let call = s.call(name);
            let ix = call.with(&rightful.pubkey(), impostor.pubkey());
            let signers: Vec<_> =
                call.signers.iter().map(|k| if k.pubkey() == rightful.pubkey() { impostor } else { k }).collect();
            s.refused_as(name, error, &[ix], &signers, &[]);
        }
        // an impostor co-staker with their own profile: the device's table names another
        let call = s.call("cancel_costake");
        let mut ix = call.with(&costaker0.pubkey(), costaker1.pubkey());
        replace_account(&mut ix, &pda::costaker(&costaker0.pubkey()).0, pda::costaker(&costaker1.pubkey()).0);
        s.refused("NotCostaker", &[ix], &[&costaker1], &[]);
    });
}

/// Rules: R11 R51 R52.
/// The device's owner cannot fill their own device's offer, even signing with their own token
/// account (co-staking from another wallet cannot be detected, R11).
#[test]
fn the_owner_cannot_fill_their_own_offer() {
    for_each_scene(|s| {
        let call = s.call("fill_offer");
        let (costaker, owner2) = (s.w.costaker(2), s.w.owner2.clone());
        let mut ix = call.with(&costaker.pubkey(), owner2.pubkey());
        replace_account(&mut ix, &costaker.token, owner2.token);
        replace_account(&mut ix, &pda::costaker(&costaker.pubkey()).0, pda::costaker(&owner2.pubkey()).0);
        s.refused("OwnerCannotCostake", &[ix], &[&owner2.key], &[]);
    });
}

/// Rules: R16 R52.
/// `withdraw_ticket` and `withdraw_position` are anyone's to send, but a stranger who sends them
/// receives nothing: the principal (and rewards) go to the staker's associated token account; a
/// stranger who names their own account as the destination is refused (`WrongRecipient`).
#[test]
fn a_stranger_may_withdraw_but_is_paid_nothing() {
    for_each_scene(|s| {
        let (owner, costaker1) = (s.w.owner.clone(), s.w.costaker(1));
        let ticket = s.w.device(&s.c).ticket_principal;
        let position = s.w.device(&s.c).position(0).unwrap().principal;
        assert_eq!(position, HALF);
        let intruder = s.intruder.insecure_clone();
        let own = s.token_account(&intruder.pubkey(), 0);
        for (name, staker_token) in [("withdraw_ticket", owner.token), ("withdraw_position", costaker1.token)] {
            let call = s.call(name);
            let mut ix = call.with(&s.w.anyone.pubkey(), intruder.pubkey());
            replace_account(&mut ix, &staker_token, own);
            s.refused_as(name, "WrongRecipient", &[ix], &[&intruder], &[own]);
        }
        let before = (s.w.token_balance(&owner.token), s.w.token_balance(&costaker1.token));
        for name in ["withdraw_ticket", "withdraw_position"] {
            let call = s.call(name);
            let ix = call.with(&s.w.anyone.pubkey(), intruder.pubkey());
            s.ok(&[ix], &[&intruder]);
        }
        assert_eq!(
            (s.w.token_balance(&owner.token), s.w.token_balance(&costaker1.token)),
            (before.0 + ticket, before.1 + position)
        );
        assert_eq!(s.w.token_balance(&own), 0);
        let intruder_ata = client::ix::associated_token(&intruder.pubkey(), &s.w.mint);
        assert!(s.w.svm.get_account(&intruder_ata).is_none(), "the caller got no token account");
    });
}
