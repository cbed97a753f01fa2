//! `load`: a load run of the program on solana-test-validator (`make load`).
//!
//! Starts a validator, initializes the config with windows of seconds, creates a mint and funds
//! every wallet, then drives hundreds of devices through their whole life in phases. Each phase's
//! transactions are sent at once from several threads and confirmed in bulk
//! ([`device_staking_localnet::concurrent`]): registrations co-signed by the oracle, two stakes
//! per device, offers, fills by co-stakers (some raced by a rival for the same offer), reward
//! blocks, claims, overflow withdrawals, cancels, unstakes and, once the Clock allows, every
//! withdrawal. Deliberately invalid transactions go out among them (fills of filled offers,
//! replayed reward blocks, over-withdrawals, early withdrawals, ...), each planned to be refused
//! with one named error.
//!
//! After every phase every device is read back: each vault must hold exactly what its ledger
//! says (R52; no tokens are donated here), each ledger must equal the sum of its offers and
//! tickets, and the tokens of all wallets and vaults must add up to what was minted. At the end
//! every vault and ledger must be empty and every wallet must hold at least what it was given.
//!
//! The report (stdout) counts transactions by phase and kind and failures by error name, with
//! durations and transactions per second; progress goes to stderr. The exit code is non-zero on
//! any failure that is not a named program error, any outcome other than planned, or any
//! invariant violation.
//!
//! Environment: `LOAD_DEVICES` (default 240, at least 20), `LOAD_THREADS` (default 8), and the
//! validator's `LOCALNET_RPC_PORT`, `LOCALNET_FAUCET_PORT`, `LOCALNET_GOSSIP_PORT`.
use anchor_lang::prelude::Pubkey;
use device_staking_client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_client::device_staking::state::{min_required, Config, Device, Offer, OfferState, Params, Ticket};
use device_staking_client::ix::{self, RewardTarget};
use device_staking_client::pda;
use device_staking_localnet::concurrent::{send_all, Expect, Landed, Outcome, Planned, Sending};
use device_staking_localnet::Validator;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One token: the run's mint has 6 decimals.
const UNIT: u64 = 1_000_000;
/// One SOL, in lamports.
const SOL: u64 = 1_000_000_000;
/// Lamports each wallet gets for fees and rent.
const WALLET_LAMPORTS: u64 = SOL;
/// A leaving co-staker's wait (R13), short enough to wait for on a validator.
const COVER_WINDOW_SECS: i64 = 8;
/// The unstake cooldown (R14, R15).
const COOLDOWN_SECS: i64 = 20;
/// Devices per owner wallet.
const DEVICES_PER_OWNER: usize = 4;
/// Positions per co-staker wallet: the default `max_active_costakes`.
const POSITIONS_PER_COSTAKER: usize = 2;
/// One device in this many has its offer raced by a rival co-staker.
const CONTEST_EVERY: usize = 10;
/// One device in this many receives each kind of deliberately invalid transaction.
const REFUSAL_EVERY: usize = 10;
/// What each owner stakes on top of the minimum, in a second `stake`.
const OWNER_EXTRA_STAKE: u64 = 100 * UNIT;
/// Reward blocks paid to every device.
const REWARD_BLOCKS: u64 = 3;
/// Devices per `distribute_rewards` transaction (each with its position: 3 accounts a device).
const DEVICES_PER_REWARD_TX: usize = 7;
/// Reward batches replayed in each block after the first (refused: BlockAlreadyPaid).
const REPLAYED_BATCHES: usize = 5;
/// Wallets funded per set-up transaction.
const WALLETS_PER_FUNDING_TX: usize = 5;

/// What the run is asked to do.
struct Options {
    /// Devices to register.
    devices: usize,
    /// Sending threads.
    threads: usize,
}

impl Options {
    /// From `LOAD_DEVICES` and `LOAD_THREADS`.
    fn from_env() -> Self {
        let number = |name: &str, default: usize| {
            std::env::var(name).ok().map(|v| v.parse::<usize>().unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))).unwrap_or(default)
        };
        let options = Self { devices: number("LOAD_DEVICES", 240), threads: number("LOAD_THREADS", 8) };
        assert!(options.devices >= CONTEST_EVERY.max(REFUSAL_EVERY) * 2, "LOAD_DEVICES must be at least 20");
        options
    }
}

/// The wallets of the run.
struct Cast {
    /// Device owners, each with [`DEVICES_PER_OWNER`] devices.
    owners: Vec<Keypair>,
    /// Co-stakers, each filling [`POSITIONS_PER_COSTAKER`] offers.
    costakers: Vec<Keypair>,
    /// Rival co-stakers, each racing one co-staker for one offer.
    rivals: Vec<Keypair>,
    /// The oracle: co-signs every registration.
    oracle: Keypair,
    /// The reward authority: pays the reward blocks.
    rewards: Keypair,
}

