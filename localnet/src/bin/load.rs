//! `load`: a load run of the program on solana-test-validator (`make load`).
//!
//! Starts a validator, initializes the config with local floors and windows of seconds, creates a
//! mint and funds every wallet, then drives hundreds of devices through their whole life in
//! phases. Each phase's transactions are sent at once from several threads and confirmed in bulk
//! ([`device_staking_localnet::concurrent`]): registrations co-signed by the oracle, two stakes
//! per device, offers, fills by co-stakers (some raced by a rival for the same offer), reward
//! blocks in time order, claims, overflow withdrawals, cancels, unstakes and, once the Clock
//! allows, every withdrawal (some tickets by a keeper, to the owner's associated token account;
//! some positions released by the keeper into their offer's escrow and emptied by the co-staker),
//! and at last every device closed into a tombstone. Deliberately invalid transactions go out
//! among them (fills of filled offers, batches naming a device twice, over-withdrawals, early
//! withdrawals, closes of devices that hold stake, ...), each planned to be refused with one
//! named error; replayed reward blocks are confirmed and pay nobody twice (R20: skipped).
//!
//! After every phase every device is read back: each vault must hold exactly what its ledger
//! says (R52; no tokens are donated here), the device's position table must match its offer
//! accounts and its ticket figures its ticket account, and the tokens of all wallets, vaults and
//! escrows must add up to what was minted. At the end every device must be a tombstone with its
//! vaults, offers, escrows and tickets closed, every wallet must hold at least what it was given,
//! and the reward authority must have paid exactly the planned blocks.
//!
//! The report (stdout) counts transactions by phase and kind and failures by error name, with
//! durations and transactions per second; progress goes to stderr. The exit code is non-zero on
//! any failure that is not a named program error, any outcome other than planned, or any
//! invariant violation.
//!
//! Environment: `LOAD_DEVICES` (default 240, at least 20), `LOAD_THREADS` (default 8), and the
//! validator's `LOCALNET_RPC_PORT`, `LOCALNET_FAUCET_PORT`, `LOCALNET_GOSSIP_PORT`.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, Discriminator};
use device_staking_client::device_staking::state::{
    min_required, Config, Device, Offer, OfferState, Params, Position, Ticket, Tombstone,
};
use device_staking_client::ix::{self, RewardTarget};
use device_staking_client::pda;
use device_staking_kit::deploy;
use device_staking_kit::roles::{new_keys, Roles};
use device_staking_kit::stage::{SOL, UNIT};
use device_staking_localnet::concurrent::{send_all, Expect, Landed, Outcome, Planned, Sending};
use device_staking_localnet::Validator;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::time::{Duration, Instant};

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
/// Devices per `distribute_rewards` transaction (2 accounts a device: a legacy message fits 11).
const DEVICES_PER_REWARD_TX: usize = 10;
/// Reward batches replayed in each block after the first (confirmed, every entry skipped).
const REPLAYED_BATCHES: usize = 5;
/// One device in this many has its ticket withdrawn by the keeper (to the owner's associated
/// token account) and its position released by the keeper into its escrow (R16).
const KEEPER_EVERY: usize = 4;
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
            std::env::var(name)
                .ok()
                .map(|v| v.parse::<usize>().unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}")))
                .unwrap_or(default)
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
    /// The config's roles: the validator's authority is the admin and the slash authority; the
    /// oracle co-signs every registration, the reward authority pays the reward blocks, the
    /// treasury's token account receives what a close sweeps (nothing here).
    roles: Roles,
    /// A third party that withdraws tickets and releases positions for their stakers (R16).
    keeper: Keypair,
}

impl Cast {
    /// New wallets for a run of `devices` devices; `authority` is the admin and slash authority.
    fn new(devices: usize, authority: &Keypair) -> Self {
        let roles = Roles { admin: authority.insecure_clone(), slash_authority: authority.insecure_clone(), ..Roles::new() };
        Self {
            owners: new_keys(devices.div_ceil(DEVICES_PER_OWNER)),
            costakers: new_keys(devices.div_ceil(POSITIONS_PER_COSTAKER)),
            rivals: new_keys(devices.div_ceil(CONTEST_EVERY)),
            roles,
            keeper: Keypair::new(),
        }
    }

