//! A [`Fixture`]: the tests crate's [`TestEnv`] with the program initialized by keys derived
//! from a seed (the tests' `World` draws fresh random keys, which would move the figures from run
//! to run): the roles, the floors of a real cluster, an SPL Token mint, a device owner and a
//! co-staker with tokens, the reward source and the treasury's token account.
use crate::{seeded_keypair, Program};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_tests::client::device_staking::state::{Device, Floors};
use device_staking_tests::client::ix::{self, Mint};
use device_staking_tests::client::{pda, token};
use device_staking_tests::kit::chain::litesvm::load_program;
use device_staking_tests::world::{Wallet, DAY, IO};
use device_staking_tests::{assert_ok, Roles, TestEnv, TxOk, SPL_TOKEN};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Tokens minted to the owner: enough to stake the minimum on every device of a large batch.
pub const OWNER_TOKENS: u64 = 100_000_000 * IO;
/// Tokens minted to the co-staker.
pub const COSTAKER_TOKENS: u64 = 1_000_000 * IO;
/// Tokens minted to the reward source.
pub const REWARD_TOKENS: u64 = 1_000_000_000 * IO;
/// The floors the deploy step sets on devnet and mainnet (migrations/deploy.sh): a cover window
/// of at least 1 day, a cooldown and a role delay of at least 7 days.
pub const CLUSTER_FLOORS: Floors = Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY };

/// An initialized deployment whose every key comes from `seed` (see the module docs).
pub struct Fixture {
    /// The VM and harness; its compute-unit recording is off (the bench prints its own table).
    pub env: TestEnv,
    /// The config's roles.
    pub roles: Roles,
    /// The staking mint (SPL Token, 6 decimals).
    pub mint: Mint,
    /// The device owner.
    pub owner: Wallet,
    /// The co-staker.
    pub costaker: Wallet,
    /// The reward authority's token account.
    pub reward_source: Pubkey,
    /// The treasury's token account.
    pub treasury_token: Pubkey,
    /// A funded third party, for the permissionless instructions.
    pub anyone: Keypair,
    /// The compute units of `initialize`.
    pub initialize_units: u64,
    seed: u64,
    devices_registered: u64,
}

impl Fixture {
    /// Deploys `program` and initializes it with [`CLUSTER_FLOORS`] and the default parameters,
    /// every key derived from `seed`.
    pub fn new(program: &Program, seed: u64) -> Self {
        let mut env = TestEnv::new(program.binary);
        env.set_cu_recording(false);
        if program.path != program.binary.path() {
            let authority = env.upgrade_authority().pubkey();
            load_program(&mut env.svm, &program.path, Some(authority)).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut funded = |label: &str| {
            let key = seeded_keypair(label, seed);
            env.fund(&key.pubkey());
            key
        };
        let roles = Roles::from_keys(["admin", "oracle", "reward_authority", "slash_authority", "treasury"].map(&mut funded));
        let (owner_key, costaker_key, anyone) = (funded("owner"), funded("costaker"), funded("anyone"));
        let mint = create_mint(&mut env, &seeded_keypair("mint", seed));
        let authority = env.upgrade_authority();
        let init = ix::initialize(authority.pubkey(), mint.mint, SPL_TOKEN, roles.initialize_args_with(CLUSTER_FLOORS, None));
        let initialize_units = assert_ok(&env.send(&[init], &[&authority])).compute_units;
        let wallet = |env: &mut TestEnv, key: Keypair, tokens: u64| {
            let token = env.create_ata(&key.pubkey(), &mint.mint);
            env.mint_to(&mint.mint, &token, tokens);
            Wallet { key, token }
        };
        let owner = wallet(&mut env, owner_key, OWNER_TOKENS);
        let costaker = wallet(&mut env, costaker_key, COSTAKER_TOKENS);
        let reward_source = env.create_ata(&roles.reward_authority.pubkey(), &mint.mint);
        env.mint_to(&mint.mint, &reward_source, REWARD_TOKENS);
        let treasury_token = env.create_ata(&roles.treasury.pubkey(), &mint.mint);
        Self {
            env,
            roles,
            mint,
            owner,
            costaker,
            reward_source,
            treasury_token,
            anyone,
            initialize_units,
            seed,
            devices_registered: 0,
        }
    }

    /// Sends `ixs` signed by `signers` and returns the success; panics with the logs otherwise.
    pub fn send_ok(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxOk {
        assert_ok(&self.env.send(ixs, signers)).clone()
    }

    /// A device id no other device of this fixture (nor of another seed's) has.
    pub fn next_device_id(&mut self) -> [u8; 32] {
        self.devices_registered += 1;
        hash_id(self.seed, self.devices_registered)
    }

    /// The decoded device.
    pub fn device(&self, device: &Pubkey) -> Device {
        self.env.decode(device)
    }

    /// Registers a device of the owner (co-signed by the oracle) with `gpu_count` GPUs at
    /// `multiplier_bps`; returns its address and the transaction.
    pub fn register(&mut self, gpu_count: u16, multiplier_bps: u32) -> (Pubkey, TxOk) {
        let id = self.next_device_id();
        let (owner, oracle) = (self.owner.key.insecure_clone(), self.roles.oracle.insecure_clone());
        let register = ix::register_device(owner.pubkey(), oracle.pubkey(), id, gpu_count, multiplier_bps, &self.mint);
        let ok = self.send_ok(&[register], &[&owner, &oracle]);
        (pda::device(&id).0, ok)
    }

    /// The funded co-staker wallet number `number` of this fixture's seed (a fill counts against
    /// its wallet's `max_active_costakes`), with `tokens` in its associated token account.
    pub fn extra_costaker(&mut self, number: u64, tokens: u64) -> Wallet {
        let key = seeded_keypair(&format!("costaker-{number}"), self.seed);
        self.env.fund(&key.pubkey());
        let token = self.env.create_ata(&key.pubkey(), &self.mint.mint);
        self.env.mint_to(&self.mint.mint, &token, tokens);
        Wallet { key, token }
    }

    /// Stakes `amount` on `device` from the owner's token account.
    pub fn stake(&mut self, device: Pubkey, amount: u64) -> TxOk {
        let owner = self.owner.key.insecure_clone();
        let stake = ix::stake(owner.pubkey(), device, self.owner.token, amount, &self.mint);
        self.send_ok(&[stake], &[&owner])
    }
}

/// A device id from the fixture's seed and the device's number.
fn hash_id(seed: u64, number: u64) -> [u8; 32] {
    solana_sha256_hasher::hashv(&[b"device".as_slice(), &seed.to_le_bytes(), &number.to_le_bytes()]).to_bytes()
}

/// Creates an SPL Token mint of 6 decimals at `mint`'s address, the harness's payer its mint
/// authority (as the tests' `TestEnv::create_mint`, whose address is random).
fn create_mint(env: &mut TestEnv, mint: &Keypair) -> Mint {
    let lamports = env.svm.minimum_balance_for_rent_exemption(token::MINT_SIZE);
    let payer = env.payer();
    let ixs = token::create_mint(&payer, &mint.pubkey(), &SPL_TOKEN, 6, &payer, lamports);
    assert_ok(&env.send(&ixs, &[mint]));
    Mint { mint: mint.pubkey(), token_program: SPL_TOKEN }
}