impl Cast {
    /// New wallets for a run of `devices` devices.
    fn new(devices: usize) -> Self {
        let keys = |n: usize| (0..n).map(|_| Keypair::new()).collect::<Vec<_>>();
        Self {
            owners: keys(devices.div_ceil(DEVICES_PER_OWNER)),
            costakers: keys(devices.div_ceil(POSITIONS_PER_COSTAKER)),
            rivals: keys(devices.div_ceil(CONTEST_EVERY)),
            oracle: Keypair::new(),
            rewards: Keypair::new(),
        }
    }

    /// Every wallet that holds tokens, in a fixed order.
    fn token_holders(&self) -> Vec<&Keypair> {
        self.owners.iter().chain(&self.costakers).chain(&self.rivals).chain([&self.rewards]).collect()
    }
}

/// One device of the run: its id, address, owner and hardware.
struct DevicePlan {
    /// Its 32-byte id: `load-NNNNN` padded with zeros.
    id: [u8; 32],
    /// Its PDA.
    key: Pubkey,
    /// Its owner, an index into [`Cast::owners`].
    owner: usize,
    /// GPUs the oracle attests.
    gpu_count: u16,
    /// The multiplier the oracle attests.
    multiplier_bps: u32,
    /// Its minimum stake (R1), as the program computes it.
    min_required: u64,
}

impl DevicePlan {
    /// Device number `index`: 1 to 8 GPUs, every third at multiplier 2.
    fn new(index: usize, base_stake_per_gpu: u64) -> Self {
        let mut id = [0u8; 32];
        let name = format!("load-{index:05}");
        id[..name.len()].copy_from_slice(name.as_bytes());
        let gpu_count = 1 + (index % 8) as u16;
        let multiplier_bps = if index.is_multiple_of(3) { 20_000 } else { 10_000 };
        Self {
            id,
            key: pda::device(&id).0,
            owner: index / DEVICES_PER_OWNER,
            gpu_count,
            multiplier_bps,
            min_required: min_required(gpu_count, multiplier_bps, base_stake_per_gpu).expect("minimum"),
        }
    }

    /// The co-stake its owner offers: half the minimum (within the 50% cap, R9).
    fn offer_amount(&self) -> u64 {
        self.min_required / 2
    }
}

/// The offer's reward share of device `index`, between 10% and 90%.
fn reward_share_bps(index: usize) -> u16 {
    1_000 + ((index * 37) % 8_000) as u16
}

/// The reward of device `index` in block `block`.
fn reward_amount(index: usize, block: u64) -> u64 {
    (10 + (index as u64 % 7) + block) * UNIT
}

/// Whether device `index` has its offer raced by a rival.
fn is_contested(index: usize) -> bool {
    index % CONTEST_EVERY == CONTEST_EVERY / 2
}

/// Whether device `index` receives the deliberately invalid transactions.
fn gets_refusals(index: usize) -> bool {
    index.is_multiple_of(REFUSAL_EVERY)
}

/// Whether the position on device `index` is cancelled by its co-staker.
fn is_cancelled(index: usize) -> bool {
    index.is_multiple_of(2)
}

/// The chain and everything the run set up on it; read-only once set up.
struct Chain {
    /// The running validator (stopped when dropped).
    v: Validator,
    /// The run's wallets.
    cast: Cast,
    /// The staking mint.
    mint: ix::Mint,
    /// The devices, in order.
    devices: Vec<DevicePlan>,
    /// How transactions are sent.
    sending: Sending,
    /// Tokens minted at set-up: every wallet and vault together must always hold this.
    minted: u64,
    /// What each token-holding wallet was given, by wallet.
    funded: HashMap<Pubkey, u64>,
    /// The index in [`Cast::token_holders`] of every token holder, by address.
    keypairs: HashMap<Pubkey, usize>,
}

impl Chain {
    /// Creates the mint, initializes the config (the validator's authority is the program's
    /// upgrade authority) and plans the devices and the funding.
    fn set_up(v: Validator, options: &Options) -> Self {
        let cast = Cast::new(options.devices);
        let mint_key = v.create_mint(6);
        let mint = ix::Mint { mint: mint_key, token_program: anchor_spl::token::ID };
        let params = Params { cover_window_secs: COVER_WINDOW_SECS, cooldown_secs: COOLDOWN_SECS, role_change_delay_secs: 0, ..Params::defaults(6).expect("defaults") };
        let authority = v.authority.pubkey();
        let args = InitializeArgs {
            admin: authority,
            oracle: cast.oracle.pubkey(),
            reward_authority: cast.rewards.pubkey(),
            slash_authority: authority,
            treasury: authority,
            params: Some(params),
        };
        v.send(&[ix::initialize(authority, mint.mint, mint.token_program, args)], &[]);
        let devices: Vec<DevicePlan> = (0..options.devices).map(|i| DevicePlan::new(i, params.base_stake_per_gpu)).collect();

        let mut funded: HashMap<Pubkey, u64> = HashMap::new();
        for (i, d) in devices.iter().enumerate() {
            *funded.entry(cast.owners[d.owner].pubkey()).or_default() += d.min_required + OWNER_EXTRA_STAKE;
            *funded.entry(cast.costakers[i / POSITIONS_PER_COSTAKER].pubkey()).or_default() += d.offer_amount();
            if is_contested(i) {
                *funded.entry(cast.rivals[i / CONTEST_EVERY].pubkey()).or_default() += d.offer_amount();
            }
        }
        let rewards: u64 = (1..=REWARD_BLOCKS).flat_map(|b| (0..devices.len()).map(move |i| reward_amount(i, b))).sum();
        funded.insert(cast.rewards.pubkey(), rewards);
        let minted = funded.values().sum();
        let keypairs = cast.token_holders().iter().enumerate().map(|(i, k)| (k.pubkey(), i)).collect();
        Self { v, cast, mint, devices, sending: Sending { threads: options.threads, ..Sending::default() }, minted, funded, keypairs }
    }

