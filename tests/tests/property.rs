//! Random sequences of valid and invalid operations (two owners, three co-stakers, every role
//! and a wrong signer now and then, Clock jumps that often land one second before or exactly at
//! a recorded deadline) run on the binary and on the model of `device_staking_tests::model` side
//! by side. After every step: the outcome (success, or the exact error name), every token
//! balance, the config, every device, offer, ticket and co-staker profile must agree, a refused
//! operation changed no account, and R52's invariants hold.
//!
//! The offers and tickets compared in a step are those the model holds live before or after it,
//! plus the next seq of each (the one an operation may create): the cost of a step does not grow
//! with the run, so a run can reach a million operations. An account closed earlier cannot come
//! back: seqs are never reused and `next_offer_seq`/`next_ticket_seq` are compared every step.
//!
//! `PROPERTY_OPS` sets the operations per binary (default 1,000), `PROPERTY_SEED` the seed,
//! `PROPERTY_BINARY` (`v3` or `v0`) runs one binary only, and `PROPERTY_PROGRESS` (seconds, 0:
//! never) prints the operations done and the operations per second to stderr that often.
use anchor_lang::prelude::Pubkey;
use device_staking_tests::client::device_staking::state::{Config, CostakerProfile, Device, Offer, OfferState, Params, Ticket};
use device_staking_tests::client::{ix, pda};
use device_staking_tests::model::{MDevice, MOffer, Model, ModelRoles, Op, Stage};
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
/// Terminated devices with nothing left that a run keeps acting on (now and then).
const FINISHED_KEPT: usize = 3;

/// Whether `d` is terminated with nothing left in it: no operation can change it any more.
fn finished(d: &MDevice) -> bool {
    d.terminated && d.principal() == 0 && d.ticket.is_none() && d.offers.is_empty() && d.rewards() == 0
}

/// xorshift64*, enough for choosing operations.
struct Rng(u64);