    /// Every wallet that holds tokens, in a fixed order.
    fn token_holders(&self) -> Vec<&Keypair> {
        self.owners
            .iter()
            .chain(&self.costakers)
            .chain(&self.rivals)
            .chain([&self.roles.reward_authority, &self.roles.treasury])
            .collect()
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

/// Whether the keeper withdraws device `index`'s ticket and releases its position.
fn by_keeper(index: usize) -> bool {
    index % KEEPER_EVERY == 1
}

/// A device account's state: live, closed into a tombstone, or not there.
enum DeviceAccount {
    /// Registered and not closed.
    Live(Box<Device>),
    /// Closed (R8).
    Closed(Tombstone),
    /// Not registered yet.
    Missing,
}

impl DeviceAccount {
    /// Decodes a device PDA's data by its discriminator.
    fn decode(data: Option<Vec<u8>>) -> Self {
        match data {
            None => Self::Missing,
            Some(d) if d.starts_with(Device::DISCRIMINATOR) => {
                Self::Live(Box::new(Device::try_deserialize(&mut d.as_slice()).expect("decode a device")))
            }
            Some(d) => Self::Closed(Tombstone::try_deserialize(&mut d.as_slice()).expect("decode a tombstone")),
        }
    }
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
        let cast = Cast::new(options.devices, &v.authority);
        let mint_key = v.create_mint(6);
        let mint = ix::Mint { mint: mint_key, token_program: anchor_spl::token::ID };
        let params = Params {
            cover_window_secs: COVER_WINDOW_SECS,
            cooldown_secs: COOLDOWN_SECS,
            role_change_delay_secs: 0,
            ..Params::defaults(6).expect("defaults")
        };
        let mut stage = v.stage();
        deploy::initialize(&mut stage, &v.authority, &mint, cast.roles.initialize_args(Some(params))).expect("initialize");
        stage.create_ata(&cast.roles.treasury.pubkey(), &mint.mint, &mint.token_program).expect("the treasury's token account");
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
        funded.insert(cast.roles.reward_authority.pubkey(), rewards);
        funded.insert(cast.roles.treasury.pubkey(), 0);
        let minted = funded.values().sum();
        let keypairs = cast.token_holders().iter().enumerate().map(|(i, k)| (k.pubkey(), i)).collect();
        Self {
            v,
            cast,
            mint,
            devices,
            sending: Sending { threads: options.threads, ..Sending::default() },
            minted,
            funded,
            keypairs,
        }
    }

    /// The keypair of the wallet `address`.
    fn keypair(&self, address: &Pubkey) -> &Keypair {
        self.cast.token_holders()[self.keypairs[address]]
    }

    /// The associated token account of `wallet`.
    fn token_account(&self, wallet: &Pubkey) -> Pubkey {
        ix::associated_token(wallet, &self.mint)
    }

    /// Every device, read from the chain (all are registered and none closed).
    fn read_devices(&self) -> Vec<Device> {
        self.read_accounts()
            .into_iter()
            .map(|d| match d {
                DeviceAccount::Live(device) => *device,
                _ => panic!("every device is registered and live"),
            })
            .collect()
    }

    /// Every planned device's account, read from the chain.
    fn read_accounts(&self) -> Vec<DeviceAccount> {
        let keys: Vec<Pubkey> = self.devices.iter().map(|d| d.key).collect();
        self.v.account_data(&keys).into_iter().map(DeviceAccount::decode).collect()
    }

    /// Every offer account ever created on `devices` (closed ones as `None`), per device by seq.
    fn read_offers(&self, devices: &[Device]) -> Vec<Vec<Option<Offer>>> {
        let counts: Vec<(Pubkey, u64)> = devices.iter().map(|d| (pda::device(&d.device_id).0, d.next_offer_seq)).collect();
        self.read_per_device(&counts, pda::offer)
    }

    /// Every ticket account ever created on `devices` (closed ones as `None`), per device by seq.
    fn read_tickets(&self, devices: &[Device]) -> Vec<Vec<Option<Ticket>>> {
        let counts: Vec<(Pubkey, u64)> = devices.iter().map(|d| (pda::device(&d.device_id).0, d.next_ticket_seq)).collect();
        self.read_per_device(&counts, pda::ticket)
    }

    /// The accounts at `address(device, seq)` for seq below `count`, for every (device, count)
    /// of `counts`, grouped by device.
    fn read_per_device<T: AccountDeserialize>(
        &self,
        counts: &[(Pubkey, u64)],
        address: impl Fn(&Pubkey, u64) -> (Pubkey, u8),
    ) -> Vec<Vec<Option<T>>> {
        let keys: Vec<Pubkey> =
            counts.iter().flat_map(|(key, count)| (0..*count).map(|seq| address(key, seq).0).collect::<Vec<_>>()).collect();
        let mut found = self.v.decode_all::<T>(&keys).into_iter();
        counts.iter().map(|(_, count)| (0..*count).map(|_| found.next().expect("one account per key")).collect()).collect()
    }

    /// The token accounts of every escrow of a released position (R16) among `offers`.
    fn escrows(&self, offers: &[Vec<Option<Offer>>]) -> Vec<Pubkey> {
        offers
            .iter()
            .flatten()
            .flatten()
            .filter(|o| o.is(OfferState::Released))
            .map(|o| pda::escrow(&pda::offer(&o.device, o.seq).0).0)
            .collect()
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
    /// here), each device's position table matches its offer accounts and its ticket figures its
    /// ticket account, and every token minted is in a wallet, a vault or an escrow.
    fn check_invariants(&mut self, chain: &Chain, phase: &str) {
        self.checks += 1;
        let devices: Vec<Device> = chain
            .read_accounts()
            .into_iter()
            .filter_map(|a| match a {
                DeviceAccount::Live(d) => Some(*d),
                _ => None,
            })
            .collect();
        let offers = chain.read_offers(&devices);
        let tickets = chain.read_tickets(&devices);
        let vaults: Vec<Pubkey> = devices.iter().flat_map(|d| [d.stake_vault, d.overflow_vault]).collect();
        let balances = chain.v.balances_at(&vaults);
        let in_escrows: u64 = chain.v.balances_at(&chain.escrows(&offers)).iter().sum();
        let before = self.violations.len();
        for (i, d) in devices.iter().enumerate() {
            let (stake_vault, overflow_vault) = (balances[2 * i], balances[2 * i + 1]);
            let principal = d.principal_ledger().expect("principal ledger");
            let rewards = d.rewards_ledger().expect("rewards ledger");
            let id = device_name(&d.device_id);
            let mut violation = |what: String| self.violations.push(format!("after {phase}: device {id}: {what}"));
            if stake_vault != principal {
                violation(format!("stake vault holds {stake_vault}, owner stake + positions + ticket = {principal} (R52)"));
            }
            if overflow_vault != rewards {
                violation(format!("overflow vault holds {overflow_vault}, unclaimed rewards = {rewards} (R52)"));
            }
            for mismatch in table_mismatches(d, &offers[i], &tickets[i]) {
                violation(mismatch);
            }
        }
        let in_wallets: u64 = chain.wallet_balances().iter().map(|(_, b)| b).sum();
        let in_vaults: u64 = balances.iter().sum();
        if in_wallets + in_vaults + in_escrows != chain.minted {
            self.violations.push(format!(
                "after {phase}: wallets {in_wallets} + vaults {in_vaults} + escrows {in_escrows} != minted {}",
                chain.minted
            ));
        }
        let found = self.violations.len() - before;
        eprintln!(
            "[load] invariants after {phase}: {} devices, {} vaults, {}",
            devices.len(),
            vaults.len(),
            if found == 0 { "ok".to_string() } else { format!("{found} VIOLATIONS") }
        );
    }

    /// At the end: every device is a tombstone (R8) whose vaults, offers, escrows and tickets are
    /// closed; every wallet holds at least what it was given; the reward authority paid exactly
    /// the planned blocks (a replayed block paid nobody, R20), and the wallets gained exactly that.
    fn check_final(&mut self, chain: &Chain) {
        let mut closed: Vec<(Pubkey, Tombstone)> = Vec::new();
        for (plan, account) in chain.devices.iter().zip(chain.read_accounts()) {
            match account {
                DeviceAccount::Closed(tombstone) => closed.push((plan.key, tombstone)),
                _ => self.violations.push(format!("at the end: device {} is not closed", device_name(&plan.id))),
            }
        }
        let offer_counts: Vec<(Pubkey, u64)> = closed.iter().map(|(key, t)| (*key, t.next_offer_seq)).collect();
        let ticket_counts: Vec<(Pubkey, u64)> = closed.iter().map(|(key, t)| (*key, t.next_ticket_seq)).collect();
        let offers = chain.read_per_device::<Offer>(&offer_counts, pda::offer);
        let tickets = chain.read_per_device::<Ticket>(&ticket_counts, pda::ticket);
        let leftovers: Vec<Pubkey> = offer_counts
            .iter()
            .flat_map(|(key, count)| {
                let escrows = (0..*count).map(|seq| pda::escrow(&pda::offer(key, seq).0).0);
                [pda::stake_vault(key).0, pda::overflow_vault(key).0].into_iter().chain(escrows).collect::<Vec<_>>()
            })
            .collect();
        let open_offers = offers.iter().flatten().flatten().count();
        let open_tickets = tickets.iter().flatten().flatten().count();
        let open_token_accounts = chain.v.account_data(&leftovers).iter().flatten().count();
        if open_offers + open_tickets + open_token_accounts > 0 {
            self.violations.push(format!(
                "at the end: {open_offers} offers, {open_tickets} tickets and {open_token_accounts} vaults or escrows of closed devices are still open"
            ));
        }
        let rewards_wallet = chain.cast.roles.reward_authority.pubkey();
        let mut gained = 0u64;
        let mut paid = 0u64;
        for (wallet, balance) in chain.wallet_balances() {
            let given = chain.funded[&wallet];
            if wallet == rewards_wallet {
                paid = given - balance;
                if paid != given {
                    self.violations
                        .push(format!("at the end: the reward authority paid {paid}, the planned blocks {given} (R20)"));
                }
            } else if balance < given {
                self.violations.push(format!("at the end: wallet {wallet} holds {balance}, less than the {given} it was given"));
            } else {
                gained += balance - given;
            }
        }
        if gained != paid {
            self.violations.push(format!("at the end: wallets gained {gained}, the reward authority paid {paid}"));
        }
        eprintln!(
            "[load] final: {} tombstones, rewards paid {} tokens, all of it back in wallets: {}",
            closed.len(),
            paid / UNIT,
            gained == paid
        );
    }
}

/// How `device`'s position table and ticket figures differ from its offer and ticket accounts
/// (`offers` and `tickets` by seq, closed ones `None`): each position is a filled offer of its
/// co-staker and terms (no slashing here, so principal = amount), the open offer is open, no
/// other offer is open or filled, and a ticket account is live exactly while the owner unstakes.
fn table_mismatches(device: &Device, offers: &[Option<Offer>], tickets: &[Option<Ticket>]) -> Vec<String> {
    let mut found = Vec::new();
    let offer = |seq: u64| offers.get(seq as usize).and_then(|o| o.as_ref());
    let mut expected = 0;
    for p in device.positions.iter().filter(|p| p.is_used()) {
        expected += 1;
        match offer(p.seq) {
            Some(o)
                if o.is(OfferState::Filled)
                    && o.costaker == p.costaker
                    && o.amount == p.principal
                    && o.reward_share_bps == p.reward_share_bps => {}
            other => found.push(format!(
                "position {} of {} ({} at {} bps) has the offer account {other:?}",
                p.seq, p.costaker, p.principal, p.reward_share_bps
            )),
        }
    }
    if let Some(seq) = device.open_offer() {
        expected += 1;
        if !matches!(offer(seq), Some(o) if o.is(OfferState::Open)) {
            found.push(format!("the open offer {seq} has the offer account {:?}", offer(seq)));
        }
    }
    let live = offers.iter().flatten().filter(|o| !o.is(OfferState::Released)).count();
    if live != expected {
        found.push(format!("{live} offer accounts are open or filled; the device has {expected} positions and open offers"));
    }
    let live_tickets: Vec<u64> = tickets.iter().flatten().map(|t| t.seq).collect();
    let expected_tickets: Vec<u64> = if device.is_unstaking() { vec![device.ticket_seq] } else { vec![] };
    if live_tickets != expected_tickets {
        found.push(format!("live tickets {live_tickets:?}; the device's ticket figures name {expected_tickets:?}"));
    }
    found
}

/// A device's id as text (the run's ids are ASCII padded with zeros).
fn device_name(id: &[u8; 32]) -> String {
    String::from_utf8_lossy(id).trim_end_matches('\0').to_string()
}

/// Transactions per second.
fn tps(transactions: usize, duration: Duration) -> f64 {
    transactions as f64 / duration.as_secs_f64().max(1e-9)
}

/// Funds every wallet with lamports and its planned tokens, several wallets a transaction.
fn funding(chain: &Chain) -> Vec<Planned<'_>> {
    let mut wallets: Vec<(Pubkey, u64)> =
        chain.cast.token_holders().iter().map(|k| (k.pubkey(), chain.funded[&k.pubkey()])).collect();
    wallets.push((chain.cast.roles.oracle.pubkey(), 0));
    wallets.push((chain.cast.keeper.pubkey(), 0));
    wallets
        .chunks(WALLETS_PER_FUNDING_TX)
        .map(|chunk| {
            let instructions = chunk
                .iter()
                .flat_map(|(w, tokens)| chain.v.funding_instructions(w, WALLET_LAMPORTS, &chain.mint.mint, *tokens))
                .collect();
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
            let ix = ix::register_device(
                owner.pubkey(),
                chain.cast.roles.oracle.pubkey(),
                d.id,
                d.gpu_count,
                d.multiplier_bps,
                &chain.mint,
            );
            Planned::confirm("register", vec![ix], owner, vec![&chain.cast.roles.oracle])
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
            [d.min_required, OWNER_EXTRA_STAKE].map(|amount| {
                Planned::confirm("stake", vec![ix::stake(owner.pubkey(), d.key, from, amount, &chain.mint)], owner, vec![])
            })
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
            Planned::confirm(
                "create offer",
                vec![ix::create_offer(owner.pubkey(), d.key, 0, d.offer_amount(), reward_share_bps(i))],
                owner,
                vec![],
            )
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
            tally.off_plan.push(format!(
                "fills: a raced offer had {winners} winning fills ({} and {})",
                pair[0].signature, pair[1].signature
            ));
        }
        tally.races.0 += 1;
        if pair[1].outcome == Outcome::Confirmed {
            tally.races.1 += 1;
        }
    }
}

/// A reward block's times: `[start, end)` (R20: a device's blocks land in time order).
#[derive(Clone, Copy, Debug)]
struct BlockTimes {
    /// The block's start.
    start: i64,
    /// The block's end (at most the Clock when it is sent).
    end: i64,
}

/// The batches of one block paying every device `amount(index)`, [`DEVICES_PER_REWARD_TX`] a
/// transaction (R20, R21): each entry names only the device; the program picks the position.
fn reward_batches(
    chain: &Chain,
    block: u64,
    times: BlockTimes,
    amount: impl Fn(usize) -> u64,
) -> Vec<anchor_lang::solana_program::instruction::Instruction> {
    let targets: Vec<RewardTarget> =
        chain.devices.iter().enumerate().map(|(i, p)| RewardTarget { device: p.key, amount: amount(i) }).collect();
    let source = chain.token_account(&chain.cast.roles.reward_authority.pubkey());
    targets
        .chunks(DEVICES_PER_REWARD_TX)
        .map(|t| {
            ix::distribute_rewards(
                chain.cast.roles.reward_authority.pubkey(),
                source,
                block,
                times.start,
                times.end,
                t,
                &chain.mint,
            )
        })
        .collect()
}

/// Reward block `block` for every device (R20, R21); from the second block on, replays of the
/// previous block (with other amounts, so they are new transactions): confirmed, every entry
/// skipped as already paid, nothing moved (the final check counts what the reward authority paid).
fn reward_block(chain: &Chain, block: u64, times: BlockTimes, previous: Option<BlockTimes>) -> Vec<Planned<'_>> {
    let batches = reward_batches(chain, block, times, |i| reward_amount(i, block));
    let mut planned: Vec<Planned> = batches
        .into_iter()
        .map(|ix| Planned::confirm("distribute rewards", vec![ix], &chain.cast.roles.reward_authority, vec![]))
        .collect();
    if let Some(previous) = previous {
        for ix in
            reward_batches(chain, block - 1, previous, |i| reward_amount(i, block - 1) + 1).into_iter().take(REPLAYED_BATCHES)
        {
            planned.push(Planned::confirm("replay a paid block (skipped)", vec![ix], &chain.cast.roles.reward_authority, vec![]));
        }
    }
    planned
}

