//! A [`World`]: an initialized config on a [`TestEnv`] (SPL Token mint, 6 decimals), funded
//! device owners and co-stakers with tokens in their associated token accounts, a reward source,
//! the treasury's token account, and helpers that send every user instruction through the client
//! builders. [`World::check_invariants`] checks R52 against the vaults and the live accounts.
use crate::client::device_staking::instructions::device_status::DeviceStatus;
use crate::client::device_staking::state::{Device, Offer, OfferState, Params, Ticket};
use crate::client::ix::{self, Mint, RewardTarget};
use crate::client::pda;
use crate::{assert_err, assert_ok, Binary, Roles, TestEnv, TxOk, TxResult, SPL_TOKEN};
use anchor_lang::prelude::Pubkey;
use anchor_lang::AnchorDeserialize;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// One token of 6 decimals, in base units.
pub const IO: u64 = 1_000_000;
/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Tokens minted to every owner wallet.
pub const OWNER_TOKENS: u64 = 100_000 * IO;
/// Tokens minted to every co-staker wallet.
pub const COSTAKER_TOKENS: u64 = 50_000 * IO;
/// Tokens minted to the reward authority's source account.
pub const REWARD_TOKENS: u64 = 1_000_000 * IO;

/// The story device: 8 GPUs...
pub const GPUS: u16 = 8;
/// ...at multiplier 10...
pub const MULTIPLIER: u32 = 100_000;
/// ...needs 16,000 tokens (R1).
pub const MIN: u64 = 16_000 * IO;
/// The co-staked half of the minimum.
pub const HALF: u64 = 8_000 * IO;
/// The story offer's co-staker reward share.
pub const SHARE: u16 = 7_400;

/// A funded wallet and its associated token account of the staking mint.
pub struct Wallet {
    /// The wallet's key.
    pub key: Keypair,
    /// Its associated token account.
    pub token: Pubkey,
}

impl Clone for Wallet {
    fn clone(&self) -> Self {
        Self { key: self.key.insecure_clone(), token: self.token }
    }
}

impl Wallet {
    /// The wallet's address.
    pub fn pubkey(&self) -> Pubkey {
        self.key.pubkey()
    }
}

/// An initialized deployment with actors (see the module docs).
pub struct World {
    /// The VM and harness.
    pub env: TestEnv,
    /// The config's roles.
    pub roles: Roles,
    /// The staking mint and its token program.
    pub mint: Mint,
    /// The first device owner (the one [`World::register`] uses).
    pub owner: Wallet,
    /// A second device owner.
    pub owner2: Wallet,
    /// Three co-stakers.
    pub costakers: Vec<Wallet>,
    /// The reward authority's token account the rewards come from.
    pub reward_source: Pubkey,
    /// The treasury's associated token account.
    pub treasury_token: Pubkey,
    /// A funded third party, for the permissionless withdrawals.
    pub anyone: Keypair,
    /// Every device registered, in order.
    pub devices: Vec<Pubkey>,
    next_device_id: u32,
}

impl std::ops::Deref for World {
    type Target = TestEnv;
    fn deref(&self) -> &TestEnv {
        &self.env
    }
}

impl std::ops::DerefMut for World {
    fn deref_mut(&mut self) -> &mut TestEnv {
        &mut self.env
    }
}

/// Runs `body` on a fresh default [`World`] of each binary.
pub fn for_each_world(mut body: impl FnMut(&mut World)) {
    for binary in Binary::ALL {
        body(&mut World::new(binary, None));
    }
}

/// Runs `body` on a fresh [`World`] of each binary whose slash cap is 100% per 30 days, so a
/// test can slash everything a device holds.
pub fn for_each_world_slashing_all(mut body: impl FnMut(&mut World)) {
    let mut params = Params::defaults(6).expect("default parameters");
    params.max_slash_bps_per_30d = 10_000;
    for binary in Binary::ALL {
        body(&mut World::new(binary, Some(params)));
    }
}

/// Runs `body` on a fresh default [`World`] of the v3 binary only (for bodies the v0 build
/// cannot run yet: see the report of the test that uses it).
pub fn on_v3_only(mut body: impl FnMut(&mut World)) {
    body(&mut World::new(Binary::V3, None));
}