    /// The keypair of the wallet `address`.
    fn keypair(&self, address: &Pubkey) -> &Keypair {
        self.cast.token_holders()[self.keypairs[address]]
    }

    /// The associated token account of `wallet`.
    fn token_account(&self, wallet: &Pubkey) -> Pubkey {
        ix::associated_token(wallet, &self.mint)
    }

    /// Every device, read from the chain (all are registered).
    fn read_devices(&self) -> Vec<Device> {
        self.read_registered().into_iter().map(|d| d.expect("every device is registered")).collect()
    }

    /// Every planned device, read from the chain; `None` until it is registered.
    fn read_registered(&self) -> Vec<Option<Device>> {
        let keys: Vec<Pubkey> = self.devices.iter().map(|d| d.key).collect();
        self.v.decode_all::<Device>(&keys)
    }

    /// Every offer account ever created on `devices` (closed ones as `None`), per device by seq.
    fn read_offers(&self, devices: &[Device]) -> Vec<Vec<Option<Offer>>> {
        self.read_per_device(devices, |d| d.next_offer_seq, pda::offer)
    }

    /// Every ticket account ever created on `devices` (closed ones as `None`), per device by seq.
    fn read_tickets(&self, devices: &[Device]) -> Vec<Vec<Option<Ticket>>> {
        self.read_per_device(devices, |d| d.next_ticket_seq, pda::ticket)
    }

    /// The accounts at `address(device, seq)` for seq below `count(device)`, grouped by device.
    fn read_per_device<T: anchor_lang::AccountDeserialize>(&self, devices: &[Device], count: impl Fn(&Device) -> u64, address: impl Fn(&Pubkey, u64) -> (Pubkey, u8)) -> Vec<Vec<Option<T>>> {
        let keys: Vec<Pubkey> = devices
            .iter()
            .flat_map(|d| {
                let key = pda::device(&d.device_id).0;
                (0..count(d)).map(|seq| address(&key, seq).0).collect::<Vec<_>>()
            })
            .collect();
        let mut found = self.v.decode_all::<T>(&keys).into_iter();
        devices.iter().map(|d| (0..count(d)).map(|_| found.next().expect("one account per key")).collect()).collect()
    }

    /// The reward authority's and every other token holder's balance, in [`Cast::token_holders`] order.
    fn wallet_balances(&self) -> Vec<(Pubkey, u64)> {
        let wallets: Vec<Pubkey> = self.cast.token_holders().iter().map(|k| k.pubkey()).collect();
        let accounts: Vec<Pubkey> = wallets.iter().map(|w| self.token_account(w)).collect();
        wallets.into_iter().zip(self.v.balances_at(&accounts)).collect()
    }
}

/// The figures of one phase.
struct PhaseFigures {
    name: String,
    /// Transactions sent.
    transactions: usize,
    /// Confirmed without error.
    confirmed: usize,
    /// Refused with a named error.
    refused: usize,
    /// Any other failure.
    unexpected: usize,
    /// From the first send to the last confirmation.
    duration: Duration,
}

/// Everything counted and found during the run.
#[derive(Default)]
struct Tally {
    phases: Vec<PhaseFigures>,
    /// Time spent waiting for the Clock, by what was waited for.
    waits: Vec<(String, Duration)>,
    /// Every transaction sent, with its outcome.
    landed: Vec<Landed>,
    /// Outcomes other than planned, one line each.
    off_plan: Vec<String>,
    /// Invariant violations.
    violations: Vec<String>,
    /// Invariant checks run (one per phase plus the final one).
    checks: usize,
    /// Offers raced by two fills, and how many of them the rival won.
    races: (usize, usize),
}