/// Refusals once every offer is filled: a rival fills a filled offer (OfferNotOpen), the owner
/// offers again beside a filled position (PositionAlreadyFilled), a batch names a device twice
/// (DuplicateDeviceInBatch).
fn refusals_after_fills(chain: &Chain, times: BlockTimes) -> Vec<Planned<'_>> {
    let mut planned = Vec::new();
    let source = chain.token_account(&chain.cast.roles.reward_authority.pubkey());
    for (i, d) in chain.devices.iter().enumerate().filter(|(i, _)| gets_refusals(*i)) {
        let rival = &chain.cast.rivals[i / CONTEST_EVERY];
        planned.push(fill(chain, i, rival, "fill a filled offer", Expect::Refusal("OfferNotOpen")));
        let owner = &chain.cast.owners[d.owner];
        let second = ix::create_offer(owner.pubkey(), d.key, 1, d.offer_amount(), reward_share_bps(i));
        planned.push(Planned::refusal("offer beside a filled position", second, owner, "PositionAlreadyFilled"));
        let twice = [RewardTarget { device: d.key, amount: UNIT }, RewardTarget { device: d.key, amount: 2 * UNIT }];
        let ix = ix::distribute_rewards(
            chain.cast.roles.reward_authority.pubkey(),
            source,
            0,
            times.start,
            times.end,
            &twice,
            &chain.mint,
        );
        planned.push(Planned::refusal(
            "a device twice in a batch",
            ix,
            &chain.cast.roles.reward_authority,
            "DuplicateDeviceInBatch",
        ));
    }
    planned
}

