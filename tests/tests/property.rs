//! Random sequences of valid and invalid operations (two owners, three co-stakers, every role
//! with spare keys for grants, and a wrong signer now and then; Clock jumps that often land one
//! second before or exactly at a recorded deadline) run on the binary and on the model of
//! `device_staking_tests::model` side by side. After every step: the outcome (success, or the
//! exact error name), every token balance, the config (roles, pending grants, parameters and
//! their pending set, revocation times), every device (its position table slot by slot, its
//! departed records, ticket figures, holds, slash records) or tombstone, the offers, tickets and
//! co-staker profiles must agree, a refused operation changed no account, and R52's invariants
//! hold.
//!
//! The offers and tickets compared in a step are those the model holds before or after it, plus
//! the next seq of each: the cost of a step does not grow with the run, so a run can reach a
//! million operations. Seqs are never reused and the next seqs are compared every step.
//!
//! `PROPERTY_OPS` sets the operations per binary (default 1,000), `PROPERTY_SEED` the seed,
//! `PROPERTY_BINARY` (`v3` or `v0`) runs one binary only, and `PROPERTY_PROGRESS` (seconds, 0:
//! never) prints the operations done and the operations per second to stderr that often.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_tests::client::device_staking::state::{
    Config, CostakerProfile, Device, Offer, OfferState, Params, Role, SlashRecord, Tombstone,
};
use device_staking_tests::client::ix::{self, RewardTarget};
use device_staking_tests::client::pda;
use device_staking_tests::model::{
    role_index, MDevice, MOffer, MPosition, MRecord, MSlot, Model, OfferStage, Op, MAX_HIRED_SECS, SLASH_WINDOW_SECS,
};
use device_staking_tests::world::*;
use device_staking_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// The default number of operations per binary.
const DEFAULT_OPS: usize = 1_000;
/// The default seed.
const DEFAULT_SEED: u64 = 0x9E37_79B9_7F4A_7C15;
/// Below this many devices that are not terminated, the run registers another.
const LIVE_DEVICES: usize = 4;
/// The roles in the order of the model's slots.
const ROLES: [Role; 5] = [Role::Admin, Role::Oracle, Role::RewardAuthority, Role::SlashAuthority, Role::Treasury];

/// xorshift64*, enough for choosing operations.
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    /// One of `items`.
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }

    /// Up to `max_tokens` whole tokens, sometimes zero or a few base units.
    fn amount(&mut self, max_tokens: u64) -> u64 {
        match self.below(10) {
            0 => 0,
            1 => 1 + self.below(1_000),
            _ => (1 + self.below(max_tokens)) * IO + self.below(IO),
        }
    }
}

/// A variable of the environment parsed as a number, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().map_or(default, |v| {
        let v = v.trim();
        let parsed = match v.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => v.parse(),
        };
        parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number"))
    })
}

/// The parameter sets `update_params` picks from (the local floors allow second-long windows);
/// the last is out of bounds.
fn param_choices() -> Vec<Params> {
    let defaults = Params::defaults(6).expect("defaults");
    vec![
        defaults,
        Params { base_stake_per_gpu: 300 * IO, ..defaults },
        Params { base_stake_per_gpu: 150 * IO, ..defaults },
        Params { cover_window_secs: DAY, cooldown_secs: 2 * DAY, max_hold_secs: DAY, role_change_delay_secs: 0, ..defaults },
        Params { max_active_costakes: 1, max_costake_bps: 3_000, max_reward_share_bps: 8_000, min_offer_bps: 2_000, ..defaults },
        Params { max_slash_bps_per_30d: 10_000, max_hold_secs: 1, ..defaults },
        Params { cooldown_secs: 0, ..defaults },
    ]
}

/// One run: the world, the model, and what generates the operations.
struct Run {
    w: World,
    m: Model,
    rng: Rng,
    keys: BTreeMap<Pubkey, Keypair>,
    owners: Vec<Pubkey>,
    costakers: Vec<Pubkey>,
    role_keys: Vec<Vec<Pubkey>>,
    block_id: u64,
    ids: BTreeMap<Pubkey, [u8; 32]>,
}

impl Run {
    fn new(binary: Binary, seed: u64) -> Self {
        let mut w = World::new(binary, None);
        w.env.set_cu_recording(false);
        // signatures are checked by every other test; verifying them in a debug build would
        // take most of this test's time (the program still sees which accounts signed)
        w.env.svm = std::mem::take(&mut w.env.svm).with_sigverify(false);
        let initial = [&w.roles.admin, &w.roles.oracle, &w.roles.reward_authority, &w.roles.slash_authority, &w.roles.treasury]
            .map(|k| k.pubkey());
        let params = Params::defaults(6).expect("defaults");
        let mut m = Model::new(w.now(), LOCAL_FLOORS, params, initial);
        let mut keys = BTreeMap::new();
        let mut role_keys = vec![];
        for (i, key) in [&w.roles.admin, &w.roles.oracle, &w.roles.reward_authority, &w.roles.slash_authority, &w.roles.treasury]
            .into_iter()
            .enumerate()
        {
            keys.insert(key.pubkey(), key.insecure_clone());
            role_keys.push(vec![key.pubkey()]);
            let _ = i;
        }
        // every role key, spare ones included, has a token account: reward sources and treasuries
        let mint = w.mint.mint;
        for (i, role) in role_keys.iter_mut().enumerate() {
            let first = role[0];
            let ata = match i {
                2 => w.reward_source,
                4 => w.treasury_token,
                _ => w.env.create_ata(&first, &mint),
            };
            m.add_wallet(first, ata, w.token_balance(&ata));
            let spare = w.env.funded_keypair();
            let spare_ata = w.env.create_ata(&spare.pubkey(), &mint);
            if i == 2 {
                w.env.mint_to(&mint, &spare_ata, REWARD_TOKENS);
            }
            m.add_wallet(spare.pubkey(), spare_ata, w.token_balance(&spare_ata));
            role.push(spare.pubkey());
            keys.insert(spare.pubkey(), spare);
        }
        let wallets: Vec<Wallet> = [w.owner.clone(), w.owner2.clone()].into_iter().chain(w.costakers.iter().cloned()).collect();
        for wallet in &wallets {
            m.add_wallet(wallet.pubkey(), wallet.token, w.token_balance(&wallet.token));
            keys.insert(wallet.pubkey(), wallet.key.insecure_clone());
        }
        let anyone = w.anyone.pubkey();
        keys.insert(anyone, w.anyone.insecure_clone());
        let owners = vec![w.owner.pubkey(), w.owner2.pubkey()];
        let costakers = w.costakers.iter().map(Wallet::pubkey).collect();
        let mut run = Self { w, m, rng: Rng(seed), keys, owners, costakers, role_keys, block_id: 0, ids: BTreeMap::new() };
        for (owner, gpus, multiplier) in [(0, 8, 100_000), (0, 2, 2_500), (1, 4, 10_000), (1, 1, 30_000)] {
            let op = run.register_op(run.owners[owner], gpus, multiplier);
            assert_ok(&run.send(&op));
            run.m.apply(&op).expect("the model registers");
        }
        run
    }