impl Tally {
    /// Sends `planned` as the phase `name`, counts the outcomes, notes any outcome other than
    /// planned, then checks the invariants. Returns the outcomes in `planned`'s order.
    fn phase(&mut self, chain: &Chain, name: &str, planned: Vec<Planned>) -> Vec<Landed> {
        eprintln!("[load] phase {name}: {} transactions", planned.len());
        let started = Instant::now();
        let landed = send_all(&chain.v.url, name, &planned, chain.sending);
        let duration = started.elapsed();
        let count = |f: fn(&Outcome) -> bool| landed.iter().filter(|l| f(&l.outcome)).count();
        let figures = PhaseFigures {
            name: name.to_string(),
            transactions: landed.len(),
            confirmed: count(|o| matches!(o, Outcome::Confirmed)),
            refused: count(|o| matches!(o, Outcome::Refused(_))),
            unexpected: count(|o| matches!(o, Outcome::Unexpected(_))),
            duration,
        };
        eprintln!(
            "[load] phase {name}: {} confirmed, {} refused, {} unexpected in {:.1} s ({:.0} tx/s)",
            figures.confirmed,
            figures.refused,
            figures.unexpected,
            duration.as_secs_f64(),
            tps(figures.transactions, duration)
        );
        for l in landed.iter().filter(|l| !l.expect.is_met_by(&l.outcome)) {
            self.off_plan.push(format!("{name}: {} planned {:?}, got {:?} ({})", l.kind, l.expect, l.outcome, l.signature));
        }
        self.phases.push(figures);
        self.landed.extend(landed.iter().cloned());
        self.check_invariants(chain, name);
        landed
    }

    /// Waits until the Clock reaches `deadline`, timing it.
    fn wait(&mut self, chain: &Chain, deadline: i64, what: &str) {
        let started = Instant::now();
        chain.v.wait_until(deadline, what);
        self.waits.push((what.to_string(), started.elapsed()));
    }

    /// R52 and the ledgers after `phase`: each vault holds exactly its ledger (no donations
    /// here), each ledger is the sum of its offers and tickets, and every token minted is in a
    /// wallet or a vault.
    fn check_invariants(&mut self, chain: &Chain, phase: &str) {
        self.checks += 1;
        let devices: Vec<Device> = chain.read_registered().into_iter().flatten().collect();
        let offers = chain.read_offers(&devices);
        let tickets = chain.read_tickets(&devices);
        let vaults: Vec<Pubkey> = devices.iter().flat_map(|d| [d.stake_vault, d.overflow_vault]).collect();
        let balances = chain.v.balances_at(&vaults);
        let before = self.violations.len();
        for (i, d) in devices.iter().enumerate() {
            let (stake_vault, overflow_vault) = (balances[2 * i], balances[2 * i + 1]);
            let principal = d.principal_ledger().expect("principal ledger");
            let rewards = d.rewards_ledger().expect("rewards ledger");
            let id = device_name(d);
            let mut violation = |what: String| self.violations.push(format!("after {phase}: device {id}: {what}"));
            if stake_vault != principal {
                violation(format!("stake vault holds {stake_vault}, owner stake + positions + ticket = {principal} (R52)"));
            }
            if overflow_vault != rewards {
                violation(format!("overflow vault holds {overflow_vault}, unclaimed rewards = {rewards} (R52)"));
            }
            let live: Vec<&Offer> = offers[i].iter().flatten().collect();
            let positions_principal: u64 = live.iter().map(|o| o.principal).sum();
            let positions_rewards: u64 = live.iter().map(|o| o.rewards).sum();
            let ticket_principal: u64 = tickets[i].iter().flatten().map(|t| t.amount).sum();
            if (positions_principal, positions_rewards, live.len() as u32) != (d.positions_principal, d.positions_rewards, d.live_offers) {
                violation(format!(
                    "offers hold principal {positions_principal}, rewards {positions_rewards} in {} accounts; the device says {}, {} in {}",
                    live.len(),
                    d.positions_principal,
                    d.positions_rewards,
                    d.live_offers
                ));
            }
            if ticket_principal != d.ticket_principal {
                violation(format!("tickets hold {ticket_principal}, the device says {}", d.ticket_principal));
            }
        }
        let in_wallets: u64 = chain.wallet_balances().iter().map(|(_, b)| b).sum();
        let in_vaults: u64 = balances.iter().sum();
        if in_wallets + in_vaults != chain.minted {
            self.violations.push(format!("after {phase}: wallets {in_wallets} + vaults {in_vaults} != minted {}", chain.minted));
        }
        let found = self.violations.len() - before;
        eprintln!("[load] invariants after {phase}: {} devices, {} vaults, {}", devices.len(), vaults.len(), if found == 0 { "ok".to_string() } else { format!("{found} VIOLATIONS") });
    }

    /// At the end: every vault and ledger is empty, every wallet holds at least what it was
    /// given, and what the wallets gained is exactly what the reward authority paid.
    fn check_final(&mut self, chain: &Chain) {
        for d in chain.read_devices() {
            let open = [d.owner_stake, d.owner_rewards, d.positions_principal, d.positions_rewards, d.ticket_principal];
            if open.iter().any(|&x| x != 0) || d.live_offers != 0 || d.unstaking {
                self.violations.push(format!("at the end: device {} still holds stake, rewards, positions or a ticket: {open:?}", device_name(&d)));
            }
        }
        let rewards_wallet = chain.cast.rewards.pubkey();
        let mut gained = 0u64;
        let mut paid = 0u64;
        for (wallet, balance) in chain.wallet_balances() {
            let given = chain.funded[&wallet];
            if wallet == rewards_wallet {
                paid = given - balance;
            } else if balance < given {
                self.violations.push(format!("at the end: wallet {wallet} holds {balance}, less than the {given} it was given"));
            } else {
                gained += balance - given;
            }
        }
        if gained != paid {
            self.violations.push(format!("at the end: wallets gained {gained}, the reward authority paid {paid}"));
        }
        eprintln!("[load] final: rewards paid {} tokens, all of it back in wallets: {}", paid / UNIT, gained == paid);
    }
}