/// The device's filled position: (seq, co-staker's keypair).
fn holder<'k>(chain: &'k Chain, device: &Device) -> Option<(u64, &'k Keypair)> {
    device.filled_position().map(|p| (p.seq, chain.keypair(&p.costaker)))
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
    let env = config.env(chain.v.clock());
    let mut planned = Vec::new();
    for (i, (p, d)) in chain.devices.iter().zip(&devices).enumerate() {
        let owner = &chain.cast.owners[p.owner];
        let amount = d.owner_overflow(&env);
        let to = chain.token_account(&owner.pubkey());
        planned.push(Planned::confirm(
            "withdraw overflow",
            vec![ix::withdraw_overflow(owner.pubkey(), p.key, to, amount, &chain.mint)],
            owner,
            vec![],
        ));
        if let (true, Some((seq, costaker))) = (gets_refusals(i), holder(chain, d)) {
            let ix = ix::claim_rewards(costaker.pubkey(), p.key, seq, chain.token_account(&costaker.pubkey()), &chain.mint);
            planned.push(Planned::refusal("claim twice", ix, costaker, "NothingToClaim"));
        }
    }
    planned
}

/// A close of device `index` by its owner (R8): rent to the device's payer, leftovers to the treasury.
fn close(chain: &Chain, index: usize, payer: Pubkey) -> anchor_lang::solana_program::instruction::Instruction {
    let plan = &chain.devices[index];
    let owner = chain.cast.owners[plan.owner].pubkey();
    ix::close_device(owner, plan.key, chain.token_account(&chain.cast.roles.treasury.pubkey()), payer, &chain.mint)
}