    fn key(&self, who: &Pubkey) -> Keypair {
        self.keys.get(who).unwrap_or_else(|| panic!("no key for {who}")).insecure_clone()
    }

    fn register_op(&mut self, owner: Pubkey, gpu_count: u16, multiplier_bps: u32) -> Op {
        let device_id = self.w.new_device_id();
        let holder = self.m.holder(Role::Oracle);
        let oracle = if holder == Pubkey::default() { self.role_keys[1][0] } else { holder };
        Op::RegisterDevice { device_id, owner, oracle, gpu_count, multiplier_bps }
    }

    /// The holder of `role`, or now and then another key (a spare role key or a co-staker).
    fn signer_for(&mut self, role: Role) -> Pubkey {
        let holder = self.m.holder(role);
        if holder != Pubkey::default() && !self.rng.one_in(12) {
            return holder;
        }
        let mut others = self.role_keys[role_index(role)].clone();
        others.push(self.rng.pick(&self.costakers));
        self.rng.pick(&others)
    }

    /// A device (live or a tombstone), mostly one where `fits` holds.
    fn device_where(&mut self, fits: impl Fn(&MDevice) -> bool) -> Pubkey {
        let all: Vec<Pubkey> = self.m.devices.keys().copied().collect();
        let fitting: Vec<Pubkey> = self.m.devices.iter().filter(|(_, d)| d.live && fits(d)).map(|(k, _)| *k).collect();
        if fitting.is_empty() || self.rng.one_in(10) {
            self.rng.pick(&all)
        } else {
            self.rng.pick(&fitting)
        }
    }

    /// The device's owner, or now and then another wallet.
    fn owner_or_intruder(&mut self, device: &Pubkey) -> Pubkey {
        let owner = self.m.device(device).owner;
        if self.rng.one_in(12) {
            let others: Vec<Pubkey> = self.owners.iter().chain(&self.costakers).copied().filter(|k| *k != owner).collect();
            self.rng.pick(&others)
        } else {
            owner
        }
    }

    /// A seq of the device's table where `fits` holds, else any seq the device used, else 0.
    fn seq_where(&mut self, device: &Pubkey, fits: impl Fn(&MPosition) -> bool) -> u64 {
        let d = self.m.device(device);
        let fitting: Vec<u64> = d.used().filter(|p| fits(p)).map(|p| p.seq).collect();
        if fitting.is_empty() || self.rng.one_in(8) {
            self.rng.below(d.next_offer_seq + 1)
        } else {
            self.rng.pick(&fitting)
        }
    }

    /// Stops tracking devices that can no longer change (tombstones, and terminated devices with
    /// nothing left in them and no offer account) beyond the last three, so a long run's steps
    /// stay as cheap as its first: the generator no longer names them, so their accounts stay
    /// as they are on chain.
    fn retire_finished(&mut self) {
        let finished: Vec<Pubkey> = self
            .m
            .devices
            .iter()
            .filter(|(_, d)| !d.live || (d.terminated_at != 0 && d.principal() == 0 && d.rewards() == 0 && d.unstaked_at == 0))
            .filter(|(k, _)| !self.m.offers.keys().any(|(device, _)| device == *k))
            .map(|(k, _)| *k)
            .collect();
        for key in finished.iter().take(finished.len().saturating_sub(3)) {
            self.m.devices.remove(key);
            self.w.devices.retain(|d| d != key);
            for vault in [pda::stake_vault(key).0, pda::overflow_vault(key).0] {
                if self.m.balances.get(&vault) == Some(&0) {
                    self.m.balances.remove(&vault);
                }
            }
        }
    }

    /// Devices that are not terminated.
    fn live_devices(&self) -> usize {
        self.m.devices.values().filter(|d| d.live && d.terminated_at == 0).count()
    }

    /// Keeps a long run alive: tokens for wallets that ran low, a device when few are left.
    fn renewal(&mut self) -> Option<Op> {
        if !self.rng.one_in(8) {
            return None;
        }
        let low: Vec<(Pubkey, u64)> = self
            .owners
            .iter()
            .map(|o| (*o, OWNER_TOKENS))
            .chain(self.costakers.iter().map(|c| (*c, COSTAKER_TOKENS)))
            .chain(self.role_keys[2].iter().map(|r| (*r, REWARD_TOKENS)))
            .map(|(wallet, start)| (self.m.token_of[&wallet], start))
            .filter(|(token, start)| self.m.balances[token] < start / 5)
            .collect();
        if !low.is_empty() {
            let (to, start) = self.rng.pick(&low);
            return Some(Op::MintTo { to, amount: start / 2 });
        }
        if self.live_devices() < LIVE_DEVICES && !self.m.paused && self.m.holder(Role::Oracle) != Pubkey::default() {
            let owner = self.rng.pick(&self.owners);
            let (gpus, multiplier) = self.rng.pick(&[(1, 10_000), (2, 2_500), (4, 20_000), (8, 100_000)]);
            return Some(self.register_op(owner, gpus, multiplier));
        }
        None
    }

    /// The next operation, valid or not.
    fn next_op(&mut self) -> Op {
        if let Some(op) = self.renewal() {
            return op;
        }
        let mut roll = self.rng.below(100);
        for _ in 0..4 {
            if self.has_subject(roll) || self.rng.one_in(6) {
                break;
            }
            roll = self.rng.below(100);
        }
        self.op_for(roll)
    }

    /// Whether some device has what operation `roll` of [`Run::op_for`] acts on.
    fn has_subject(&self, roll: u64) -> bool {
        let live = || self.m.devices.values().filter(|d| d.live);
        match roll {
            15..=26 => live().any(|d| d.open_offer.is_some()),
            27..=31 => live().any(|d| d.filled().is_some()),
            32..=35 => live().any(|d| d.used().any(|p| p.rewards > 0)),
            36..=41 => live().any(|d| d.owner_rewards > 0 || d.owner_stake > 0),
            46..=48 => live().any(|d| d.unstaked_at != 0),
            49..=53 => live().any(|d| d.used().any(|p| p.stopped_at != 0)),
            54..=55 => self.m.offers.values().any(|o| o.stage == OfferStage::Released),
            _ => true,
        }
    }

