//! Account attacks: program accounts owned by another program, a vault that is not the device's,
//! another device's offer or ticket, the same account in two places, re-initialization, a closed
//! account revived in the same transaction, and unexpected remaining accounts. Each refusal names
//! its error and changes nothing; R52 holds after each (R51, R52).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::system_program;
use device_staking_tests::attack::*;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::IO;
use device_staking_tests::*;
use solana_signer::Signer;

/// Rules: R51 R52.
/// Every program account every instruction reads (config, device, offer, ticket, profile, and the
/// devices and offers of remaining accounts), with its exact bytes at its own address but owned
/// by the system program, a token program or an unknown program: `AccountOwnedByWrongProgram`.
#[test]
fn program_accounts_owned_by_another_program_are_refused() {
    for_each_scene(|s| {
        for call in s.calls() {
            for address in program_accounts(s, &call.ix) {
                for owner in [system_program::ID, SPL_TOKEN, Pubkey::new_unique()] {
                    s.refused_while_owned_by(&address, owner, "AccountOwnedByWrongProgram", &call);
                }
            }
        }
    });
}

/// Rules: R8 R12 R16 R20 R40 R52.
/// A device's vault replaced by a token account of the right mint owned by the device PDA (but not
/// its vault PDA), or by another device's vault, in every instruction that moves tokens through it.
#[test]
fn a_vault_that_is_not_the_devices_is_refused() {
    for_each_scene(|s| {
        let (a, b, c, d, e) = (s.a, s.b, s.c, s.d, s.e);
        let (stake, overflow) = (|d: &Pubkey| pda::stake_vault(d).0, |d: &Pubkey| pda::overflow_vault(d).0);
        // (instruction, the device, its vault named there, the error)
        let table = [
            ("stake", a, stake(&a), "ConstraintHasOne"),
            ("fill_offer", b, stake(&b), "ConstraintHasOne"),
            ("withdraw_overflow", a, stake(&a), "ConstraintHasOne"),
            ("withdraw_overflow", a, overflow(&a), "ConstraintHasOne"),
            ("claim_rewards", a, overflow(&a), "ConstraintHasOne"),
            ("withdraw_ticket", c, stake(&c), "ConstraintHasOne"),
            ("withdraw_position", c, stake(&c), "ConstraintHasOne"),
            ("withdraw_position", c, overflow(&c), "ConstraintHasOne"),
            ("slash", a, stake(&a), "ConstraintHasOne"),
            ("sweep_surplus", a, stake(&a), "ConstraintHasOne"),
            ("sweep_surplus", a, overflow(&a), "ConstraintHasOne"),
            ("close_device", e, stake(&e), "ConstraintHasOne"),
            ("close_device", e, overflow(&e), "ConstraintHasOne"),
            ("distribute_rewards", a, overflow(&a), "BatchAccountsMismatch"),
        ];
        for (name, device, vault, error) in table {
            let call = s.call(name);
            let lookalike = s.token_account(&device, 5);
            s.refused(error, &[call.with(&vault, lookalike)], &call.signer_refs(), &[lookalike]);
            s.refused_call(error, &call, call.with(&vault, stake(&d)));
        }
    });
}