/// Half the co-stakers cancel (R13); owners who emptied their overflow ask for one more token
/// (ExceedsOverflow) and try to close a device that still holds stake (DeviceNotEmpty).
fn cancels(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let mut planned = Vec::new();
    for (i, (p, d)) in chain.devices.iter().zip(&devices).enumerate() {
        if let (true, Some((seq, costaker))) = (is_cancelled(i), holder(chain, d)) {
            planned.push(Planned::confirm(
                "cancel co-stake",
                vec![ix::cancel_costake(costaker.pubkey(), p.key, seq)],
                costaker,
                vec![],
            ));
        }
        if gets_refusals(i) {
            let owner = &chain.cast.owners[p.owner];
            let ix = ix::withdraw_overflow(owner.pubkey(), p.key, chain.token_account(&owner.pubkey()), UNIT, &chain.mint);
            planned.push(Planned::refusal("withdraw beyond the overflow", ix, owner, "ExceedsOverflow"));
            planned.push(Planned::refusal("close a device holding stake", close(chain, i, d.payer), owner, "DeviceNotEmpty"));
        }
    }
    planned
}

/// The positions in the tables of `devices` (filled, exiting or cooling): (device index, position).
fn positions_in_tables(devices: &[Device]) -> Vec<(usize, Position)> {
    devices.iter().enumerate().flat_map(|(i, d)| d.positions.iter().filter(|p| p.is_used()).map(move |p| (i, *p))).collect()
}