    /// Operation number `roll` (of 100), valid or not.
    fn op_for(&mut self, roll: u64) -> Op {
        let now = self.m.now;
        let env = self.m.env();
        let p = env.params;
        match roll {
            0..=6 => {
                let device = self.device_where(|d| d.unstaked_at == 0);
                let by = self.owner_or_intruder(&device);
                let d = self.m.device(&device);
                let short = d.min_required(&env).saturating_sub(d.counted(now));
                let cover = d.cover_allowance(&env);
                let amount = match self.rng.below(4) {
                    0 | 2 if short > 0 => short + self.rng.below(2) * short / 2,
                    1 if cover > 0 => cover + self.rng.below(2),
                    _ => self.rng.amount(6_000),
                };
                Op::Stake { device, by, amount }
            }
            7..=14 => {
                let fits =
                    |d: &MDevice| d.open_offer.is_none() && d.filled().is_none() && d.unstaked_at == 0 && d.terminated_at == 0;
                let device = self.device_where(fits);
                let by = self.owner_or_intruder(&device);
                let d = self.m.device(&device);
                let min = d.min_required(&env) as u128;
                let smallest = (min * p.min_offer_bps as u128).div_ceil(10_000) as u64;
                let low = (min as u64).saturating_sub(d.owner_stake).max(smallest).max(1);
                let high = (d.owner_stake as u128 * p.max_costake_bps as u128 / (10_000 - p.max_costake_bps as u128)) as u64;
                let amount = match self.rng.below(6) {
                    0 => self.rng.amount(9_000),
                    1 => high + 1,
                    2 => low.saturating_sub(1),
                    _ if low <= high => low + self.rng.below(high - low + 1),
                    _ => low,
                };
                let share = self.rng.pick(&[0, 1, 5_000, 7_400, p.max_reward_share_bps, 10_000, 10_001]);
                Op::CreateOffer { device, by, amount, share }
            }
            15..=16 => {
                let device = self.device_where(|d| d.open_offer.is_some());
                let by = self.owner_or_intruder(&device);
                let d = self.m.device(&device);
                let seq = match d.open_offer {
                    Some(seq) if !self.rng.one_in(8) => seq,
                    _ => self.rng.below(d.next_offer_seq + 1),
                };
                Op::RetractOffer { device, by, seq }
            }
            17..=26 => {
                let device = self.device_where(|d| d.open_offer.is_some());
                let d = self.m.device(&device);
                let seq = d.open_offer.filter(|_| !self.rng.one_in(10)).unwrap_or_else(|| self.rng.below(d.next_offer_seq + 1));
                let owner = d.owner;
                let costaker = if self.rng.one_in(15) { owner } else { self.rng.pick(&self.costakers) };
                let (amount, share) = self.m.offers.get(&(device, seq)).map_or((IO, 5_000), |o| (o.amount, o.share));
                match self.rng.below(10) {
                    0 => Op::FillOffer { device, costaker, seq, amount: amount + 1, share },
                    1 => Op::FillOffer { device, costaker, seq, amount, share: share.wrapping_add(1) },
                    _ => Op::FillOffer { device, costaker, seq, amount, share },
                }
            }
            27..=31 => {
                let device = self.device_where(|d| d.filled().is_some());
                let seq = self.seq_where(&device, |p| p.stopped_at == 0);
                let holder = self.m.device(&device).position(seq).map(|p| p.costaker);
                let costaker = match holder {
                    Some(c) if !self.rng.one_in(8) => c,
                    _ => self.rng.pick(&self.costakers),
                };
                Op::CancelCostake { device, costaker, seq }
            }
            32..=35 => {
                let device = self.device_where(|d| d.used().any(|p| p.rewards > 0));
                let seq = self.seq_where(&device, |p| p.rewards > 0);
                let holder = self.m.device(&device).position(seq).map(|p| p.costaker);
                let costaker = match holder {
                    Some(c) if !self.rng.one_in(8) => c,
                    _ => self.rng.pick(&self.costakers),
                };
                Op::ClaimRewards { device, costaker, seq }
            }
            36..=41 => {
                let device = self.device_where(|d| d.owner_rewards > 0 || d.owner_stake > 0);
                let by = self.owner_or_intruder(&device);
                let d = self.m.device(&device);
                let overflow = d.owner_rewards + d.principal_overflow(&env);
                let amount = match self.rng.below(4) {
                    0 => overflow,
                    1 => overflow + 1,
                    2 => d.owner_rewards.max(1),
                    _ => self.rng.amount(2_000),
                };
                Op::WithdrawOverflow { device, by, amount }
            }
            42..=45 => {
                let device = self.device_where(|d| d.unstaked_at == 0 && d.owner_stake > 0);
                let by = self.owner_or_intruder(&device);
                Op::Unstake { device, by }
            }
            46..=48 => {
                let device = self.device_where(|d| d.unstaked_at != 0);
                let owner = self.m.device(&device).owner;
                let caller = if self.rng.one_in(2) { owner } else { self.w.anyone.pubkey() };
                Op::WithdrawTicket { device, caller }
            }
            49..=53 => {
                let device = self.device_where(|d| d.used().any(|p| p.stopped_at != 0));
                let seq = self.seq_where(&device, |p| p.stopped_at != 0);
                let costaker = self.m.device(&device).position(seq).map_or(self.costakers[0], |p| p.costaker);
                let caller = self.rng.pick(&[costaker, self.w.anyone.pubkey()]);
                if self.rng.one_in(4) {
                    Op::Release { device, seq, caller }
                } else {
                    Op::WithdrawPosition { device, seq, caller }
                }
            }
            54..=55 => {
                let released: Vec<(Pubkey, u64, Pubkey)> = self
                    .m
                    .offers
                    .iter()
                    .filter(|(_, o)| o.stage == OfferStage::Released)
                    .map(|((d, s), o)| (*d, *s, o.costaker))
                    .collect();
                if released.is_empty() || self.rng.one_in(6) {
                    let device = self.device_where(|_| true);
                    let seq = self.rng.below(self.m.device(&device).next_offer_seq + 1);
                    Op::WithdrawEscrow { device, seq, costaker: self.rng.pick(&self.costakers) }
                } else {
                    let (device, seq, costaker) = self.rng.pick(&released);
                    let costaker = if self.rng.one_in(8) { self.rng.pick(&self.costakers) } else { costaker };
                    Op::WithdrawEscrow { device, seq, costaker }
                }
            }
            56..=64 => self.distribute_op(),
            65..=67 => {
                let device = self.device_where(|d| d.principal() > 0);
                let by = self.signer_for(Role::SlashAuthority);
                let treasury =
                    if self.rng.one_in(10) { self.rng.pick(&self.role_keys[4]) } else { self.m.holder(Role::Treasury) };
                let d = self.m.device(&device);
                let amount = match self.rng.below(3) {
                    0 => d.principal().max(1),
                    _ => self.rng.amount(3_000),
                };
                let mut incidents = vec![
                    now,
                    now - SLASH_WINDOW_SECS,
                    now - SLASH_WINDOW_SECS + 1,
                    now - self.rng.below(SLASH_WINDOW_SECS as u64) as i64,
                    d.hold_incident_start,
                    d.hold_incident_start + 1,
                    d.unstaked_at - 1,
                ];
                incidents.extend(d.used().flat_map(|p| [p.filled_at, p.wait_end - 1, p.wait_end]));
                let incident_at = self.rng.pick(&incidents).clamp(0, now + 1);
                Op::Slash { device, by, treasury, amount, incident_at }
            }
            68..=69 => {
                let device = self.device_where(|_| true);
                let by = self.signer_for(Role::SlashAuthority);
                let (start, reach) = (self.m.device(&device).hold_incident_start, self.m.device(&device).hold_reach);
                let max = p.max_hold_secs;
                let until = self.rng.pick(&[now, now + 1, now + max, start + max, start + max + 1, reach, reach + 1, now + DAY]);
                Op::Hold { device, by, until }
            }
            70..=72 => {
                let device = self.device_where(|d| d.terminated_at == 0);
                let by = self.signer_for(Role::Oracle);
                let until = self.rng.pick(&[0, now, now + 1, now + DAY, now + MAX_HIRED_SECS, now + MAX_HIRED_SECS + 1]);
                Op::SetHired { device, by, until }
            }
            73 if self.rng.one_in(30) => {
                let device = self.device_where(|d| d.terminated_at == 0);
                Op::Terminate { device, by: self.signer_for(Role::Oracle) }
            }
            73..=74 => {
                let device = self.device_where(|_| true);
                let by = self.signer_for(Role::Oracle);
                let (gpu_count, multiplier_bps) =
                    self.rng.pick(&[(1, 10_000), (2, 2_500), (4, 10_000), (8, 100_000), (16, 100_000), (0, 10_000), (1, 0)]);
                Op::UpdateHardware { device, by, gpu_count, multiplier_bps }
            }
            75 => Op::UpdateParams { by: self.signer_for(Role::Admin), params: self.rng.pick(&param_choices()) },
            76 => {
                let by = self.signer_for(Role::Admin);
                if self.rng.one_in(2) {
                    Op::CancelParams { by }
                } else {
                    let cap = self.m.params_at(now).max_slash_bps_per_30d;
                    Op::LowerSlashCap { by, bps: self.rng.pick(&[0, cap / 2, cap.saturating_sub(1), cap]) }
                }
            }
            77 => Op::SetPaused { by: self.signer_for(Role::Admin), paused: !self.m.paused && self.rng.one_in(4) },
            78..=80 => {
                let empty: Vec<Role> = ROLES.into_iter().filter(|r| self.m.holder(*r) == Pubkey::default()).collect();
                let role = if empty.is_empty() || self.rng.one_in(4) { self.rng.pick(&ROLES) } else { self.rng.pick(&empty) };
                let by = self.signer_for(Role::Admin);
                let slot = self.m.roles[role_index(role)];
                let empty = self.m.holder(role) == Pubkey::default() && slot.effective_at == 0;
                match self.rng.below(10) {
                    _ if empty => Op::ProposeRole { by, role, key: self.rng.pick(&self.role_keys[role_index(role)]) },
                    0..=2 => Op::ProposeRole {
                        by,
                        role,
                        key: if self.rng.one_in(10) {
                            Pubkey::default()
                        } else {
                            self.rng.pick(&self.role_keys[role_index(role)])
                        },
                    },
                    3..=6 => {
                        let key = if slot.pending != Pubkey::default() && !self.rng.one_in(6) {
                            slot.pending
                        } else {
                            self.rng.pick(&self.role_keys[role_index(role)])
                        };
                        Op::AcceptRole { by: key, role }
                    }
                    7..=8 => Op::CancelRole { by, role },
                    _ if self.rng.one_in(3) => Op::RevokeRole { by, role },
                    _ if slot.pending != Pubkey::default() => Op::AcceptRole { by: slot.pending, role },
                    _ => Op::AcceptRole { by: self.rng.pick(&self.role_keys[role_index(role)]), role },
                }
            }
            81 => {
                let device = self.device_where(|d| d.owner_stake == 0 && d.unstaked_at == 0 && d.used().next().is_none());
                let by = self.owner_or_intruder(&device);
                let treasury =
                    if self.rng.one_in(10) { self.rng.pick(&self.role_keys[4]) } else { self.m.holder(Role::Treasury) };
                Op::CloseDevice { device, by, treasury }
            }
            82 => {
                let tombstones: Vec<Pubkey> = self.m.devices.iter().filter(|(_, d)| !d.live).map(|(k, _)| *k).collect();
                if tombstones.is_empty() || self.m.holder(Role::Oracle) == Pubkey::default() {
                    return Op::CloseProfile { wallet: self.rng.pick(&self.costakers) };
                }
                let device = self.rng.pick(&tombstones);
                let device_id = self.ids[&device];
                let owner = self.rng.pick(&self.owners);
                Op::RegisterDevice { device_id, owner, oracle: self.m.holder(Role::Oracle), gpu_count: 1, multiplier_bps: 10_000 }
            }
            83 => {
                let device = self.device_where(|d| d.unstaked_at == 0 && d.open_offer.is_none());
                let d = self.m.device(&device).clone();
                match self.rng.below(3) {
                    0 => Op::CancelTransfer { device, by: self.owner_or_intruder(&device) },
                    1 => {
                        let by = if d.pending_owner != Pubkey::default() && !self.rng.one_in(5) {
                            d.pending_owner
                        } else {
                            self.rng.pick(&self.owners)
                        };
                        Op::AcceptDevice { device, by }
                    }
                    _ => {
                        let candidates: Vec<Pubkey> = self.owners.iter().chain(&self.costakers).copied().collect();
                        Op::TransferDevice { device, by: self.owner_or_intruder(&device), new_owner: self.rng.pick(&candidates) }
                    }
                }
            }
            _ => {
                let deadlines = self.m.deadlines();
                if !deadlines.is_empty() && !self.rng.one_in(3) {
                    let deadline = self.rng.pick(&deadlines);
                    Op::WarpTo((deadline + self.rng.pick(&[-1, -1, 0, 0, 1])).max(now + 1))
                } else {
                    Op::WarpTo(now + self.rng.pick(&[1, 60, 3_600, DAY, 7 * DAY]) + self.rng.below(DAY as u64) as i64)
                }
            }
        }
    }