impl World {
    /// Deploys `binary`, initializes with `params` (`None`: the defaults) and funds the actors.
    pub fn new(binary: Binary, params: Option<Params>) -> Self {
        let mut env = TestEnv::new(binary);
        let roles = env.roles();
        let mint_key = env.create_mint(SPL_TOKEN, 6, &[]);
        let mint = Mint { mint: mint_key, token_program: SPL_TOKEN };
        let authority = env.upgrade_authority();
        let init = ix::initialize(authority.pubkey(), mint_key, SPL_TOKEN, roles.initialize_args(params));
        assert_ok(&env.send(&[init], &[&authority]));
        let wallet = |env: &mut TestEnv, tokens: u64| {
            let key = env.funded_keypair();
            let token = env.create_ata(&key.pubkey(), &mint_key);
            env.mint_to(&mint_key, &token, tokens);
            Wallet { key, token }
        };
        let owner = wallet(&mut env, OWNER_TOKENS);
        let owner2 = wallet(&mut env, OWNER_TOKENS);
        let costakers = (0..3).map(|_| wallet(&mut env, COSTAKER_TOKENS)).collect();
        let reward_source = env.create_ata(&roles.reward_authority.pubkey(), &mint_key);
        env.mint_to(&mint_key, &reward_source, REWARD_TOKENS);
        let treasury_token = env.create_ata(&roles.treasury.pubkey(), &mint_key);
        let anyone = env.funded_keypair();
        Self { env, roles, mint, owner, owner2, costakers, reward_source, treasury_token, anyone, devices: vec![], next_device_id: 0 }
    }

    /// The co-staker number `i` (a copy, to sign with while `self` is borrowed mutably).
    pub fn costaker(&self, i: usize) -> Wallet {
        self.costakers[i].clone()
    }

    /// A new device id (distinct within this world): `[n; 32]` for the first 255, then `n` in
    /// the first four bytes of a `0x5A` pattern.
    pub fn new_device_id(&mut self) -> [u8; 32] {
        self.next_device_id += 1;
        match u8::try_from(self.next_device_id) {
            Ok(n) => [n; 32],
            Err(_) => {
                let mut id = [0x5A; 32];
                id[..4].copy_from_slice(&self.next_device_id.to_le_bytes());
                id
            }
        }
    }

