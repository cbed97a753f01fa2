//! Account attacks: program accounts owned by another program, a vault or escrow that is not the
//! device's or offer's, another device's offer or ticket, another co-staker's profile, the same
//! account in two places, re-initialization, a closed account revived in the same transaction,
//! and wrong or unexpected accounts in a reward batch. Each refusal names its error and changes
//! nothing; R52 holds after each (R51, R52).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::system_program;
use device_staking_tests::attack::*;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::{HALF, SHARE};
use device_staking_tests::*;
use solana_signer::Signer;

/// The error a call is refused with when the program account `address` it lists is owned by
/// `owner` instead: Anchor's owner check, except where the account is checked otherwise (the
/// device `close_device` reads itself, the profile `fill_offer` may create).
fn forged_owner_error(s: &Scene, call: &Call, address: &Pubkey, owner: &Pubkey) -> &'static str {
    match call.name {
        "close_device" if *address == s.e => "ConstraintOwner",
        "fill_offer" if *address == pda::costaker(&s.w.costakers[2].pubkey()).0 && *owner == system_program::ID => {
            "AccountAlreadyInUse"
        }
        _ => "AccountOwnedByWrongProgram",
    }
}

/// Rules: R51 R52.
/// Every program account every instruction reads (config, device, offer, ticket, profile, the
/// devices of a reward batch), with its exact bytes at its own address but owned by the system
/// program, a token program or an unknown program, is refused.
#[test]
fn program_accounts_owned_by_another_program_are_refused() {
    for_each_scene(|s| {
        for call in s.calls() {
            for address in program_accounts(s, &call.ix) {
                for owner in [system_program::ID, SPL_TOKEN, Pubkey::new_unique()] {
                    let error = forged_owner_error(s, &call, &address, &owner);
                    s.refused_while_owned_by(&address, owner, error, &call);
                }
            }
        }
    });
}

/// Rules: R8 R12 R16 R20 R40 R52.
/// A device's vault replaced by a token account of the right mint owned by the device PDA (but not
/// its vault PDA), or by another device's vault, in every instruction that moves tokens through
/// it; an offer's escrow replaced the same way.
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
            ("release", c, stake(&c), "ConstraintHasOne"),
            ("release", c, overflow(&c), "ConstraintHasOne"),
            ("slash", a, stake(&a), "ConstraintHasOne"),
            ("sweep_surplus", a, stake(&a), "ConstraintHasOne"),
            ("sweep_surplus", a, overflow(&a), "ConstraintHasOne"),
            ("close_device", e, stake(&e), "WrongDevice"),
            ("close_device", e, overflow(&e), "WrongDevice"),
            ("distribute_rewards", a, overflow(&a), "BatchAccountsMismatch"),
        ];
        for (name, device, vault, error) in table {
            let call = s.call(name);
            let lookalike = s.token_account(&device, 5);
            s.refused(error, &[call.with(&vault, lookalike)], &call.signer_refs(), &[lookalike]);
            s.refused_call(error, &call, call.with(&vault, stake(&d)));
        }
        // the escrow of a released offer: a lookalike owned by the offer PDA, or another offer's
        let call = s.call("withdraw_escrow");
        let offer = pda::offer(&c, 1).0;
        let escrow = pda::escrow(&offer).0;
        let lookalike = s.token_account(&offer, 5);
        s.refused("ConstraintSeeds", &[call.with(&escrow, lookalike)], &call.signer_refs(), &[lookalike]);
        s.refused_call("ConstraintSeeds", &call, call.with(&escrow, stake(&b)));
    });
}

/// Rules: R10 R11 R12 R13 R15 R16 R52.
/// An offer, ticket or profile of another device or wallet named where the instruction's own is
/// expected.
#[test]
fn another_devices_offer_ticket_or_profile_is_refused() {
    for_each_scene(|s| {
        let (a, b, c) = (s.a, s.b, s.c);
        let (offer, ticket) = (|d: &Pubkey, seq| pda::offer(d, seq).0, |d: &Pubkey, seq| pda::ticket(d, seq).0);
        let profile = |i: usize| pda::costaker(&s.w.costakers[i].pubkey()).0;
        // (instruction, the account named, another one, the error)
        let table = [
            ("retract_offer", offer(&b, 0), offer(&a, 0), "ConstraintSeeds"),
            ("fill_offer", offer(&b, 0), offer(&a, 0), "ConstraintSeeds"),
            ("withdraw_position", offer(&c, 0), offer(&a, 0), "ConstraintSeeds"),
            ("release", offer(&c, 0), offer(&a, 0), "ConstraintSeeds"),
            ("create_offer", offer(&s.d, 0), offer(&b, 0), "ConstraintSeeds"),
            ("unstake", ticket(&a, 0), ticket(&c, 0), "ConstraintSeeds"),
            // a ticket that does not exist: the zero-copy loader checks the owner first
            ("withdraw_ticket", ticket(&c, 0), ticket(&a, 0), "AccountOwnedByWrongProgram"),
            // another wallet's profile: its seeds are its own, but it is not the filled position's
            ("unstake", profile(0), profile(2), "ProfileRequired"),
            ("cancel_costake", profile(0), profile(2), "ConstraintSeeds"),
            // a filled offer of another device, of another co-staker: not this co-staker's escrow
            ("withdraw_escrow", offer(&c, 1), offer(&a, 0), "NotCostaker"),
        ];
        for (name, own, foreign, error) in table {
            let call = s.call(name);
            s.refused_call(error, &call, call.with(&own, foreign));
        }
        // c's ticket named for a: withdraw_ticket on a's accounts
        let call = s.call("withdraw_ticket");
        let mut on_a = call.with(&c, a);
        replace_account(&mut on_a, &pda::stake_vault(&c).0, pda::stake_vault(&a).0);
        s.refused_call("ConstraintSeeds", &call, on_a);
        // unstake of a device with a filled position, without the co-staker's profile
        let (w, owner) = (&s.w, s.w.owner.clone());
        let without = ix::unstake(owner.pubkey(), a, w.device(&a).next_ticket_seq, None);
        s.refused("ProfileRequired", &[without], &[&owner.key], &[]);
    });
}