    /// A reward block for one to three devices (sometimes one twice): from a device's last paid
    /// end (catching up), a late block inside a position's life, one straddling a stop, or any
    /// past span; now and then with its end in the future or before its start.
    fn distribute_op(&mut self) -> Op {
        let now = self.m.now;
        let by = self.signer_for(Role::RewardAuthority);
        let devices: Vec<Pubkey> = self.m.devices.keys().copied().collect();
        let mut entries = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let device = self.rng.pick(&devices);
            if !entries.iter().any(|(d, _)| *d == device) || self.rng.one_in(10) {
                entries.push((device, self.rng.amount(50)));
            }
        }
        let d = self.m.device(&entries[0].0).clone();
        let lives: Vec<(i64, i64)> =
            d.used().map(|p| (p.filled_at, if p.stopped_at == 0 { now } else { p.stopped_at })).collect();
        let (block_start, block_end) = match self.rng.below(5) {
            0 | 1 => {
                let from = d.last_paid_end.max(d.registered_at);
                (from, from + 1 + self.rng.below((now - from).max(1) as u64) as i64)
            }
            2 if !lives.is_empty() => {
                let (from, to) = self.rng.pick(&lives);
                (from + self.rng.below((to - from).max(1) as u64) as i64, to)
            }
            3 if !lives.is_empty() => {
                let (_, to) = self.rng.pick(&lives);
                (to - 1, to + self.rng.pick(&[0, 1]))
            }
            _ => {
                let s = now - self.rng.below(2 * DAY as u64) as i64;
                (s, s + 1 + self.rng.below(DAY as u64) as i64)
            }
        };
        let block_end = match self.rng.below(12) {
            0 => now + 1,
            1 => block_start,
            _ => block_end.min(now),
        };
        self.block_id += 1;
        Op::DistributeRewards { by, block_id: self.block_id, block_start, block_end, entries }
    }

    /// The instruction of `op` and who signs it (built from the model's view of the accounts).
    fn instruction(&self, op: &Op) -> (Instruction, Vec<Pubkey>) {
        let mint = self.w.mint;
        let token = |k: &Pubkey| self.m.token_of.get(k).copied().unwrap_or_else(|| ix::associated_token(k, &mint));
        let device_of = |k: &Pubkey| self.m.devices.get(k).cloned();
        match op.clone() {
            Op::RegisterDevice { device_id, owner, oracle, gpu_count, multiplier_bps } => {
                (ix::register_device(owner, oracle, device_id, gpu_count, multiplier_bps, &mint), vec![owner, oracle])
            }
            Op::Stake { device, by, amount } => (ix::stake(by, device, token(&by), amount, &mint), vec![by]),
            Op::CreateOffer { device, by, amount, share } => {
                let seq = device_of(&device).map_or(0, |d| d.next_offer_seq);
                (ix::create_offer(by, device, seq, amount, share), vec![by])
            }
            Op::RetractOffer { device, by, seq } => {
                let payer = self.m.offers.get(&(device, seq)).map_or(by, |o| o.payer);
                (ix::retract_offer(by, device, seq, payer), vec![by])
            }
            Op::FillOffer { device, costaker, seq, amount, share } => {
                (ix::fill_offer(costaker, device, seq, amount, share, token(&costaker), &mint), vec![costaker])
            }
            Op::CancelCostake { device, costaker, seq } => (ix::cancel_costake(costaker, device, seq), vec![costaker]),
            Op::ClaimRewards { device, costaker, seq } => {
                (ix::claim_rewards(costaker, device, seq, token(&costaker), &mint), vec![costaker])
            }
            Op::WithdrawOverflow { device, by, amount } => {
                (ix::withdraw_overflow(by, device, token(&by), amount, &mint), vec![by])
            }
            Op::Unstake { device, by } => {
                let d = device_of(&device).expect("a device");
                (ix::unstake(by, device, d.next_ticket_seq, d.filled().map(|p| p.costaker)), vec![by])
            }
            Op::WithdrawTicket { device, caller } => {
                let d = device_of(&device).expect("a device");
                let payer = if d.unstaked_at != 0 { d.ticket_payer } else { d.owner };
                (ix::withdraw_ticket(caller, device, d.owner, d.ticket_seq, payer, token(&d.owner), &mint), vec![caller])
            }
            Op::WithdrawPosition { device, seq, caller } => {
                let (costaker, payer) = self
                    .m
                    .offers
                    .get(&(device, seq))
                    .map_or((self.costakers[0], self.m.device(&device).owner), |o| (o.costaker, o.payer));
                (ix::withdraw_position(caller, device, seq, costaker, payer, token(&costaker), &mint), vec![caller])
            }
            Op::Release { device, seq, caller } => (ix::release(caller, device, seq, &mint), vec![caller]),
            Op::WithdrawEscrow { device, seq, costaker } => {
                let (payer, escrow_payer) = self
                    .m
                    .offers
                    .get(&(device, seq))
                    .map_or((self.m.device(&device).owner, Pubkey::default()), |o| (o.payer, o.escrow_payer));
                (ix::withdraw_escrow(costaker, device, seq, token(&costaker), payer, escrow_payer, &mint), vec![costaker])
            }
            Op::DistributeRewards { by, block_id, block_start, block_end, entries } => {
                let targets: Vec<RewardTarget> =
                    entries.iter().map(|&(device, amount)| RewardTarget { device, amount }).collect();
                (ix::distribute_rewards(by, token(&by), block_id, block_start, block_end, &targets, &mint), vec![by])
            }
            Op::Slash { device, by, treasury, amount, incident_at } => {
                (ix::slash(by, device, treasury, amount, incident_at, &mint), vec![by])
            }
            Op::Hold { device, by, until } => (ix::hold(by, device, until), vec![by]),
            Op::SetHired { device, by, until } => (ix::set_hired(by, device, until), vec![by]),
            Op::Terminate { device, by } => (ix::terminate(by, device), vec![by]),
            Op::UpdateHardware { device, by, gpu_count, multiplier_bps } => {
                (ix::update_hardware(by, device, gpu_count, multiplier_bps), vec![by])
            }
            Op::SetPaused { by, paused } => (ix::set_paused(by, paused), vec![by]),
            Op::UpdateParams { by, params } => (ix::update_params(by, params), vec![by]),
            Op::CancelParams { by } => (ix::cancel_params(by), vec![by]),
            Op::LowerSlashCap { by, bps } => (ix::lower_slash_cap(by, bps), vec![by]),
            Op::ProposeRole { by, role, key } => (ix::propose_role(by, role, key), vec![by]),
            Op::AcceptRole { by, role } => (ix::accept_role(by, role), vec![by]),
            Op::CancelRole { by, role } => (ix::cancel_role(by, role), vec![by]),
            Op::RevokeRole { by, role } => (ix::revoke_role(by, role), vec![by]),
            Op::CloseDevice { device, by, treasury } => {
                let payer = device_of(&device).map_or(by, |d| d.payer);
                (ix::close_device(by, device, token(&treasury), payer, &mint), vec![by])
            }
            Op::CloseProfile { wallet } => (ix::close_profile(wallet, wallet), vec![wallet]),
            Op::TransferDevice { device, by, new_owner } => (ix::transfer_device(by, device, new_owner), vec![by]),
            Op::CancelTransfer { device, by } => (ix::cancel_transfer(by, device), vec![by]),
            Op::AcceptDevice { device, by } => (ix::accept_device(by, device), vec![by]),
            Op::WarpTo(_) | Op::MintTo { .. } => unreachable!("not an instruction"),
        }
    }

    /// Sends `op` to the program.
    fn send(&mut self, op: &Op) -> TxResult {
        match op {
            Op::WarpTo(t) => {
                self.w.warp_to(*t);
                Ok(TxOk { compute_units: 0, logs: vec![], return_data: vec![] })
            }
            Op::MintTo { to, amount } => {
                let mint = self.w.mint.mint;
                self.w.mint_to(&mint, to, *amount);
                Ok(TxOk { compute_units: 0, logs: vec![], return_data: vec![] })
            }
            _ => {
                let (ix, signers) = self.instruction(op);
                let keys: Vec<Keypair> = signers.iter().map(|k| self.key(k)).collect();
                let refs: Vec<&Keypair> = keys.iter().collect();
                let result = self.w.env.send(&[ix], &refs);
                if let (Op::RegisterDevice { device_id, .. }, Ok(_)) = (op, &result) {
                    let device = pda::device(device_id).0;
                    if !self.w.devices.contains(&device) {
                        self.w.devices.push(device);
                    }
                    self.ids.insert(device, *device_id);
                }
                result
            }
        }
    }
}

