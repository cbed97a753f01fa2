//! A [`World`]: an initialized config on a [`TestEnv`] (SPL Token mint, 6 decimals, the local
//! floors), funded device owners and co-stakers with tokens in their associated token accounts,
//! a reward source, the treasury's token account, and helpers that send every instruction through
//! the client builders. [`World::check_invariants`] checks R52 against the vaults, the device's
//! position table, and the offer, escrow and ticket accounts.
use crate::client::device_staking::events::PositionReleased;
use crate::client::device_staking::instructions::device_status::DeviceStatus;
use crate::client::device_staking::state::{
    Config, CostakerProfile, Device, Env, Offer, OfferState, Params, Role, Ticket, Tombstone,
};
use crate::client::ix::{self, Mint, RewardTarget};
use crate::client::pda;
use crate::{assert_err, assert_ok, events, Binary, Roles, TestEnv, TxOk, TxResult, SPL_TOKEN};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AnchorDeserialize, Discriminator};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::BTreeMap;

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

/// Short windows for tests that cross many deadlines (allowed by the local floors): a cover
/// window of 100 s, a cooldown of 200 s, holds of at most 50 s and no role delay of the admin's
/// own, so that R34's delay is 100 + 200 + 1 = 301 s.
pub fn short_params() -> Params {
    Params {
        cover_window_secs: 100,
        cooldown_secs: 200,
        max_hold_secs: 50,
        role_change_delay_secs: 0,
        ..Params::defaults(6).expect("default parameters")
    }
}

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
    /// A funded third party, for the permissionless withdrawals and releases.
    pub anyone: Keypair,
    /// Every device registered, in order (live devices and tombstones).
    pub devices: Vec<Pubkey>,
    /// What each released offer's escrow owes its co-staker (from `PositionReleased`), by offer
    /// address: R52 checks that the escrow holds at least that.
    pub escrow_owed: BTreeMap<Pubkey, u64>,
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

/// Runs `body` on a fresh [`World`] of each binary initialized with `params`.
pub fn for_each_world_with(params: Params, mut body: impl FnMut(&mut World)) {
    for binary in Binary::ALL {
        body(&mut World::new(binary, Some(params)));
    }
}

/// Runs `body` on a fresh [`World`] of each binary whose slash cap is 100% per 30 days, so a
/// test can slash everything a device holds.
pub fn for_each_world_slashing_all(body: impl FnMut(&mut World)) {
    let params = Params { max_slash_bps_per_30d: 10_000, ..Params::defaults(6).expect("default parameters") };
    for_each_world_with(params, body);
}

/// Runs `body` on a fresh default [`World`] of the v3 binary only (for bodies the v0 build
/// cannot run yet: see the report of the test that uses it).
pub fn on_v3_only(mut body: impl FnMut(&mut World)) {
    body(&mut World::new(Binary::V3, None));
}

impl World {
    /// Deploys `binary`, initializes with the local floors and `params` (`None`: the defaults)
    /// and funds the actors.
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
        Self {
            env,
            roles,
            mint,
            owner,
            owner2,
            costakers,
            reward_source,
            treasury_token,
            anyone,
            devices: vec![],
            escrow_owed: BTreeMap::new(),
            next_device_id: 0,
        }
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