    /// Sends `register_device` for `owner` with the oracle co-signing.
    pub fn try_register(&mut self, owner: &Wallet, device_id: [u8; 32], gpu_count: u16, multiplier_bps: u32) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        let ix = ix::register_device(owner.pubkey(), oracle.pubkey(), device_id, gpu_count, multiplier_bps, &self.mint);
        let result = self.env.send(&[ix], &[&owner.key, &oracle]);
        if result.is_ok() {
            self.devices.push(pda::device(&device_id).0);
        }
        result
    }

    /// Registers a device of the first owner and returns its PDA.
    pub fn register(&mut self, gpu_count: u16, multiplier_bps: u32) -> Pubkey {
        let owner = self.owner.clone();
        self.register_for(&owner, gpu_count, multiplier_bps)
    }

    /// Registers a device of `owner` and returns its PDA.
    pub fn register_for(&mut self, owner: &Wallet, gpu_count: u16, multiplier_bps: u32) -> Pubkey {
        let id = self.new_device_id();
        assert_ok(&self.try_register(owner, id, gpu_count, multiplier_bps));
        pda::device(&id).0
    }

    /// A story device of the first owner with [`MIN`] staked.
    pub fn staked_device(&mut self) -> Pubkey {
        let device = self.register(GPUS, MULTIPLIER);
        assert_eq!(self.device(&device).min_required, MIN);
        self.ok(|w| w.stake(device, MIN));
        device
    }

    /// A [`World::staked_device`] with [`HALF`] co-staked by co-staker 0 at [`SHARE`]; returns
    /// the device and the position's seq.
    pub fn costaked_device(&mut self) -> (Pubkey, u64) {
        let device = self.staked_device();
        let seq = self.offer_ok(device, HALF, SHARE);
        let costaker = self.costaker(0);
        self.ok(|w| w.fill(&costaker, device, seq));
        (device, seq)
    }

    /// Sends `ix` signed by `signer` (a copy of a key the world holds).
    pub fn send_by(&mut self, ix: anchor_lang::solana_program::instruction::Instruction, signer: &Keypair) -> TxResult {
        self.env.send(&[ix], &[signer])
    }

    /// The wallet (owner or co-staker) with address `key`.
    pub fn wallet(&self, key: &Pubkey) -> Wallet {
        [&self.owner, &self.owner2].into_iter().chain(&self.costakers).find(|w| w.pubkey() == *key).expect("a known wallet").clone()
    }

    /// The owner wallet of `device`.
    pub fn owner_of(&self, device: &Pubkey) -> Wallet {
        self.wallet(&self.device(device).owner)
    }

    // ---- decoders ----

    /// The decoded device.
    pub fn device(&self, device: &Pubkey) -> Device {
        self.env.decode(device)
    }

    /// The decoded offer `seq` of `device` (panics when closed).
    pub fn offer(&self, device: &Pubkey, seq: u64) -> Offer {
        self.env.decode(&pda::offer(device, seq).0)
    }

    /// The offer accounts of `device` that still exist, by seq (every seq ever used is looked at).
    pub fn live_offers(&self, device: &Pubkey) -> Vec<Offer> {
        self.live_offers_among(device, 0..self.device(device).next_offer_seq)
    }

    /// The offer accounts of `device` that exist among `seqs`, in the order given.
    pub fn live_offers_among(&self, device: &Pubkey, seqs: impl IntoIterator<Item = u64>) -> Vec<Offer> {
        seqs.into_iter().filter(|seq| self.is_program_account(&pda::offer(device, *seq).0)).map(|seq| self.offer(device, seq)).collect()
    }

    /// The owner's outstanding ticket of `device`, if any (every ticket seq ever used is looked at).
    pub fn ticket(&self, device: &Pubkey) -> Option<Ticket> {
        self.ticket_among(device, 0..self.device(device).next_ticket_seq)
    }

    /// The ticket of `device` that exists among `seqs`, if any; panics when there are several.
    pub fn ticket_among(&self, device: &Pubkey, seqs: impl IntoIterator<Item = u64>) -> Option<Ticket> {
        let tickets: Vec<Ticket> = seqs
            .into_iter()
            .filter(|seq| self.is_program_account(&pda::ticket(device, *seq).0))
            .map(|seq| self.env.decode(&pda::ticket(device, seq).0))
            .collect();
        assert!(tickets.len() <= 1, "more than one outstanding ticket: {tickets:?}");
        tickets.into_iter().next()
    }

    /// Whether an account of this program is at `address` (not a closed one, even if lamports
    /// were sent to its address since).
    pub fn is_program_account(&self, address: &Pubkey) -> bool {
        self.svm.get_account(address).is_some_and(|a| a.owner == crate::client::PROGRAM_ID)
    }

    /// Every account the world knows of: config, devices, vaults, offers, tickets, wallets, token
    /// accounts and profiles: what a refused transaction must leave unchanged.
    pub fn all_accounts(&self) -> Vec<Pubkey> {
        self.accounts_with(|d: &Device| (0..d.next_offer_seq, 0..d.next_ticket_seq))
    }

    /// [`World::all_accounts`] with, for each registered device, only the offer and ticket seqs
    /// `seqs` gives for it.
    pub fn accounts_with<O, T>(&self, seqs: impl Fn(&Device) -> (O, T)) -> Vec<Pubkey>
    where
        O: IntoIterator<Item = u64>,
        T: IntoIterator<Item = u64>,
    {
        let mut keys = vec![pda::config().0, self.reward_source, self.treasury_token, self.anyone.pubkey()];
        for w in [&self.owner, &self.owner2].into_iter().chain(&self.costakers) {
            keys.extend([w.pubkey(), w.token, pda::costaker(&w.pubkey()).0]);
        }
        for d in &self.devices {
            keys.extend([*d, pda::stake_vault(d).0, pda::overflow_vault(d).0]);
            if let Some(device) = self.is_program_account(d).then(|| self.device(d)) {
                let (offers, tickets) = seqs(&device);
                keys.extend(offers.into_iter().map(|s| pda::offer(d, s).0));
                keys.extend(tickets.into_iter().map(|s| pda::ticket(d, s).0));
            }
        }
        keys
    }

    /// Runs `send`, asserts it succeeded, checks every device's invariants, returns the success.
    pub fn ok(&mut self, send: impl FnOnce(&mut World) -> TxResult) -> TxOk {
        let result = send(self);
        let ok = assert_ok(&result).clone();
        self.check_all();
        ok
    }

    /// Runs `send`, asserts it failed with `error`, and that no known account changed.
    pub fn refused(&mut self, error: &str, send: impl FnOnce(&mut World) -> TxResult) {
        let watched = self.all_accounts();
        let before = self.snapshot(&watched);
        let result = send(self);
        assert_err(&result, error);
        assert!(self.snapshot(&watched) == before, "a transaction refused with {error} changed an account");
        self.check_all();
    }

    // ---- owner instructions ----

    /// `stake(amount)` by the device's owner from their ATA.
    pub fn stake(&mut self, device: Pubkey, amount: u64) -> TxResult {
        let owner = self.owner_of(&device);
        let ix = ix::stake(owner.pubkey(), device, owner.token, amount, &self.mint);
        self.env.send(&[ix], &[&owner.key])
    }

    /// `create_offer(amount, share)` by the owner; returns the result and the seq it used.
    pub fn create_offer(&mut self, device: Pubkey, amount: u64, reward_share_bps: u16) -> (TxResult, u64) {
        let owner = self.owner_of(&device);
        let seq = self.device(&device).next_offer_seq;
        let ix = ix::create_offer(owner.pubkey(), device, seq, amount, reward_share_bps);
        (self.env.send(&[ix], &[&owner.key]), seq)
    }

    /// `create_offer` that must succeed; returns the seq.
    pub fn offer_ok(&mut self, device: Pubkey, amount: u64, reward_share_bps: u16) -> u64 {
        let (result, seq) = self.create_offer(device, amount, reward_share_bps);
        assert_ok(&result);
        seq
    }

    /// `retract_offer(seq)` by the owner.
    pub fn retract(&mut self, device: Pubkey, seq: u64) -> TxResult {
        let owner = self.owner_of(&device);
        let ix = ix::retract_offer(owner.pubkey(), device, seq, owner.pubkey());
        self.env.send(&[ix], &[&owner.key])
    }

    /// `withdraw_overflow(amount)` by the owner to their ATA.
    pub fn withdraw_overflow(&mut self, device: Pubkey, amount: u64) -> TxResult {
        let owner = self.owner_of(&device);
        let ix = ix::withdraw_overflow(owner.pubkey(), device, owner.token, amount, &self.mint);
        self.env.send(&[ix], &[&owner.key])
    }

    /// `unstake` by the owner, with the positions read off the device now.
    pub fn unstake(&mut self, device: Pubkey) -> TxResult {
        let owner = self.owner_of(&device);
        let ix = ix::unstake_for(owner.pubkey(), device, &self.device(&device), self.now());
        self.env.send(&[ix], &[&owner.key])
    }

    // ---- co-staker instructions ----

    /// `fill_offer(seq)` by `costaker` on the offer's own terms.
    pub fn fill(&mut self, costaker: &Wallet, device: Pubkey, seq: u64) -> TxResult {
        let offer = self.offer(&device, seq);
        self.fill_terms(costaker, device, seq, offer.amount, offer.reward_share_bps)
    }

    /// `fill_offer(seq, amount, share)` by `costaker`.
    pub fn fill_terms(&mut self, costaker: &Wallet, device: Pubkey, seq: u64, amount: u64, share: u16) -> TxResult {
        let ix = ix::fill_offer(costaker.pubkey(), device, seq, amount, share, costaker.token, &self.mint);
        self.env.send(&[ix], &[&costaker.key])
    }

    /// `cancel_costake(seq)` by `costaker`.
    pub fn cancel(&mut self, costaker: &Wallet, device: Pubkey, seq: u64) -> TxResult {
        let ix = ix::cancel_costake(costaker.pubkey(), device, seq);
        self.env.send(&[ix], &[&costaker.key])
    }

    /// `claim_rewards(seq)` by `costaker` to their ATA.
    pub fn claim(&mut self, costaker: &Wallet, device: Pubkey, seq: u64) -> TxResult {
        let ix = ix::claim_rewards(costaker.pubkey(), device, seq, costaker.token, &self.mint);
        self.env.send(&[ix], &[&costaker.key])
    }

    // ---- permissionless withdrawals ----

    /// `withdraw_ticket(seq)` called by a third party.
    pub fn withdraw_ticket(&mut self, device: Pubkey, ticket_seq: u64) -> TxResult {
        let owner = self.device(&device).owner;
        let anyone = self.anyone.insecure_clone();
        let ix = ix::withdraw_ticket(anyone.pubkey(), device, owner, ticket_seq, owner, &self.mint);
        self.env.send(&[ix], &[&anyone])
    }

    /// `withdraw_position(seq)` called by a third party (the offer must exist).
    pub fn withdraw_position(&mut self, device: Pubkey, seq: u64) -> TxResult {
        let offer = self.offer(&device, seq);
        let anyone = self.anyone.insecure_clone();
        let ix = ix::withdraw_position(anyone.pubkey(), device, seq, offer.costaker, offer.payer, &self.mint);
        self.env.send(&[ix], &[&anyone])
    }

    // ---- authorities ----

    /// The reward target of `device` for `amount`, naming its filled position if any.
    pub fn target(&self, device: Pubkey, amount: u64) -> RewardTarget {
        RewardTarget { device, amount, filled_seq: self.device(&device).filled.map(|f| f.seq) }
    }

    /// `distribute_rewards` of one block to `(device, amount)` pairs.
    pub fn reward(&mut self, block_id: u64, block_start: i64, block_end: i64, pay: &[(Pubkey, u64)]) -> TxResult {
        let targets: Vec<RewardTarget> = pay.iter().map(|(d, a)| self.target(*d, *a)).collect();
        self.reward_targets(block_id, block_start, block_end, &targets)
    }

    /// `distribute_rewards` with explicit targets.
    pub fn reward_targets(&mut self, block_id: u64, block_start: i64, block_end: i64, targets: &[RewardTarget]) -> TxResult {
        let authority = self.roles.reward_authority.insecure_clone();
        let ix = ix::distribute_rewards(authority.pubkey(), self.reward_source, block_id, block_start, block_end, targets, &self.mint);
        self.env.send(&[ix], &[&authority])
    }

    /// `slash(amount)` by the slash authority, naming the outstanding ticket and every live
    /// position, by seq.
    pub fn slash(&mut self, device: Pubkey, amount: u64) -> TxResult {
        let authority = self.roles.slash_authority.insecure_clone();
        self.slash_by(&authority, device, amount)
    }

    /// [`World::slash`] signed by `signer`.
    pub fn slash_by(&mut self, signer: &Keypair, device: Pubkey, amount: u64) -> TxResult {
        let ticket = self.ticket(&device).map(|t| t.seq);
        let positions: Vec<u64> = self.live_offers(&device).iter().filter(|o| o.state != OfferState::Open).map(|o| o.seq).collect();
        let ix = ix::slash(signer.pubkey(), device, self.treasury_token, ticket, &positions, amount, &self.mint);
        self.env.send(&[ix], &[signer])
    }

    /// `hold(until)` by the slash authority.
    pub fn hold(&mut self, device: Pubkey, until: i64) -> TxResult {
        let authority = self.roles.slash_authority.insecure_clone();
        let ix = ix::hold(authority.pubkey(), device, until);
        self.env.send(&[ix], &[&authority])
    }

    /// `set_paused` by the admin.
    pub fn set_paused(&mut self, paused: bool) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::set_paused(admin.pubkey(), paused)], &[&admin])
    }

    /// `set_hired` by the oracle.
    pub fn set_hired(&mut self, device: Pubkey, hired: bool) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        self.env.send(&[ix::set_hired(oracle.pubkey(), device, hired)], &[&oracle])
    }

    /// `update_hardware` by the oracle.
    pub fn update_hardware(&mut self, device: Pubkey, gpu_count: u16, multiplier_bps: u32) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        self.env.send(&[ix::update_hardware(oracle.pubkey(), device, gpu_count, multiplier_bps)], &[&oracle])
    }

    /// `refresh_min`, sent by the fee payer alone (it is permissionless).
    pub fn refresh_min(&mut self, device: Pubkey) -> TxResult {
        self.env.send(&[ix::refresh_min(device)], &[])
    }

    /// `update_params` by the admin.
    pub fn update_params(&mut self, params: Params) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::update_params(admin.pubkey(), params)], &[&admin])
    }

    /// The decoded config.
    pub fn config(&self) -> crate::client::device_staking::state::Config {
        self.env.decode(&pda::config().0)
    }

    /// `terminate` by the oracle.
    pub fn terminate(&mut self, device: Pubkey) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        self.env.send(&[ix::terminate(oracle.pubkey(), device)], &[&oracle])
    }

    /// `device_status` with the outstanding ticket and every live offer, decoded.
    pub fn status(&mut self, device: Pubkey) -> DeviceStatus {
        let ticket = self.ticket(&device).map(|t| t.seq);
        let positions: Vec<u64> = self.live_offers(&device).iter().map(|o| o.seq).collect();
        let ok = assert_ok(&self.env.send(&[ix::device_status(device, ticket, &positions)], &[])).clone();
        DeviceStatus::try_from_slice(&ok.return_data).expect("DeviceStatus return data")
    }

    /// Whether `device` is eligible now (R5), as the program computes it.
    pub fn eligible(&self, device: &Pubkey) -> bool {
        self.device(device).is_eligible(self.now())
    }

    // ---- invariants ----

    /// R52 for `device`: each vault holds at least its ledger, and the ledgers agree with the
    /// live offer accounts and the outstanding ticket.
    pub fn check_invariants(&self, device: &Pubkey) {
        self.check_invariants_with(device, &self.live_offers(device), self.ticket(device));
    }

    /// [`World::check_invariants`] against `offers` and `ticket`: the live offer accounts and the
    /// outstanding ticket of `device`, as the caller found them.
    pub fn check_invariants_with(&self, device: &Pubkey, offers: &[Offer], ticket: Option<Ticket>) {
        let d = self.device(device);
        let stake_vault = self.token_balance(&pda::stake_vault(device).0);
        let overflow_vault = self.token_balance(&pda::overflow_vault(device).0);
        let principal = d.owner_stake + d.positions_principal + d.ticket_principal;
        assert!(stake_vault >= principal, "stake vault {stake_vault} < ledger {principal}: {d:?}");
        let rewards = d.owner_rewards + d.positions_rewards;
        assert!(overflow_vault >= rewards, "overflow vault {overflow_vault} < ledger {rewards}: {d:?}");

        let positions: u64 = offers.iter().map(|o| o.principal).sum();
        assert_eq!(d.positions_principal, positions, "positions_principal vs the offers' principal: {offers:?}");
        let position_rewards: u64 = offers.iter().map(|o| o.rewards).sum();
        assert_eq!(d.positions_rewards, position_rewards, "positions_rewards vs the offers' rewards");
        assert_eq!(d.live_offers as usize, offers.len(), "live_offers vs the offer accounts");
        let open: Vec<u64> = offers.iter().filter(|o| o.state == OfferState::Open).map(|o| o.seq).collect();
        assert_eq!(d.open_offer.into_iter().collect::<Vec<_>>(), open, "open_offer");
        let filled: Vec<u64> = offers.iter().filter(|o| o.state == OfferState::Filled).map(|o| o.seq).collect();
        assert_eq!(d.filled.map(|f| f.seq).into_iter().collect::<Vec<_>>(), filled, "filled");
        if let Some(f) = d.filled {
            assert_eq!(f.principal, self.offer(device, f.seq).principal, "filled mirror");
        }
        assert_eq!(d.ticket_principal, ticket.as_ref().map_or(0, |t| t.amount), "ticket_principal vs the ticket");
        assert_eq!(d.unstaking, ticket.is_some(), "unstaking iff a ticket is outstanding");
    }

    /// [`World::check_invariants`] for every device still registered.
    pub fn check_all(&self) {
        for d in &self.devices {
            if self.is_program_account(d) {
                self.check_invariants(d);
            }
        }
    }

    /// Tokens held by every wallet, vault, the treasury and the reward source.
    pub fn total_tokens(&self) -> u64 {
        let mut accounts = vec![self.reward_source, self.treasury_token];
        for w in [&self.owner, &self.owner2].into_iter().chain(&self.costakers) {
            accounts.push(w.token);
        }
        for d in &self.devices {
            accounts.extend([pda::stake_vault(d).0, pda::overflow_vault(d).0]);
        }
        accounts.iter().filter(|a| self.svm.get_account(a).is_some_and(|acc| !acc.data.is_empty())).map(|a| self.token_balance(a)).sum()
    }
}