/// A withdrawal of `position` of device `index` by its co-staker, to their associated token
/// account (R16); the offer's rent to its payer, the owner who offered.
fn position_withdrawal<'k>(
    chain: &'k Chain,
    index: usize,
    position: &Position,
    kind: &'static str,
    expect: Expect,
) -> Planned<'k> {
    let costaker = chain.keypair(&position.costaker);
    let plan = &chain.devices[index];
    let (to, payer) = (chain.token_account(&position.costaker), chain.cast.owners[plan.owner].pubkey());
    let ix = ix::withdraw_position(costaker.pubkey(), plan.key, position.seq, position.costaker, payer, to, &chain.mint);
    Planned { kind, instructions: vec![ix], payer: costaker, cosigners: vec![], expect }
}

/// Every owner unstakes, taking the filled positions along (R15); cancelled co-stakers try to
/// withdraw early (StillLocked) and to cancel again (PositionNotFilled).
fn unstakes(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let mut planned: Vec<Planned> = chain
        .devices
        .iter()
        .zip(&devices)
        .map(|(p, d)| {
            let owner = &chain.cast.owners[p.owner];
            Planned::confirm("unstake", vec![ix::unstake_for(owner.pubkey(), p.key, d)], owner, vec![])
        })
        .collect();
    let cancelled = positions_in_tables(&devices).into_iter().filter(|(i, p)| gets_refusals(*i) && p.stopped_at != 0);
    for (i, position) in cancelled {
        planned.push(position_withdrawal(chain, i, &position, "early position withdrawal", Expect::Refusal("StillLocked")));
        let costaker = chain.keypair(&position.costaker);
        let ix = ix::cancel_costake(costaker.pubkey(), chain.devices[i].key, position.seq);
        planned.push(Planned::refusal("cancel twice", ix, costaker, "PositionNotFilled"));
    }
    planned
}

/// A withdrawal of device `index`'s ticket (R16) sent by `caller`: signed by the owner it pays
/// the owner's account they name, sent by anyone else the owner's associated token account.
fn ticket_withdrawal<'k>(
    chain: &'k Chain,
    index: usize,
    device: &Device,
    caller: &'k Keypair,
    kind: &'static str,
    expect: Expect,
) -> Planned<'k> {
    let plan = &chain.devices[index];
    let owner = chain.cast.owners[plan.owner].pubkey();
    let to = ix::recipient(&caller.pubkey(), &owner, Some(chain.token_account(&owner)), &chain.mint);
    let ix = ix::withdraw_ticket(caller.pubkey(), plan.key, owner, device.ticket_seq, owner, to, &chain.mint);
    Planned { kind, instructions: vec![ix], payer: caller, cosigners: vec![], expect }
}