/// A device's id as text (the run's ids are ASCII padded with zeros).
fn device_name(device: &Device) -> String {
    String::from_utf8_lossy(&device.device_id).trim_end_matches('\0').to_string()
}

/// Transactions per second.
fn tps(transactions: usize, duration: Duration) -> f64 {
    transactions as f64 / duration.as_secs_f64().max(1e-9)
}

/// Funds every wallet with lamports and its planned tokens, several wallets a transaction.
fn funding(chain: &Chain) -> Vec<Planned<'_>> {
    let mut wallets: Vec<(Pubkey, u64)> = chain.cast.token_holders().iter().map(|k| (k.pubkey(), chain.funded[&k.pubkey()])).collect();
    wallets.push((chain.cast.oracle.pubkey(), 0));
    wallets
        .chunks(WALLETS_PER_FUNDING_TX)
        .map(|chunk| {
            let instructions = chunk.iter().flat_map(|(w, tokens)| chain.v.funding_instructions(w, WALLET_LAMPORTS, &chain.mint.mint, *tokens)).collect();
            Planned::confirm("fund wallets", instructions, &chain.v.authority, vec![])
        })
        .collect()
}

/// Registers every device, paid by its owner and co-signed by the oracle (R3).
fn registrations(chain: &Chain) -> Vec<Planned<'_>> {
    chain
        .devices
        .iter()
        .map(|d| {
            let owner = &chain.cast.owners[d.owner];
            let ix = ix::register_device(owner.pubkey(), chain.cast.oracle.pubkey(), d.id, d.gpu_count, d.multiplier_bps, &chain.mint);
            Planned::confirm("register", vec![ix], owner, vec![&chain.cast.oracle])
        })
        .collect()
}

/// Two stakes per device: the minimum, then a little more (R6).
fn stakes(chain: &Chain) -> Vec<Planned<'_>> {
    chain
        .devices
        .iter()
        .flat_map(|d| {
            let owner = &chain.cast.owners[d.owner];
            let from = chain.token_account(&owner.pubkey());
            [d.min_required, OWNER_EXTRA_STAKE].map(|amount| Planned::confirm("stake", vec![ix::stake(owner.pubkey(), d.key, from, amount, &chain.mint)], owner, vec![]))
        })
        .collect()
}

/// One offer per device: half the minimum at the device's share (R9).
fn offers(chain: &Chain) -> Vec<Planned<'_>> {
    chain
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let owner = &chain.cast.owners[d.owner];
            Planned::confirm("create offer", vec![ix::create_offer(owner.pubkey(), d.key, 0, d.offer_amount(), reward_share_bps(i))], owner, vec![])
        })
        .collect()
}

/// A fill of device `index`'s first offer by `costaker`, planned as `expect`.
fn fill<'k>(chain: &'k Chain, index: usize, costaker: &'k Keypair, kind: &'static str, expect: Expect) -> Planned<'k> {
    let d = &chain.devices[index];
    let from = chain.token_account(&costaker.pubkey());
    let ix = ix::fill_offer(costaker.pubkey(), d.key, 0, d.offer_amount(), reward_share_bps(index), from, &chain.mint);
    Planned { kind, instructions: vec![ix], payer: costaker, cosigners: vec![], expect }
}

/// Every offer filled by its co-staker (R11); on contested devices a rival sends a fill of the
/// same offer at the same moment: exactly one of the two must win, the other is refused.
fn fills(chain: &Chain) -> Vec<Planned<'_>> {
    let mut planned = Vec::new();
    for i in 0..chain.devices.len() {
        let costaker = &chain.cast.costakers[i / POSITIONS_PER_COSTAKER];
        if is_contested(i) {
            let race = Expect::ConfirmOrRefusal("OfferNotOpen");
            planned.push(fill(chain, i, costaker, "fill (raced)", race));
            planned.push(fill(chain, i, &chain.cast.rivals[i / CONTEST_EVERY], "fill (raced)", race));
        } else {
            planned.push(fill(chain, i, costaker, "fill", Expect::Confirm));
        }
    }
    planned
}

/// Each raced pair of fills (the co-staker's, then the rival's) must have exactly one winner.
fn check_races(tally: &mut Tally, landed: &[Landed]) {
    let raced: Vec<&Landed> = landed.iter().filter(|l| l.kind == "fill (raced)").collect();
    for pair in raced.chunks(2) {
        let winners = pair.iter().filter(|l| l.outcome == Outcome::Confirmed).count();
        if winners != 1 {
            tally.off_plan.push(format!("fills: a raced offer had {winners} winning fills ({} and {})", pair[0].signature, pair[1].signature));
        }
        tally.races.0 += 1;
        if pair[1].outcome == Outcome::Confirmed {
            tally.races.1 += 1;
        }
    }
}

