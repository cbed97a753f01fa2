//! One run of every instruction of the program, in an order where each succeeds: a device's whole
//! life (registration, stake, an offer retracted and one filled, rewards, hold, slash, exits,
//! termination, close) between the admin's instructions. Every measured transaction carries the
//! one instruction named.
use crate::fixture::Fixture;
use crate::{Program, Samples};
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_tests::client::device_staking::state::{Offer, Params, Role};
use device_staking_tests::client::ix::{self, RewardTarget};
use device_staking_tests::client::pda;
use device_staking_tests::world::{DAY, GPUS, HALF, IO, MIN, MULTIPLIER, SHARE};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The program's 27 instructions, in the order [`run`] first measures them.
pub const INSTRUCTIONS: [&str; 27] = [
    "initialize",
    "propose_admin",
    "accept_admin",
    "set_paused",
    "update_params",
    "register_device",
    "update_hardware",
    "refresh_min",
    "set_hired",
    "stake",
    "create_offer",
    "retract_offer",
    "fill_offer",
    "distribute_rewards",
    "claim_rewards",
    "withdraw_overflow",
    "hold",
    "slash",
    "sweep_surplus",
    "device_status",
    "cancel_costake",
    "unstake",
    "withdraw_position",
    "withdraw_ticket",
    "terminate",
    "close_device",
    "propose_role",
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

    // the admin hands over to a successor, who pauses and resumes, and sets the parameters
    let (admin, successor) = (f.roles.admin.insecure_clone(), crate::seeded_keypair("successor", seed));
    f.env.fund(&successor.pubkey());
    measure(&mut f, samples, "propose_admin", ix::propose_admin(admin.pubkey(), successor.pubkey()), &[&admin]);
    measure(&mut f, samples, "accept_admin", ix::accept_admin(successor.pubkey()), &[&successor]);
    let admin = successor;
    measure(&mut f, samples, "set_paused", ix::set_paused(admin.pubkey(), true), &[&admin]);
    measure(&mut f, samples, "set_paused", ix::set_paused(admin.pubkey(), false), &[&admin]);
    let params = Params::defaults(6).expect("default parameters");
    measure(&mut f, samples, "update_params", ix::update_params(admin.pubkey(), params), &[&admin]);

    // a device registered, attested and staked
    let (device, registered) = f.register(GPUS, MULTIPLIER);
    samples.record("register_device", registered.compute_units);
    let (oracle, owner, costaker) = (f.roles.oracle.insecure_clone(), f.owner.key.insecure_clone(), f.costaker.key.insecure_clone());
    measure(&mut f, samples, "update_hardware", ix::update_hardware(oracle.pubkey(), device, GPUS, MULTIPLIER), &[&oracle]);
    measure(&mut f, samples, "refresh_min", ix::refresh_min(device), &[]);
    measure(&mut f, samples, "set_hired", ix::set_hired(oracle.pubkey(), device, true), &[&oracle]);
    measure(&mut f, samples, "set_hired", ix::set_hired(oracle.pubkey(), device, false), &[&oracle]);
    let staked = f.stake(device, MIN);
    samples.record("stake", staked.compute_units);

    // an offer retracted, another filled by the co-staker (whose profile the fill creates)
    measure(&mut f, samples, "create_offer", ix::create_offer(owner.pubkey(), device, 0, HALF, SHARE), &[&owner]);
    measure(&mut f, samples, "retract_offer", ix::retract_offer(owner.pubkey(), device, 0, owner.pubkey()), &[&owner]);
    measure(&mut f, samples, "create_offer", ix::create_offer(owner.pubkey(), device, 1, HALF, SHARE), &[&owner]);
    let fill = ix::fill_offer(costaker.pubkey(), device, 1, HALF, SHARE, f.costaker.token, &f.mint);
    measure(&mut f, samples, "fill_offer", fill, &[&costaker]);
    let filled_at = f.env.now();

    // a block of rewards, split between the owner and the position, then claimed and withdrawn
    f.env.advance(3_600);
    let reward_authority = f.roles.reward_authority.insecure_clone();
    let target = RewardTarget { device, amount: 1_000 * IO, filled_seq: Some(1) };
    let reward = ix::distribute_rewards(reward_authority.pubkey(), f.reward_source, 1, filled_at, f.env.now(), &[target], &f.mint);
    measure(&mut f, samples, "distribute_rewards", reward, &[&reward_authority]);
    let claim = ix::claim_rewards(costaker.pubkey(), device, 1, f.costaker.token, &f.mint);
    measure(&mut f, samples, "claim_rewards", claim, &[&costaker]);
    let owner_rewards = f.device(&device).owner_rewards;
    let withdraw = ix::withdraw_overflow(owner.pubkey(), device, f.owner.token, owner_rewards, &f.mint);
    measure(&mut f, samples, "withdraw_overflow", withdraw, &[&owner]);

    // held for a day and slashed; a donation to a vault swept to the treasury
    let slash_authority = f.roles.slash_authority.insecure_clone();
    let ix = ix::hold(slash_authority.pubkey(), device, f.env.now() + DAY);
    measure(&mut f, samples, "hold", ix, &[&slash_authority]);
    let slash = ix::slash(slash_authority.pubkey(), device, f.treasury_token, None, &[1], 100 * IO, &f.mint);
    measure(&mut f, samples, "slash", slash, &[&slash_authority]);
    let (mint, overflow_vault) = (f.mint.mint, pda::overflow_vault(&device).0);
    f.env.mint_to(&mint, &overflow_vault, 5 * IO);
    let ix = ix::sweep_surplus(admin.pubkey(), device, f.treasury_token, &f.mint);
    measure(&mut f, samples, "sweep_surplus", ix, &[&admin]);
    measure(&mut f, samples, "device_status", ix::device_status(device, None, &[1]), &[]);

    // the co-staker cancels, the owner unstakes after the hold; both withdraw after the cooldown
    f.env.advance(DAY);
    measure(&mut f, samples, "cancel_costake", ix::cancel_costake(costaker.pubkey(), device, 1), &[&costaker]);
    let unstake = ix::unstake_for(owner.pubkey(), device, &f.device(&device), f.env.now());
    measure(&mut f, samples, "unstake", unstake, &[&owner]);
    let ticket_seq = f.device(&device).next_ticket_seq - 1;
    f.env.advance(30 * DAY);
    let anyone = f.anyone.insecure_clone();
    let offer_payer = f.env.decode::<Offer>(&pda::offer(&device, 1).0).payer;
    let position = ix::withdraw_position(anyone.pubkey(), device, 1, costaker.pubkey(), offer_payer, &f.mint);
    measure(&mut f, samples, "withdraw_position", position, &[&anyone]);
    let ticket = ix::withdraw_ticket(anyone.pubkey(), device, owner.pubkey(), ticket_seq, owner.pubkey(), &f.mint);
    measure(&mut f, samples, "withdraw_ticket", ticket, &[&anyone]);

    // terminated and closed; last, a role change proposed (it would take effect after a delay)
    measure(&mut f, samples, "terminate", ix::terminate(oracle.pubkey(), device), &[&oracle]);
    let close = ix::close_device(owner.pubkey(), device, f.treasury_token, owner.pubkey(), &f.mint);
    measure(&mut f, samples, "close_device", close, &[&owner]);
    let new_treasury = crate::seeded_keypair("new_treasury", seed).pubkey();
    measure(&mut f, samples, "propose_role", ix::propose_role(admin.pubkey(), Role::Treasury, new_treasury), &[&admin]);
}