/// Rules: R10 R11 R12 R13 R15 R16 R20 R40 R54 R52.
/// An offer or ticket of another device named where the instruction's device's own is expected.
#[test]
fn another_devices_offer_or_ticket_is_refused() {
    for_each_scene(|s| {
        let (a, b, c) = (s.a, s.b, s.c);
        let (offer, ticket) = (|d: &Pubkey, seq| pda::offer(d, seq).0, |d: &Pubkey, seq| pda::ticket(d, seq).0);
        // (instruction, the account named, another device's, the error)
        let table = [
            ("retract_offer", offer(&b, 0), offer(&a, 0), "ConstraintSeeds"),
            ("fill_offer", offer(&b, 0), offer(&a, 0), "ConstraintSeeds"),
            ("cancel_costake", offer(&a, 0), offer(&c, 0), "ConstraintSeeds"),
            ("claim_rewards", offer(&a, 0), offer(&c, 0), "ConstraintSeeds"),
            ("withdraw_position", offer(&c, 0), offer(&a, 0), "ConstraintSeeds"),
            ("create_offer", offer(&s.d, 0), offer(&b, 0), "ConstraintSeeds"),
            ("unstake", offer(&a, 0), offer(&c, 0), "PositionAccountsMismatch"),
            ("slash", offer(&a, 0), offer(&c, 0), "PositionAccountsMismatch"),
            ("distribute_rewards", offer(&a, 0), offer(&c, 0), "WrongRewardOffer"),
            ("device_status", offer(&a, 0), offer(&c, 0), "WrongDevice"),
            ("unstake", ticket(&a, 0), ticket(&c, 0), "ConstraintSeeds"),
        ];
        for (name, own, foreign, error) in table {
            let call = s.call(name);
            s.refused_call(error, &call, call.with(&own, foreign));
        }
        // the ticket of c named for a: by withdraw_ticket (on a's accounts), slash and device_status
        // (a has no ticket 0: naming it is AccountNotInitialized)
        let call = s.call("withdraw_ticket");
        let mut on_a = call.with(&c, a);
        replace_account(&mut on_a, &pda::stake_vault(&c).0, pda::stake_vault(&a).0);
        s.refused_call("ConstraintSeeds", &call, on_a);
        let (w, slasher) = (&s.w, s.w.roles.slash_authority.insecure_clone());
        let slash = ix::slash(slasher.pubkey(), a, w.treasury_token, Some(0), &[0], s.past_owner_stake(), &w.mint);
        s.refused_call("AccountNotInitialized", &s.call("slash"), slash.clone());
        let mut slash_c_ticket = slash;
        replace_account(&mut slash_c_ticket, &ticket(&a, 0), ticket(&c, 0));
        s.refused_call("ConstraintSeeds", &s.call("slash"), slash_c_ticket);
        let mut status = ix::device_status(a, Some(0), &[0]);
        replace_account(&mut status, &ticket(&a, 0), ticket(&c, 0));
        s.refused("ConstraintSeeds", &[status], &[], &[]);
    });
}

/// Rules: R12 R15 R16 R20 R40 R52.
/// One account passed in two of an instruction's places: a vault as the wallet's token account or
/// as the treasury's, the stake vault as the overflow vault (two mutable places:
/// `ConstraintDuplicateMutableAccount`), a vault as the reward source, one device twice in a
/// reward batch, one position twice to `unstake`, the co-staker as the rent payer.
#[test]
fn the_same_account_in_two_places_is_refused() {
    for_each_scene(|s| {
        let (a, b, c, e) = (s.a, s.b, s.c, s.e);
        let w = &s.w;
        let (stake, overflow) = (|d: &Pubkey| pda::stake_vault(d).0, |d: &Pubkey| pda::overflow_vault(d).0);
        // (instruction, the account replaced, the account put there, the error)
        let table = [
            ("withdraw_overflow", overflow(&a), stake(&a), "ConstraintDuplicateMutableAccount"),
            ("withdraw_overflow", w.owner.token, overflow(&a), "ConstraintDuplicateMutableAccount"),
            ("stake", w.owner.token, stake(&a), "ConstraintDuplicateMutableAccount"),
            ("claim_rewards", w.costakers[0].token, overflow(&a), "ConstraintDuplicateMutableAccount"),
            ("fill_offer", w.costakers[2].token, stake(&b), "ConstraintDuplicateMutableAccount"),
            ("distribute_rewards", w.reward_source, overflow(&a), "ConstraintTokenOwner"),
            ("sweep_surplus", w.treasury_token, stake(&a), "ConstraintDuplicateMutableAccount"),
            ("slash", w.treasury_token, stake(&a), "ConstraintDuplicateMutableAccount"),
            ("close_device", w.treasury_token, overflow(&e), "ConstraintDuplicateMutableAccount"),
            ("withdraw_position", w.owner.pubkey(), w.costakers[1].pubkey(), "ConstraintHasOne"),
            ("withdraw_ticket", stake(&c), overflow(&c), "ConstraintHasOne"),
        ];
        for (name, old, new, error) in table {
            let call = s.call(name);
            s.refused_call(error, &call, call.with(&old, new));
        }
        let (w, rewarder) = (&s.w, s.w.roles.reward_authority.insecure_clone());
        let end = w.now() - 1;
        let twice = ix::distribute_rewards(rewarder.pubkey(), w.reward_source, 2, end, end, &[w.target(a, 1), w.target(a, 1)], &w.mint);
        s.refused("DuplicateDeviceInBatch", &[twice], &[&rewarder], &[]);
        let call = s.call("unstake");
        let mut repeated = call.ix.clone();
        repeated.accounts.push(AccountMeta::new(pda::offer(&a, 0).0, false));
        s.refused_call("PositionAccountsMismatch", &call, repeated);
    });
}