/// Appends `label.field: program …, model …` for every field that differs.
macro_rules! compare {
    ($out:expr, $label:expr, $program:expr, $model:expr, [$($field:ident),+ $(,)?]) => {
        $(
            if $program.$field != $model.$field {
                $out.push(format!("{}.{}: program {:?}, model {:?}", $label, stringify!($field), $program.$field, $model.$field));
            }
        )+
    };
}

/// A position as compared: offer seq, co-staker, principal, rewards, reward share, when it was
/// filled, stopped, its wait end and unlock time, and its slash records.
type PositionFigures = (u64, Pubkey, u64, u64, u16, i64, i64, i64, i64, Vec<MRecord>);

/// What is compared of a live device, built alike from the decoded account and from the model.
#[derive(Debug, PartialEq)]
struct DeviceView {
    owner: Pubkey,
    payer: Pubkey,
    registered_at: i64,
    gpu_count: u16,
    multiplier_bps: u32,
    grace_min: u64,
    grace_end: i64,
    owner_stake: u64,
    owner_rewards: u64,
    hired_until: i64,
    hired_set_at: i64,
    terminated_at: i64,
    unstaked_at: i64,
    ticket: (u64, u64, i64),
    open_offer: Option<u64>,
    positions: Vec<Option<PositionFigures>>,
    departed: Vec<(i64, u64, u16, i64)>,
    next_offer_seq: u64,
    next_ticket_seq: u64,
    last_paid_end: i64,
    hold_until: i64,
    hold_incident_start: i64,
    hold_reach: i64,
    owner_slashes: Vec<MRecord>,
    pending_owner: Pubkey,
    transfer_expires_at: i64,
}