/// Rules: R12 R16 R20 R40 R52.
/// One account passed in two of an instruction's places: a vault as a wallet's or the treasury's
/// token account, an escrow as the destination (two mutable places:
/// `ConstraintDuplicateMutableAccount`), the stake vault as the overflow vault (not the key the
/// device recorded: `ConstraintHasOne`), a vault as a third party's destination
/// (`WrongRecipient`), a vault as the reward source, one device twice in a reward batch, the
/// co-staker as the rent payer.
#[test]
fn the_same_account_in_two_places_is_refused() {
    for_each_scene(|s| {
        let (a, b, c, e) = (s.a, s.b, s.c, s.e);
        let w = &s.w;
        let (stake, overflow) = (|d: &Pubkey| pda::stake_vault(d).0, |d: &Pubkey| pda::overflow_vault(d).0);
        let escrow = pda::escrow(&pda::offer(&c, 1).0).0;
        // (instruction, the account replaced, the account put there, the error)
        let table = [
            ("withdraw_overflow", overflow(&a), stake(&a), "ConstraintHasOne"),
            ("withdraw_overflow", w.owner.token, overflow(&a), "ConstraintDuplicateMutableAccount"),
            ("stake", w.owner.token, stake(&a), "ConstraintDuplicateMutableAccount"),
            ("claim_rewards", w.costakers[0].token, overflow(&a), "ConstraintDuplicateMutableAccount"),
            ("fill_offer", w.costakers[2].token, stake(&b), "ConstraintDuplicateMutableAccount"),
            // sent by a third party, the destination must be the staker's associated token account
            ("withdraw_ticket", w.owner.token, stake(&c), "WrongRecipient"),
            ("withdraw_position", w.costakers[1].token, overflow(&c), "WrongRecipient"),
            ("withdraw_escrow", w.costakers[2].token, escrow, "ConstraintDuplicateMutableAccount"),
            ("distribute_rewards", w.reward_source, overflow(&a), "ConstraintTokenOwner"),
            ("sweep_surplus", w.treasury_token, stake(&a), "ConstraintDuplicateMutableAccount"),
            ("slash", w.treasury_token, stake(&a), "ConstraintTokenOwner"),
            ("close_device", w.treasury_token, overflow(&e), "ConstraintDuplicateMutableAccount"),
            ("withdraw_position", w.owner.pubkey(), w.costakers[1].pubkey(), "ConstraintHasOne"),
            ("withdraw_ticket", stake(&c), overflow(&c), "ConstraintHasOne"),
        ];
        for (name, old, new, error) in table {
            let call = s.call(name);
            s.refused_call(error, &call, call.with(&old, new));
        }
        let (w, rewarder) = (&s.w, s.w.roles.reward_authority.insecure_clone());
        let (start, end) = (w.device(&a).last_paid_end, w.now());
        let twice =
            ix::distribute_rewards(rewarder.pubkey(), w.reward_source, 2, start, end, &[w.target(a, 1), w.target(a, 1)], &w.mint);
        s.refused("DuplicateDeviceInBatch", &[twice], &[&rewarder], &[]);
    });
}

