//! One run of every instruction of the program, in an order where each succeeds: the admin
//! handed over to a successor, a device's whole life (registration, stake, an offer retracted
//! and one filled, rewards, a transfer to a new owner, hold, slash, a co-staker's cancel and a
//! second co-stake covering it, the owner's unstake, a withdrawal, a release into an escrow and
//! its withdrawal, termination, close into a tombstone, revival) and the admin's proposals,
//! cancellations and revocations. Every measured transaction carries the one instruction named;
//! where an instruction has a costlier path the run also takes, it is measured under a label of
//! its own (`unstake (filled position)`, `withdraw_ticket (creating the ATA)`).
use crate::fixture::Fixture;
use crate::{Program, Samples};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_tests::client::device_staking::state::{Offer, Params, Role};
use device_staking_tests::client::ix::{self, RewardTarget};
use device_staking_tests::client::pda;
use device_staking_tests::world::{DAY, GPUS, HALF, IO, MIN, MULTIPLIER, SHARE};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The program's 35 instructions and the costlier (or cheaper) paths measured apart, in the order of the table.
pub const INSTRUCTIONS: [&str; 39] = [
    "initialize",
    "propose_role",
    "accept_role",
    "cancel_role",
    "revoke_role",
    "set_paused",
    "update_params",
    "cancel_params",
    "lower_slash_cap",
    "register_device",
    "register_device (revival)",
    "update_hardware",
    "set_hired",
    "stake",
    "create_offer",
    "retract_offer",
    "fill_offer",
    "distribute_rewards",
    "claim_rewards",
    "withdraw_overflow",
    "transfer_device",
    "cancel_transfer",
    "accept_device",
    "hold",
    "slash",
    "sweep_surplus",
    "device_status",
    "cancel_costake",
    "unstake",
    "unstake (filled position)",
    "withdraw_position",
    "release",
    "withdraw_escrow",
    "withdraw_ticket (creating the ATA)",
    "withdraw_ticket",
    "close_profile",
    "terminate",
    "close_device",
    "device_status (two positions)",
];