/// The records that still count at `now`, sorted (stale ones are freed only when a slash comes).
fn counting(records: impl Iterator<Item = MRecord>, now: i64) -> Vec<MRecord> {
    let mut out: Vec<MRecord> = records.filter(|r| r.counts_at(now)).collect();
    out.sort_unstable();
    out
}

impl DeviceView {
    fn of_program(d: &Device, now: i64) -> Self {
        let records = |r: &[SlashRecord]| counting(r.iter().map(|r| MRecord { at: r.at, amount: r.amount }), now);
        Self {
            owner: d.owner,
            payer: d.payer,
            registered_at: d.registered_at,
            gpu_count: d.gpu_count,
            multiplier_bps: d.multiplier_bps,
            grace_min: d.grace_min,
            grace_end: d.grace_end,
            owner_stake: d.owner_stake,
            owner_rewards: d.owner_rewards,
            hired_until: d.hired_until,
            hired_set_at: d.hired_set_at,
            terminated_at: d.terminated_at,
            unstaked_at: d.unstaked_at,
            ticket: if d.unstaked_at != 0 {
                (d.ticket_seq, d.ticket_principal, d.ticket_unlock_at)
            } else {
                (0, d.ticket_principal, 0)
            },
            open_offer: d.open_offer(),
            positions: d
                .positions
                .iter()
                .map(|p| {
                    p.is_used().then(|| {
                        (
                            p.seq,
                            p.costaker,
                            p.principal,
                            p.rewards,
                            p.reward_share_bps,
                            p.filled_at,
                            p.stopped_at,
                            p.wait_end,
                            p.unlock_at,
                            records(&p.slashes),
                        )
                    })
                })
                .collect(),
            departed: d
                .departed
                .iter()
                .filter(|r| r.stopped_at > d.last_paid_end)
                .map(|r| (r.stopped_at, r.seq, r.reward_share_bps, r.filled_at))
                .collect(),
            next_offer_seq: d.next_offer_seq,
            next_ticket_seq: d.next_ticket_seq,
            last_paid_end: d.last_paid_end,
            hold_until: d.hold_until,
            hold_incident_start: d.hold_incident_start,
            hold_reach: d.hold_reach,
            owner_slashes: records(&d.owner_slashes),
            pending_owner: d.pending_owner,
            transfer_expires_at: d.transfer_expires_at,
        }
    }