/// Rules: R3 R9 R15 R16 R30 R52.
/// Accounts created by `init` cannot be created again: a second `initialize`, a device id already
/// registered (refused by name before its vaults' creation), an offer or ticket address already
/// in use, an escrow already made, and a creation repeated in one transaction.
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
        // the device is checked before its vaults are created (their creation would refuse next:
        // AccountAlreadyInUse)
        s.refused("DeviceAlreadyRegistered", &[register], &[&owner.key, &oracle], &[]);

        let owner2 = s.w.owner2.clone();
        let on_used_seq = ix::create_offer(owner2.pubkey(), s.b, 0, 1, 1);
        s.refused("ConstraintSeeds", &[on_used_seq], &[&owner2.key], &[]);
        let offer_twice = ix::create_offer(owner2.pubkey(), s.d, 0, HALF, SHARE);
        s.refused("ConstraintSeeds", &[offer_twice.clone(), offer_twice], &[&owner2.key], &[]);
        let fill = s.call("fill_offer");
        s.refused("OfferNotOpen", &[fill.ix.clone(), fill.ix.clone()], &fill.signer_refs(), &[]);
        let unstake = s.call("unstake");
        s.refused("ConstraintSeeds", &[unstake.ix.clone(), unstake.ix.clone()], &unstake.signer_refs(), &[]);
        let release = s.call("release");
        s.refused("AccountAlreadyInUse", &[release.ix.clone(), release.ix.clone()], &release.signer_refs(), &[]);
        // the escrow of the offer released in the scene already exists
        let anyone = s.w.anyone.insecure_clone();
        let again = ix::release(anyone.pubkey(), s.c, 1, &mint);
        s.refused("AccountAlreadyInUse", &[again], &[&anyone], &[]);
    });
}

/// Rules: R8 R10 R16 R18 R52.
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
            ("withdraw_position", pda::offer(&s.c, 0).0, "release"),
            ("withdraw_ticket", pda::ticket(&s.c, 0).0, "withdraw_ticket"),
            ("withdraw_escrow", pda::offer(&s.c, 1).0, "withdraw_escrow"),
            ("close_profile", pda::costaker(&s.w.costakers[1].pubkey()).0, "close_profile"),
            ("close_device", pda::stake_vault(&s.e).0, "close_device"),
        ];
        for (closing, account, user) in cases {
            let (close, used) = (s.call(closing), s.call(user));
            let revive = donate_lamports(&payer, &account, 10_000_000);
            let mut signers = close.signer_refs();
            signers.extend(used.signer_refs());
            s.refused_as(
                closing,
                "AccountOwnedByWrongProgram",
                &[close.ix.clone(), revive, used.ix.clone()],
                &signers,
                &[account],
            );
        }
        // closed into a tombstone and given lamports in one transaction, used in the next: a
        // tombstone is not a device
        let close = s.call("close_device");
        s.ok(&[close.ix.clone(), donate_lamports(&payer, &s.e, 10_000_000)], &close.signer_refs());
        let owner2 = s.w.owner2.clone();
        let stake = ix::stake(owner2.pubkey(), s.e, owner2.token, 1, &s.w.mint);
        s.refused("AccountDiscriminatorMismatch", &[stake], &[&owner2.key], &[s.e]);
    });
}

/// Rules: R20 R52.
/// A reward batch's remaining accounts must be, per entry, a device (or a tombstone) and its
/// overflow vault, writable: a system account, an offer, the config or a ticket where a device
/// goes, or one account more, is refused.
#[test]
fn wrong_accounts_in_a_reward_batch_are_refused() {
    for_each_scene(|s| {
        let stranger = s.intruder.pubkey();
        let (a, c) = (s.a, s.c);
        let call = s.call("distribute_rewards");
        // (the account put in the device's place, the error)
        let table = [
            (stranger, "AccountOwnedByWrongProgram"),
            (pda::offer(&a, 0).0, "AccountDiscriminatorMismatch"),
            (pda::config().0, "AccountDiscriminatorMismatch"),
            (pda::ticket(&c, 0).0, "AccountDiscriminatorMismatch"),
        ];
        for (instead, error) in table {
            s.refused_call(error, &call, call.with(&a, instead));
        }
        for extra in [pda::offer(&c, 0).0, stranger] {
            let mut ix = call.ix.clone();
            ix.accounts.push(AccountMeta::new(extra, false));
            s.refused_call("BatchAccountsMismatch", &call, ix);
        }
    });
}

/// Rules: R15 R54.
/// Instructions that read no remaining accounts ignore extra ones: `unstake` and
/// `device_status` with a stranger's and another device's accounts appended do exactly what
/// they do without them.
#[test]
fn extra_accounts_are_ignored_where_none_are_read() {
    for_each_scene(|s| {
        for name in ["unstake", "device_status"] {
            let call = s.call(name);
            let mut ix = call.ix.clone();
            ix.accounts.push(AccountMeta::new(pda::offer(&s.c, 0).0, false));
            ix.accounts.push(AccountMeta::new_readonly(s.intruder.pubkey(), false));
            let plain = s.w.env.simulate(std::slice::from_ref(&call.ix), &call.signer_refs()).map(|ok| ok.return_data);
            let extended = s.w.env.simulate(&[ix], &call.signer_refs()).map(|ok| ok.return_data);
            assert_eq!(plain.expect(name), extended.expect(name), "{name}");
        }
    });
}