impl Rng {
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

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }

    /// Up to `max_tokens` whole tokens, sometimes zero or a few base units.
    fn amount(&mut self, max_tokens: u64) -> u64 {
        match self.below(10) {
            0 => 0,
            1 => 1 + self.below(1_000),
            _ => (1 + self.below(max_tokens)) * IO,
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

/// The parameter sets `update_params` picks from; the last is out of bounds.
fn param_choices() -> Vec<Params> {
    let defaults = Params::defaults(6).expect("defaults");
    vec![
        defaults,
        Params { base_stake_per_gpu: 300 * IO, ..defaults },
        Params { base_stake_per_gpu: 150 * IO, ..defaults },
        Params { cover_window_secs: DAY, cooldown_secs: 2 * DAY, ..defaults },
        Params { max_active_costakes: 1, max_costake_bps: 3_000, max_reward_share_bps: 8_000, ..defaults },
        Params { max_slash_bps_per_30d: 10_000, ..defaults },
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
    block_id: u64,
}

impl Run {
    fn new(binary: Binary, seed: u64) -> Self {
        let mut w = World::new(binary, None);
        w.env.set_cu_recording(false);
        // signatures are checked by every other test; verifying them in a debug build would
        // take most of this test's time (the program still sees which accounts signed)
        w.env.svm = std::mem::take(&mut w.env.svm).with_sigverify(false);
        let roles = ModelRoles {
            admin: w.roles.admin.pubkey(),
            oracle: w.roles.oracle.pubkey(),
            reward_authority: w.roles.reward_authority.pubkey(),
            slash_authority: w.roles.slash_authority.pubkey(),
        };
        let params = Params::defaults(6).expect("defaults");
        let mut m = Model::new(w.now(), params, roles, w.treasury_token, w.reward_source);
        m.set_balance(w.reward_source, w.token_balance(&w.reward_source));
        let mut keys = BTreeMap::new();
        for k in [&w.roles.admin, &w.roles.oracle, &w.roles.reward_authority, &w.roles.slash_authority] {
            keys.insert(k.pubkey(), k.insecure_clone());
        }
        let wallets: Vec<Wallet> = [w.owner.clone(), w.owner2.clone()].into_iter().chain(w.costakers.iter().cloned()).collect();
        for wallet in &wallets {
            m.add_wallet(wallet.pubkey(), wallet.token, w.token_balance(&wallet.token));
            keys.insert(wallet.pubkey(), wallet.key.insecure_clone());
        }
        let owners = vec![w.owner.pubkey(), w.owner2.pubkey()];
        let costakers = w.costakers.iter().map(Wallet::pubkey).collect();
        let mut run = Self { w, m, rng: Rng(seed), keys, owners, costakers, block_id: 0 };
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
        let device = pda::device(&device_id).0;
        let (stake_vault, overflow_vault) = (pda::stake_vault(&device).0, pda::overflow_vault(&device).0);
        Op::RegisterDevice { device_id, device, owner, oracle: self.m.roles.oracle, stake_vault, overflow_vault, gpu_count, multiplier_bps }
    }

    /// Stops tracking terminated devices with nothing left in them beyond the last
    /// [`FINISHED_KEPT`], so a long run's steps stay as cheap as its first: the generator no
    /// longer names them, so their accounts stay as they are on chain.
    fn retire_finished(&mut self) {
        let done: Vec<Pubkey> = self.m.devices.iter().filter(|(_, d)| finished(d)).map(|(k, _)| *k).collect();
        for key in done.iter().take(done.len().saturating_sub(FINISHED_KEPT)) {
            self.m.devices.remove(key);
            self.w.devices.retain(|d| d != key);
        }
    }

    /// A device, mostly one where `fits` holds; a terminated device with nothing left in it
    /// only now and then, so a long run keeps acting on devices that can still change.
    fn device_where(&mut self, fits: impl Fn(&MDevice) -> bool) -> Pubkey {
        if self.rng.one_in(50) {
            let done: Vec<Pubkey> = self.m.devices.iter().filter(|(_, d)| finished(d)).map(|(k, _)| *k).collect();
            if !done.is_empty() {
                return self.rng.pick(&done);
            }
        }
        let live: Vec<Pubkey> = self.m.devices.iter().filter(|(_, d)| !finished(d)).map(|(k, _)| *k).collect();
        let all = if live.is_empty() { self.m.devices.keys().copied().collect() } else { live };
        let fitting: Vec<Pubkey> = self.m.devices.iter().filter(|(_, d)| !finished(d) && fits(d)).map(|(k, _)| *k).collect();
        if fitting.is_empty() || self.rng.one_in(6) {
            self.rng.pick(&all)
        } else {
            self.rng.pick(&fitting)
        }
    }

    /// The device's owner, or now and then another wallet.
    fn owner_or_intruder(&mut self, device: &Pubkey) -> Pubkey {
        let owner = self.m.device(device).owner;
        if self.rng.one_in(12) {
            self.rng.pick(&[self.owners.clone(), self.costakers.clone()].concat().into_iter().filter(|k| *k != owner).collect::<Vec<_>>())
        } else {
            owner
        }
    }

    /// `role`, or now and then a co-staker's wallet.
    fn role_or_intruder(&mut self, role: Pubkey) -> Pubkey {
        if self.rng.one_in(15) {
            self.rng.pick(&self.costakers)
        } else {
            role
        }
    }

    /// A seq of one of the device's offers satisfying `fits`, else any, else the next one.
    fn seq_where(&mut self, device: &Pubkey, fits: impl Fn(&MOffer) -> bool) -> u64 {
        let d = self.m.device(device);
        let fitting: Vec<u64> = d.offers.values().filter(|o| fits(o)).map(|o| o.seq).collect();
        let mut any: Vec<u64> = d.offers.keys().copied().collect();
        any.push(d.next_offer_seq);
        if fitting.is_empty() || self.rng.one_in(8) {
            self.rng.pick(&any)
        } else {
            self.rng.pick(&fitting)
        }
    }

    /// The next operation, valid or not: an operation on an offer, position or ticket that no
    /// device has is drawn again, most of the time.
    fn next_op(&mut self) -> Op {
        if let Some(op) = self.renewal() {
            return op;
        }
        let mut roll = self.rng.below(100);
        for _ in 0..4 {
            if self.has_subject(roll) || self.rng.one_in(5) {
                break;
            }
            roll = self.rng.below(100);
        }
        self.op_for(roll)
    }

    /// Devices that are not terminated.
    fn live_devices(&self) -> usize {
        self.m.devices.values().filter(|d| !d.terminated).count()
    }

    /// Keeps a long run alive: now and then new tokens for a wallet or the reward source that
    /// ran low, and a new device when few are left that are not terminated.
    fn renewal(&mut self) -> Option<Op> {
        if !self.rng.one_in(8) {
            return None;
        }
        let wallets = self.owners.iter().map(|o| (*o, OWNER_TOKENS)).chain(self.costakers.iter().map(|c| (*c, COSTAKER_TOKENS)));
        let low: Vec<(Pubkey, u64)> = wallets
            .map(|(wallet, start)| (self.m.token_of[&wallet], start))
            .chain([(self.m.reward_source, REWARD_TOKENS)])
            .filter(|(token, start)| self.m.balances[token] < start / 5)
            .collect();
        if !low.is_empty() {
            let (to, start) = self.rng.pick(&low);
            return Some(Op::MintTo { to, amount: start / 2 });
        }
        if self.live_devices() < LIVE_DEVICES && !self.m.paused {
            let owner = self.rng.pick(&self.owners);
            let (gpus, multiplier) = self.rng.pick(&[(1, 10_000), (2, 2_500), (4, 20_000), (8, 100_000)]);
            return Some(self.register_op(owner, gpus, multiplier));
        }
        None
    }

    /// Whether some device has what operation `roll` of [`Run::op_for`] acts on.
    fn has_subject(&self, roll: u64) -> bool {
        let any = |fits: fn(&MOffer) -> bool| self.m.devices.values().any(|d| d.offers.values().any(fits));
        match roll {
            18..=32 => any(|o| o.stage == Stage::Open),
            33..=38 => any(|o| o.stage == Stage::Filled),
            39..=42 => any(|o| o.rewards > 0),
            55..=58 => self.m.devices.values().any(|d| d.ticket.is_some()),
            59..=63 => any(|o| matches!(o.stage, Stage::Exiting | Stage::Cooling)),
            _ => true,
        }
    }

    /// Operation number `roll` (of 100), valid or not.
    fn op_for(&mut self, roll: u64) -> Op {
        let now = self.m.now;
        let p = self.m.params;
        match roll {
            0..=7 => {
                let device = self.device_where(|d| d.ticket.is_none());
                let by = self.owner_or_intruder(&device);
                let short = self.m.device(&device).min_required.saturating_sub(self.m.device(&device).counted(now));
                let amount = if short > 0 && self.rng.one_in(2) { short } else { self.rng.amount(6_000) };
                Op::Stake { device, by, amount }
            }
            8..=17 => {
                let fits = |d: &MDevice| d.open().is_none() && d.filled().is_none() && d.ticket.is_none() && !d.terminated && d.counted(now) >= d.min_required;
                let device = self.device_where(fits);
                let by = self.owner_or_intruder(&device);
                let d = self.m.device(&device);
                // the amounts the rules allow: owner_stake + amount >= min, amount within the cap
                let low = d.min_required.saturating_sub(d.owner_stake).max(1);
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
            18..=20 => {
                let device = self.device_where(|d| d.open().is_some());
                let by = self.owner_or_intruder(&device);
                let seq = self.seq_where(&device, |o| o.stage == Stage::Open);
                Op::RetractOffer { device, by, seq }
            }
            21..=32 => {
                let device = self.device_where(|d| d.open().is_some());
                let seq = self.seq_where(&device, |o| o.stage == Stage::Open);
                let owner = self.m.device(&device).owner;
                let costaker = if self.rng.one_in(15) { owner } else { self.rng.pick(&self.costakers) };
                let (amount, share) = self.m.device(&device).offers.get(&seq).map_or((IO, 5_000), |o| (o.amount, o.share));
                match self.rng.below(8) {
                    0 => Op::FillOffer { device, costaker, seq, amount: amount + 1, share },
                    1 => Op::FillOffer { device, costaker, seq, amount, share: share.wrapping_add(1) },
                    _ => Op::FillOffer { device, costaker, seq, amount, share },
                }
            }
            33..=38 => {
                let device = self.device_where(|d| d.filled().is_some());
                let seq = self.seq_where(&device, |o| o.stage == Stage::Filled);
                let holder = self.m.device(&device).offers.get(&seq).and_then(|o| o.costaker);
                let costaker = match holder {
                    Some(c) if !self.rng.one_in(8) => c,
                    _ => self.rng.pick(&self.costakers),
                };
                Op::CancelCostake { device, costaker, seq }
            }
            39..=42 => {
                let device = self.device_where(|d| d.offers.values().any(|o| o.rewards > 0));
                let seq = self.seq_where(&device, |o| o.rewards > 0);
                let holder = self.m.device(&device).offers.get(&seq).and_then(|o| o.costaker);
                let costaker = match holder {
                    Some(c) if !self.rng.one_in(8) => c,
                    _ => self.rng.pick(&self.costakers),
                };
                Op::ClaimRewards { device, costaker, seq }
            }
            43..=49 => {
                let device = self.device_where(|d| d.owner_rewards > 0 || d.owner_stake > d.min_required);
                let by = self.owner_or_intruder(&device);
                let d = self.m.device(&device);
                let overflow = d.owner_rewards + if d.held(now) { 0 } else { d.principal_overflow(p.max_costake_bps) };
                let amount = match self.rng.below(4) {
                    0 => overflow,
                    1 => overflow + 1,
                    2 => d.owner_rewards.max(1),
                    _ => self.rng.amount(2_000),
                };
                Op::WithdrawOverflow { device, by, amount }
            }
            50..=54 => {
                let device = self.device_where(|d| d.ticket.is_none() && d.owner_stake > 0);
                let by = self.owner_or_intruder(&device);
                Op::Unstake { device, by }
            }
            55..=58 => {
                let device = self.device_where(|d| d.ticket.is_some());
                let d = self.m.device(&device);
                let seq = match &d.ticket {
                    Some(t) if !self.rng.one_in(8) => t.seq,
                    _ => d.next_ticket_seq.saturating_sub(self.rng.below(2)),
                };
                Op::WithdrawTicket { device, seq }
            }
            59..=63 => {
                let device = self.device_where(|d| d.offers.values().any(|o| matches!(o.stage, Stage::Exiting | Stage::Cooling)));
                let seq = self.seq_where(&device, |o| matches!(o.stage, Stage::Exiting | Stage::Cooling));
                Op::WithdrawPosition { device, seq }
            }
            64..=73 => self.distribute_op(),
            74..=76 => {
                let device = self.device_where(|d| d.principal() > 0);
                let by = self.role_or_intruder(self.m.roles.slash_authority);
                let amount = match self.rng.below(3) {
                    0 => self.m.device(&device).principal(),
                    _ => self.rng.amount(3_000),
                };
                Op::Slash { device, by, amount }
            }
            77..=78 => {
                let device = self.device_where(|_| true);
                let by = self.role_or_intruder(self.m.roles.slash_authority);
                let incident_end = self.m.device(&device).hold_incident_start + 7 * DAY;
                let until = self.rng.pick(&[now, now + 1, now + DAY, now + 7 * DAY, now + 7 * DAY + 1, incident_end, incident_end + 1]);
                Op::Hold { device, by, until }
            }
            79..=81 => {
                let device = self.device_where(|d| !d.terminated);
                let by = self.role_or_intruder(self.m.roles.oracle);
                let hired = self.rng.one_in(3);
                Op::SetHired { device, by, hired }
            }
            82 if self.rng.one_in(40) => {
                let device = self.device_where(|d| !d.terminated);
                let by = self.role_or_intruder(self.m.roles.oracle);
                Op::Terminate { device, by }
            }
            82 if self.live_devices() < 2 * LIVE_DEVICES => {
                let owner = self.rng.pick(&self.owners);
                let (gpus, multiplier) = self.rng.pick(&[(1, 10_000), (2, 2_500), (4, 20_000), (0, 10_000)]);
                self.register_op(owner, gpus, multiplier)
            }
            82..=84 => {
                let device = self.device_where(|_| true);
                let by = self.role_or_intruder(self.m.roles.oracle);
                let (gpu_count, multiplier_bps) = self.rng.pick(&[(1, 10_000), (2, 2_500), (4, 10_000), (8, 100_000), (16, 100_000), (0, 10_000), (1, 0)]);
                Op::UpdateHardware { device, by, gpu_count, multiplier_bps }
            }
            85 => Op::RefreshMin { device: self.device_where(|_| true) },
            86 => {
                let by = self.role_or_intruder(self.m.roles.admin);
                let params = self.rng.pick(&param_choices());
                Op::UpdateParams { by, params }
            }
            87 => {
                let by = self.role_or_intruder(self.m.roles.admin);
                Op::SetPaused { by, paused: !self.m.paused && self.rng.one_in(3) }
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

    /// A reward block for one to three devices (sometimes one twice), starting exactly at or a
    /// second before a position's fill time now and then, with a new, repeated or lower block id.
    fn distribute_op(&mut self) -> Op {
        let now = self.m.now;
        let by = self.role_or_intruder(self.m.roles.reward_authority);
        let devices: Vec<Pubkey> = self.m.devices.keys().copied().collect();
        let mut entries = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let device = self.rng.pick(&devices);
            if !entries.iter().any(|(d, _)| *d == device) || self.rng.one_in(10) {
                entries.push((device, self.rng.amount(50)));
            }
        }
        let filled_at: Vec<i64> = entries.iter().filter_map(|(d, _)| self.m.device(d).filled().map(|o| o.filled_at)).collect();
        let block_start = match (filled_at.first(), self.rng.below(4)) {
            (Some(t), 0) => *t,
            (Some(t), 1) => t - 1,
            _ => now - self.rng.below(2 * DAY as u64) as i64,
        };
        let block_end = match self.rng.below(10) {
            0 => now + 1,
            1 => block_start - 1,
            _ => now.max(block_start),
        };
        self.block_id = match self.rng.below(8) {
            0 => self.block_id,
            1 => self.block_id.saturating_sub(1),
            _ => self.block_id + 1,
        };
        Op::DistributeRewards { by, block_id: self.block_id, block_start, block_end, entries }
    }

    /// Sends `op` to the program (the model's view gives the accounts an instruction names).
    fn send(&mut self, op: &Op) -> TxResult {
        let mint = self.w.mint;
        let anyone = self.w.anyone.insecure_clone();
        let ix = match op.clone() {
            Op::WarpTo(t) => {
                self.w.warp_to(t);
                return Ok(TxOk { compute_units: 0, logs: vec![], return_data: vec![] });
            }
            Op::MintTo { to, amount } => {
                let mint = self.w.mint.mint;
                self.w.mint_to(&mint, &to, amount);
                return Ok(TxOk { compute_units: 0, logs: vec![], return_data: vec![] });
            }
            Op::RegisterDevice { device_id, owner, gpu_count, multiplier_bps, .. } => {
                return self.w.try_register(&self.w.wallet(&owner), device_id, gpu_count, multiplier_bps);
            }
            Op::Stake { device, by, amount } => ix::stake(by, device, self.m.token_of[&by], amount, &mint),
            Op::CreateOffer { device, by, amount, share } => {
                ix::create_offer(by, device, self.w.device(&device).next_offer_seq, amount, share)
            }
            Op::RetractOffer { device, by, seq } => ix::retract_offer(by, device, seq, self.m.device(&device).owner),
            Op::FillOffer { device, costaker, seq, amount, share } => {
                ix::fill_offer(costaker, device, seq, amount, share, self.m.token_of[&costaker], &mint)
            }
            Op::CancelCostake { device, costaker, seq } => ix::cancel_costake(costaker, device, seq),
            Op::ClaimRewards { device, costaker, seq } => ix::claim_rewards(costaker, device, seq, self.m.token_of[&costaker], &mint),
            Op::WithdrawOverflow { device, by, amount } => ix::withdraw_overflow(by, device, self.m.token_of[&by], amount, &mint),
            Op::Unstake { device, by } => ix::unstake_for(by, device, &self.w.device(&device), self.w.now()),
            Op::WithdrawTicket { device, seq } => {
                let owner = self.m.device(&device).owner;
                return self.w.send_by(ix::withdraw_ticket(anyone.pubkey(), device, owner, seq, owner, &mint), &anyone);
            }
            Op::WithdrawPosition { device, seq } => {
                let d = self.m.device(&device);
                // the costaker the offer records: the default key while it is open, and a
                // co-staker's wallet for a seq the device never had
                let costaker = d.offers.get(&seq).map_or(self.costakers[0], |o| o.costaker.unwrap_or_default());
                let ix = ix::withdraw_position(anyone.pubkey(), device, seq, costaker, d.owner, &mint);
                return self.w.send_by(ix, &anyone);
            }
            Op::DistributeRewards { by, block_id, block_start, block_end, entries } => {
                let targets: Vec<_> = entries.iter().map(|(d, a)| self.w.target(*d, *a)).collect();
                let source = if by == self.m.roles.reward_authority { self.w.reward_source } else { self.m.token_of[&by] };
                ix::distribute_rewards(by, source, block_id, block_start, block_end, &targets, &mint)
            }
            Op::Slash { device, by, amount } => {
                let d = self.m.device(&device);
                let ticket = d.ticket.as_ref().map(|t| t.seq);
                let positions: Vec<u64> = d.offers.values().filter(|o| o.stage != Stage::Open).map(|o| o.seq).collect();
                ix::slash(by, device, self.w.treasury_token, ticket, &positions, amount, &mint)
            }
            Op::Hold { device, by, until } => ix::hold(by, device, until),
            Op::SetHired { device, by, hired } => ix::set_hired(by, device, hired),
            Op::Terminate { device, by } => ix::terminate(by, device),
            Op::UpdateHardware { device, by, gpu_count, multiplier_bps } => ix::update_hardware(by, device, gpu_count, multiplier_bps),
            Op::RefreshMin { device } => return self.w.env.send(&[ix::refresh_min(device)], &[]),
            Op::SetPaused { by, paused } => ix::set_paused(by, paused),
            Op::UpdateParams { by, params } => ix::update_params(by, params),
        };
        let signer = match op {
            Op::Stake { by, .. }
            | Op::CreateOffer { by, .. }
            | Op::RetractOffer { by, .. }
            | Op::WithdrawOverflow { by, .. }
            | Op::Unstake { by, .. }
            | Op::DistributeRewards { by, .. }
            | Op::Slash { by, .. }
            | Op::Hold { by, .. }
            | Op::SetHired { by, .. }
            | Op::Terminate { by, .. }
            | Op::UpdateHardware { by, .. }
            | Op::SetPaused { by, .. }
            | Op::UpdateParams { by, .. } => *by,
            Op::FillOffer { costaker, .. } | Op::CancelCostake { costaker, .. } | Op::ClaimRewards { costaker, .. } => *costaker,
            _ => unreachable!("sent above"),
        };
        let key = self.key(&signer);
        self.w.send_by(ix, &key)
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

/// What is compared of a device, built alike from the decoded account and from the model.
#[derive(Debug, PartialEq)]
struct DeviceView {
    owner: Pubkey,
    gpu_count: u16,
    multiplier_bps: u32,
    min_required: u64,
    grace_min: u64,
    grace_end: i64,
    owner_stake: u64,
    owner_rewards: u64,
    hired: bool,
    terminated: bool,
    unstaking: bool,
    open_offer: Option<u64>,
    filled: Option<(u64, Pubkey, u64, u16, i64)>,
    waiting_exits: Vec<(u64, u64, i64)>,
    positions_principal: u64,
    positions_rewards: u64,
    ticket_principal: u64,
    live_offers: u32,
    next_offer_seq: u64,
    next_ticket_seq: u64,
    last_block: Option<u64>,
    hold_until: i64,
    hold_incident_start: i64,
    recent_slashes: Vec<(i64, u64)>,
}

impl DeviceView {
    fn of_program(d: &Device, now: i64) -> Self {
        let mut waiting_exits: Vec<_> = d.exiting.iter().filter(|e| e.wait_end != 0 && now < e.wait_end).map(|e| (e.seq, e.principal, e.wait_end)).collect();
        waiting_exits.sort_unstable();
        Self {
            owner: d.owner,
            gpu_count: d.gpu_count,
            multiplier_bps: d.multiplier_bps,
            min_required: d.min_required,
            grace_min: d.grace_min,
            grace_end: d.grace_end,
            owner_stake: d.owner_stake,
            owner_rewards: d.owner_rewards,
            hired: d.hired,
            terminated: d.terminated,
            unstaking: d.unstaking,
            open_offer: d.open_offer,
            filled: d.filled.map(|f| (f.seq, f.costaker, f.principal, f.reward_share_bps, f.filled_at)),
            waiting_exits,
            positions_principal: d.positions_principal,
            positions_rewards: d.positions_rewards,
            ticket_principal: d.ticket_principal,
            live_offers: d.live_offers,
            next_offer_seq: d.next_offer_seq,
            next_ticket_seq: d.next_ticket_seq,
            last_block: d.has_block.then_some(d.last_block_id),
            hold_until: d.hold_until,
            hold_incident_start: d.hold_incident_start,
            recent_slashes: {
                let mut recent: Vec<_> = d.recent_slashes.iter().filter(|r| r.counts_at(now)).map(|r| (r.at, r.amount)).collect();
                recent.sort_unstable();
                recent
            },
        }
    }

    fn of_model(d: &MDevice, now: i64) -> Self {
        let positions = || d.offers.values().filter(|o| o.stage != Stage::Open);
        Self {
            owner: d.owner,
            gpu_count: d.gpu_count,
            multiplier_bps: d.multiplier_bps,
            min_required: d.min_required,
            grace_min: d.grace_min,
            grace_end: d.grace_end,
            owner_stake: d.owner_stake,
            owner_rewards: d.owner_rewards,
            hired: d.hired,
            terminated: d.terminated,
            unstaking: d.ticket.is_some(),
            open_offer: d.open().map(|o| o.seq),
            filled: d.filled().map(|o| (o.seq, o.costaker.unwrap_or_default(), o.principal, o.share, o.filled_at)),
            waiting_exits: d.waiting_exits(now).map(|o| (o.seq, o.principal, o.wait_end)).collect(),
            positions_principal: positions().map(|o| o.principal).sum(),
            positions_rewards: positions().map(|o| o.rewards).sum(),
            ticket_principal: d.ticket.as_ref().map_or(0, |t| t.amount),
            live_offers: d.offers.len() as u32,
            next_offer_seq: d.next_offer_seq,
            next_ticket_seq: d.next_ticket_seq,
            last_block: d.last_block,
            hold_until: d.hold_until,
            hold_incident_start: d.hold_incident_start,
            recent_slashes: d.recent_slashes(now).collect(),
        }
    }
}

/// What is compared of an offer.
#[derive(Debug, PartialEq)]
struct OfferView {
    seq: u64,
    payer: Pubkey,
    stage: Stage,
    amount: u64,
    share: u16,
    created_at: i64,
    costaker: Pubkey,
    principal: u64,
    rewards: u64,
    filled_at: i64,
    cancelled_at: i64,
    wait_end: i64,
    unlock_at: i64,
}

impl OfferView {
    fn of_program(o: &Offer) -> Self {
        let stage = match o.state {
            OfferState::Open => Stage::Open,
            OfferState::Filled => Stage::Filled,
            OfferState::Exiting => Stage::Exiting,
            OfferState::Cooling => Stage::Cooling,
        };
        Self {
            seq: o.seq,
            payer: o.payer,
            stage,
            amount: o.amount,
            share: o.reward_share_bps,
            created_at: o.created_at,
            costaker: o.costaker,
            principal: o.principal,
            rewards: o.rewards,
            filled_at: o.filled_at,
            cancelled_at: o.cancelled_at,
            wait_end: o.wait_end,
            unlock_at: o.unlock_at,
        }
    }

    fn of_model(o: &MOffer, owner: Pubkey) -> Self {
        Self {
            seq: o.seq,
            payer: owner,
            stage: o.stage,
            amount: o.amount,
            share: o.share,
            created_at: o.created_at,
            costaker: o.costaker.unwrap_or_default(),
            principal: o.principal,
            rewards: o.rewards,
            filled_at: o.filled_at,
            cancelled_at: o.cancelled_at,
            wait_end: o.wait_end,
            unlock_at: o.unlock_at,
        }
    }
}

/// The offer and ticket seqs a step looks at, by device.
type Watched = BTreeMap<Pubkey, (BTreeSet<u64>, BTreeSet<u64>)>;

/// The seqs of the offers and tickets the model holds live, and the next seq of each, by device.
fn model_seqs(m: &Model) -> Watched {
    let seqs = |d: &MDevice| {
        let offers = d.offers.keys().copied().chain([d.next_offer_seq]).collect();
        let tickets = d.ticket.iter().map(|t| t.seq).chain([d.next_ticket_seq]).collect();
        (offers, tickets)
    };
    m.devices.iter().map(|(key, d)| (*key, seqs(d))).collect()
}

/// `before` and `after` merged: what a step must compare (the accounts live before it, which it
/// may have closed, and those live after it, which it may have created).
fn merged(mut before: Watched, after: Watched) -> Watched {
    for (device, (offers, tickets)) in after {
        let entry = before.entry(device).or_default();
        entry.0.extend(offers);
        entry.1.extend(tickets);
    }
    before
}

/// The accounts a refused operation must leave unchanged: the world's fixed accounts and the
/// offers and tickets of `watched`.
fn watched_accounts(w: &World, watched: &Watched) -> Vec<Pubkey> {
    w.accounts_with(|d: &Device| {
        let device = pda::device(&d.device_id).0;
        watched.get(&device).cloned().unwrap_or_default()
    })
}

/// R52 for every device, against the live offers and ticket among the `watched` seqs.
fn check_invariants(w: &World, watched: &Watched) {
    for (device, (offers, tickets)) in watched {
        let offers = w.live_offers_among(device, offers.iter().copied());
        w.check_invariants_with(device, &offers, w.ticket_among(device, tickets.iter().copied()));
    }
}

/// Every difference between the program's accounts and the model, one line each, looking at the
/// offers and tickets of `watched` only.
fn differences(w: &World, m: &Model, watched: &Watched) -> Vec<String> {
    let mut out = Vec::new();
    let now = w.now();
    if now != m.now {
        out.push(format!("clock: program {now}, model {}", m.now));
    }
    for (account, balance) in &m.balances {
        let actual = w.token_balance(account);
        if actual != *balance {
            out.push(format!("balance of {account}: program {actual}, model {balance}"));
        }
    }
    let config: Config = w.decode(&pda::config().0);
    if (config.paused, config.params) != (m.paused, m.params) {
        out.push(format!("config: program {:?}, model {:?}", (config.paused, config.params), (m.paused, m.params)));
    }
    for (key, md) in &m.devices {
        let d = w.device(key);
        let (program, model) = (DeviceView::of_program(&d, now), DeviceView::of_model(md, now));
        compare!(out, format!("device {key}"), program, model, [
            owner, gpu_count, multiplier_bps, min_required, grace_min, grace_end, owner_stake, owner_rewards, hired,
            terminated, unstaking, open_offer, filled, waiting_exits, positions_principal, positions_rewards,
            ticket_principal, live_offers, next_offer_seq, next_ticket_seq, last_block, hold_until,
            hold_incident_start, recent_slashes,
        ]);
        let (offer_seqs, ticket_seqs) = &watched[key];
        for &seq in offer_seqs {
            let address = pda::offer(key, seq).0;
            let label = format!("offer {seq} of {key}");
            match (w.svm.get_account(&address).filter(|a| a.lamports > 0), md.offers.get(&seq)) {
                (Some(_), Some(mo)) => {
                    let (program, model) = (OfferView::of_program(&w.decode(&address)), OfferView::of_model(mo, md.owner));
                    compare!(out, label, program, model, [
                        seq, payer, stage, amount, share, created_at, costaker, principal, rewards, filled_at, cancelled_at, wait_end, unlock_at,
                    ]);
                }
                (None, None) => {}
                (program, model) => out.push(format!("{label}: program has it: {}, model: {model:?}", program.is_some())),
            }
        }
        for &seq in ticket_seqs {
            let address = pda::ticket(key, seq).0;
            let program = w.svm.get_account(&address).filter(|a| a.lamports > 0).map(|_| {
                let t: Ticket = w.decode(&address);
                (t.seq, t.owner, t.payer, t.amount, t.created_at, t.unlock_at)
            });
            let model = md.ticket.as_ref().filter(|t| t.seq == seq).map(|t| (t.seq, md.owner, md.owner, t.amount, t.created_at, t.unlock_at));
            if program != model {
                out.push(format!("ticket {seq} of {key}: program {program:?}, model {model:?}"));
            }
        }
    }
    for wallet in m.token_of.keys() {
        let address = pda::costaker(wallet).0;
        let program = w.svm.get_account(&address).filter(|a| a.lamports > 0).map(|_| w.decode::<CostakerProfile>(&address).active_positions);
        let model = m.profiles.get(wallet).copied();
        if program != model {
            out.push(format!("profile of {wallet}: program {program:?}, model {model:?}"));
        }
    }
    out
}

/// Runs `ops` operations from `seed` on `binary`; returns the outcome counts.
fn run(binary: Binary, seed: u64, ops: usize) -> BTreeMap<String, usize> {
    let mut run = Run::new(binary, seed);
    let mut total = run.w.total_tokens();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut progress = Progress::new(binary);
    for step in 0..ops {
        let op = run.next_op();
        let seqs_before = model_seqs(&run.m);
        let watched = watched_accounts(&run.w, &seqs_before);
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
        check_invariants(&run.w, &seqs);
        run.retire_finished();
        if let Op::MintTo { amount, .. } = op {
            total += amount;
        }
        assert_eq!(run.w.total_tokens(), total, "step {step}: tokens were created or destroyed");
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
            eprintln!("progress {}: {done} operations in {secs:.0} s, {:.0} operations/s", self.binary.label(), done as f64 / secs);
        }
    }
}

/// Rules: R4 R5 R9 R11 R12 R13 R15 R16 R20 R21 R40 R41 R52 R53.
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
        let refusals: BTreeMap<&str, usize> = outcomes.iter().filter(|(k, _)| !k.ends_with(" ok")).fold(BTreeMap::new(), |mut acc, (k, v)| {
            *acc.entry(k.split_once(' ').map_or(k.as_str(), |(_, name)| name)).or_default() += v;
            acc
        });
        let refused: usize = refusals.values().sum();
        let elapsed = started.elapsed();
        let rate = ops as f64 / elapsed.as_secs_f64();
        println!("property {}: {ops} operations (seed {seed:#x}) in {elapsed:.2?} ({rate:.0} operations/s), {refused} refused", binary.label());
        for (name, count) in &refusals {
            println!("  refused {count:5} {name}");
        }
        for (outcome, count) in &outcomes {
            println!("  {count:5} {outcome}");
        }
        let succeeded: usize = outcomes.iter().filter(|(k, _)| k.ends_with(" ok") && !k.starts_with("advance") && !k.starts_with("mint_to")).map(|(_, v)| v).sum();
        assert!(succeeded > ops / 5, "too few successful operations: {outcomes:?}");
    }
}