    /// Sends `register_device` for `owner` with the oracle co-signing (a tombstone of the id is
    /// revived, R3).
    pub fn try_register(&mut self, owner: &Wallet, device_id: [u8; 32], gpu_count: u16, multiplier_bps: u32) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        let ix = ix::register_device(owner.pubkey(), oracle.pubkey(), device_id, gpu_count, multiplier_bps, &self.mint);
        let result = self.env.send(&[ix], &[&owner.key, &oracle]);
        let device = pda::device(&device_id).0;
        if result.is_ok() && !self.devices.contains(&device) {
            self.devices.push(device);
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
        assert_eq!(self.device(&device).min_required(&self.env_now()), MIN);
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

    /// A [`World::costaked_device`] whose position co-staker 0 cancelled 21 days ago (the cover
    /// window and the cooldown have passed: the position is ripe, R13-R16); returns the device
    /// and the position's seq.
    pub fn ripe_position(&mut self) -> (Pubkey, u64) {
        let (device, seq) = self.costaked_device();
        let costaker = self.costaker(0);
        let cancelled = self.now();
        self.ok(|w| w.cancel(&costaker, device, seq));
        self.warp_to(cancelled + 21 * DAY);
        (device, seq)
    }

    /// Sends `ix` signed by `signer` (a copy of a key the world holds).
    pub fn send_by(&mut self, ix: Instruction, signer: &Keypair) -> TxResult {
        self.env.send(&[ix], &[signer])
    }

    /// The wallet (owner or co-staker) with address `key`.
    pub fn wallet(&self, key: &Pubkey) -> Wallet {
        self.known_wallets().find(|w| w.pubkey() == *key).expect("a known wallet").clone()
    }

    /// The owners' and co-stakers' wallets.
    pub fn known_wallets(&self) -> impl Iterator<Item = &Wallet> {
        [&self.owner, &self.owner2].into_iter().chain(&self.costakers)
    }

    /// The owner wallet of `device`.
    pub fn owner_of(&self, device: &Pubkey) -> Wallet {
        self.wallet(&self.device(device).owner)
    }

    // ---- decoders ----

    /// The decoded device (panics on a tombstone: see [`World::tombstone`]).
    pub fn device(&self, device: &Pubkey) -> Device {
        self.env.decode(device)
    }

    /// The decoded tombstone of a closed device (R8).
    pub fn tombstone(&self, device: &Pubkey) -> Tombstone {
        self.env.decode(device)
    }

    /// Whether `device` is a live device (not a tombstone, not missing).
    pub fn is_live_device(&self, device: &Pubkey) -> bool {
        self.svm
            .get_account(device)
            .is_some_and(|a| a.owner == crate::client::PROGRAM_ID && a.data.starts_with(Device::DISCRIMINATOR))
    }

    /// Whether `device` is a closed device's tombstone (R8).
    pub fn is_tombstone(&self, device: &Pubkey) -> bool {
        self.svm
            .get_account(device)
            .is_some_and(|a| a.owner == crate::client::PROGRAM_ID && a.data.starts_with(Tombstone::DISCRIMINATOR))
    }

    /// The next offer and ticket seqs of `device`, live or closed: every seq below was used.
    pub fn next_seqs(&self, device: &Pubkey) -> (u64, u64) {
        if self.is_live_device(device) {
            let d = self.device(device);
            (d.next_offer_seq, d.next_ticket_seq)
        } else if self.is_tombstone(device) {
            let t = self.tombstone(device);
            (t.next_offer_seq, t.next_ticket_seq)
        } else {
            (0, 0)
        }
    }

    /// The decoded config.
    pub fn config(&self) -> Config {
        self.env.decode(&pda::config().0)
    }

    /// The config facts the device rules read now (the parameters in force, pause, revocations).
    pub fn env_now(&self) -> Env {
        self.config().env(self.now())
    }

    /// The parameters in force now (R33: a proposal applies by time alone).
    pub fn params(&self) -> Params {
        self.config().params_at(self.now())
    }

    /// The decoded offer `seq` of `device` (panics when closed).
    pub fn offer(&self, device: &Pubkey, seq: u64) -> Offer {
        self.env.decode(&pda::offer(device, seq).0)
    }

    /// The co-staker profile of `wallet`, if it exists.
    pub fn profile(&self, wallet: &Pubkey) -> Option<CostakerProfile> {
        let address = pda::costaker(wallet).0;
        self.is_program_account(&address).then(|| self.env.decode(&address))
    }

    /// The offer accounts of `device` that still exist, by seq (every seq ever used is looked at).
    pub fn live_offers(&self, device: &Pubkey) -> Vec<Offer> {
        self.live_offers_among(device, 0..self.next_seqs(device).0)
    }

    /// The offer accounts of `device` that exist among `seqs`, in the order given.
    pub fn live_offers_among(&self, device: &Pubkey, seqs: impl IntoIterator<Item = u64>) -> Vec<Offer> {
        seqs.into_iter()
            .filter(|seq| self.is_program_account(&pda::offer(device, *seq).0))
            .map(|seq| self.offer(device, seq))
            .collect()
    }

    /// The owner's outstanding ticket of `device`, if any (every ticket seq ever used is looked at).
    pub fn ticket(&self, device: &Pubkey) -> Option<Ticket> {
        self.ticket_among(device, 0..self.next_seqs(device).1)
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

    /// Whether a token account (any owner program but the system's, with data) is at `address`.
    pub fn is_token_account(&self, address: &Pubkey) -> bool {
        self.svm.get_account(address).is_some_and(|a| !a.data.is_empty() && a.owner != anchor_lang::system_program::ID)
    }

    /// Every account the world knows of: config, devices, vaults, offers, their escrows,
    /// tickets, wallets, token accounts and profiles: what a refused transaction must leave
    /// unchanged.
    pub fn all_accounts(&self) -> Vec<Pubkey> {
        self.accounts_with(|device| {
            let (offers, tickets) = self.next_seqs(device);
            (0..offers, 0..tickets)
        })
    }

    /// [`World::all_accounts`] with, for each registered device (by address), only the offer
    /// (and escrow) and ticket seqs `seqs` gives for it.
    pub fn accounts_with<O, T>(&self, seqs: impl Fn(&Pubkey) -> (O, T)) -> Vec<Pubkey>
    where
        O: IntoIterator<Item = u64>,
        T: IntoIterator<Item = u64>,
    {
        let mut keys = vec![pda::config().0, self.reward_source, self.treasury_token, self.anyone.pubkey()];
        for w in self.known_wallets() {
            keys.extend([w.pubkey(), w.token, pda::costaker(&w.pubkey()).0]);
        }
        for d in &self.devices {
            keys.extend([*d, pda::stake_vault(d).0, pda::overflow_vault(d).0]);
            let (offers, tickets) = seqs(d);
            for seq in offers {
                let offer = pda::offer(d, seq).0;
                keys.extend([offer, pda::escrow(&offer).0]);
            }
            keys.extend(tickets.into_iter().map(|s| pda::ticket(d, s).0));
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

    /// `create_offer` that must succeed (and keep R52); returns the seq.
    pub fn offer_ok(&mut self, device: Pubkey, amount: u64, reward_share_bps: u16) -> u64 {
        let (result, seq) = self.create_offer(device, amount, reward_share_bps);
        assert_ok(&result);
        self.check_all();
        seq
    }

    /// `retract_offer(seq)` by the owner, the rent to the offer's payer.
    pub fn retract(&mut self, device: Pubkey, seq: u64) -> TxResult {
        let owner = self.owner_of(&device);
        let address = pda::offer(&device, seq).0;
        let payer = if self.is_program_account(&address) { self.offer(&device, seq).payer } else { owner.pubkey() };
        let ix = ix::retract_offer(owner.pubkey(), device, seq, payer);
        self.env.send(&[ix], &[&owner.key])
    }

    /// `withdraw_overflow(amount)` by the owner to their ATA.
    pub fn withdraw_overflow(&mut self, device: Pubkey, amount: u64) -> TxResult {
        let owner = self.owner_of(&device);
        let ix = ix::withdraw_overflow(owner.pubkey(), device, owner.token, amount, &self.mint);
        self.env.send(&[ix], &[&owner.key])
    }

    /// `unstake` by the owner, naming the filled position's co-staker read off the device
    /// (`ix::unstake_for`).
    pub fn unstake(&mut self, device: Pubkey) -> TxResult {
        let owner = self.owner_of(&device);
        let ix = ix::unstake_for(owner.pubkey(), device, &self.device(&device));
        self.env.send(&[ix], &[&owner.key])
    }

    /// `close_device` by the owner: leftovers to the treasury's token account, the rent to the
    /// device's payer; the device becomes a tombstone (R8).
    pub fn close_device(&mut self, device: Pubkey) -> TxResult {
        let owner = self.owner_of(&device);
        self.close_device_by(&owner, device)
    }

    /// `close_device` signed by `signer` (rent to the device's payer).
    pub fn close_device_by(&mut self, signer: &Wallet, device: Pubkey) -> TxResult {
        let payer = self.device(&device).payer;
        let ix = ix::close_device(signer.pubkey(), device, self.treasury_token, payer, &self.mint);
        self.env.send(&[ix], &[&signer.key])
    }

    /// `transfer_device(new_owner)` by the owner (R19).
    pub fn transfer_device(&mut self, device: Pubkey, new_owner: Pubkey) -> TxResult {
        let owner = self.owner_of(&device);
        self.env.send(&[ix::transfer_device(owner.pubkey(), device, new_owner)], &[&owner.key])
    }

    /// `cancel_transfer` by the owner (R19).
    pub fn cancel_transfer(&mut self, device: Pubkey) -> TxResult {
        let owner = self.owner_of(&device);
        self.env.send(&[ix::cancel_transfer(owner.pubkey(), device)], &[&owner.key])
    }

    /// `accept_device` by `new_owner` (R19).
    pub fn accept_device(&mut self, new_owner: &Wallet, device: Pubkey) -> TxResult {
        self.env.send(&[ix::accept_device(new_owner.pubkey(), device)], &[&new_owner.key])
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

    /// `close_profile` by `wallet`, the rent to the profile's payer (R18).
    pub fn close_profile(&mut self, wallet: &Wallet) -> TxResult {
        let payer = self.profile(&wallet.pubkey()).map_or(wallet.pubkey(), |p| p.payer);
        self.env.send(&[ix::close_profile(wallet.pubkey(), payer)], &[&wallet.key])
    }

    /// `withdraw_escrow(seq)` by `costaker` into their ATA (R16).
    pub fn withdraw_escrow(&mut self, costaker: &Wallet, device: Pubkey, seq: u64) -> TxResult {
        self.withdraw_escrow_to(costaker, device, seq, costaker.token)
    }

    /// `withdraw_escrow(seq)` by `costaker` into `destination`; the rents to the offer's payer
    /// and escrow payer (R16).
    pub fn withdraw_escrow_to(&mut self, costaker: &Wallet, device: Pubkey, seq: u64, destination: Pubkey) -> TxResult {
        let offer = self.offer(&device, seq);
        let ix = ix::withdraw_escrow(costaker.pubkey(), device, seq, destination, offer.payer, offer.escrow_payer, &self.mint);
        self.env.send(&[ix], &[&costaker.key])
    }

    // ---- permissionless withdrawals (R16) ----

    /// `withdraw_ticket` of the device's outstanding ticket, sent by a third party: paid to the
    /// owner's associated token account.
    pub fn withdraw_ticket(&mut self, device: Pubkey) -> TxResult {
        let anyone = self.anyone.insecure_clone();
        self.withdraw_ticket_by(&anyone, device, None)
    }

    /// `withdraw_ticket` sent by `caller`, paying `named` when the caller is the owner (else, or
    /// for `None`, the owner's associated token account: `ix::recipient`).
    pub fn withdraw_ticket_by(&mut self, caller: &Keypair, device: Pubkey, named: Option<Pubkey>) -> TxResult {
        let d = self.device(&device);
        let address = pda::ticket(&device, d.ticket_seq).0;
        let payer = if self.is_program_account(&address) { self.env.decode::<Ticket>(&address).payer } else { d.owner };
        let destination = ix::recipient(&caller.pubkey(), &d.owner, named, &self.mint);
        let ix = ix::withdraw_ticket(caller.pubkey(), device, d.owner, d.ticket_seq, payer, destination, &self.mint);
        self.env.send(&[ix], &[caller])
    }

    /// `withdraw_position(seq)` sent by a third party (the offer must exist): paid to the
    /// co-staker's associated token account.
    pub fn withdraw_position(&mut self, device: Pubkey, seq: u64) -> TxResult {
        let anyone = self.anyone.insecure_clone();
        self.withdraw_position_by(&anyone, device, seq, None)
    }

    /// `withdraw_position(seq)` sent by `caller`, paying `named` when the caller is the
    /// co-staker (else, or for `None`, the co-staker's associated token account).
    pub fn withdraw_position_by(&mut self, caller: &Keypair, device: Pubkey, seq: u64, named: Option<Pubkey>) -> TxResult {
        let offer = self.offer(&device, seq);
        let destination = ix::recipient(&caller.pubkey(), &offer.costaker, named, &self.mint);
        let ix = ix::withdraw_position(caller.pubkey(), device, seq, offer.costaker, offer.payer, destination, &self.mint);
        self.env.send(&[ix], &[caller])
    }

    /// `release(seq)` sent by a third party, who pays the escrow's rent (R16).
    pub fn release(&mut self, device: Pubkey, seq: u64) -> TxResult {
        let anyone = self.anyone.insecure_clone();
        self.release_by(&anyone, device, seq)
    }

    /// `release(seq)` sent by `caller`; records what the escrow owes for the R52 check.
    pub fn release_by(&mut self, caller: &Keypair, device: Pubkey, seq: u64) -> TxResult {
        let result = self.env.send(&[ix::release(caller.pubkey(), device, seq, &self.mint)], &[caller]);
        if let Ok(ok) = &result {
            for e in events::<PositionReleased>(ok) {
                self.escrow_owed.insert(pda::offer(&e.device, e.seq).0, e.principal + e.rewards);
            }
        }
        result
    }

    // ---- authorities ----

    /// The reward target of `device` for `amount`.
    pub fn target(&self, device: Pubkey, amount: u64) -> RewardTarget {
        RewardTarget { device, amount }
    }

    /// `distribute_rewards` of one block `[block_start, block_end)` to `(device, amount)` pairs.
    pub fn reward(&mut self, block_id: u64, block_start: i64, block_end: i64, pay: &[(Pubkey, u64)]) -> TxResult {
        let targets: Vec<RewardTarget> = pay.iter().map(|(d, a)| self.target(*d, *a)).collect();
        self.reward_targets(block_id, block_start, block_end, &targets)
    }

    /// `distribute_rewards` with explicit targets.
    pub fn reward_targets(&mut self, block_id: u64, block_start: i64, block_end: i64, targets: &[RewardTarget]) -> TxResult {
        let authority = self.roles.reward_authority.insecure_clone();
        let ix =
            ix::distribute_rewards(authority.pubkey(), self.reward_source, block_id, block_start, block_end, targets, &self.mint);
        self.env.send(&[ix], &[&authority])
    }

    /// `slash(amount, incident_at)` by the slash authority, to the treasury's associated token
    /// account (R40).
    pub fn slash(&mut self, device: Pubkey, amount: u64, incident_at: i64) -> TxResult {
        let authority = self.roles.slash_authority.insecure_clone();
        self.slash_by(&authority, device, amount, incident_at)
    }

    /// [`World::slash`] signed by `signer`.
    pub fn slash_by(&mut self, signer: &Keypair, device: Pubkey, amount: u64, incident_at: i64) -> TxResult {
        let treasury = self.roles.treasury.pubkey();
        let ix = ix::slash(signer.pubkey(), device, treasury, amount, incident_at, &self.mint);
        self.env.send(&[ix], &[signer])
    }

    /// `hold(until)` by the slash authority (R41).
    pub fn hold(&mut self, device: Pubkey, until: i64) -> TxResult {
        let authority = self.roles.slash_authority.insecure_clone();
        let ix = ix::hold(authority.pubkey(), device, until);
        self.env.send(&[ix], &[&authority])
    }

    /// `sweep_surplus` by the admin, to the treasury's token account (R52).
    pub fn sweep_surplus(&mut self, device: Pubkey) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        let ix = ix::sweep_surplus(admin.pubkey(), device, self.treasury_token, &self.mint);
        self.env.send(&[ix], &[&admin])
    }

    /// `set_hired(until)` by the oracle (R7; 0 clears it).
    pub fn set_hired(&mut self, device: Pubkey, until: i64) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        self.env.send(&[ix::set_hired(oracle.pubkey(), device, until)], &[&oracle])
    }

    /// `update_hardware` by the oracle (R2).
    pub fn update_hardware(&mut self, device: Pubkey, gpu_count: u16, multiplier_bps: u32) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        self.env.send(&[ix::update_hardware(oracle.pubkey(), device, gpu_count, multiplier_bps)], &[&oracle])
    }

    /// `terminate` by the oracle (R7).
    pub fn terminate(&mut self, device: Pubkey) -> TxResult {
        let oracle = self.roles.oracle.insecure_clone();
        self.env.send(&[ix::terminate(oracle.pubkey(), device)], &[&oracle])
    }

    /// `set_paused` by the admin (R32).
    pub fn set_paused(&mut self, paused: bool) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::set_paused(admin.pubkey(), paused)], &[&admin])
    }

    /// `update_params` by the admin: proposes `params`, applying at R34's time (R33).
    pub fn update_params(&mut self, params: Params) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::update_params(admin.pubkey(), params)], &[&admin])
    }

    /// `cancel_params` by the admin (R31).
    pub fn cancel_params(&mut self) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::cancel_params(admin.pubkey())], &[&admin])
    }

    /// `lower_slash_cap` by the admin (R34).
    pub fn lower_slash_cap(&mut self, max_slash_bps_per_30d: u16) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::lower_slash_cap(admin.pubkey(), max_slash_bps_per_30d)], &[&admin])
    }

    /// `propose_role(role, key)` by the admin (R31).
    pub fn propose_role(&mut self, role: Role, key: Pubkey) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::propose_role(admin.pubkey(), role, key)], &[&admin])
    }

    /// `accept_role(role)` signed by `key`, the proposed key (R31).
    pub fn accept_role(&mut self, key: &Keypair, role: Role) -> TxResult {
        self.env.send(&[ix::accept_role(key.pubkey(), role)], &[key])
    }

    /// `cancel_role(role)` by the admin (R31).
    pub fn cancel_role(&mut self, role: Role) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::cancel_role(admin.pubkey(), role)], &[&admin])
    }

    /// `revoke_role(role)` by the admin (R34).
    pub fn revoke_role(&mut self, role: Role) -> TxResult {
        let admin = self.roles.admin.insecure_clone();
        self.env.send(&[ix::revoke_role(admin.pubkey(), role)], &[&admin])
    }

    /// `device_status`, decoded (R54).
    pub fn status(&mut self, device: Pubkey) -> DeviceStatus {
        self.status_ok(device).1
    }

    /// `device_status`: the transaction (its return data) and the status decoded from it (R54).
    pub fn status_ok(&mut self, device: Pubkey) -> (TxOk, DeviceStatus) {
        let ok = assert_ok(&self.env.send(&[ix::device_status(device)], &[])).clone();
        let status = DeviceStatus::try_from_slice(&ok.return_data).expect("DeviceStatus return data");
        (ok, status)
    }

    /// Whether `device` is eligible now (R5), as the program computes it.
    pub fn eligible(&self, device: &Pubkey) -> bool {
        self.device(device).is_eligible(&self.env_now())
    }

    // ---- invariants ----

    /// R52 for `device`: each vault holds at least its ledger, each released offer's escrow at
    /// least what it owes, and the device's table agrees with the offer and ticket accounts.
    pub fn check_invariants(&self, device: &Pubkey) {
        self.check_invariants_with(device, &self.live_offers(device), self.ticket(device));
    }

    /// [`World::check_invariants`] against `offers` and `ticket`: offer accounts of `device`
    /// and its outstanding ticket as the caller found them (any subset of the live offers).
    pub fn check_invariants_with(&self, device: &Pubkey, offers: &[Offer], ticket: Option<Ticket>) {
        for o in offers.iter().filter(|o| o.is(OfferState::Released)) {
            let offer = pda::offer(device, o.seq).0;
            let escrow = pda::escrow(&offer).0;
            assert!(self.is_token_account(&escrow), "released offer {} has no escrow", o.seq);
            let owed = self.escrow_owed.get(&offer).copied().unwrap_or(0);
            let held = self.token_balance(&escrow);
            assert!(held >= owed, "escrow of offer {} holds {held} < {owed} owed", o.seq);
        }
        if !self.is_live_device(device) {
            assert!(
                offers.iter().all(|o| o.is(OfferState::Released)) && ticket.is_none(),
                "a closed device left an offer or a ticket: {offers:?} {ticket:?}"
            );
            return;
        }
        let d = self.device(device);
        let stake_vault = self.token_balance(&pda::stake_vault(device).0);
        let overflow_vault = self.token_balance(&pda::overflow_vault(device).0);
        let principal = d.principal_ledger().expect("principal ledger");
        assert!(stake_vault >= principal, "stake vault {stake_vault} < ledger {principal}: {d:?}");
        let rewards = d.rewards_ledger().expect("rewards ledger");
        assert!(overflow_vault >= rewards, "overflow vault {overflow_vault} < ledger {rewards}: {d:?}");

        // the table against the offer accounts given
        for o in offers {
            assert_eq!(o.device, *device, "offer {} names another device", o.seq);
            let in_table = d.position(o.seq).ok();
            match o.state().unwrap() {
                OfferState::Open => assert_eq!(d.open_offer(), Some(o.seq), "an open offer the device does not record"),
                OfferState::Filled => {
                    let p = in_table.unwrap_or_else(|| panic!("filled offer {} has no position in the table: {d:?}", o.seq));
                    assert_eq!(
                        (p.costaker, p.reward_share_bps),
                        (o.costaker, o.reward_share_bps),
                        "position {} vs its offer",
                        o.seq
                    );
                    assert!(p.principal <= o.amount, "position {} holds more than its offer", o.seq);
                }
                OfferState::Released => assert!(in_table.is_none(), "released offer {} is still in the table", o.seq),
            }
        }
        // the table's own accounts: each position's offer is filled, the open offer is open
        for p in d.positions.iter().filter(|p| p.is_used()) {
            let address = pda::offer(device, p.seq).0;
            assert!(self.is_program_account(&address), "position {} has no offer account", p.seq);
            assert_eq!(self.offer(device, p.seq).state().unwrap(), OfferState::Filled, "position {}'s offer", p.seq);
        }
        assert!(d.positions.iter().filter(|p| p.is_filled()).count() <= 1, "more than one earning position: {d:?}");
        if let Some(seq) = d.open_offer() {
            assert_eq!(self.offer(device, seq).state().unwrap(), OfferState::Open, "the open offer's account");
            assert!(d.filled_position().is_none(), "an open offer next to a filled position");
        }
        // the ticket: outstanding iff unstaking
        if d.is_unstaking() {
            let address = pda::ticket(device, d.ticket_seq).0;
            assert!(self.is_program_account(&address), "unstaking without the ticket account {}", d.ticket_seq);
            if let Some(t) = &ticket {
                assert_eq!((t.device, t.seq), (*device, d.ticket_seq), "the outstanding ticket");
            }
        } else {
            assert_eq!(d.ticket_principal, 0, "a ticket principal without a ticket");
            assert!(ticket.is_none(), "a ticket outstanding while not unstaking: {ticket:?}");
        }
    }

    /// R11, R13, R15: each known wallet's profile counts exactly its filled positions on the
    /// world's live devices.
    pub fn check_profiles(&self) {
        let live: Vec<Device> = self.devices.iter().filter(|d| self.is_live_device(d)).map(|d| self.device(d)).collect();
        for w in self.known_wallets() {
            let filled =
                live.iter().flat_map(|d| d.positions.iter()).filter(|p| p.is_filled() && p.costaker == w.pubkey()).count();
            let counted = self.profile(&w.pubkey()).map_or(0, |p| p.active_positions as usize);
            assert_eq!(
                counted,
                filled,
                "the profile of {} counts {counted} filled positions, the tables hold {filled}",
                w.pubkey()
            );
        }
    }

    /// [`World::check_invariants`] for every registered device (live or closed) and
    /// [`World::check_profiles`].
    pub fn check_all(&self) {
        for d in &self.devices {
            if self.is_program_account(d) {
                self.check_invariants(d);
            }
        }
        self.check_profiles();
    }

    /// Tokens held by every wallet, vault, escrow, the treasury and the reward source.
    pub fn total_tokens(&self) -> u64 {
        let mut accounts = vec![self.reward_source, self.treasury_token];
        accounts.extend(self.known_wallets().map(|w| w.token));
        for d in &self.devices {
            accounts.extend([pda::stake_vault(d).0, pda::overflow_vault(d).0]);
            accounts.extend((0..self.next_seqs(d).0).map(|seq| pda::escrow(&pda::offer(d, seq).0).0));
        }
        accounts.iter().filter(|a| self.is_token_account(a)).map(|a| self.token_balance(a)).sum()
    }
}