/// Right after the unstakes: early ticket and position withdrawals (StillLocked) and stakes on
/// unstaking devices (DeviceUnstaking).
fn early_exits(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let now = chain.v.clock();
    let mut planned = Vec::new();
    for (i, (p, d)) in chain.devices.iter().zip(&devices).enumerate().filter(|(i, _)| gets_refusals(*i)) {
        let owner = &chain.cast.owners[p.owner];
        planned.push(ticket_withdrawal(chain, i, d, owner, "early ticket withdrawal", Expect::Refusal("StillLocked")));
        let ix = ix::stake(owner.pubkey(), p.key, chain.token_account(&owner.pubkey()), UNIT, &chain.mint);
        planned.push(Planned::refusal("stake while unstaking", ix, owner, "DeviceUnstaking"));
    }
    for (i, position) in positions_in_tables(&devices).into_iter().filter(|(i, p)| gets_refusals(i + 1) && p.unlock_at > now) {
        planned.push(position_withdrawal(chain, i, &position, "early position withdrawal", Expect::Refusal("StillLocked")));
    }
    planned
}

/// The latest unlock of every ticket and position.
fn last_unlock(chain: &Chain) -> i64 {
    let devices = chain.read_devices();
    let tickets = devices.iter().map(|d| d.ticket_unlock_at);
    let positions = positions_in_tables(&devices).into_iter().map(|(_, p)| p.unlock_at);
    tickets.chain(positions).max().unwrap_or(0)
}

/// Every ticket and every position withdrawn (R14, R16): most by their stakers; on one device in
/// [`KEEPER_EVERY`] the keeper withdraws the ticket (to the owner's associated token account) and
/// releases the position into its offer's escrow.
fn withdrawals(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let mut planned = Vec::new();
    for (i, (p, d)) in chain.devices.iter().zip(&devices).enumerate() {
        if by_keeper(i) {
            planned.push(ticket_withdrawal(chain, i, d, &chain.cast.keeper, "withdraw ticket (by the keeper)", Expect::Confirm));
        } else {
            planned.push(ticket_withdrawal(chain, i, d, &chain.cast.owners[p.owner], "withdraw ticket", Expect::Confirm));
        }
    }
    for (i, position) in positions_in_tables(&devices) {
        if by_keeper(i) {
            let ix = ix::release(chain.cast.keeper.pubkey(), chain.devices[i].key, position.seq, &chain.mint);
            planned.push(Planned::confirm("release position (by the keeper)", vec![ix], &chain.cast.keeper, vec![]));
        } else {
            planned.push(position_withdrawal(chain, i, &position, "withdraw position", Expect::Confirm));
        }
    }
    planned
}

/// Every released position's escrow emptied by its co-staker (R16): the offer's rent to the
/// owner, the escrow's to the keeper.
fn escrow_withdrawals(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    let offers = chain.read_offers(&devices);
    offers
        .iter()
        .flatten()
        .flatten()
        .filter(|o| o.is(OfferState::Released))
        .map(|o| {
            let costaker = chain.keypair(&o.costaker);
            let ix = ix::withdraw_escrow(
                o.costaker,
                o.device,
                o.seq,
                chain.token_account(&o.costaker),
                o.payer,
                o.escrow_payer,
                &chain.mint,
            );
            Planned::confirm("withdraw escrow", vec![ix], costaker, vec![])
        })
        .collect()
}

/// Every device closed by its owner into a tombstone (R8).
fn closes(chain: &Chain) -> Vec<Planned<'_>> {
    let devices = chain.read_devices();
    (0..chain.devices.len())
        .map(|i| {
            Planned::confirm(
                "close device",
                vec![close(chain, i, devices[i].payer)],
                &chain.cast.owners[chain.devices[i].owner],
                vec![],
            )
        })
        .collect()
}

/// Waits until the Clock is past `after` and returns the block that starts there and ends now.
fn next_block(chain: &Chain, tally: &mut Tally, after: i64, what: &str) -> BlockTimes {
    tally.wait(chain, after + 1, what);
    BlockTimes { start: after, end: chain.v.clock() }
}