/// Runs every instruction once on a fresh [`Fixture`] of `program` whose keys come from `seed`,
/// adding each one's compute units to `samples` under its name.
pub fn run(program: &Program, seed: u64, samples: &mut Samples) {
    let mut f = Fixture::new(program, seed);
    samples.record("initialize", f.initialize_units);
    let measure = |f: &mut Fixture, samples: &mut Samples, name: &str, ix: Instruction, signers: &[&Keypair]| {
        let ok = f.send_ok(&[ix], signers);
        samples.record(name, ok.compute_units);
    };
    let seeded = |label: &str| crate::seeded_keypair(label, seed);
    // the data length of each account type, as the program created it
    let record_account = |f: &Fixture, samples: &mut Samples, name: &'static str, address: &Pubkey| {
        let account = f.env.svm.get_account(address).unwrap_or_else(|| panic!("the {name} account {address}"));
        samples.record_account(name, account.data.len());
    };
    record_account(&f, samples, "Config", &pda::config().0);

    // the admin hands over to a successor, who accepts and takes over at R34's time
    let (admin, successor) = (f.roles.admin.insecure_clone(), seeded("successor"));
    f.env.fund(&successor.pubkey());
    measure(&mut f, samples, "propose_role", ix::propose_role(admin.pubkey(), Role::Admin, successor.pubkey()), &[&admin]);
    measure(&mut f, samples, "accept_role", ix::accept_role(successor.pubkey(), Role::Admin), &[&successor]);
    let delay = Params::defaults(6).expect("default parameters").change_delay();
    f.env.advance(delay);
    let admin = successor;
    // a treasury change proposed and cancelled; a pause and a resume; parameters proposed,
    // cancelled and proposed again; the slash cap lowered at once
    let new_treasury = seeded("new_treasury").pubkey();
    measure(&mut f, samples, "propose_role", ix::propose_role(admin.pubkey(), Role::Treasury, new_treasury), &[&admin]);
    measure(&mut f, samples, "cancel_role", ix::cancel_role(admin.pubkey(), Role::Treasury), &[&admin]);
    measure(&mut f, samples, "set_paused", ix::set_paused(admin.pubkey(), true), &[&admin]);
    measure(&mut f, samples, "set_paused", ix::set_paused(admin.pubkey(), false), &[&admin]);
    let params = Params::defaults(6).expect("default parameters");
    measure(&mut f, samples, "update_params", ix::update_params(admin.pubkey(), params), &[&admin]);
    measure(&mut f, samples, "cancel_params", ix::cancel_params(admin.pubkey()), &[&admin]);
    measure(&mut f, samples, "update_params", ix::update_params(admin.pubkey(), params), &[&admin]);
    measure(&mut f, samples, "lower_slash_cap", ix::lower_slash_cap(admin.pubkey(), 4_000), &[&admin]);

    // a device registered, attested, hired for a day and idle again, staked
    let (device, registered) = f.register(GPUS, MULTIPLIER);
    let device_id = f.device(&device).device_id;
    samples.record("register_device", registered.compute_units);
    record_account(&f, samples, "Device", &device);
    let (oracle, owner, costaker) =
        (f.roles.oracle.insecure_clone(), f.owner.key.insecure_clone(), f.costaker.key.insecure_clone());
    measure(&mut f, samples, "update_hardware", ix::update_hardware(oracle.pubkey(), device, GPUS, MULTIPLIER), &[&oracle]);
    let hired_until = f.env.now() + DAY;
    measure(&mut f, samples, "set_hired", ix::set_hired(oracle.pubkey(), device, hired_until), &[&oracle]);
    measure(&mut f, samples, "set_hired", ix::set_hired(oracle.pubkey(), device, 0), &[&oracle]);
    let staked = f.stake(device, MIN);
    samples.record("stake", staked.compute_units);

    // an offer retracted, another filled by the co-staker (whose profile the fill creates)
    measure(&mut f, samples, "create_offer", ix::create_offer(owner.pubkey(), device, 0, HALF, SHARE), &[&owner]);
    measure(&mut f, samples, "retract_offer", ix::retract_offer(owner.pubkey(), device, 0, owner.pubkey()), &[&owner]);
    measure(&mut f, samples, "create_offer", ix::create_offer(owner.pubkey(), device, 1, HALF, SHARE), &[&owner]);
    let fill = ix::fill_offer(costaker.pubkey(), device, 1, HALF, SHARE, f.costaker.token, &f.mint);
    measure(&mut f, samples, "fill_offer", fill, &[&costaker]);
    record_account(&f, samples, "Offer", &pda::offer(&device, 1).0);
    record_account(&f, samples, "CostakerProfile", &pda::costaker(&costaker.pubkey()).0);
    let filled_at = f.env.now();

    // a block of rewards, split between the owner and the position, then claimed and withdrawn
    f.env.advance(3_600);
    let reward_authority = f.roles.reward_authority.insecure_clone();
    let target = RewardTarget { device, amount: 1_000 * IO };
    let reward =
        ix::distribute_rewards(reward_authority.pubkey(), f.reward_source, 1, filled_at, f.env.now(), &[target], &f.mint);
    measure(&mut f, samples, "distribute_rewards", reward, &[&reward_authority]);
    let claim = ix::claim_rewards(costaker.pubkey(), device, 1, f.costaker.token, &f.mint);
    measure(&mut f, samples, "claim_rewards", claim, &[&costaker]);
    let owner_rewards = f.device(&device).owner_rewards;
    let withdraw = ix::withdraw_overflow(owner.pubkey(), device, f.owner.token, owner_rewards, &f.mint);
    measure(&mut f, samples, "withdraw_overflow", withdraw, &[&owner]);

    // the device moves to a new owner wallet: proposed, cancelled, proposed again and accepted
    let new_owner = seeded("new_owner");
    f.env.fund(&new_owner.pubkey());
    measure(&mut f, samples, "transfer_device", ix::transfer_device(owner.pubkey(), device, new_owner.pubkey()), &[&owner]);
    measure(&mut f, samples, "cancel_transfer", ix::cancel_transfer(owner.pubkey(), device), &[&owner]);
    measure(&mut f, samples, "transfer_device", ix::transfer_device(owner.pubkey(), device, new_owner.pubkey()), &[&owner]);
    measure(&mut f, samples, "accept_device", ix::accept_device(new_owner.pubkey(), device), &[&new_owner]);
    let owner = new_owner;

    // held for a day and slashed for the incident; a donation to a vault swept to the treasury
    let slash_authority = f.roles.slash_authority.insecure_clone();
    let incident_at = f.env.now();
    let ix = ix::hold(slash_authority.pubkey(), device, incident_at + DAY);
    measure(&mut f, samples, "hold", ix, &[&slash_authority]);
    let treasury = f.roles.treasury.pubkey();
    let slash = ix::slash(slash_authority.pubkey(), device, treasury, 100 * IO, incident_at, &f.mint);
    measure(&mut f, samples, "slash", slash, &[&slash_authority]);
    let (mint, overflow_vault) = (f.mint.mint, pda::overflow_vault(&device).0);
    f.env.mint_to(&mint, &overflow_vault, 5 * IO);
    let ix = ix::sweep_surplus(admin.pubkey(), device, f.treasury_token, &f.mint);
    measure(&mut f, samples, "sweep_surplus", ix, &[&admin]);
    measure(&mut f, samples, "device_status", ix::device_status(device), &[]);

    // after the hold the co-staker cancels; the owner covers with a second co-stake of the same
    // co-staker, then unstakes with it filled (its profile passed); both positions cool down
    f.env.advance(DAY);
    measure(&mut f, samples, "cancel_costake", ix::cancel_costake(costaker.pubkey(), device, 1), &[&costaker]);
    measure(&mut f, samples, "create_offer", ix::create_offer(owner.pubkey(), device, 2, HALF, SHARE), &[&owner]);
    let fill = ix::fill_offer(costaker.pubkey(), device, 2, HALF, SHARE, f.costaker.token, &f.mint);
    measure(&mut f, samples, "fill_offer", fill, &[&costaker]);
    measure(&mut f, samples, "device_status (two positions)", ix::device_status(device), &[]);
    let unstake = ix::unstake_for(owner.pubkey(), device, &f.device(&device));
    measure(&mut f, samples, "unstake (filled position)", unstake, &[&owner]);
    record_account(&f, samples, "Ticket", &pda::ticket(&device, f.device(&device).ticket_seq).0);

    // once ripe: anyone withdraws the first position to the co-staker's account and releases the
    // second into its escrow, which the co-staker empties; anyone withdraws the owner's ticket
    // (creating the new owner's associated token account); the co-staker closes the profile
    f.env.advance(30 * DAY);
    let anyone = f.anyone.insecure_clone();
    let offer_payer = |f: &Fixture, seq: u64| f.env.decode::<Offer>(&pda::offer(&device, seq).0).payer;
    let to_costaker = ix::recipient(&anyone.pubkey(), &costaker.pubkey(), None, &f.mint);
    let position = ix::withdraw_position(anyone.pubkey(), device, 1, costaker.pubkey(), offer_payer(&f, 1), to_costaker, &f.mint);
    measure(&mut f, samples, "withdraw_position", position, &[&anyone]);
    let release = ix::release(anyone.pubkey(), device, 2, &f.mint);
    measure(&mut f, samples, "release", release, &[&anyone]);
    let offer = f.env.decode::<Offer>(&pda::offer(&device, 2).0);
    let escrow = ix::withdraw_escrow(costaker.pubkey(), device, 2, f.costaker.token, offer.payer, offer.escrow_payer, &f.mint);
    measure(&mut f, samples, "withdraw_escrow", escrow, &[&costaker]);
    let d = f.device(&device);
    let to_owner = ix::recipient(&anyone.pubkey(), &owner.pubkey(), None, &f.mint);
    let ticket = ix::withdraw_ticket(anyone.pubkey(), device, owner.pubkey(), d.ticket_seq, owner.pubkey(), to_owner, &f.mint);
    measure(&mut f, samples, "withdraw_ticket (creating the ATA)", ticket, &[&anyone]);
    measure(&mut f, samples, "close_profile", ix::close_profile(costaker.pubkey(), costaker.pubkey()), &[&costaker]);

    // a second device unstaked with no co-stake (the plain path of unstake)
    let (plain, _) = f.register(1, 10_000);
    f.stake(plain, 200 * IO);
    let first_owner = f.owner.key.insecure_clone();
    let unstake = ix::unstake_for(first_owner.pubkey(), plain, &f.device(&plain));
    measure(&mut f, samples, "unstake", unstake, &[&first_owner]);
    // once ripe, its owner withdraws the ticket to their own token account (present)
    f.env.advance(30 * DAY);
    let d = f.device(&plain);
    let to_self = ix::recipient(&first_owner.pubkey(), &first_owner.pubkey(), Some(f.owner.token), &f.mint);
    let ticket = ix::withdraw_ticket(
        first_owner.pubkey(),
        plain,
        first_owner.pubkey(),
        d.ticket_seq,
        first_owner.pubkey(),
        to_self,
        &f.mint,
    );
    measure(&mut f, samples, "withdraw_ticket", ticket, &[&first_owner]);

    // terminated and closed into a tombstone, then revived by registering its id again
    measure(&mut f, samples, "terminate", ix::terminate(oracle.pubkey(), device), &[&oracle]);
    let close = ix::close_device(owner.pubkey(), device, f.treasury_token, owner.pubkey(), &f.mint);
    measure(&mut f, samples, "close_device", close, &[&owner]);
    record_account(&f, samples, "Tombstone", &device);
    let revive = ix::register_device(owner.pubkey(), oracle.pubkey(), device_id, GPUS, MULTIPLIER, &f.mint);
    measure(&mut f, samples, "register_device (revival)", revive, &[&owner, &oracle]);

    // last, the admin revokes the slash authority at once (R34)
    measure(&mut f, samples, "revoke_role", ix::revoke_role(admin.pubkey(), Role::SlashAuthority), &[&admin]);
}
