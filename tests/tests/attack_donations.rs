//! Donation attacks (R52): tokens sent to a device's vaults, and lamports sent to its device,
//! vault, offer, escrow, ticket and profile accounts, or to the addresses where those accounts
//! will be created, never block a creation, an exit, a withdrawal, a release or a close; donated
//! tokens never count as anyone's stake, and R52 holds after every step.
use device_staking_tests::attack::*;
use device_staking_tests::client::{ix, pda};
use device_staking_tests::world::*;
use device_staking_tests::{assert_ok, client};

/// Lamports donated to each account.
const DONATION: u64 = 3_000_000;

/// Sends `DONATION` lamports from the fee payer to each of `addresses`.
fn donate(w: &mut World, addresses: &[anchor_lang::prelude::Pubkey]) {
    let payer = w.payer();
    let ixs: Vec<_> = addresses.iter().map(|a| donate_lamports(&payer, a, DONATION)).collect();
    assert_ok(&w.env.send(&ixs, &[]));
}

/// Rules: R3 R9 R11 R15 R16 R52.
/// Lamports sent ahead to the address of the next device, its vaults, the next offer and its
/// escrow, the next ticket and a new co-staker's profile: each is still created, the donation
/// counting toward its rent.
#[test]
fn lamports_sent_ahead_never_block_a_creation() {
    for_each_world(|w| {
        let id = w.new_device_id();
        let device = pda::device(&id).0;
        let costaker = w.costaker(0);
        let offer = pda::offer(&device, 0).0;
        let escrow = pda::escrow(&offer).0;
        donate(w, &[device, pda::stake_vault(&device).0, pda::overflow_vault(&device).0]);
        donate(w, &[offer, escrow, pda::ticket(&device, 0).0, pda::costaker(&costaker.pubkey()).0]);
        let owner = w.owner.clone();
        w.ok(|w| w.try_register(&owner, id, GPUS, MULTIPLIER));
        w.ok(|w| w.stake(device, MIN));
        let seq = w.offer_ok(device, HALF, SHARE);
        w.ok(|w| w.fill(&costaker, device, seq));
        w.ok(|w| w.unstake(device));
        let cooldown = w.params().cooldown_secs;
        w.advance(cooldown);
        w.ok(|w| w.release(device, seq));
        let created = [device, offer, pda::ticket(&device, 0).0, pda::costaker(&costaker.pubkey()).0];
        for address in created {
            let account = w.account(&address);
            let rent = w.svm.minimum_balance_for_rent_exemption(account.data.len());
            // a donation counts toward the rent: the creator pays only what is missing
            assert_eq!((account.owner, account.lamports), (client::PROGRAM_ID, rent.max(DONATION)), "{address}");
        }
        for vault in [pda::stake_vault(&device).0, pda::overflow_vault(&device).0, escrow] {
            assert!(w.is_token_account(&vault), "{vault} was created");
        }
        w.ok(|w| w.withdraw_escrow(&costaker, device, seq));
    });
}