/// Reward block `block` for every device, [`DEVICES_PER_REWARD_TX`] a transaction (R20, R21),
/// plus, from the second block on, replays of the previous block (refused: BlockAlreadyPaid).
fn reward_block(chain: &Chain, block: u64) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let now = chain.v.clock();
    let batches = |block: u64, amount_bump: u64| -> Vec<_> {
        let targets: Vec<RewardTarget> = chain
            .devices
            .iter()
            .zip(&devices)
            .enumerate()
            .map(|(i, (p, d))| RewardTarget { device: p.key, amount: reward_amount(i, block) + amount_bump, filled_seq: d.filled.map(|f| f.seq) })
            .collect();
        let source = chain.token_account(&chain.cast.rewards.pubkey());
        targets.chunks(DEVICES_PER_REWARD_TX).map(|t| ix::distribute_rewards(chain.cast.rewards.pubkey(), source, block, now, now, t, &chain.mint)).collect()
    };
    let mut planned: Vec<Planned> = batches(block, 0).into_iter().map(|ix| Planned::confirm("distribute rewards", vec![ix], &chain.cast.rewards, vec![])).collect();
    if block > 1 {
        // a different amount: the replay is a new transaction, not a duplicate of the paid one
        for ix in batches(block - 1, 1).into_iter().take(REPLAYED_BATCHES) {
            planned.push(Planned::refusal("replay a paid block", ix, &chain.cast.rewards, "BlockAlreadyPaid"));
        }
    }
    planned
}

/// Refusals once every offer is filled: a rival fills a filled offer (OfferNotOpen), the owner
/// offers again beside a filled position (PositionAlreadyFilled).
fn refusals_after_fills(chain: &Chain) -> Vec<Planned<'_>> {
    let mut planned = Vec::new();
    for (i, d) in chain.devices.iter().enumerate().filter(|(i, _)| gets_refusals(*i)) {
        let rival = &chain.cast.rivals[i / CONTEST_EVERY];
        planned.push(fill(chain, i, rival, "fill a filled offer", Expect::Refusal("OfferNotOpen")));
        let owner = &chain.cast.owners[d.owner];
        let second = ix::create_offer(owner.pubkey(), d.key, 1, d.offer_amount(), reward_share_bps(i));
        planned.push(Planned::refusal("offer beside a filled position", second, owner, "PositionAlreadyFilled"));
    }
    planned
}

/// The device's filled position: (seq, co-staker's keypair).
fn holder<'k>(chain: &'k Chain, device: &Device) -> Option<(u64, &'k Keypair)> {
    device.filled.map(|f| (f.seq, chain.keypair(&f.costaker)))
}

/// Every co-staker claims its rewards (R12).
fn claims(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    chain
        .devices
        .iter()
        .zip(&devices)
        .filter_map(|(p, d)| {
            let (seq, costaker) = holder(chain, d)?;
            let ix = ix::claim_rewards(costaker.pubkey(), p.key, seq, chain.token_account(&costaker.pubkey()), &chain.mint);
            Some(Planned::confirm("claim rewards", vec![ix], costaker, vec![]))
        })
        .collect()
}

/// Every owner withdraws its whole overflow: rewards and the principal above the minimum (R12);
/// co-stakers who just claimed claim again (NothingToClaim).
fn overflow_withdrawals(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let config: Config = chain.v.decode(&pda::config().0).expect("config");
    let now = chain.v.clock();
    let mut planned = Vec::new();
    for (i, (p, d)) in chain.devices.iter().zip(&devices).enumerate() {
        let owner = &chain.cast.owners[p.owner];
        let amount = d.owner_overflow(config.params.max_costake_bps, now);
        let to = chain.token_account(&owner.pubkey());
        planned.push(Planned::confirm("withdraw overflow", vec![ix::withdraw_overflow(owner.pubkey(), p.key, to, amount, &chain.mint)], owner, vec![]));
        if let (true, Some((seq, costaker))) = (gets_refusals(i), holder(chain, d)) {
            let ix = ix::claim_rewards(costaker.pubkey(), p.key, seq, chain.token_account(&costaker.pubkey()), &chain.mint);
            planned.push(Planned::refusal("claim twice", ix, costaker, "NothingToClaim"));
        }
    }
    planned
}

/// Half the co-stakers cancel (R13); owners who emptied their overflow ask for one more token
/// (ExceedsOverflow).
fn cancels(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let mut planned = Vec::new();
    for (i, (p, d)) in chain.devices.iter().zip(&devices).enumerate() {
        if let (true, Some((seq, costaker))) = (is_cancelled(i), holder(chain, d)) {
            planned.push(Planned::confirm("cancel co-stake", vec![ix::cancel_costake(costaker.pubkey(), p.key, seq)], costaker, vec![]));
        }
        if gets_refusals(i) {
            let owner = &chain.cast.owners[p.owner];
            let ix = ix::withdraw_overflow(owner.pubkey(), p.key, chain.token_account(&owner.pubkey()), UNIT, &chain.mint);
            planned.push(Planned::refusal("withdraw beyond the overflow", ix, owner, "ExceedsOverflow"));
        }
    }
    planned
}