/// Runs every phase on `chain`, checking after each.
fn run(chain: &Chain, tally: &mut Tally) {
    tally.phase(chain, "fund", funding(chain));
    tally.phase(chain, "register", registrations(chain));
    tally.phase(chain, "stake", stakes(chain));
    tally.phase(chain, "offers", offers(chain));
    let landed = tally.phase(chain, "fills", fills(chain));
    check_races(tally, &landed);
    // the first block starts once every fill has landed, so every position earns it (R21)
    let mut previous: Option<BlockTimes> = None;
    let mut start = chain.v.clock();
    for block in 1..=REWARD_BLOCKS {
        let times = next_block(chain, tally, start, &format!("the end of reward block {block}"));
        let mut planned = reward_block(chain, block, times, previous);
        if block == 1 {
            planned.extend(refusals_after_fills(chain, times));
        }
        tally.phase(chain, &format!("rewards block {block}"), planned);
        previous = Some(times);
        start = times.end;
    }
    tally.phase(chain, "claims", claims(chain));
    tally.phase(chain, "withdraw overflow", overflow_withdrawals(chain));
    tally.phase(chain, "cancels", cancels(chain));
    tally.phase(chain, "unstakes", unstakes(chain));
    tally.phase(chain, "early exits", early_exits(chain));
    tally.wait(chain, last_unlock(chain) + 1, "every unlock");
    tally.phase(chain, "withdrawals", withdrawals(chain));
    tally.phase(chain, "escrow withdrawals", escrow_withdrawals(chain));
    tally.phase(chain, "close devices", closes(chain));
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
    println!(
        "# Load run: {} devices, {} owners, {} co-stakers, {} rivals, {} sending threads",
        chain.devices.len(),
        chain.cast.owners.len(),
        chain.cast.costakers.len(),
        chain.cast.rivals.len(),
        chain.sending.threads
    );
    println!();
    println!("| phase | transactions | confirmed | refused | unexpected | seconds | tx/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for p in &tally.phases {
        println!(
            "| {} | {} | {} | {} | {} | {:.1} | {:.0} |",
            p.name,
            p.transactions,
            p.confirmed,
            p.refused,
            p.unexpected,
            p.duration.as_secs_f64(),
            tps(p.transactions, p.duration)
        );
    }
    println!(
        "| **all phases** | {sent} | {confirmed} | {failed} | {} | {:.1} | {:.0} |",
        unexpected.len(),
        sending.as_secs_f64(),
        tps(sent, sending)
    );
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
    println!(
        "offers raced by two fills: {}, won by the rival: {} (each had one winner unless listed below)",
        tally.races.0, tally.races.1
    );
    println!("invariant checks: {} (R52 vaults = ledgers, position tables = offer accounts, ticket figures = ticket accounts, tokens conserved), violations: {}", tally.checks, tally.violations.len());
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

#[cfg(test)]
mod tests {
    use super::*;
    use device_staking_client::device_staking::state::{Env, Registration};

    /// A device of 1 GPU (minimum 200 tokens) staked at 300, with the offer 0 of 100 filled at
    /// 74%, and the offer account of that fill.
    fn filled_device() -> (Device, Offer) {
        let env = Env { now: 10, params: Params::defaults(6).unwrap(), paused: false, oracle_revoked_at: 0, slash_revoked_at: 0 };
        let (owner, costaker) = (Pubkey::new_unique(), Pubkey::new_unique());
        let registration = Registration {
            device_id: [1; 32],
            owner,
            bump: 255,
            stake_vault: Pubkey::new_unique(),
            overflow_vault: Pubkey::new_unique(),
            gpu_count: 1,
            multiplier_bps: 10_000,
        };
        let mut device = Device::register(&registration, &env, None).unwrap();
        device.stake(&env, 300 * UNIT).unwrap();
        let seq = device.create_offer(&env, 100 * UNIT, 7_400).unwrap();
        device.fill(&env, seq, costaker, 100 * UNIT, 7_400).unwrap();
        let mut offer = Offer::open(Pubkey::new_unique(), seq, 255, owner, 100 * UNIT, 7_400, 10);
        offer.fill(costaker, 100 * UNIT, 7_400).unwrap();
        (device, offer)
    }

    /// A ticket account of `device`'s ticket `seq`.
    fn ticket(seq: u64) -> Ticket {
        Ticket::new(Pubkey::new_unique(), seq, Pubkey::new_unique(), 255)
    }

    #[test]
    fn a_table_that_matches_its_accounts_shows_no_mismatch() {
        let (device, offer) = filled_device();
        assert_eq!(table_mismatches(&device, &[Some(offer)], &[]), Vec::<String>::new());
    }

    #[test]
    fn a_position_without_its_filled_offer_or_with_other_terms_is_a_mismatch() {
        let (device, offer) = filled_device();
        assert_eq!(table_mismatches(&device, &[None], &[]).len(), 2, "no account, and one live offer fewer than the table");
        let mut other_amount = offer;
        other_amount.amount += 1;
        assert_eq!(table_mismatches(&device, &[Some(other_amount)], &[]).len(), 1);
        let mut released = offer;
        released.release(Pubkey::new_unique(), 255).unwrap();
        assert!(!table_mismatches(&device, &[Some(released)], &[]).is_empty());
    }

    #[test]
    fn a_ticket_account_is_live_exactly_while_the_owner_unstakes() {
        let (mut device, offer) = filled_device();
        assert_eq!(table_mismatches(&device, &[Some(offer)], &[Some(ticket(0))]).len(), 1);
        let env = Env { now: 20, params: Params::defaults(6).unwrap(), paused: false, oracle_revoked_at: 0, slash_revoked_at: 0 };
        device.unstake(&env).unwrap();
        assert_eq!(table_mismatches(&device, &[Some(offer)], &[Some(ticket(0))]), Vec::<String>::new());
        assert_eq!(table_mismatches(&device, &[Some(offer)], &[None]).len(), 1);
    }
}