/// Rules: R8 R12 R13 R15 R16 R22 R52.
/// Tokens donated to both vaults and lamports to every account of a co-staked device: the whole
/// exit (claim, cancel, unstake, both withdrawals, the owner's rewards, close) goes through; each
/// party gets exactly its own; the donated tokens go to the treasury and the lamports to the
/// payer of the account they were sent to.
#[test]
fn donations_never_block_an_exit_or_a_close() {
    for_each_world(|w| {
        let (device, seq) = w.costaked_device();
        let (owner, costaker) = (w.owner.clone(), w.costaker(0));
        let filled = w.now();
        w.advance(60);
        w.ok(|w| w.reward(1, filled, w.now(), &[(device, 1_000_000)]));
        let (stake_vault, overflow_vault) = (pda::stake_vault(&device).0, pda::overflow_vault(&device).0);
        let mint = w.mint.mint;
        w.mint_to(&mint, &stake_vault, 11);
        w.mint_to(&mint, &overflow_vault, 13);
        let offer = pda::offer(&device, seq).0;
        let ticket = pda::ticket(&device, 0).0;
        donate(w, &[device, stake_vault, overflow_vault, offer, ticket, pda::costaker(&costaker.pubkey()).0]);
        let owner_lamports = w.account(&owner.pubkey()).lamports;
        let (owner_tokens, costaker_tokens, treasury) =
            (w.token_balance(&owner.token), w.token_balance(&costaker.token), w.token_balance(&w.treasury_token));

        let rewards = w.device(&device).position(seq).unwrap().rewards;
        w.ok(|w| w.claim(&costaker, device, seq));
        w.ok(|w| w.cancel(&costaker, device, seq));
        w.ok(|w| w.unstake(device));
        let owner_rewards = w.device(&device).owner_rewards;
        w.ok(|w| w.withdraw_overflow(device, owner_rewards));
        let cooldown = w.params().cooldown_secs;
        w.advance(cooldown);
        w.ok(|w| w.withdraw_ticket(device));
        w.ok(|w| w.withdraw_position(device, seq));
        w.ok(|w| w.close_device(device));

        assert_eq!(w.token_balance(&owner.token), owner_tokens + MIN + owner_rewards);
        assert_eq!(w.token_balance(&costaker.token), costaker_tokens + HALF + rewards);
        assert_eq!(w.token_balance(&w.treasury_token), treasury + 11 + 13, "the donated tokens end in the treasury");
        for closed in [stake_vault, overflow_vault, offer, ticket] {
            assert!(
                !w.is_program_account(&closed) && w.svm.get_account(&closed).is_none_or(|a| a.lamports == 0),
                "{closed} is closed"
            );
        }
        assert!(w.is_tombstone(&device));
        // the owner paid every rent here: it gets back the rents and the five donations
        assert!(w.account(&owner.pubkey()).lamports > owner_lamports + 5 * DONATION);
    });
}

/// Rules: R5 R12 R52.
/// Tokens donated to a device's stake vault are no one's stake: the device stays ineligible and
/// the owner cannot withdraw them as overflow; only the admin's sweep moves them, to the treasury.
#[test]
fn donated_tokens_count_as_no_ones_stake() {
    for_each_world(|w| {
        let device = w.register(GPUS, MULTIPLIER);
        let mint = w.mint.mint;
        w.mint_to(&mint, &pda::stake_vault(&device).0, MIN);
        w.mint_to(&mint, &pda::overflow_vault(&device).0, MIN);
        assert!(!w.eligible(&device));
        assert!(!w.status(device).eligible);
        w.refused("ExceedsOverflow", |w| w.withdraw_overflow(device, 1));
        let treasury = w.token_balance(&w.treasury_token);
        w.ok(|w| w.sweep_surplus(device));
        assert_eq!(w.token_balance(&w.treasury_token), treasury + 2 * MIN);
    });
}

/// Rules: R3 R8 R52.
/// Lamports given to a closed device's tombstone and to its closed vaults' addresses do not stop
/// the same device id from being revived.
#[test]
fn a_device_id_registers_again_over_donated_lamports() {
    for_each_world(|w| {
        let id = w.new_device_id();
        let owner = w.owner.clone();
        w.ok(|w| w.try_register(&owner, id, 1, 10_000));
        let device = pda::device(&id).0;
        let treasury_token = w.treasury_token;
        w.ok(|w| w.send_by(ix::close_device(owner.pubkey(), device, treasury_token, owner.pubkey(), &w.mint), &owner.key));
        donate(w, &[device, pda::stake_vault(&device).0, pda::overflow_vault(&device).0]);
        w.ok(|w| w.try_register(&owner, id, 1, 10_000));
        w.ok(|w| w.stake(device, 200 * IO));
        assert!(w.eligible(&device));
    });
}