    fn of_model(d: &MDevice, now: i64) -> Self {
        Self {
            owner: d.owner,
            payer: d.payer,
            registered_at: d.registered_at,
            gpu_count: d.gpu_count,
            multiplier_bps: d.multiplier_bps,
            grace_min: d.grace_min,
            grace_end: d.grace_end,
            owner_stake: d.owner_stake,
            owner_rewards: d.owner_rewards,
            hired_until: d.hired_until,
            hired_set_at: d.hired_set_at,
            terminated_at: d.terminated_at,
            unstaked_at: d.unstaked_at,
            ticket: if d.unstaked_at != 0 {
                (d.ticket_seq, d.ticket_principal, d.ticket_unlock_at)
            } else {
                (0, d.ticket_principal, 0)
            },
            open_offer: d.open_offer,
            positions: d
                .positions
                .iter()
                .map(|p| {
                    p.as_ref().map(|p| {
                        (
                            p.seq,
                            p.costaker,
                            p.principal,
                            p.rewards,
                            p.share,
                            p.filled_at,
                            p.stopped_at,
                            p.wait_end,
                            p.unlock_at,
                            counting(p.slashes.iter().copied(), now),
                        )
                    })
                })
                .collect(),
            departed: d
                .departed
                .iter()
                .filter(|r| r.stopped_at > d.last_paid_end)
                .map(|r| (r.stopped_at, r.seq, r.share, r.filled_at))
                .collect(),
            next_offer_seq: d.next_offer_seq,
            next_ticket_seq: d.next_ticket_seq,
            last_paid_end: d.last_paid_end,
            hold_until: d.hold_until,
            hold_incident_start: d.hold_incident_start,
            hold_reach: d.hold_reach,
            owner_slashes: counting(d.owner_slashes.iter().copied(), now),
            pending_owner: d.pending_owner,
            transfer_expires_at: d.transfer_expires_at,
        }
    }
}

/// The offer and ticket seqs a step looks at, by device.
type Watched = BTreeMap<Pubkey, (BTreeSet<u64>, BTreeSet<u64>)>;

/// The seqs of the offers and tickets the model holds live, and the next seq of each, by device.
fn model_seqs(m: &Model) -> Watched {
    let mut out: Watched = BTreeMap::new();
    for (key, d) in &m.devices {
        let entry = out.entry(*key).or_default();
        entry.0.insert(d.next_offer_seq);
        entry.1.insert(d.next_ticket_seq);
        if d.unstaked_at != 0 {
            entry.1.insert(d.ticket_seq);
        }
        entry.1.insert(d.next_ticket_seq.saturating_sub(1));
    }
    for (device, seq) in m.offers.keys() {
        out.entry(*device).or_default().0.insert(*seq);
    }
    out
}

/// `before` and `after` merged: what a step must compare.
fn merged(mut before: Watched, after: Watched) -> Watched {
    for (device, (offers, tickets)) in after {
        let entry = before.entry(device).or_default();
        entry.0.extend(offers);
        entry.1.extend(tickets);
    }
    before
}

/// The accounts a refused operation must leave unchanged: the world's fixed accounts, the role
/// keys' token accounts, and the offers, escrows and tickets of `watched`.
fn watched_accounts(w: &World, m: &Model, watched: &Watched) -> Vec<Pubkey> {
    let mut keys = w.accounts_with(|device| watched.get(device).cloned().unwrap_or_default());
    keys.extend(m.token_of.values().copied());
    for (device, (offers, _)) in watched {
        keys.extend(offers.iter().map(|seq| pda::escrow(&pda::offer(device, *seq).0).0));
    }
    keys
}

/// The balance of a token account, 0 when it does not exist.
fn balance(w: &World, account: &Pubkey) -> u64 {
    if w.is_token_account(account) {
        w.token_balance(account)
    } else {
        0
    }
}

/// Every difference between the program's accounts and the model, one line each.
fn differences(w: &World, m: &Model, watched: &Watched) -> Vec<String> {
    let mut out = Vec::new();
    let now = w.now();
    if now != m.now {
        out.push(format!("clock: program {now}, model {}", m.now));
    }
    for (account, expected) in &m.balances {
        let actual = balance(w, account);
        if actual != *expected {
            out.push(format!("balance of {account}: program {actual}, model {expected}"));
        }
    }
    let c: Config = w.decode(&pda::config().0);
    let slots = [c.admin, c.oracle, c.reward_authority, c.slash_authority, c.treasury].map(|s| MSlot {
        current: s.current,
        pending: s.pending,
        effective_at: s.effective_at,
        accepted: s.is_accepted(),
    });
    if slots != m.roles {
        out.push(format!("roles: program {slots:?}, model {:?}", m.roles));
    }
    let program =
        (c.is_paused(), c.params(), c.pending_params(), c.params_effective_at, c.oracle_revoked_at, c.slash_revoked_at, c.floors);
    let model = (m.paused, m.params, m.pending_params, m.params_effective_at, m.oracle_revoked_at, m.slash_revoked_at, m.floors);
    if program != model {
        out.push(format!("config: program {program:?}, model {model:?}"));
    }
    for (key, md) in &m.devices {
        if md.live {
            if !w.is_live_device(key) {
                out.push(format!("device {key}: the model has it live, the program does not"));
                continue;
            }
            let (program, model) = (DeviceView::of_program(&w.device(key), now), DeviceView::of_model(md, now));
            compare!(
                out,
                format!("device {key}"),
                program,
                model,
                [
                    owner,
                    payer,
                    registered_at,
                    gpu_count,
                    multiplier_bps,
                    grace_min,
                    grace_end,
                    owner_stake,
                    owner_rewards,
                    hired_until,
                    hired_set_at,
                    terminated_at,
                    unstaked_at,
                    ticket,
                    open_offer,
                    positions,
                    departed,
                    next_offer_seq,
                    next_ticket_seq,
                    last_paid_end,
                    hold_until,
                    hold_incident_start,
                    hold_reach,
                    owner_slashes,
                    pending_owner,
                    transfer_expires_at,
                ]
            );
        } else {
            if !w.is_tombstone(key) {
                out.push(format!("device {key}: the model has a tombstone, the program does not"));
                continue;
            }
            let t: Tombstone = w.tombstone(key);
            let program =
                (t.next_offer_seq, t.next_ticket_seq, t.last_paid_end, t.hold_until, t.hold_incident_start, t.hold_reach);
            let model =
                (md.next_offer_seq, md.next_ticket_seq, md.last_paid_end, md.hold_until, md.hold_incident_start, md.hold_reach);
            if program != model {
                out.push(format!("tombstone {key}: program {program:?}, model {model:?}"));
            }
        }
        let Some((offer_seqs, ticket_seqs)) = watched.get(key) else { continue };
        for &seq in offer_seqs {
            let address = pda::offer(key, seq).0;
            let program = w.is_program_account(&address).then(|| {
                let o: Offer = w.decode(&address);
                let stage = match o.state().unwrap() {
                    OfferState::Open => OfferStage::Open,
                    OfferState::Filled => OfferStage::Filled,
                    OfferState::Released => OfferStage::Released,
                };
                MOffer {
                    stage,
                    amount: o.amount,
                    share: o.reward_share_bps,
                    created_at: o.created_at,
                    costaker: o.costaker,
                    payer: o.payer,
                    escrow_payer: o.escrow_payer,
                }
            });
            let model = m.offers.get(&(*key, seq)).cloned();
            if program != model {
                out.push(format!("offer {seq} of {key}: program {program:?}, model {model:?}"));
            }
        }
        for &seq in ticket_seqs {
            let program = w.is_program_account(&pda::ticket(key, seq).0);
            let model = md.live && md.unstaked_at != 0 && md.ticket_seq == seq;
            if program != model {
                out.push(format!("ticket {seq} of {key}: program has it {program}, model {model}"));
            }
        }
    }
    for wallet in m.token_of.keys() {
        let program = w.profile(wallet).map(|p: CostakerProfile| p.active_positions);
        let model = m.profiles.get(wallet).copied();
        if program != model {
            out.push(format!("profile of {wallet}: program {program:?}, model {model:?}"));
        }
    }
    out
}