/// Rules: R40 R52 R53.
/// A position named twice to `slash` is taken from once: what the owner's stake does not cover
/// comes off the position once, and the ledgers still match the vault.
#[test]
fn a_position_named_twice_to_slash_is_slashed_once() {
    for_each_scene(|s| {
        let a = s.a;
        let amount = s.past_owner_stake();
        let (w, slasher) = (&s.w, s.w.roles.slash_authority.insecure_clone());
        let before = w.device(&a);
        let ix = ix::slash(slasher.pubkey(), a, w.treasury_token, None, &[0, 0], amount, &w.mint);
        let treasury = w.token_balance(&w.treasury_token);
        s.ok(&[ix], &[&slasher]);
        let after = s.w.device(&a);
        assert_eq!(s.w.token_balance(&s.w.treasury_token) - treasury, amount);
        assert_eq!(after.owner_stake, 0, "the owner's stake goes first");
        assert_eq!(after.positions_principal, before.positions_principal - IO, "the rest comes off the position once");
        assert_eq!(s.w.offer(&a, 0).principal, after.positions_principal);
    });
}

/// Rules: R3 R9 R15 R30 R52.
/// Accounts created by `init` cannot be created again: a second `initialize`, a device id already
/// registered, an offer or ticket address already in use, and a creation repeated in one
/// transaction.
#[test]
fn re_initialization_is_refused() {
    for_each_scene(|s| {
        let authority = s.w.env.upgrade_authority();
        let mint = s.w.mint;
        let again = ix::initialize(authority.pubkey(), mint.mint, mint.token_program, s.w.roles.initialize_args(None));
        s.refused("AccountAlreadyInUse", &[again], &[&authority], &[]);

        let (owner, oracle) = (s.w.owner.clone(), s.w.roles.oracle.insecure_clone());
        let id = s.w.device(&s.a).device_id;
        let register = ix::register_device(owner.pubkey(), oracle.pubkey(), id, 1, 10_000, &mint);
        s.refused("AccountAlreadyInUse", &[register], &[&owner.key, &oracle], &[]);

        let owner2 = s.w.owner2.clone();
        let on_used_seq = ix::create_offer(owner2.pubkey(), s.b, 0, 1, 1);
        s.refused("ConstraintSeeds", &[on_used_seq], &[&owner2.key], &[]);
        let offer_twice = ix::create_offer(owner2.pubkey(), s.d, 0, crate::world::HALF, 1);
        s.refused("ConstraintSeeds", &[offer_twice.clone(), offer_twice], &[&owner2.key], &[]);
        let fill = s.call("fill_offer");
        s.refused("OfferNotOpen", &[fill.ix.clone(), fill.ix.clone()], &fill.signer_refs(), &[]);
        let unstake = s.call("unstake");
        s.refused("ConstraintSeeds", &[unstake.ix.clone(), unstake.ix.clone()], &unstake.signer_refs(), &[]);
    });
}