/// The latest `wait_end` of the cancelled positions.
fn last_wait_end(chain: &Chain) -> i64 {
    let devices = chain.read_devices();
    chain.read_offers(&devices).iter().flatten().flatten().map(|o| o.wait_end).max().unwrap_or(0)
}

/// The exiting or cooling positions of `devices`: (device index, offer).
fn positions_to_withdraw(chain: &Chain, devices: &[Device]) -> Vec<(usize, Offer)> {
    let offers = chain.read_offers(devices);
    offers
        .into_iter()
        .enumerate()
        .flat_map(|(i, per_device)| per_device.into_iter().flatten().filter(|o| matches!(o.state, OfferState::Exiting | OfferState::Cooling)).map(move |o| (i, o)))
        .collect()
}

/// A withdrawal of the position `offer` of device `index` by its co-staker (R16).
fn position_withdrawal<'k>(chain: &'k Chain, index: usize, offer: &Offer, kind: &'static str, expect: Expect) -> Planned<'k> {
    let costaker = chain.keypair(&offer.costaker);
    let ix = ix::withdraw_position(costaker.pubkey(), chain.devices[index].key, offer.seq, offer.costaker, offer.payer, &chain.mint);
    Planned { kind, instructions: vec![ix], payer: costaker, cosigners: vec![], expect }
}

/// Every owner unstakes, taking the filled positions along (R15); cancelled co-stakers try to
/// withdraw early (StillLocked) and to cancel again (PositionNotFilled).
fn unstakes(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let now = chain.v.clock();
    let mut planned: Vec<Planned> = chain
        .devices
        .iter()
        .zip(&devices)
        .map(|(p, d)| {
            let owner = &chain.cast.owners[p.owner];
            Planned::confirm("unstake", vec![ix::unstake_for(owner.pubkey(), p.key, d, now)], owner, vec![])
        })
        .collect();
    for (i, offer) in positions_to_withdraw(chain, &devices).into_iter().filter(|(i, _)| gets_refusals(*i)) {
        planned.push(position_withdrawal(chain, i, &offer, "early position withdrawal", Expect::Refusal("StillLocked")));
        let costaker = chain.keypair(&offer.costaker);
        planned.push(Planned::refusal("cancel twice", ix::cancel_costake(costaker.pubkey(), chain.devices[i].key, offer.seq), costaker, "PositionNotFilled"));
    }
    planned
}

/// Right after the unstakes: early ticket and position withdrawals (StillLocked) and stakes on
/// unstaking devices (DeviceUnstaking).
fn early_exits(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let tickets = chain.read_tickets(&devices);
    let mut planned = Vec::new();
    for (i, p) in chain.devices.iter().enumerate().filter(|(i, _)| gets_refusals(*i)) {
        let owner = &chain.cast.owners[p.owner];
        for ticket in tickets[i].iter().flatten() {
            let ix = ix::withdraw_ticket(owner.pubkey(), p.key, ticket.owner, ticket.seq, ticket.payer, &chain.mint);
            planned.push(Planned::refusal("early ticket withdrawal", ix, owner, "StillLocked"));
        }
        let ix = ix::stake(owner.pubkey(), p.key, chain.token_account(&owner.pubkey()), UNIT, &chain.mint);
        planned.push(Planned::refusal("stake while unstaking", ix, owner, "DeviceUnstaking"));
    }
    for (i, offer) in positions_to_withdraw(chain, &devices).into_iter().filter(|(i, o)| gets_refusals(i + 1) && o.state == OfferState::Cooling) {
        planned.push(position_withdrawal(chain, i, &offer, "early position withdrawal", Expect::Refusal("StillLocked")));
    }
    planned
}

/// The latest unlock of every ticket and position.
fn last_unlock(chain: &Chain) -> i64 {
    let devices = chain.read_devices();
    let tickets = chain.read_tickets(&devices).into_iter().flatten().flatten().map(|t| t.unlock_at);
    let positions = positions_to_withdraw(chain, &devices).into_iter().map(|(_, o)| o.unlock_at);
    tickets.chain(positions).max().unwrap_or(0)
}

/// Every ticket and every position withdrawn, each by its staker (R14, R16).
fn withdrawals(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let tickets = chain.read_tickets(&devices);
    let mut planned = Vec::new();
    for (i, p) in chain.devices.iter().enumerate() {
        let owner = &chain.cast.owners[p.owner];
        for ticket in tickets[i].iter().flatten() {
            let ix = ix::withdraw_ticket(owner.pubkey(), p.key, ticket.owner, ticket.seq, ticket.payer, &chain.mint);
            planned.push(Planned::confirm("withdraw ticket", vec![ix], owner, vec![]));
        }
    }
    for (i, offer) in positions_to_withdraw(chain, &devices) {
        planned.push(position_withdrawal(chain, i, &offer, "withdraw position", Expect::Confirm));
    }
    planned
}