/// R52 for every live device, against the live offers and ticket among the `watched` seqs.
fn check_invariants(w: &World, m: &Model, watched: &Watched) {
    for (device, (offers, tickets)) in watched {
        if m.devices.get(device).is_some_and(|d| d.live) {
            let offers = w.live_offers_among(device, offers.iter().copied());
            w.check_invariants_with(device, &offers, w.ticket_among(device, tickets.iter().copied()));
        }
    }
}

/// Runs `ops` operations from `seed` on `binary`; returns the outcome counts.
fn run(binary: Binary, seed: u64, ops: usize) -> BTreeMap<String, usize> {
    let mut run = Run::new(binary, seed);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut progress = Progress::new(binary);
    for step in 0..ops {
        let op = run.next_op();
        let seqs_before = model_seqs(&run.m);
        let watched = watched_accounts(&run.w, &run.m, &seqs_before);
        let before = run.w.snapshot(&watched);
        let result = run.send(&op);
        let predicted = run.m.apply(&op);
        let seqs = merged(seqs_before, model_seqs(&run.m));
        let actual = result.as_ref().map(|_| ()).map_err(refusal_name);
        let fail = |what: String| -> ! {
            let logs = match &result {
                Ok(ok) => ok.logs.join("\n"),
                Err(fail) => fail.logs.join("\n"),
            };
            panic!(
                "mismatch on {} at step {step} of PROPERTY_SEED={seed:#x} (PROPERTY_OPS={ops})\noperation: {op:#?}\n{what}\nprogram logs:\n{logs}",
                binary.label()
            )
        };
        if actual.as_ref().map(|_| ()).map_err(String::as_str) != predicted {
            fail(format!("outcome: program {actual:?}, model {predicted:?}"));
        }
        if actual.is_err() && run.w.snapshot(&watched) != before {
            fail("the refused operation changed an account".into());
        }
        let diffs = differences(&run.w, &run.m, &seqs);
        if !diffs.is_empty() {
            fail(format!("state differences:\n  {}", diffs.join("\n  ")));
        }
        check_invariants(&run.w, &run.m, &seqs);
        run.retire_finished();
        let outcome = match actual {
            Ok(()) => "ok".to_string(),
            Err(name) => name,
        };
        *outcomes.entry(format!("{} {outcome}", op.name())).or_default() += 1;
        progress.tick(step + 1);
    }
    outcomes
}

/// Prints `progress <binary>: <done> operations, <rate> operations/s` to stderr every
/// `PROPERTY_PROGRESS` seconds (never when 0, the default).
struct Progress {
    binary: Binary,
    every: Option<std::time::Duration>,
    started: Instant,
    last: Instant,
}

impl Progress {
    fn new(binary: Binary) -> Self {
        let secs = env_number("PROPERTY_PROGRESS", 0);
        let now = Instant::now();
        Self { binary, every: (secs > 0).then(|| std::time::Duration::from_secs(secs)), started: now, last: now }
    }

    fn tick(&mut self, done: usize) {
        let Some(every) = self.every else { return };
        if self.last.elapsed() >= every {
            self.last = Instant::now();
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!(
                "progress {}: {done} operations in {secs:.0} s, {:.0} operations/s",
                self.binary.label(),
                done as f64 / secs
            );
        }
    }
}

/// Rules: R2 R3 R4 R5 R6 R7 R8 R9 R11 R12 R13 R15 R16 R19 R20 R21 R31 R33 R34 R40 R41 R52 R53.
#[test]
fn random_operations_agree_with_the_model() {
    let ops = env_number("PROPERTY_OPS", DEFAULT_OPS as u64) as usize;
    let seed = env_number("PROPERTY_SEED", DEFAULT_SEED);
    let binaries: Vec<Binary> = match std::env::var("PROPERTY_BINARY").as_deref() {
        Ok("v3") => vec![Binary::V3],
        Ok("v0") => vec![Binary::V0],
        Ok(other) => panic!("PROPERTY_BINARY={other}: expected v3 or v0"),
        Err(_) => Binary::ALL.to_vec(),
    };
    for binary in binaries {
        let started = Instant::now();
        let outcomes = run(binary, seed, ops);
        let refusals: BTreeMap<&str, usize> =
            outcomes.iter().filter(|(k, _)| !k.ends_with(" ok")).fold(BTreeMap::new(), |mut acc, (k, v)| {
                *acc.entry(k.split_once(' ').map_or(k.as_str(), |(_, name)| name)).or_default() += v;
                acc
            });
        let refused: usize = refusals.values().sum();
        let elapsed = started.elapsed();
        let rate = ops as f64 / elapsed.as_secs_f64();
        println!(
            "property {}: {ops} operations (seed {seed:#x}) in {elapsed:.2?} ({rate:.0} operations/s), {refused} refused",
            binary.label()
        );
        for (name, count) in &refusals {
            println!("  refused {count:5} {name}");
        }
        for (outcome, count) in &outcomes {
            println!("  {count:5} {outcome}");
        }
        let succeeded: usize = outcomes
            .iter()
            .filter(|(k, _)| k.ends_with(" ok") && !k.starts_with("advance") && !k.starts_with("mint_to"))
            .map(|(_, v)| v)
            .sum();
        assert!(succeeded > ops / 5, "too few successful operations: {outcomes:?}");
    }
}