/// Rules: R8 R10 R16 R52.
/// An account closed by one instruction and given lamports again by a transfer in the same
/// transaction is a plain system account: a later instruction of that transaction cannot use it.
#[test]
fn a_closed_account_revived_in_the_same_transaction_is_refused() {
    for_each_scene(|s| {
        let payer = s.w.payer();
        // (the closing instruction, the account it closes, the instruction that uses it next)
        let cases = [
            ("retract_offer", pda::offer(&s.b, 0).0, "retract_offer"),
            ("retract_offer", pda::offer(&s.b, 0).0, "fill_offer"),
            ("withdraw_position", pda::offer(&s.c, 0).0, "withdraw_position"),
            ("withdraw_ticket", pda::ticket(&s.c, 0).0, "withdraw_ticket"),
            ("close_device", s.e, "close_device"),
        ];
        for (closing, account, user) in cases {
            let (close, used) = (s.call(closing), s.call(user));
            let revive = donate_lamports(&payer, &account, 10_000_000);
            let mut signers = close.signer_refs();
            signers.extend(used.signer_refs());
            s.refused("AccountOwnedByWrongProgram", &[close.ix.clone(), revive, used.ix.clone()], &signers, &[]);
        }
        // closed and refunded in one transaction, then used in the next: still refused
        let close = s.call("close_device");
        s.ok(&[close.ix.clone(), donate_lamports(&payer, &s.e, 10_000_000)], &close.signer_refs());
        let owner2 = s.w.owner2.clone();
        let stake = ix::stake(owner2.pubkey(), s.e, owner2.token, 1, &s.w.mint);
        s.refused("AccountOwnedByWrongProgram", &[stake], &[&owner2.key], &[s.e]);
    });
}

/// Rules: R15 R20 R40 R54 R52.
/// Remaining accounts beyond what `unstake`, `distribute_rewards`, `slash` and `device_status`
/// expect: an extra account, a system account where a position goes, a device where a position
/// goes, a position passed read-only to `slash`.
#[test]
fn unexpected_remaining_accounts_are_refused() {
    for_each_scene(|s| {
        let stranger = s.intruder.pubkey();
        let (a, c) = (s.a, s.c);
        // (instruction, the account appended, writable, the error)
        let table = [
            ("unstake", pda::offer(&c, 0).0, true, "PositionAccountsMismatch"),
            ("unstake", stranger, true, "PositionAccountsMismatch"),
            ("distribute_rewards", pda::offer(&c, 0).0, true, "BatchAccountsMismatch"),
            ("distribute_rewards", stranger, true, "BatchAccountsMismatch"),
            ("device_status", stranger, false, "AccountOwnedByWrongProgram"),
            ("device_status", a, false, "AccountDiscriminatorMismatch"),
        ];
        for (name, extra, writable, error) in table {
            let call = s.call(name);
            let mut ix = call.ix.clone();
            ix.accounts.push(if writable { AccountMeta::new(extra, false) } else { AccountMeta::new_readonly(extra, false) });
            s.refused_call(error, &call, ix);
        }
        // slash reaches its remaining accounts once the owner's stake is exhausted
        let (w, slasher) = (&s.w, s.w.roles.slash_authority.insecure_clone());
        let past_owner = s.past_owner_stake();
        let slash = |positions: Vec<AccountMeta>| {
            let mut ix = ix::slash(slasher.pubkey(), a, w.treasury_token, None, &[], past_owner, &w.mint);
            ix.accounts.extend(positions);
            ix
        };
        let cases = [
            (vec![AccountMeta::new(stranger, false)], "AccountOwnedByWrongProgram"),
            (vec![AccountMeta::new(a, false)], "AccountDiscriminatorMismatch"),
            (vec![AccountMeta::new_readonly(pda::offer(&a, 0).0, false)], "PositionAccountsMismatch"),
            (vec![AccountMeta::new(pda::offer(&c, 0).0, false)], "PositionAccountsMismatch"),
            (vec![AccountMeta::new(pda::ticket(&c, 0).0, false)], "AccountDiscriminatorMismatch"),
        ];
        let ixs: Vec<_> = cases.into_iter().map(|(metas, error)| (slash(metas), error)).collect();
        for (ix, error) in ixs {
            s.refused(error, &[ix], &[&slasher], &[]);
        }
    });
}