/// Runs every phase on `chain`, checking after each.
fn run(chain: &Chain, tally: &mut Tally) {
    tally.phase(chain, "fund", funding(chain));
    tally.phase(chain, "register", registrations(chain));
    tally.phase(chain, "stake", stakes(chain));
    tally.phase(chain, "offers", offers(chain));
    let landed = tally.phase(chain, "fills", fills(chain));
    check_races(tally, &landed);
    for block in 1..=REWARD_BLOCKS {
        let mut planned = reward_block(chain, block);
        if block == 1 {
            planned.extend(refusals_after_fills(chain));
        }
        tally.phase(chain, &format!("rewards block {block}"), planned);
    }
    tally.phase(chain, "claims", claims(chain));
    tally.phase(chain, "withdraw overflow", overflow_withdrawals(chain));
    tally.phase(chain, "cancels", cancels(chain));
    // an unstake lists the exits still in their wait: let every wait end first, so the list
    // read now is the list the program sees
    tally.wait(chain, last_wait_end(chain) + 1, "the cancelled positions' waits");
    tally.phase(chain, "unstakes", unstakes(chain));
    tally.phase(chain, "early exits", early_exits(chain));
    tally.wait(chain, last_unlock(chain) + 1, "every unlock");
    tally.phase(chain, "withdrawals", withdrawals(chain));
    tally.checks += 1;
    tally.check_final(chain);
}

/// Prints the report; returns whether the run passed.
fn report(chain: &Chain, tally: &Tally, total: Duration) -> bool {
    let sent = tally.landed.len();
    let confirmed = tally.landed.iter().filter(|l| l.outcome == Outcome::Confirmed).count();
    let mut by_error: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<&str, (usize, usize, BTreeMap<&str, usize>)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    for l in &tally.landed {
        let kind = by_kind.entry(l.kind).or_default();
        kind.0 += 1;
        match &l.outcome {
            Outcome::Confirmed => kind.1 += 1,
            Outcome::Refused(name) => {
                *by_error.entry(name).or_default() += 1;
                *kind.2.entry(name).or_default() += 1;
            }
            Outcome::Unexpected(what) => {
                *kind.2.entry("unexpected").or_default() += 1;
                unexpected.push(format!("{}: {what} ({})", l.kind, l.signature));
            }
        }
    }
    let failed = sent - confirmed;
    let sending: Duration = tally.phases.iter().map(|p| p.duration).sum();
    println!("# Load run: {} devices, {} owners, {} co-stakers, {} rivals, {} sending threads", chain.devices.len(), chain.cast.owners.len(), chain.cast.costakers.len(), chain.cast.rivals.len(), chain.sending.threads);
    println!();
    println!("| phase | transactions | confirmed | refused | unexpected | seconds | tx/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for p in &tally.phases {
        println!("| {} | {} | {} | {} | {} | {:.1} | {:.0} |", p.name, p.transactions, p.confirmed, p.refused, p.unexpected, p.duration.as_secs_f64(), tps(p.transactions, p.duration));
    }
    println!("| **all phases** | {sent} | {confirmed} | {failed} | {} | {:.1} | {:.0} |", unexpected.len(), sending.as_secs_f64(), tps(sent, sending));
    println!();
    for (what, waited) in &tally.waits {
        println!("waited {:.1} s for {what}", waited.as_secs_f64());
    }
    println!("whole run (validator start to last check): {:.1} s; {:.0} tx/s over it", total.as_secs_f64(), tps(sent, total));
    println!();
    println!("| kind | sent | confirmed | failed by name |");
    println!("|---|---:|---:|---|");
    for (kind, (count, ok, errors)) in &by_kind {
        let names: Vec<String> = errors.iter().map(|(n, c)| format!("{n} {c}")).collect();
        println!("| {kind} | {count} | {ok} | {} |", names.join(", "));
    }
    println!();
    println!("sent {sent}, confirmed {confirmed}, failed {failed}");
    for (name, count) in &by_error {
        println!("  failed with {name}: {count}");
    }
    println!("offers raced by two fills: {}, won by the rival: {} (each had one winner unless listed below)", tally.races.0, tally.races.1);
    println!("invariant checks: {} (R52 vaults = ledgers, ledgers = offers + tickets, tokens conserved), violations: {}", tally.checks, tally.violations.len());
    let listed = |title: &str, lines: &[String]| {
        if !lines.is_empty() {
            println!("{title}: {}", lines.len());
            for line in lines {
                println!("  {line}");
            }
        }
    };
    listed("UNEXPECTED FAILURES", &unexpected);
    listed("OUTCOMES OTHER THAN PLANNED", &tally.off_plan);
    listed("INVARIANT VIOLATIONS", &tally.violations);
    let passed = unexpected.is_empty() && tally.off_plan.is_empty() && tally.violations.is_empty();
    println!("{}", if passed { "PASSED" } else { "FAILED" });
    passed
}

fn main() -> ExitCode {
    let options = Options::from_env();
    let started = Instant::now();
    let passed = {
        let v = Validator::start();
        let chain = Chain::set_up(v, &options);
        let mut tally = Tally::default();
        run(&chain, &mut tally);
        report(&chain, &tally, started.elapsed())
        // the validator stops here, when `chain` is dropped
    };
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
