//! G1-G4 ("Guarantees a staker can rely on", docs/protocol.md) as properties of random operation
//! sequences in which every privileged role also acts adversarially, checked from outside only:
//! the token balances of every staker's accounts, of the vaults, escrows, treasury and reward
//! sources; the events decoded from the transaction logs; the Clock; and the earliest time at
//! which each withdrawal actually succeeds (tried one second before and at the promised time).
//! It does not use the model of `device_staking_tests::model` and reads no account of the
//! program: what it expects is derived from the events and the balances it saw, and from the
//! rules' published formulas (the parameters recorded at a time are those the events announced).
//!
//! The actors: device owners (stake, offers, overflow, unstake, transfers, closes and revivals),
//! co-stakers (fill, cancel, claim, withdraw to an account of their choice, release and escrow),
//! the admin (grants with keys the test holds, acceptances, cancellations, revocations,
//! loosening and tightening parameter sets, a lowered slash cap, pauses, surplus sweeps), the
//! oracle (hired marks renewed up to 30 days, hardware, termination), the reward authority (next,
//! late, re-sent and straddling blocks, lazy for weeks then catching up) and the slash authority
//! (holds at their window edges, chained incidents, slashes whose incident lies exactly 30 days
//! back, at a hold's start, just after, at a wait's end). Deadlines are met exactly: the Clock
//! stops one second before and at every promised time, where the adversaries may act first.
//!
//! Checked after every transaction: each tracked token account moved exactly as the events say,
//! and only the account of the staker whose own deposit or withdrawal it was (G1); every slash
//! stays within each staker's rolling cap (G1); reward splits, departed positions and paid time
//! (G4). At the promised times: the exits (G2, G3), the roles and parameters in force (G3). At
//! the end everyone exits and every staker's withdrawals equal deposits + credited - slashed (G1).
//!
//! Scenarios pin the edges a random run reaches rarely: a fifth departed position (G4), a
//! loosening of the longest hold during an incident, which does not lengthen it (G2), and a
//! pending longer hold that applies during an incident and so does not outlast a grant's delay
//! (G3).
//!
//! `GUARANTEE_OPS` sets the operations per binary (default 4,000; `make fuzz` runs 200,000),
//! `GUARANTEE_SEED` the seed (default fixed; a long run without one takes the time as its seed),
//! `GUARANTEE_PROGRESS` (seconds) prints progress to stderr. The seed is printed first and in
//! every failure.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AnchorDeserialize, Discriminator};
use device_staking_tests::client::device_staking::events::*;
use device_staking_tests::client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_tests::client::device_staking::state::{Floors, Params, Role};
use device_staking_tests::client::ix::{self, Mint, RewardTarget};
use device_staking_tests::client::pda;
use device_staking_tests::world::{for_each_world_with, short_params, HALF, SHARE};
use device_staking_tests::{events, refusal_name, Binary, TestEnv, SPL_TOKEN};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// One token of 6 decimals, in base units.
const IO: u64 = 1_000_000;
/// Seconds in a day.
const DAY: i64 = 86_400;
/// The slashing window and the spacing of hold incidents (R40, R41).
const WINDOW: i64 = 30 * DAY;
/// Basis points in one whole.
const BPS: u128 = 10_000;
/// The longest hired mark (R7).
const MAX_HIRED: i64 = 30 * DAY;
/// The default number of operations per binary (about 15-30 s per binary in a debug build).
const DEFAULT_OPS: u64 = 4_000;
/// The default seed.
const DEFAULT_SEED: u64 = 0x6A09_E667_F3BC_C908;
/// Tokens minted to each owner wallet (and again when it runs low).
const OWNER_TOKENS: u64 = 2_000_000 * IO;
/// Tokens minted to each co-staker wallet (and again when it runs low).
const COSTAKER_TOKENS: u64 = 500_000 * IO;
/// Tokens minted to each reward source (and again when it runs low).
const REWARD_TOKENS: u64 = 50_000_000 * IO;
/// Devices not terminated below which an owner registers another.
const LIVE_DEVICES: usize = 4;
/// The floors fixed at initialize: the deploy step's devnet and mainnet floors.
const FLOORS: Floors = Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY };

/// The roles, in the order of `Role` and of `RoleChanged.role`.
const ROLES: [Role; 5] = [Role::Admin, Role::Oracle, Role::RewardAuthority, Role::SlashAuthority, Role::Treasury];
/// The refusal of a signer or account that does not hold role `i`.
const ROLE_ERRORS: [&str; 5] = ["NotAdmin", "NotOracle", "NotRewardAuthority", "NotSlashAuthority", "NotTreasuryAccount"];
/// Index of the admin in [`ROLES`].
const ADMIN: usize = 0;
/// Index of the oracle in [`ROLES`].
const ORACLE: usize = 1;
/// Index of the reward authority in [`ROLES`].
const REWARD: usize = 2;
/// Index of the slash authority in [`ROLES`].
const SLASH: usize = 3;
/// Index of the treasury in [`ROLES`].
const TREASURY: usize = 4;
/// `RoleChanged.action` of a proposal.
const PROPOSED: u8 = 0;
/// `RoleChanged.action` of a revocation.
const REVOKED: u8 = 3;

/// The parameters the run starts with: the defaults, with a 3-day longest hold so that a
/// loosening can lengthen it.
fn initial_params() -> Params {
    Params { max_hold_secs: 3 * DAY, ..Params::defaults(6).expect("default parameters") }
}

/// R34's delay of a grant or loosening proposed while `p` is in force (the spec's formula).
fn change_delay(p: &Params) -> i64 {
    p.role_change_delay_secs.max(p.cover_window_secs + p.cooldown_secs).max(p.cooldown_secs + p.max_hold_secs) + 1
}

/// `floor(amount * bps / 10_000)`.
fn bps_of(amount: u128, bps: u16) -> u128 {
    amount * bps as u128 / BPS
}

/// A reward batch as sent: block start, block end, and its entries (device, amount).
type Batch = (i64, i64, Vec<(Pubkey, u64)>);

/// xorshift64*, as in the property test: enough for choosing operations.
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    /// One of `items` (not empty).
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }

    /// Up to `max_tokens` whole tokens plus some base units, or a few base units.
    fn amount(&mut self, max_tokens: u64) -> u64 {
        match self.below(8) {
            0 => 1 + self.below(999),
            _ => (1 + self.below(max_tokens)) * IO + self.below(IO),
        }
    }
}

/// A variable of the environment parsed as a number (decimal or `0x` hex), if set.
fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        let v = v.trim().replace('_', "");
        let parsed = match v.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => v.parse(),
        };
        parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number"))
    })
}

/// Standard base64 (the encoding of `Program data:` log lines); `None` on a foreign character.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Declares [`Ev`] over the program's event types and [`decode_event`], which recognizes one by
/// its discriminator.
macro_rules! events {
    ($($name:ident),+ $(,)?) => {
        /// An event of the program, decoded from a transaction's logs.
        #[allow(clippy::large_enum_variant, dead_code)]
        enum Ev {
            $(
                #[allow(missing_docs)]
                $name($name),
            )+
        }

        /// The event in `data` (discriminator and Borsh body), if it is one of the program's.
        fn decode_event(data: &[u8]) -> Option<Ev> {
            $(
                if data.starts_with($name::DISCRIMINATOR) {
                    return $name::try_from_slice(&data[$name::DISCRIMINATOR.len()..]).ok().map(Ev::$name);
                }
            )+
            None
        }
    };
}

events!(
    Initialized,
    RoleChanged,
    PausedSet,
    ParamsProposed,
    ParamsCancelled,
    SlashCapLowered,
    DeviceRegistered,
    MinimumChanged,
    Staked,
    OfferCreated,
    OfferRetracted,
    OfferFilled,
    OverflowWithdrawn,
    RewardsClaimed,
    CostakeCancelled,
    Unstaked,
    TicketWithdrawn,
    PositionWithdrawn,
    HiredSet,
    DeviceTerminated,
    DeviceClosed,
    RewardPaid,
    RewardSkipped,
    Slashed,
    DeviceHeld,
    SurplusSwept,
    PositionReleased,
    EscrowWithdrawn,
    ProfileClosed,
    TransferProposed,
    TransferCancelled,
    DeviceTransferred,
);

/// "ok", or the name of the refusal: a transaction's outcome in words.
fn outcome(result: &Result<Vec<Ev>, String>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(name) => format!("refused with {name}"),
    }
}

/// The program's events in `logs`, in order (`Program data:` lines that decode as one).
fn events_in(logs: &[String]) -> Vec<Ev> {
    logs.iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| base64_decode(data.split(' ').next().unwrap_or("")))
        .filter_map(|bytes| decode_event(&bytes))
        .collect()
}

/// The parameters over time, as the events announced them: the sets that applied, and the
/// pending one (it applies by time alone at its `effective_at`).
struct Schedule {
    /// (from when, the set in force from then), in time order.
    applied: Vec<(i64, Params)>,
    /// (when it applies, the proposed set).
    pending: Option<(i64, Params)>,
}

impl Schedule {
    /// The set in force at `t`.
    fn at(&self, t: i64) -> Params {
        if let Some((at, p)) = self.pending {
            if t >= at {
                return p;
            }
        }
        self.applied.iter().rev().find(|(from, _)| *from <= t).map_or(self.applied[0].1, |(_, p)| *p)
    }

    /// Moves a pending set whose time has come into `applied`.
    fn settle(&mut self, now: i64) {
        if let Some((at, p)) = self.pending {
            if now >= at {
                self.applied.push((at, p));
                self.pending = None;
            }
        }
    }

    /// The longest hold any set in force during `[from, to)` allows.
    fn longest_hold(&self, from: i64, to: i64) -> i64 {
        let mut longest = self.at(from).max_hold_secs;
        for (at, p) in self.applied.iter().chain(self.pending.iter()) {
            if *at > from && *at < to {
                longest = longest.max(p.max_hold_secs);
            }
        }
        longest
    }
}

/// A role's slot as the last `RoleChanged` event showed it (R31, R34).
#[derive(Clone, Copy, Debug, Default)]
struct RoleRec {
    /// The key in force until the pending one takes over (default: none).
    current: Pubkey,
    /// The proposed key (default: none).
    pending: Pubkey,
    /// When the proposed key may take over (0: none).
    effective_at: i64,
    /// Whether the proposed key accepted.
    accepted: bool,
}

impl RoleRec {
    /// The key holding the role at `now` (default: nobody).
    fn holder(&self, now: i64) -> Pubkey {
        if self.effective_at != 0 && self.accepted && now >= self.effective_at {
            self.pending
        } else {
            self.current
        }
    }
}

/// Who a token flow or a guarantee is about: the owner's side of a device (it moves with the
/// device at R19), or one co-stake position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Staker {
    /// The owner's stake, ticket and rewards of a device.
    Owner(Pubkey),
    /// The position `seq` of a device.
    Position(Pubkey, u64),
}

/// A staker's account of what they put in, were credited, lost and were paid (G1).
#[derive(Clone, Copy, Debug, Default)]
struct Book {
    /// Tokens that left their accounts for the program.
    deposited: u128,
    /// Rewards credited to them (RewardPaid).
    credited: u128,
    /// Slashes recorded against them (Slashed).
    slashed: u128,
    /// Tokens that reached their accounts from the program.
    paid: u128,
}

/// An open offer, from its `OfferCreated` event.
#[derive(Clone, Copy, Debug)]
struct OfferRec {
    /// Its seq.
    seq: u64,
    /// Its amount.
    amount: u64,
    /// Its reward share.
    share: u16,
    /// Who paid its rent (the owner who offered).
    payer: Pubkey,
}

/// A position, from its fill on; kept after it left the table (withdrawn or released).
#[derive(Clone, Debug)]
struct PosRec {
    /// Its seq.
    seq: u64,
    /// The co-staker.
    costaker: Pubkey,
    /// The offer's rent payer.
    payer: Pubkey,
    /// The reward share.
    share: u16,
    /// Principal after slashes.
    principal: u64,
    /// Credited and not yet paid rewards.
    unclaimed: u64,
    /// When it was filled.
    filled_at: i64,
    /// When it stopped earning (cancel or the owner's unstake); 0 while filled.
    stopped_at: i64,
    /// Until then its principal counts (R4, R13, R15).
    wait_end: i64,
    /// When it may be withdrawn: the promise, or earlier through the owner's unstake.
    ripe_at: i64,
    /// The time G2 promised at its stop: t + cover window + cooldown recorded at t.
    promised: i64,
    /// Its slashes: (time, amount).
    slashes: Vec<(i64, u64)>,
    /// After a release: (tokens in its escrow, who paid the escrow's rent), until emptied.
    escrow: Option<(u64, Pubkey)>,
}

/// The owner's outstanding ticket.
#[derive(Clone, Copy, Debug)]
struct TicketRec {
    /// Its seq.
    seq: u64,
    /// Principal after slashes.
    amount: u64,
    /// When the owner unstaked.
    unstaked_at: i64,
    /// When it may be withdrawn (not held).
    unlock_at: i64,
    /// Who paid its rent.
    payer: Pubkey,
}

/// A device as its events showed it.
#[derive(Clone, Debug)]
struct DeviceRec {
    /// Its id.
    id: [u8; 32],
    /// Registered and not closed.
    live: bool,
    /// The owner wallet.
    owner: Pubkey,
    /// Who paid the device's rent (moves at R19).
    payer: Pubkey,
    /// When it was registered or revived.
    registered_at: i64,
    /// GPUs attested.
    gpu_count: u16,
    /// Multiplier attested.
    multiplier_bps: u32,
    /// The owner's stake.
    owner_stake: u64,
    /// The owner's credited and not yet paid rewards.
    owner_unclaimed: u64,
    /// The owner's outstanding ticket.
    ticket: Option<TicketRec>,
    /// The open offer.
    open_offer: Option<OfferRec>,
    /// The next offer's seq.
    next_offer_seq: u64,
    /// The next ticket's seq.
    next_ticket_seq: u64,
    /// Positions in the device's table, by seq.
    positions: BTreeMap<u64, PosRec>,
    /// Positions that left the table (withdrawn or released), by seq.
    departed: BTreeMap<u64, PosRec>,
    /// When it was terminated; 0 while not.
    terminated_at: i64,
    /// The oracle's hired mark: (until, set at).
    hired: (i64, i64),
    /// Paid time: disjoint [start, end) spans, merged when they touch.
    paid: Vec<(i64, i64)>,
    /// The end of the last block paid or skipped with a record (where a catch-up block starts).
    last_end: i64,
    /// Hold incidents: (start, until), the latest last.
    holds: Vec<(i64, i64)>,
    /// Slashes of the owner's stake: (time, amount).
    owner_slashes: Vec<(i64, u64)>,
    /// A proposed new owner and when the proposal lapses.
    pending_owner: Option<(Pubkey, i64)>,
}

impl DeviceRec {
    /// The filled (earning) position.
    fn filled(&self) -> Option<&PosRec> {
        self.positions.values().find(|p| p.stopped_at == 0)
    }
}

/// What a transaction needs beyond its events to be checked.
#[derive(Clone, Copy, Debug, Default)]
struct Ctx {
    /// The user-side token account: a deposit's source, a payment's destination, a reward source.
    user: Option<Pubkey>,
    /// A reward batch's block: [start, end).
    block: Option<(i64, i64)>,
    /// `withdraw_overflow`'s amount.
    amount: u64,
}

/// What a transaction must do.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Anything.
    Any,
    /// Succeed: the guarantee that says so.
    Ok(&'static str),
    /// Signed for role `.0` by `.1`: refused by name unless the key holds the role now (G3, R34).
    Role(usize, Pubkey),
}

/// A check due at a time.
#[derive(Clone, Debug)]
enum Task {
    /// G2: a stopped position's withdrawal, one second before and at its ripe time, and at its promise.
    PositionExit { device: Pubkey, seq: u64 },
    /// G2: the owner's ticket, one second before and at its unlock, and at unlock + the longest hold.
    TicketExit { device: Pubkey, seq: u64 },
    /// G3: a staker who started leaving at an announcement (a position, or the owner's ticket)
    /// can withdraw, not held, one second before the change may apply.
    G3Exit { device: Pubkey, position: Option<u64>, ticket: Option<u64>, change: &'static str },
    /// R41: the slash authority tries a hold at an incident's edge (its reach, 30 days on).
    HoldEdge { device: Pubkey },
    /// G3: a proposed key cannot act before its time, and can from then if it accepted.
    RoleEdge { role: usize, key: Pubkey, effective_at: i64 },
    /// G3: the parameters recorded one second before and at a proposal's time.
    ParamsEdge,
}

/// One run on one binary.
struct Run {
    /// The VM.
    env: TestEnv,
    /// The choices.
    rng: Rng,
    /// The seed, printed in every failure.
    seed: u64,
    /// The operation count.
    step: usize,
    /// What is being done, for failures.
    doing: String,
    /// The logs of the last transaction, for failures.
    last_logs: Vec<String>,
    /// The staking mint.
    mint: Mint,
    /// Every key the test holds.
    keys: BTreeMap<Pubkey, Keypair>,
    /// Keys each role may be given (the first holds it at initialize).
    role_keys: Vec<Vec<Pubkey>>,
    /// Each role's slot as the events showed it.
    roles: Vec<RoleRec>,
    /// When the oracle was last revoked.
    oracle_revoked_at: i64,
    /// When the slash authority was last revoked.
    slash_revoked_at: i64,
    /// Owner wallets.
    owners: Vec<Pubkey>,
    /// Co-staker wallets.
    costakers: Vec<Pubkey>,
    /// Each wallet's associated token account.
    ata: BTreeMap<Pubkey, Pubkey>,
    /// Each staker wallet's second token account (a destination of their choice).
    alt: BTreeMap<Pubkey, Pubkey>,
    /// A funded third party.
    anyone: Pubkey,
    /// What every tracked token account must hold.
    balances: BTreeMap<Pubkey, u64>,
    /// Who each tracked token account belongs to, for messages.
    names: BTreeMap<Pubkey, String>,
    /// The parameters over time.
    schedule: Schedule,
    /// Whether the pausable actions are paused.
    paused: bool,
    /// Every device ever registered.
    devices: BTreeMap<Pubkey, DeviceRec>,
    /// The next device id number.
    next_id: u64,
    /// Every staker's book.
    books: BTreeMap<Staker, Book>,
    /// Checks due: (time, order) -> task.
    tasks: BTreeMap<(i64, u64), Task>,
    /// Order of the tasks scheduled.
    task_seq: u64,
    /// The last block id used.
    block_id: u64,
    /// The last batch sent: (start, end, entries), to re-send.
    last_batch: Option<Batch>,
    /// Positions credited in the last transaction whose claim is probed right after it (G4).
    pending_claims: Vec<(Pubkey, u64)>,
    /// Transactions sent and simulated.
    transactions: usize,
    /// Outcomes by operation, printed at the end.
    outcomes: BTreeMap<String, usize>,
    /// Guarantee checks made, by kind, printed at the end.
    checks: BTreeMap<&'static str, usize>,
}

/// Fails the run with its seed, step and last logs unless `$cond`.
macro_rules! ensure {
    ($run:expr, $cond:expr, $($arg:tt)+) => {
        if !$cond {
            $run.fail(format!($($arg)+));
        }
    };
}

impl Run {
    /// A deployment on `binary`: roles with spare keys, owners, co-stakers, reward sources.
    fn new(binary: Binary, seed: u64) -> Self {
        let mut env = TestEnv::new(binary);
        env.set_cu_recording(false);
        // every other test checks signatures; here they would take most of the time
        env.svm = std::mem::take(&mut env.svm).with_sigverify(false);
        let mint_key = env.create_mint(SPL_TOKEN, 6, &[]);
        let mint = Mint { mint: mint_key, token_program: SPL_TOKEN };
        let mut run = Self {
            env,
            rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29) ^ 0xD1B5_4A32_D192_ED03 | 1),
            seed,
            step: 0,
            doing: "set-up".into(),
            last_logs: vec![],
            mint,
            keys: BTreeMap::new(),
            role_keys: vec![],
            roles: vec![],
            oracle_revoked_at: 0,
            slash_revoked_at: 0,
            owners: vec![],
            costakers: vec![],
            ata: BTreeMap::new(),
            alt: BTreeMap::new(),
            anyone: Pubkey::default(),
            balances: BTreeMap::new(),
            names: BTreeMap::new(),
            schedule: Schedule { applied: vec![(0, initial_params())], pending: None },
            paused: false,
            devices: BTreeMap::new(),
            next_id: 0,
            books: BTreeMap::new(),
            tasks: BTreeMap::new(),
            task_seq: 0,
            block_id: 0,
            last_batch: None,
            pending_claims: vec![],
            transactions: 0,
            outcomes: BTreeMap::new(),
            checks: BTreeMap::new(),
        };
        for (i, name) in ["admin", "oracle", "reward", "slash", "treasury"].iter().enumerate() {
            let keys: Vec<Pubkey> = (0..3)
                .map(|k| run.new_wallet(&format!("{name}{k}"), if i == REWARD { REWARD_TOKENS } else { 0 }, false))
                .collect();
            run.role_keys.push(keys);
        }
        run.owners = (0..3).map(|k| run.new_wallet(&format!("owner{k}"), OWNER_TOKENS, true)).collect();
        run.costakers = (0..4).map(|k| run.new_wallet(&format!("costaker{k}"), COSTAKER_TOKENS, true)).collect();
        run.anyone = run.new_wallet("anyone", 0, false);
        run.roles = (0..5).map(|i| RoleRec { current: run.role_keys[i][0], ..RoleRec::default() }).collect();
        let authority = run.env.upgrade_authority();
        let args = InitializeArgs {
            admin: run.role_keys[ADMIN][0],
            oracle: run.role_keys[ORACLE][0],
            reward_authority: run.role_keys[REWARD][0],
            slash_authority: run.role_keys[SLASH][0],
            treasury: run.role_keys[TREASURY][0],
            floors: FLOORS,
            params: Some(initial_params()),
        };
        let init = ix::initialize(authority.pubkey(), mint_key, SPL_TOKEN, args);
        if let Err(fail) = run.env.send(&[init], &[&authority]) {
            panic!("initialize failed: {:?}\n{}", fail.error, fail.logs.join("\n"));
        }
        run
    }

    /// A funded wallet with an associated token account holding `tokens` (and a second token
    /// account when `alt`), tracked under `name`.
    fn new_wallet(&mut self, name: &str, tokens: u64, alt: bool) -> Pubkey {
        let key = self.env.funded_keypair();
        let wallet = key.pubkey();
        self.keys.insert(wallet, key);
        let ata = self.env.create_ata(&wallet, &self.mint.mint);
        if tokens > 0 {
            self.env.mint_to(&self.mint.mint, &ata, tokens);
        }
        self.ata.insert(wallet, ata);
        self.track(ata, tokens, name.to_string());
        if alt {
            let second = self.env.create_token_account(&wallet, &self.mint.mint);
            self.alt.insert(wallet, second);
            self.track(second, 0, format!("{name}'s second account"));
        }
        wallet
    }

    /// Starts tracking the token account `account` holding `balance`.
    fn track(&mut self, account: Pubkey, balance: u64, name: String) {
        self.balances.insert(account, balance);
        self.names.insert(account, name);
    }

    /// A copy of the key of `who`.
    fn key(&self, who: &Pubkey) -> Keypair {
        self.keys.get(who).unwrap_or_else(|| panic!("the test holds no key for {who}")).insecure_clone()
    }

    /// The Clock.
    fn now(&self) -> i64 {
        self.env.now()
    }

    /// The balance of a token account of the mint (0 when it does not exist).
    fn balance_of(&self, account: &Pubkey) -> u64 {
        self.env
            .svm
            .get_account(account)
            .filter(|a| a.owner == SPL_TOKEN && a.data.len() >= 72)
            .map_or(0, |a| u64::from_le_bytes(a.data[64..72].try_into().expect("8 bytes")))
    }

    /// Stops the run: the guarantee broken, with everything needed to replay it.
    fn fail(&self, what: String) -> ! {
        panic!(
            "{what}\n  on the {} binary, step {} of GUARANTEE_SEED={:#x}, clock {}, while: {}\n  last logs:\n    {}",
            self.env.binary.label(),
            self.step,
            self.seed,
            self.now(),
            self.doing,
            self.last_logs.join("\n    ")
        )
    }

    /// Counts a guarantee check of kind `what`.
    fn checked(&mut self, what: &'static str) {
        *self.checks.entry(what).or_default() += 1;
    }

    /// Whether `key` holds role `role` now.
    fn holds(&self, role: usize, key: &Pubkey) -> bool {
        let holder = self.roles[role].holder(self.now());
        holder != Pubkey::default() && holder == *key
    }

    /// The holder of `role` now, if any.
    fn holder(&self, role: usize) -> Option<Pubkey> {
        let holder = self.roles[role].holder(self.now());
        (holder != Pubkey::default()).then_some(holder)
    }

    /// The holder of `role`, or now and then another of its keys (an intruder or a pending key).
    fn role_signer(&mut self, role: usize) -> Pubkey {
        match self.holder(role) {
            Some(holder) if !self.rng.one_in(12) => holder,
            _ => {
                let keys = self.role_keys[role].clone();
                self.rng.pick(&keys)
            }
        }
    }

    /// The treasury's associated token account now, if the treasury is known.
    fn treasury_token(&self) -> Pubkey {
        let treasury = self.roles[TREASURY].holder(self.now());
        self.ata[&treasury]
    }

    /// The device record of `device`.
    fn dev(&self, device: &Pubkey) -> &DeviceRec {
        &self.devices[device]
    }

    /// The device record of `device`, to change it.
    fn dev_mut(&mut self, device: &Pubkey) -> &mut DeviceRec {
        self.devices.get_mut(device).expect("a known device")
    }

    /// The book of `staker`.
    fn book(&mut self, staker: Staker) -> &mut Book {
        self.books.entry(staker).or_default()
    }

    /// Schedules `task` at `at` (run at once when the Clock is already there).
    fn due(&mut self, at: i64, task: Task) {
        self.task_seq += 1;
        self.tasks.insert((at, self.task_seq), task);
    }

    /// Whether the device counts as hired now, from the oracle's events (R7, R34).
    fn hired(&self, d: &DeviceRec) -> bool {
        let (until, set_at) = d.hired;
        self.now() < until && set_at > self.oracle_revoked_at && d.terminated_at == 0
    }

    /// Whether the device's ticket is held at `t`: a hold runs that started before the ticket
    /// was ripe and after the slash authority's last revocation (R41, R34).
    fn ticket_held(&self, d: &DeviceRec, t: i64) -> bool {
        match (d.ticket, d.holds.last()) {
            (Some(ticket), Some(&(start, until))) => t < until && start > self.slash_revoked_at && ticket.unlock_at > start,
            _ => false,
        }
    }

    // ---- sending and checking ----

    /// Sends `ixs` signed by `signers`, checks `expect`, applies the events (every check of a
    /// state change) and compares every tracked token account with what the events moved.
    fn send(
        &mut self,
        label: &str,
        ixs: &[Instruction],
        signers: &[Pubkey],
        ctx: Ctx,
        expect: Expect,
    ) -> Result<Vec<Ev>, String> {
        let keys: Vec<Keypair> = signers.iter().map(|k| self.key(k)).collect();
        let refs: Vec<&Keypair> = keys.iter().collect();
        let result = self.env.send(ixs, &refs);
        self.transactions += 1;
        match result {
            Ok(ok) => {
                self.last_logs = ok.logs.clone();
                *self.outcomes.entry(format!("{label} ok")).or_default() += 1;
                if let Expect::Role(role, signer) = expect {
                    ensure!(
                        self,
                        self.holds(role, &signer),
                        "G3/R34: {signer} acted as {:?} without holding the role",
                        ROLES[role]
                    );
                }
                let events = events_in(&ok.logs);
                let mut flows = Vec::new();
                for ev in &events {
                    self.apply(ev, &ctx, &mut flows);
                }
                for (account, delta) in flows {
                    let balance = self
                        .balances
                        .get(&account)
                        .copied()
                        .unwrap_or_else(|| self.fail(format!("tokens moved to or from an untracked account {account}")));
                    let after = balance as i128 + delta;
                    ensure!(self, after >= 0, "the events take more from {} than it held", self.names[&account]);
                    self.balances.insert(account, after as u64);
                }
                self.compare_balances();
                Ok(events)
            }
            Err(fail) => {
                self.last_logs = fail.logs.clone();
                let name = refusal_name(&fail);
                *self.outcomes.entry(format!("{label} {name}")).or_default() += 1;
                ensure!(
                    self,
                    fail.error_name.is_some() || !name.contains("ProgramFailedToComplete"),
                    "R51: {label} crashed instead of refusing by name: {name}"
                );
                match expect {
                    Expect::Ok(why) => self.fail(format!("{why}: refused with {name}")),
                    Expect::Role(role, signer) if self.holds(role, &signer) && name == ROLE_ERRORS[role] => {
                        self.fail(format!("G3/R34: the {:?} in force {signer} was refused as not holding it", ROLES[role]))
                    }
                    _ => {}
                }
                Err(name)
            }
        }
    }

    /// Simulates `ixs` (nothing changes): the events, or the refusal's name.
    fn simulate(&mut self, ixs: &[Instruction], signers: &[Pubkey]) -> Result<Vec<Ev>, String> {
        let keys: Vec<Keypair> = signers.iter().map(|k| self.key(k)).collect();
        let refs: Vec<&Keypair> = keys.iter().collect();
        self.transactions += 1;
        match self.env.simulate(ixs, &refs) {
            Ok(ok) => {
                self.last_logs = ok.logs.clone();
                Ok(events_in(&ok.logs))
            }
            Err(fail) => {
                self.last_logs = fail.logs.clone();
                Err(refusal_name(&fail))
            }
        }
    }

    /// G1: every tracked token account holds what the events moved: no staker's account changed
    /// but by their own deposit or withdrawal, no vault or escrow lost a token the events do
    /// not account for, and the treasury received only slashes.
    fn compare_balances(&mut self) {
        for (account, expected) in &self.balances {
            let actual = self.balance_of(account);
            if actual != *expected {
                self.fail(format!("G1: {} ({account}) holds {actual}, the events account for {expected}", self.names[account]));
            }
        }
        self.checked("G1 token accounts compared after a transaction");
    }

    /// Applies one event: checks it against what the outside records and the rules' formulas
    /// say, updates the records and books, and adds the token moves it reports to `flows`.
    fn apply(&mut self, ev: &Ev, ctx: &Ctx, flows: &mut Vec<(Pubkey, i128)>) {
        let now = self.now();
        let user = || ctx.user.expect("a user-side token account in the context");
        match ev {
            Ev::Initialized(_) | Ev::MinimumChanged(_) | Ev::ProfileClosed(_) | Ev::TransferCancelled(_) => {}
            Ev::RoleChanged(e) => {
                let role = e.role as usize;
                if e.action == PROPOSED {
                    let delay = change_delay(&self.schedule.at(now));
                    ensure!(
                        self,
                        e.effective_at >= now + delay,
                        "G3/R34: a grant of {:?} announced at {now} takes effect at {}, before {}",
                        ROLES[role],
                        e.effective_at,
                        now + delay
                    );
                    self.checked("G3 grant delay checked at its announcement");
                    self.due(e.effective_at - 1, Task::RoleEdge { role, key: e.pending, effective_at: e.effective_at });
                    self.due(e.effective_at, Task::RoleEdge { role, key: e.pending, effective_at: e.effective_at });
                }
                if e.action == REVOKED {
                    match role {
                        ORACLE => self.oracle_revoked_at = now,
                        SLASH => self.slash_revoked_at = now,
                        _ => {}
                    }
                }
                self.roles[role] =
                    RoleRec { current: e.current, pending: e.pending, effective_at: e.effective_at, accepted: e.accepted };
            }
            Ev::PausedSet(e) => self.paused = e.paused,
            Ev::ParamsProposed(e) => {
                let in_force = self.schedule.at(now);
                ensure!(
                    self,
                    e.current == in_force,
                    "the parameters in force at {now} are {:?}, announced {in_force:?}",
                    e.current
                );
                let delay = change_delay(&in_force);
                ensure!(
                    self,
                    e.effective_at >= now + delay,
                    "G3/R34: parameters announced at {now} apply at {}, before {}",
                    e.effective_at,
                    now + delay
                );
                self.checked("G3 parameter delay checked at its announcement");
                self.schedule.settle(now);
                self.schedule.pending = Some((e.effective_at, e.pending));
                self.due(e.effective_at - 1, Task::ParamsEdge);
                self.due(e.effective_at, Task::ParamsEdge);
            }
            Ev::ParamsCancelled(_) => {
                self.schedule.settle(now);
                self.schedule.pending = None;
            }
            Ev::SlashCapLowered(e) => {
                self.schedule.settle(now);
                let lowered = Params { max_slash_bps_per_30d: e.max_slash_bps_per_30d, ..self.schedule.at(now) };
                self.schedule.applied.push((now, lowered));
                if let Some((_, p)) = self.schedule.pending.as_mut() {
                    p.max_slash_bps_per_30d = p.max_slash_bps_per_30d.min(e.max_slash_bps_per_30d);
                }
            }
            Ev::DeviceRegistered(e) => {
                let stake_vault = pda::stake_vault(&e.device).0;
                let overflow_vault = pda::overflow_vault(&e.device).0;
                self.track(stake_vault, 0, format!("stake vault of {}", e.device));
                self.track(overflow_vault, 0, format!("overflow vault of {}", e.device));
                let fresh = DeviceRec {
                    id: e.device_id,
                    live: true,
                    owner: e.owner,
                    payer: e.owner,
                    registered_at: now,
                    gpu_count: e.gpu_count,
                    multiplier_bps: e.multiplier_bps,
                    owner_stake: 0,
                    owner_unclaimed: 0,
                    ticket: None,
                    open_offer: None,
                    next_offer_seq: 0,
                    next_ticket_seq: 0,
                    positions: BTreeMap::new(),
                    departed: BTreeMap::new(),
                    terminated_at: 0,
                    hired: (0, 0),
                    paid: vec![],
                    last_end: 0,
                    holds: vec![],
                    owner_slashes: vec![],
                    pending_owner: None,
                };
                match self.devices.get(&e.device).map(|d| d.live) {
                    Some(live) => {
                        ensure!(self, e.revived && !live, "R3: a live device was registered again");
                        // R3: counters, paid blocks, holds and the owner's slashes carry on
                        let d = self.devices.get_mut(&e.device).expect("known");
                        let carried = DeviceRec {
                            next_offer_seq: d.next_offer_seq,
                            next_ticket_seq: d.next_ticket_seq,
                            departed: std::mem::take(&mut d.departed),
                            paid: std::mem::take(&mut d.paid),
                            last_end: d.last_end,
                            holds: std::mem::take(&mut d.holds),
                            owner_slashes: std::mem::take(&mut d.owner_slashes),
                            ..fresh
                        };
                        *d = carried;
                    }
                    None => {
                        ensure!(self, !e.revived, "R3: a new device was reported revived");
                        self.devices.insert(e.device, fresh);
                    }
                }
            }
            Ev::Staked(e) => {
                let d = self.dev_mut(&e.device);
                d.owner_stake += e.amount;
                let derived = d.owner_stake;
                ensure!(
                    self,
                    e.owner_stake == derived,
                    "Staked reports an owner stake of {}, the events add up to {derived}",
                    e.owner_stake
                );
                self.book(Staker::Owner(e.device)).deposited += e.amount as u128;
                flows.push((user(), -(e.amount as i128)));
                flows.push((pda::stake_vault(&e.device).0, e.amount as i128));
            }
            Ev::OfferCreated(e) => {
                let d = self.dev(&e.device);
                ensure!(
                    self,
                    e.seq == d.next_offer_seq && d.open_offer.is_none(),
                    "offer {} created, expected seq {} and no open offer",
                    e.seq,
                    d.next_offer_seq
                );
                let payer = d.owner;
                let d = self.dev_mut(&e.device);
                d.open_offer = Some(OfferRec { seq: e.seq, amount: e.amount, share: e.reward_share_bps, payer });
                d.next_offer_seq = e.seq + 1;
            }
            Ev::OfferRetracted(e) => self.dev_mut(&e.device).open_offer = None,
            Ev::OfferFilled(e) => {
                let offer = self.dev(&e.device).open_offer;
                ensure!(
                    self,
                    offer.is_some_and(|o| o.seq == e.seq && o.amount == e.amount && o.share == e.reward_share_bps),
                    "OfferFilled of seq {} ({}, {}) does not match the open offer {offer:?}",
                    e.seq,
                    e.amount,
                    e.reward_share_bps
                );
                let offer = offer.expect("checked");
                let position = PosRec {
                    seq: e.seq,
                    costaker: e.costaker,
                    payer: offer.payer,
                    share: e.reward_share_bps,
                    principal: e.amount,
                    unclaimed: 0,
                    filled_at: now,
                    stopped_at: 0,
                    wait_end: 0,
                    ripe_at: 0,
                    promised: 0,
                    slashes: vec![],
                    escrow: None,
                };
                let d = self.dev_mut(&e.device);
                d.open_offer = None;
                d.positions.insert(e.seq, position);
                self.book(Staker::Position(e.device, e.seq)).deposited += e.amount as u128;
                flows.push((user(), -(e.amount as i128)));
                flows.push((pda::stake_vault(&e.device).0, e.amount as i128));
            }
            Ev::OverflowWithdrawn(e) => {
                let d = self.dev(&e.device).clone();
                let from_rewards = ctx.amount.min(d.owner_unclaimed);
                ensure!(
                    self,
                    e.from_rewards == from_rewards,
                    "R12: overflow paid {} from rewards, {from_rewards} expected (rewards first)",
                    e.from_rewards
                );
                ensure!(self, e.from_principal <= d.owner_stake, "more principal paid than the owner staked");
                let d = self.dev_mut(&e.device);
                d.owner_unclaimed -= e.from_rewards;
                d.owner_stake -= e.from_principal;
                let (stake, rewards) = (d.owner_stake, d.owner_unclaimed);
                ensure!(
                    self,
                    (e.owner_stake, e.owner_rewards) == (stake, rewards),
                    "OverflowWithdrawn reports ({}, {}), the events add up to ({stake}, {rewards})",
                    e.owner_stake,
                    e.owner_rewards
                );
                self.book(Staker::Owner(e.device)).paid += (e.from_rewards + e.from_principal) as u128;
                flows.push((pda::overflow_vault(&e.device).0, -(e.from_rewards as i128)));
                flows.push((pda::stake_vault(&e.device).0, -(e.from_principal as i128)));
                flows.push((user(), (e.from_rewards + e.from_principal) as i128));
            }
            Ev::RewardsClaimed(e) => {
                let p = self.dev(&e.device).positions.get(&e.seq).cloned();
                ensure!(
                    self,
                    p.as_ref().is_some_and(|p| p.costaker == e.costaker && p.unclaimed == e.amount),
                    "G4: position {} claimed {}, its credited rewards are {p:?}",
                    e.seq,
                    e.amount
                );
                self.dev_mut(&e.device).positions.get_mut(&e.seq).expect("checked").unclaimed = 0;
                self.book(Staker::Position(e.device, e.seq)).paid += e.amount as u128;
                flows.push((pda::overflow_vault(&e.device).0, -(e.amount as i128)));
                flows.push((user(), e.amount as i128));
            }
            Ev::CostakeCancelled(e) => {
                let d = self.dev(&e.device).clone();
                let p = d.positions.get(&e.seq).cloned();
                ensure!(
                    self,
                    p.as_ref().is_some_and(|p| p.stopped_at == 0 && p.costaker == e.costaker && p.principal == e.principal),
                    "cancel of position {} ({}) does not match {p:?}",
                    e.seq,
                    e.principal
                );
                let params = self.schedule.at(now);
                let wait_end = if d.terminated_at != 0 && d.terminated_at <= now { now } else { now + params.cover_window_secs };
                let unlock = wait_end + params.cooldown_secs;
                ensure!(self, (e.wait_end, e.unlock_at) == (wait_end, unlock), "G2/R13: a cancel at {now} records wait end {} and unlock {}, the parameters recorded then give {wait_end} and {unlock}", e.wait_end, e.unlock_at);
                let p = self.dev_mut(&e.device).positions.get_mut(&e.seq).expect("checked");
                p.stopped_at = now;
                p.wait_end = wait_end;
                p.ripe_at = unlock;
                p.promised = unlock;
                self.due(unlock - 1, Task::PositionExit { device: e.device, seq: e.seq });
                self.due(unlock, Task::PositionExit { device: e.device, seq: e.seq });
            }
            Ev::Unstaked(e) => {
                let d = self.dev(&e.device).clone();
                let unlock = now + self.schedule.at(now).cooldown_secs;
                ensure!(
                    self,
                    d.ticket.is_none() && e.ticket_seq == d.next_ticket_seq && e.amount == d.owner_stake && e.unlock_at == unlock,
                    "G2/R15: unstaked into ticket {} of {} unlocking at {}; the events give ticket {}, amount {}, unlock {unlock}",
                    e.ticket_seq,
                    e.amount,
                    e.unlock_at,
                    d.next_ticket_seq,
                    d.owner_stake
                );
                let filled = d.filled().map(|p| p.seq);
                ensure!(
                    self,
                    e.stopped_seq == filled,
                    "R15: the unstake stopped {:?}, the filled position is {filled:?}",
                    e.stopped_seq
                );
                let mut recapped = 0;
                let mut moved = vec![];
                let d = self.dev_mut(&e.device);
                for p in d.positions.values_mut() {
                    let before = (p.wait_end, p.ripe_at);
                    if p.stopped_at == 0 {
                        p.stopped_at = now;
                        p.wait_end = now;
                        p.ripe_at = unlock;
                        p.promised = unlock;
                    } else {
                        p.wait_end = p.wait_end.min(now);
                        p.ripe_at = p.ripe_at.min(unlock);
                    }
                    if (p.wait_end, p.ripe_at) != before {
                        recapped += 1;
                        moved.push(p.seq);
                    }
                }
                let payer = d.owner;
                d.ticket = Some(TicketRec { seq: e.ticket_seq, amount: e.amount, unstaked_at: now, unlock_at: unlock, payer });
                d.next_ticket_seq = e.ticket_seq + 1;
                d.owner_stake = 0;
                ensure!(
                    self,
                    e.positions_recapped == recapped,
                    "R15: {} positions re-capped, the events give {recapped}",
                    e.positions_recapped
                );
                for seq in moved {
                    self.due(unlock - 1, Task::PositionExit { device: e.device, seq });
                    self.due(unlock, Task::PositionExit { device: e.device, seq });
                }
                let hold = self.schedule.longest_hold(now, unlock);
                self.due(unlock - 1, Task::TicketExit { device: e.device, seq: e.ticket_seq });
                self.due(unlock, Task::TicketExit { device: e.device, seq: e.ticket_seq });
                self.due(unlock + hold, Task::TicketExit { device: e.device, seq: e.ticket_seq });
            }
            Ev::TicketWithdrawn(e) => {
                let d = self.dev(&e.device).clone();
                ensure!(
                    self,
                    d.ticket.is_some_and(|t| t.seq == e.seq && t.amount == e.amount) && e.owner == d.owner,
                    "G1: ticket {} paid {} to {}, the ticket is {:?} of {}",
                    e.seq,
                    e.amount,
                    e.owner,
                    d.ticket,
                    d.owner
                );
                self.dev_mut(&e.device).ticket = None;
                self.book(Staker::Owner(e.device)).paid += e.amount as u128;
                flows.push((pda::stake_vault(&e.device).0, -(e.amount as i128)));
                flows.push((user(), e.amount as i128));
            }
            Ev::PositionWithdrawn(e) => {
                let p = self.dev(&e.device).positions.get(&e.seq).cloned();
                ensure!(
                    self,
                    p.as_ref()
                        .is_some_and(|p| p.costaker == e.costaker && p.principal == e.principal && p.unclaimed == e.rewards),
                    "G1/G4: position {} paid ({}, {}) to {}, the position is {p:?}",
                    e.seq,
                    e.principal,
                    e.rewards,
                    e.costaker
                );
                let d = self.dev_mut(&e.device);
                let p = d.positions.remove(&e.seq).expect("checked");
                d.departed.insert(e.seq, p);
                self.book(Staker::Position(e.device, e.seq)).paid += (e.principal + e.rewards) as u128;
                flows.push((pda::stake_vault(&e.device).0, -(e.principal as i128)));
                flows.push((pda::overflow_vault(&e.device).0, -(e.rewards as i128)));
                flows.push((user(), (e.principal + e.rewards) as i128));
            }
            Ev::PositionReleased(e) => {
                let p = self.dev(&e.device).positions.get(&e.seq).cloned();
                ensure!(
                    self,
                    p.as_ref()
                        .is_some_and(|p| p.costaker == e.costaker && p.principal == e.principal && p.unclaimed == e.rewards),
                    "G1/G4: position {} released ({}, {}) of {}, the position is {p:?}",
                    e.seq,
                    e.principal,
                    e.rewards,
                    e.costaker
                );
                let escrow = pda::escrow(&pda::offer(&e.device, e.seq).0).0;
                self.track(escrow, 0, format!("escrow of position {} of {}", e.seq, e.device));
                let d = self.dev_mut(&e.device);
                let mut p = d.positions.remove(&e.seq).expect("checked");
                p.escrow = Some((e.principal + e.rewards, e.caller));
                d.departed.insert(e.seq, p);
                flows.push((pda::stake_vault(&e.device).0, -(e.principal as i128)));
                flows.push((pda::overflow_vault(&e.device).0, -(e.rewards as i128)));
                flows.push((escrow, (e.principal + e.rewards) as i128));
            }
            Ev::EscrowWithdrawn(e) => {
                let p = self.dev(&e.device).departed.get(&e.seq).cloned();
                ensure!(
                    self,
                    p.as_ref().is_some_and(|p| p.costaker == e.costaker && p.escrow.map(|x| x.0) == Some(e.amount)),
                    "G1: escrow of position {} paid {}, the position is {p:?}",
                    e.seq,
                    e.amount
                );
                self.dev_mut(&e.device).departed.get_mut(&e.seq).expect("checked").escrow = None;
                self.book(Staker::Position(e.device, e.seq)).paid += e.amount as u128;
                flows.push((pda::escrow(&pda::offer(&e.device, e.seq).0).0, -(e.amount as i128)));
                flows.push((user(), e.amount as i128));
            }
            Ev::HiredSet(e) => {
                ensure!(
                    self,
                    e.hired_until == 0 || (e.hired_until > now && e.hired_until <= now + MAX_HIRED),
                    "R7: hired until {} at {now}",
                    e.hired_until
                );
                self.dev_mut(&e.device).hired = (e.hired_until, now);
            }
            Ev::DeviceTerminated(e) => {
                let d = self.dev_mut(&e.device);
                d.terminated_at = now;
                d.hired = (0, now);
            }
            Ev::DeviceClosed(e) => {
                let d = self.dev(&e.device).clone();
                ensure!(self, e.swept == 0, "G1: closing swept {} tokens to the treasury, and nobody donated any", e.swept);
                ensure!(
                    self,
                    d.owner_stake == 0 && d.owner_unclaimed == 0 && d.positions.is_empty() && d.ticket.is_none(),
                    "G1/R8: a device closed while it still owed its stakers: {d:?}"
                );
                self.dev_mut(&e.device).live = false;
            }
            Ev::SurplusSwept(e) => self.fail(format!(
                "G1/R52: the admin swept ({}, {}) and nobody donated any surplus",
                e.from_stake_vault, e.from_overflow_vault
            )),
            Ev::TransferProposed(e) => self.dev_mut(&e.device).pending_owner = Some((e.new_owner, e.expires_at)),
            Ev::DeviceTransferred(e) => {
                let d = self.dev_mut(&e.device);
                d.owner = e.owner;
                d.payer = e.owner;
                d.pending_owner = None;
            }
            Ev::RewardPaid(e) => self.apply_reward(e, ctx, flows),
            Ev::RewardSkipped(e) => {
                let (_, end) = ctx.block.expect("a block");
                if !self.devices.contains_key(&e.device) {
                    ensure!(self, e.reason == 6, "R20: a closed device's entry skipped for reason {}", e.reason);
                } else if e.reason != 1 {
                    let d = self.dev_mut(&e.device);
                    d.last_end = d.last_end.max(end);
                }
            }
            Ev::Slashed(e) => self.apply_slash(e, flows),
            Ev::DeviceHeld(e) => {
                // R41: the incident's reach is fixed at its start (the hold in force then)
                let max_hold = self.schedule.at(e.incident_start).max_hold_secs;
                let d = self.dev(&e.device).clone();
                let previous = d.holds.last().copied();
                let same = previous.is_some_and(|(start, _)| start == e.incident_start);
                if let Some((start, _)) = previous.filter(|&(start, _)| start > self.slash_revoked_at) {
                    let reach = self.hold_reach(start);
                    ensure!(
                        self,
                        same || now >= reach,
                        "R41: a hold at {now} starts a new incident within the reach {reach} of the one of {start}"
                    );
                }
                if !same {
                    ensure!(self, e.incident_start == now, "R41: a new hold incident starts at {}, not now", e.incident_start);
                    if let Some((start, _)) = previous {
                        ensure!(
                            self,
                            now >= start + WINDOW,
                            "G2/R41: a new hold incident at {now}, 30 days after {start} is {}",
                            start + WINDOW
                        );
                    }
                }
                ensure!(
                    self,
                    e.until > now && e.until <= e.incident_start + max_hold,
                    "G2/R41: held until {} for an incident of {} (longest hold at its start {max_hold})",
                    e.until,
                    e.incident_start
                );
                self.checked("G2 hold bounds checked");
                let ticket = d.ticket;
                let d = self.dev_mut(&e.device);
                if same {
                    d.holds.last_mut().expect("same").1 = e.until;
                } else {
                    d.holds.push((e.incident_start, e.until));
                    for at in [now + max_hold - 1, now + max_hold, now + WINDOW - 1, now + WINDOW] {
                        self.due(at, Task::HoldEdge { device: e.device });
                    }
                    // a ticket not yet ripe waits for the incident at most until its reach (G2)
                    if let Some(t) = ticket.filter(|t| t.unlock_at > now) {
                        for at in [now + max_hold - 1, now + max_hold].into_iter().filter(|at| *at >= t.unlock_at) {
                            self.due(at, Task::TicketExit { device: e.device, seq: t.seq });
                        }
                    }
                }
            }
        }
    }

    /// G4 on one paid entry: the position that earned during the block (from the fills, cancels
    /// and unstakes seen) is credited floor(amount x share / 10,000), unless it left the table
    /// (then that part is not paid at all); the owner gets the rest; no second is paid twice.
    fn apply_reward(&mut self, e: &RewardPaid, ctx: &Ctx, flows: &mut Vec<(Pubkey, i128)>) {
        let (start, end) = ctx.block.expect("a block");
        let d = self.dev(&e.device).clone();
        for &(s, t) in &d.paid {
            ensure!(self, !(start < t && s < end), "G4: block [{start}, {end}) pays seconds of [{s}, {t}) again to {}", e.device);
        }
        let earned = |p: &PosRec| p.filled_at <= start && (p.stopped_at == 0 || p.stopped_at >= end);
        let (seq, part, left) = match (d.positions.values().find(|p| earned(p)), d.departed.values().find(|p| earned(p))) {
            (Some(p), _) if p.principal > 0 => (Some(p.seq), bps_of(e.amount as u128, p.share) as u64, false),
            (Some(_), _) => (None, 0, false),
            (None, Some(p)) => (Some(p.seq), bps_of(e.amount as u128, p.share) as u64, true),
            (None, None) => (None, 0, false),
        };
        let expected = (seq, part, left, e.amount - part, e.amount - if left { part } else { 0 });
        let reported = (e.position_seq, e.position_part, e.position_left, e.owner_part, e.transferred);
        ensure!(
            self,
            reported == expected,
            "G4: block [{start}, {end}) of {} for {}: paid (position, part, left, owner, moved) {reported:?}, expected {expected:?} from the positions {:?} and departed {:?}",
            e.amount,
            e.device,
            d.positions.values().map(|p| (p.seq, p.filled_at, p.stopped_at, p.principal)).collect::<Vec<_>>(),
            d.departed.values().map(|p| (p.seq, p.filled_at, p.stopped_at)).collect::<Vec<_>>()
        );
        self.checked("G4 reward entries checked");
        let d = self.dev_mut(&e.device);
        d.paid.push((start, end));
        d.paid.sort_unstable();
        d.paid = d.paid.iter().fold(Vec::new(), |mut spans: Vec<(i64, i64)>, &(s, t)| {
            match spans.last_mut() {
                Some(last) if last.1 >= s => last.1 = last.1.max(t),
                _ => spans.push((s, t)),
            }
            spans
        });
        d.last_end = d.last_end.max(end);
        // a position that stopped before the last paid or recorded end can be named by no later block
        let last_end = d.last_end;
        d.departed.retain(|_, p| p.escrow.is_some() || p.stopped_at > last_end);
        d.owner_unclaimed += e.owner_part;
        if let (Some(seq), false) = (seq, left) {
            d.positions.get_mut(&seq).expect("earned").unclaimed += part;
            self.book(Staker::Position(e.device, seq)).credited += part as u128;
            if self.rng.one_in(3) {
                self.tasks_now_claim(e.device, seq);
            }
        }
        self.book(Staker::Owner(e.device)).credited += e.owner_part as u128;
        flows.push((ctx.user.expect("the reward source"), -(e.transferred as i128)));
        flows.push((pda::overflow_vault(&e.device).0, e.transferred as i128));
    }

    /// Schedules a claim probe of position `seq` now (G4: credited rewards are claimable at once).
    fn tasks_now_claim(&mut self, device: Pubkey, seq: u64) {
        self.pending_claims.push((device, seq));
    }

    /// G1 on one slash: each part comes from a staker the rules let it reach (the owner's stake;
    /// a ticket created after the incident, not ripe or held; positions that counted at the
    /// incident and are not ripe), and each staker's slashes within any 30 days stay within
    /// max_slash_bps_per_30d (in force) of their slashable principal.
    fn apply_slash(&mut self, e: &Slashed, flows: &mut Vec<(Pubkey, i128)>) {
        let now = self.now();
        let bps = self.schedule.at(now).max_slash_bps_per_30d;
        let d = self.dev(&e.device).clone();
        let parts: u64 = e.from_owner_stake + e.from_ticket + e.from_positions.iter().map(|p| p.amount).sum::<u64>();
        ensure!(
            self,
            parts == e.total && e.total <= e.requested && e.total > 0,
            "R40: a slash of {} reports parts adding up to {parts}",
            e.total
        );
        ensure!(
            self,
            now - e.incident_at < WINDOW && e.incident_at <= now,
            "R40: a slash for an incident at {} at {now}",
            e.incident_at
        );
        let recent =
            |slashes: &[(i64, u64)]| slashes.iter().filter(|(at, _)| now - at < WINDOW).map(|(_, a)| *a as u128).sum::<u128>();
        let owner_take = e.from_owner_stake + e.from_ticket;
        if owner_take > 0 {
            let ticket_slashable =
                d.ticket.is_some_and(|t| t.unstaked_at > e.incident_at && (now < t.unlock_at || self.ticket_held(&d, now)));
            ensure!(
                self,
                e.from_owner_stake <= d.owner_stake,
                "G1: {} slashed from an owner stake of {}",
                e.from_owner_stake,
                d.owner_stake
            );
            ensure!(
                self,
                e.from_ticket == 0 || ticket_slashable,
                "G2/R40: the ticket {:?} lost {} for an incident at {} (ripe and not held, or created before it)",
                d.ticket,
                e.from_ticket,
                e.incident_at
            );
            ensure!(self, e.from_ticket <= d.ticket.map_or(0, |t| t.amount), "G1: more slashed than the ticket holds");
            let slashable = d.owner_stake as u128 + if ticket_slashable { d.ticket.map_or(0, |t| t.amount) as u128 } else { 0 };
            let before = recent(&d.owner_slashes);
            let cap = bps_of(slashable + before, bps);
            ensure!(
                self,
                before + owner_take as u128 <= cap,
                "G1: the owner's stake of {} lost {} in 30 days, more than {bps} bps of {}",
                e.device,
                before + owner_take as u128,
                slashable + before
            );
        }
        for part in &e.from_positions {
            let p = d.positions.get(&part.seq).cloned();
            let Some(p) = p else { self.fail(format!("G1: position {} lost {} and is not in the table", part.seq, part.amount)) };
            let counted = p.filled_at <= e.incident_at && (p.stopped_at == 0 || e.incident_at < p.wait_end);
            ensure!(
                self,
                counted && (p.stopped_at == 0 || now < p.ripe_at),
                "G1/R40: position {} (filled {}, stopped {}, wait end {}, ripe {}) slashed for an incident at {}",
                p.seq,
                p.filled_at,
                p.stopped_at,
                p.wait_end,
                p.ripe_at,
                e.incident_at
            );
            ensure!(self, part.amount <= p.principal, "G1: more slashed than the position's principal");
            let before = recent(&p.slashes);
            let cap = bps_of(p.principal as u128 + before, bps);
            ensure!(
                self,
                before + part.amount as u128 <= cap,
                "G1: position {} of {} lost {} in 30 days, more than {bps} bps of {}",
                p.seq,
                e.device,
                before + part.amount as u128,
                p.principal as u128 + before
            );
        }
        self.checked("G1 slash caps checked");
        let d = self.dev_mut(&e.device);
        d.owner_stake -= e.from_owner_stake;
        if let Some(t) = d.ticket.as_mut() {
            t.amount -= e.from_ticket;
        }
        if owner_take > 0 {
            d.owner_slashes.push((now, owner_take));
        }
        for part in &e.from_positions {
            let p = d.positions.get_mut(&part.seq).expect("checked");
            p.principal -= part.amount;
            p.slashes.push((now, part.amount));
        }
        self.book(Staker::Owner(e.device)).slashed += owner_take as u128;
        for part in &e.from_positions {
            self.book(Staker::Position(e.device, part.seq)).slashed += part.amount as u128;
        }
        flows.push((pda::stake_vault(&e.device).0, -(e.total as i128)));
        flows.push((self.treasury_token(), e.total as i128));
    }
}

/// How a withdrawal is sent: by the staker to their associated token account or to their
/// second account, or by a third party (to the staker's associated token account, R16).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    /// Signed by the staker, paid to their associated token account.
    Own,
    /// Signed by the staker, paid to their second account.
    Second,
    /// Sent by a third party.
    Anyone,
}

impl Run {
    // ---- exits (G2, G3) ----

    /// `(caller, destination)` of a withdrawal for `staker` sent `via`.
    fn route(&self, staker: Pubkey, via: Via) -> (Pubkey, Pubkey) {
        match via {
            Via::Own => (staker, self.ata[&staker]),
            Via::Second => (staker, self.alt[&staker]),
            Via::Anyone => (self.anyone, self.ata[&staker]),
        }
    }

    /// A random [`Via`].
    fn via(&mut self) -> Via {
        self.rng.pick(&[Via::Own, Via::Second, Via::Anyone])
    }

    /// The withdrawal of position `seq` of `device` sent `via`, and its context.
    fn position_withdrawal(&self, device: Pubkey, seq: u64, via: Via) -> (Instruction, Pubkey, Ctx) {
        let p = &self.dev(&device).positions[&seq];
        let (caller, destination) = self.route(p.costaker, via);
        let ix = ix::withdraw_position(caller, device, seq, p.costaker, p.payer, destination, &self.mint);
        (ix, caller, Ctx { user: Some(destination), ..Ctx::default() })
    }

    /// The withdrawal of the owner's ticket of `device` sent `via`, and its context.
    fn ticket_withdrawal(&self, device: Pubkey, via: Via) -> (Instruction, Pubkey, Ctx) {
        let d = self.dev(&device);
        let t = d.ticket.expect("a ticket");
        let (caller, destination) = self.route(d.owner, via);
        let ix = ix::withdraw_ticket(caller, device, d.owner, t.seq, t.payer, destination, &self.mint);
        (ix, caller, Ctx { user: Some(destination), ..Ctx::default() })
    }

    /// G2 for position `seq` now: from its ripe time (its promise, or earlier through the
    /// owner's unstake) its withdrawal succeeds and pays its principal and credited rewards;
    /// before, it is refused as still locked. Sends it, or only simulates it when `simulate`.
    fn try_position_exit(&mut self, device: Pubkey, seq: u64, via: Via, simulate: bool) {
        let Some(p) = self.dev(&device).positions.get(&seq).cloned() else { return };
        let now = self.now();
        let (ix, caller, ctx) = self.position_withdrawal(device, seq, via);
        let result = if simulate {
            self.simulate(&[ix], &[caller])
        } else {
            self.send("withdraw_position", &[ix], &[caller], ctx, Expect::Any)
        };
        let promise = format!(
            "G2: position {seq} of {device} stopped at {} (promised {}, ripe {} after the owner's unstake if earlier)",
            p.stopped_at, p.promised, p.ripe_at
        );
        match (now >= p.ripe_at, result) {
            (true, Ok(events)) => {
                if simulate {
                    let paid = events.iter().find_map(|e| match e {
                        Ev::PositionWithdrawn(w) => Some((w.principal, w.rewards)),
                        _ => None,
                    });
                    ensure!(
                        self,
                        paid == Some((p.principal, p.unclaimed)),
                        "{promise}: its withdrawal pays {paid:?}, owed ({}, {})",
                        p.principal,
                        p.unclaimed
                    );
                }
            }
            (true, Err(name)) => self.fail(format!("{promise}: its withdrawal at {now} was refused with {name}")),
            (false, Ok(_)) => self.fail(format!("{promise}: withdrawn at {now}, before its ripe time")),
            (false, Err(name)) => {
                ensure!(self, name == "StillLocked", "{promise}: at {now} refused with {name}, not StillLocked")
            }
        }
        self.checked(if now >= p.ripe_at {
            "G2 co-staker exits at or after their time"
        } else {
            "G2 co-staker exits refused before their time"
        });
    }

    /// What the owner's ticket withdrawal must do now: succeed, or be refused as still locked or
    /// held (R41: a hold that began before the ticket was ripe, not past its longest hold).
    fn ticket_expectation(&self, device: &Pubkey) -> Result<(), &'static str> {
        let d = self.dev(device);
        let t = d.ticket.expect("a ticket");
        let now = self.now();
        if now < t.unlock_at {
            Err("StillLocked")
        } else if self.ticket_held(d, now) {
            Err("DeviceOnHold")
        } else {
            Ok(())
        }
    }

    /// R41: the furthest the holds of the incident that started at `start` may reach: its start
    /// plus the longest hold in force then (a parameter set applied later never moves it).
    fn hold_reach(&self, start: i64) -> i64 {
        start + self.schedule.at(start).max_hold_secs
    }

    /// G2: the latest time the owner's ticket `t` of `d` may still be held: its unlock, or the
    /// reach of an incident that started before the unlock (the longest hold recorded at the
    /// incident's start, whatever parameters apply later).
    fn hold_bound(&self, d: &DeviceRec, t: &TicketRec) -> i64 {
        d.holds
            .iter()
            .filter(|&&(start, _)| start < t.unlock_at)
            .map(|&(start, _)| self.hold_reach(start))
            .fold(t.unlock_at, i64::max)
    }

    /// G2 for the owner's ticket now: refused before its unlock; from then paid unless a hold
    /// that began before the unlock runs, and paid at the latest at unlock + the longest hold.
    fn try_ticket_exit(&mut self, device: Pubkey, via: Via, simulate: bool) {
        let d = self.dev(&device).clone();
        let Some(t) = d.ticket else { return };
        let now = self.now();
        let bound = self.hold_bound(&d, &t);
        let expected = self.ticket_expectation(&device);
        let promise = format!(
            "G2: the owner of {device} unstaked at {} (unlock {}, at the latest {bound} with holds {:?})",
            t.unstaked_at, t.unlock_at, d.holds
        );
        ensure!(
            self,
            now < bound || expected.is_ok(),
            "{promise}: still held at {now}; longest holds announced: {:?}, pending {:?}",
            self.schedule.applied.iter().map(|(at, p)| (*at, p.max_hold_secs)).collect::<Vec<_>>(),
            self.schedule.pending.map(|(at, p)| (at, p.max_hold_secs))
        );
        let (ix, caller, ctx) = self.ticket_withdrawal(device, via);
        let result = if simulate {
            self.simulate(&[ix], &[caller])
        } else {
            self.send("withdraw_ticket", &[ix], &[caller], ctx, Expect::Any)
        };
        match (expected, result) {
            (Ok(()), Ok(events)) => {
                if simulate {
                    let paid = events.iter().find_map(|e| match e {
                        Ev::TicketWithdrawn(w) => Some(w.amount),
                        _ => None,
                    });
                    ensure!(self, paid == Some(t.amount), "{promise}: the ticket pays {paid:?}, owed {}", t.amount);
                }
            }
            (Ok(()), Err(name)) => self.fail(format!("{promise}: its withdrawal at {now} was refused with {name}")),
            (Err(why), Ok(_)) => self.fail(format!("{promise}: withdrawn at {now}, where {why} was due")),
            (Err(why), Err(name)) => {
                ensure!(self, name == why, "{promise}: refused at {now} with {name}, {why} was due");
                if why == "DeviceOnHold" {
                    let until = d.holds.last().map_or(now, |h| h.1);
                    for at in [until - 1, until].into_iter().filter(|at| *at > now) {
                        self.due(at, Task::TicketExit { device, seq: t.seq });
                    }
                }
            }
        }
        self.checked(if expected.is_ok() {
            "G2 owner exits at or after their time"
        } else {
            "G2 owner exits refused before their time or while held"
        });
    }

    /// G3: the stakers who start leaving at an announcement at `now` that may apply at
    /// `applies_at`: some co-stakers cancel, some owners whose device is not hired unstake.
    fn leave_at_announcement(&mut self, change: &'static str, applies_at: i64) {
        let now = self.now();
        let live: Vec<Pubkey> = self.devices.iter().filter(|(_, d)| d.live).map(|(k, _)| *k).collect();
        let (mut costaker_left, mut owner_left) = (self.rng.one_in(2), self.rng.one_in(2));
        for device in live {
            let d = self.dev(&device).clone();
            if let Some(p) = d.filled() {
                if !costaker_left {
                    costaker_left = true;
                    self.cancel(device, p.seq, p.costaker);
                    self.due(applies_at - 1, Task::G3Exit { device, position: Some(p.seq), ticket: None, change });
                    continue;
                }
            }
            if d.owner_stake > 0 && d.ticket.is_none() && !self.hired(&d) && !owner_left {
                owner_left = true;
                if let Some(offer) = d.open_offer {
                    let _ = self.send(
                        "retract_offer",
                        &[ix::retract_offer(d.owner, device, offer.seq, offer.payer)],
                        &[d.owner],
                        Ctx::default(),
                        Expect::Ok("R10"),
                    );
                }
                self.unstake(device, true);
                let d = self.dev(&device).clone();
                let ticket = d.ticket.map(|t| t.seq);
                self.due(applies_at - 1, Task::G3Exit { device, position: None, ticket, change });
                for p in d.positions.values().filter(|p| p.stopped_at == now) {
                    self.due(applies_at - 1, Task::G3Exit { device, position: Some(p.seq), ticket: None, change });
                }
            }
        }
    }

    /// `cancel_costake` of position `seq` by its co-staker: it always succeeds (R13, G2).
    fn cancel(&mut self, device: Pubkey, seq: u64, costaker: Pubkey) {
        let ix = ix::cancel_costake(costaker, device, seq);
        let _ = self.send(
            "cancel_costake",
            &[ix],
            &[costaker],
            Ctx::default(),
            Expect::Ok("G2/R13: a co-staker may cancel at any time"),
        );
    }

    /// `unstake` by the device's owner; when `must`, it must succeed (G2: not hired, no open
    /// offer, not unstaking, some stake).
    fn unstake(&mut self, device: Pubkey, must: bool) {
        let d = self.dev(&device).clone();
        let filled = d.filled().map(|p| p.costaker);
        let ix = ix::unstake(d.owner, device, d.next_ticket_seq, filled);
        let expect = if must { Expect::Ok("G2/R15: an owner whose device is not hired may unstake") } else { Expect::Any };
        let _ = self.send("unstake", &[ix], &[d.owner], Ctx::default(), expect);
    }

    // ---- tasks ----

    /// Moves the Clock to `target`, stopping at every task due on the way (and running it there).
    fn warp_to(&mut self, target: i64) {
        let mut ran = 0;
        while let Some((&(at, order), _)) = self.tasks.iter().next() {
            if at > target {
                break;
            }
            ran += 1;
            ensure!(self, ran < 100_000, "the test's tasks keep scheduling themselves: {:?}", self.tasks.values().next());
            let task = self.tasks.remove(&(at, order)).expect("listed");
            if at > self.now() {
                self.env.warp_to(at);
            }
            self.doing = format!("{task:?} due at {at}");
            self.run_task(task);
        }
        if target > self.now() {
            self.env.warp_to(target);
        }
    }

    /// Runs a due task: the adversaries may act first, then the check.
    fn run_task(&mut self, task: Task) {
        let now = self.now();
        let device = match &task {
            Task::PositionExit { device, .. }
            | Task::TicketExit { device, .. }
            | Task::G3Exit { device, .. }
            | Task::HoldEdge { device } => Some(*device),
            Task::RoleEdge { .. } | Task::ParamsEdge => None,
        };
        if device.is_some_and(|d| !self.devices.contains_key(&d)) {
            return; // retired: closed, and everyone paid
        }
        match task {
            Task::PositionExit { device, seq } => {
                let Some(p) = self.dev(&device).positions.get(&seq).cloned() else { return };
                self.adversaries_at_an_exit(device, p.wait_end.max(p.filled_at));
                let commit = self.rng.one_in(3) && now >= p.ripe_at;
                let via = self.via();
                self.try_position_exit(device, seq, via, !commit);
            }
            Task::TicketExit { device, seq } => {
                let Some(t) = self.dev(&device).ticket.filter(|t| t.seq == seq) else { return };
                self.adversaries_at_an_exit(device, t.unstaked_at);
                if self.rng.one_in(2) {
                    self.op_hold_on(device);
                }
                let commit = self.rng.one_in(3) && self.ticket_expectation(&device).is_ok();
                let via = self.via();
                self.try_ticket_exit(device, via, !commit);
            }
            Task::G3Exit { device, position, ticket, change } => {
                if let Some(seq) = position {
                    if let Some(p) = self.dev(&device).positions.get(&seq).cloned() {
                        ensure!(
                            self,
                            p.ripe_at <= now,
                            "G3: position {seq} of {device} left when {change} was announced and is ripe only at {}",
                            p.ripe_at
                        );
                        self.try_position_exit(device, seq, Via::Own, true);
                    }
                }
                if let Some(seq) = ticket {
                    if self.dev(&device).ticket.is_some_and(|t| t.seq == seq) {
                        let expected = self.ticket_expectation(&device);
                        ensure!(self, expected.is_ok(), "G3: the owner of {device} unstaked when {change} was announced and at {now} the ticket is {expected:?}");
                        self.try_ticket_exit(device, Via::Own, true);
                    }
                }
                self.checked("G3 exits before an announced change applies");
            }
            Task::RoleEdge { role, key, effective_at } => {
                let rec = self.roles[role];
                if rec.pending == key && rec.effective_at == effective_at {
                    self.probe_role(role, key);
                }
            }
            Task::ParamsEdge => self.probe_recorded_params(),
            Task::HoldEdge { device } => {
                if self.rng.one_in(2) {
                    self.op_hold_on(device);
                }
            }
        }
    }

    /// At an exit's edge the slash authority may slash (incident now, or just before `event`)
    /// or hold, and the reward authority may pay a block ending now.
    fn adversaries_at_an_exit(&mut self, device: Pubkey, event: i64) {
        let now = self.now();
        if self.rng.one_in(3) {
            let incident = self.rng.pick(&[now, event - 1, event, now - WINDOW + 1]).min(now).max(1);
            let amount = self.rng.amount(5_000);
            self.slash(device, amount, incident);
        }
        if self.rng.one_in(3) {
            self.op_hold_on(device);
        }
        if self.rng.one_in(4) {
            let start = self.dev(&device).last_end.max(now - 2 * DAY);
            if start < now {
                let amount = self.rng.amount(300);
                self.reward_batch(start, now, vec![(device, amount)]);
            }
        }
    }

    /// G3: the key proposed for `role` acts now (simulated): refused by name unless it holds
    /// the role (accepted, and R34's time has come).
    fn probe_role(&mut self, role: usize, key: Pubkey) {
        let now = self.now();
        let live: Vec<Pubkey> = self.devices.iter().filter(|(_, d)| d.live && d.terminated_at == 0).map(|(k, _)| *k).collect();
        let Some(&device) = live.first() else { return };
        let d = self.dev(&device).clone();
        let probe = match role {
            ADMIN => ix::set_paused(key, self.paused),
            ORACLE => ix::update_hardware(key, device, d.gpu_count, d.multiplier_bps),
            REWARD => ix::distribute_rewards(key, self.ata[&key], 0, now - 2, now - 1, &[], &self.mint),
            SLASH => ix::hold(key, device, now),
            _ => match self.holder(SLASH) {
                Some(slasher) => ix::slash(slasher, device, key, 1, now, &self.mint),
                None => return,
            },
        };
        let signer = if role == TREASURY { self.holder(SLASH).expect("checked") } else { key };
        let result = self.simulate(&[probe], &[signer]);
        let holds = self.holds(role, &key);
        let refused_as_not_holding = matches!(&result, Err(name) if name == ROLE_ERRORS[role]);
        ensure!(
            self,
            holds != refused_as_not_holding,
            "G3/R31/R34: {key}, proposed for {:?} (effective {}, accepted {}), at {now} got {}",
            ROLES[role],
            self.roles[role].effective_at,
            self.roles[role].accepted,
            outcome(&result)
        );
        self.checked("G3 role grants probed at their time");
    }

    /// G3: a cancel and an unstake simulated now record the waits of the parameters in force now
    /// (one second before a change's time: the old ones; at it: the new ones).
    fn probe_recorded_params(&mut self) {
        let now = self.now();
        let params = self.schedule.at(now);
        let live: Vec<DeviceRec> = self.devices.values().filter(|d| d.live).cloned().collect();
        if let Some((d, p)) = live.iter().find_map(|d| d.filled().map(|p| (d, p.clone()))) {
            let device = pda::device(&d.id).0;
            let result = self.simulate(&[ix::cancel_costake(p.costaker, device, p.seq)], &[p.costaker]);
            let wait = if d.terminated_at != 0 { 0 } else { params.cover_window_secs };
            let recorded = result.as_ref().ok().and_then(|events| {
                events.iter().find_map(|e| match e {
                    Ev::CostakeCancelled(c) => Some((c.wait_end, c.unlock_at)),
                    _ => None,
                })
            });
            let due = Some((now + wait, now + wait + params.cooldown_secs));
            ensure!(
                self,
                recorded == due,
                "G3: a cancel at {now} would record {recorded:?} ({}); the parameters in force then give {due:?}",
                outcome(&result)
            );
            self.checked("G3 parameters in force probed at their time");
        }
        if let Some(d) = live.iter().find(|d| d.owner_stake > 0 && d.ticket.is_none() && d.open_offer.is_none() && !self.hired(d))
        {
            let device = pda::device(&d.id).0;
            let ix = ix::unstake(d.owner, device, d.next_ticket_seq, d.filled().map(|p| p.costaker));
            let result = self.simulate(&[ix], &[d.owner]);
            let recorded = result.as_ref().ok().and_then(|events| {
                events.iter().find_map(|e| match e {
                    Ev::Unstaked(u) => Some(u.unlock_at),
                    _ => None,
                })
            });
            ensure!(
                self,
                recorded == Some(now + params.cooldown_secs),
                "G3: an unstake at {now} would unlock at {recorded:?} ({}); the cooldown in force is {}",
                outcome(&result),
                params.cooldown_secs
            );
            self.checked("G3 parameters in force probed at their time");
        }
    }

    /// G4: position `seq`'s credited rewards can be claimed now, in full (simulated).
    fn probe_claim(&mut self, device: Pubkey, seq: u64) {
        let Some(p) = self.devices.get(&device).and_then(|d| d.positions.get(&seq)).cloned() else { return };
        if p.unclaimed == 0 {
            return;
        }
        let ix = ix::claim_rewards(p.costaker, device, seq, self.ata[&p.costaker], &self.mint);
        let result = self.simulate(&[ix], &[p.costaker]);
        let claimed = result.as_ref().ok().and_then(|events| {
            events.iter().find_map(|e| match e {
                Ev::RewardsClaimed(c) => Some(c.amount),
                _ => None,
            })
        });
        ensure!(
            self,
            claimed == Some(p.unclaimed),
            "G4: position {seq} of {device} was credited {} and claiming it now gives {}",
            p.unclaimed,
            outcome(&result)
        );
        self.checked("G4 credited rewards claimable (co-stakers)");
    }

    /// G4: the owner's credited rewards of `device` can be withdrawn now, in full (simulated),
    /// whatever holds, pauses, terminations or unstakes are running.
    fn probe_owner_rewards(&mut self, device: Pubkey) {
        let d = self.dev(&device).clone();
        if d.owner_unclaimed == 0 || !d.live {
            return;
        }
        let ix = ix::withdraw_overflow(d.owner, device, self.ata[&d.owner], d.owner_unclaimed, &self.mint);
        let result = self.simulate(&[ix], &[d.owner]);
        let paid = result.as_ref().ok().and_then(|events| {
            events.iter().find_map(|e| match e {
                Ev::OverflowWithdrawn(w) => Some((w.from_rewards, w.from_principal)),
                _ => None,
            })
        });
        ensure!(
            self,
            paid == Some((d.owner_unclaimed, 0)),
            "G4: the owner of {device} was credited {} and withdrawing it now gives {}",
            d.owner_unclaimed,
            outcome(&result)
        );
        self.checked("G4 credited rewards claimable (owners)");
    }
}

impl Run {
    // ---- the roles' actions ----

    /// `slash(amount, incident_at)` of `device` by the slash authority (now and then another key),
    /// to the treasury in force (now and then another treasury key).
    fn slash(&mut self, device: Pubkey, amount: u64, incident_at: i64) {
        let signer = self.role_signer(SLASH);
        let treasury = match self.holder(TREASURY) {
            Some(t) if !self.rng.one_in(15) => t,
            _ => self.rng.pick(&self.role_keys[TREASURY].clone()),
        };
        let ix = ix::slash(signer, device, treasury, amount, incident_at, &self.mint);
        let result = self.send("slash", &[ix], &[signer], Ctx::default(), Expect::Role(SLASH, signer));
        let now = self.now();
        if now - incident_at >= WINDOW {
            ensure!(self, result.is_err(), "R40: a slash for an incident {} s old was taken", now - incident_at);
        }
    }

    /// `hold(until)` of `device` by the slash authority, `until` at an edge: a second, the
    /// longest hold in force from now or from the incident's start, the incident's reach (the
    /// longest hold at its start), one second past either.
    fn op_hold_on(&mut self, device: Pubkey) {
        let now = self.now();
        let max_hold = self.schedule.at(now).max_hold_secs;
        let start = self.dev(&device).holds.last().map_or(now, |h| h.0);
        let reach = self.hold_reach(start);
        let until =
            self.rng.pick(&[now + 1, now + max_hold, start + max_hold, start + max_hold + 1, reach, reach + 1, now + DAY, now]);
        let signer = self.role_signer(SLASH);
        let _ = self.send("hold", &[ix::hold(signer, device, until)], &[signer], Ctx::default(), Expect::Role(SLASH, signer));
    }

    /// One block `[start, end)` paid to `entries` by the reward authority (now and then another key).
    fn reward_batch(&mut self, start: i64, end: i64, entries: Vec<(Pubkey, u64)>) {
        let signer = self.role_signer(REWARD);
        self.block_id += 1;
        let targets: Vec<RewardTarget> = entries.iter().map(|&(device, amount)| RewardTarget { device, amount }).collect();
        let source = self.ata[&signer];
        let ix = ix::distribute_rewards(signer, source, self.block_id, start, end, &targets, &self.mint);
        let ctx = Ctx { user: Some(source), block: Some((start, end)), amount: 0 };
        let _ = self.send("distribute_rewards", &[ix], &[signer], ctx, Expect::Role(REWARD, signer));
        self.last_batch = Some((start, end, entries));
    }

    /// R20, G4: the reward authority's block: a catch-up from the devices' last paid end, a late
    /// block inside a position's past (or a departed one's), one straddling a cancel, a re-sent
    /// batch, or any past span; for one to three devices, live or closed.
    fn op_rewards(&mut self) {
        let now = self.now();
        let all: Vec<Pubkey> = self.devices.keys().copied().collect();
        if all.is_empty() {
            return;
        }
        let mut devices: Vec<Pubkey> = vec![];
        for _ in 0..1 + self.rng.below(3) {
            let device = self.rng.pick(&all);
            if !devices.contains(&device) || self.rng.one_in(12) {
                devices.push(device);
            }
        }
        let first = self.dev(&devices[0]).clone();
        let lives: Vec<PosRec> = first.positions.values().chain(first.departed.values()).cloned().collect();
        let (start, end) = match self.rng.below(6) {
            0 | 1 => {
                let from = first.last_end.max(first.registered_at).max(now - 20 * DAY);
                (from, if from < now { from + 1 + self.rng.below((now - from) as u64) as i64 } else { now })
            }
            2 if !lives.is_empty() => {
                let p = self.rng.pick(&lives);
                let to = if p.stopped_at == 0 { now } else { p.stopped_at };
                let s = p.filled_at + self.rng.below((to - p.filled_at).max(1) as u64) as i64;
                (s, (s + 1 + self.rng.below((to - s).max(1) as u64) as i64).min(now))
            }
            3 if lives.iter().any(|p| p.stopped_at != 0) => {
                let stopped: Vec<i64> = lives.iter().filter(|p| p.stopped_at != 0).map(|p| p.stopped_at).collect();
                let t = self.rng.pick(&stopped);
                (t - self.rng.pick(&[1, 60, DAY]), (t + self.rng.pick(&[0, 1, 60, DAY])).min(now))
            }
            4 if self.last_batch.is_some() => {
                let (s, e, entries) = self.last_batch.clone().expect("checked");
                self.reward_batch(s, e, entries);
                return;
            }
            _ => {
                let s = now - self.rng.below(30 * DAY as u64) as i64;
                (s, (s + 1 + self.rng.below(3 * DAY as u64) as i64).min(now))
            }
        };
        let entries = devices.into_iter().map(|d| (d, if self.rng.one_in(15) { 0 } else { self.rng.amount(400) })).collect();
        self.reward_batch(start, end, entries);
    }

    /// R40: a slash of a device whose incident lies at an edge: exactly 30 days back (refused),
    /// a second later, at the hold's start, just after it, at a fill, a wait's end, an unstake.
    fn op_slash(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.live) else { return };
        let now = self.now();
        let d = self.dev(&device).clone();
        let mut incidents = vec![now, now - WINDOW, now - WINDOW + 1, now - self.rng.below(WINDOW as u64) as i64];
        if let Some(&(start, _)) = d.holds.last() {
            incidents.extend([start, start + 1, start - 1]);
        }
        for p in d.positions.values() {
            incidents.extend([p.filled_at, p.filled_at - 1, p.wait_end - 1, p.wait_end]);
        }
        if let Some(t) = d.ticket {
            incidents.extend([t.unstaked_at - 1, t.unstaked_at, t.unstaked_at + 1]);
        }
        let incident = self.rng.pick(&incidents).clamp(1, now);
        let principal = d.owner_stake + d.ticket.map_or(0, |t| t.amount) + d.positions.values().map(|p| p.principal).sum::<u64>();
        let amount = match self.rng.below(4) {
            0 => principal.max(1),
            1 => u64::MAX / 4,
            _ => self.rng.amount(3_000),
        };
        self.slash(device, amount, incident);
    }

    /// The oracle renews a hired mark up to 30 days ahead (one second more is refused), clears
    /// it, attests hardware, or (rarely) terminates.
    fn op_oracle(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.live) else { return };
        let now = self.now();
        let signer = self.role_signer(ORACLE);
        let ix = match self.rng.below(20) {
            0 => ix::terminate(signer, device),
            1..=4 => {
                let (gpus, multiplier) = self.rng.pick(&[(1, 10_000), (2, 15_000), (4, 10_000), (8, 25_000)]);
                ix::update_hardware(signer, device, gpus, multiplier)
            }
            _ => {
                let any = now + 1 + self.rng.below(MAX_HIRED as u64) as i64;
                let until = self.rng.pick(&[now + MAX_HIRED, now + MAX_HIRED + 1, 0, now + DAY, any]);
                ix::set_hired(signer, device, until)
            }
        };
        let _ = self.send("oracle", &[ix], &[signer], Ctx::default(), Expect::Role(ORACLE, signer));
    }

    /// G3: the admin proposes a loosening (or tightening) parameter set; stakers start leaving.
    fn op_params(&mut self) {
        let p = self.schedule.at(self.now());
        let choices = [
            ("the cooldown down to its floor", Params { cooldown_secs: FLOORS.cooldown_secs, ..p }),
            ("the cover window down to its floor", Params { cover_window_secs: FLOORS.cover_window_secs, ..p }),
            ("the role delay down to its floor", Params { role_change_delay_secs: FLOORS.role_change_delay_secs, ..p }),
            ("a slash cap of 100%", Params { max_slash_bps_per_30d: 10_000, ..p }),
            ("the longest hold up to 7 days", Params { max_hold_secs: 7 * DAY, ..p }),
            ("the longest hold down to 1 second", Params { max_hold_secs: 1, ..p }),
            (
                "every protection at its floor",
                Params {
                    cooldown_secs: FLOORS.cooldown_secs,
                    cover_window_secs: FLOORS.cover_window_secs,
                    role_change_delay_secs: FLOORS.role_change_delay_secs,
                    max_slash_bps_per_30d: 10_000,
                    max_hold_secs: 7 * DAY,
                    ..p
                },
            ),
            ("longer waits", Params { cooldown_secs: 30 * DAY, cover_window_secs: 14 * DAY, ..p }),
            ("a higher base stake", Params { base_stake_per_gpu: p.base_stake_per_gpu * 3 / 2, ..p }),
            ("a lower base stake", Params { base_stake_per_gpu: (p.base_stake_per_gpu * 2 / 3).max(1), ..p }),
            ("a cooldown below its floor", Params { cooldown_secs: FLOORS.cooldown_secs - 1, ..p }),
            ("the initial parameters", initial_params()),
        ];
        let (what, params) = self.rng.pick(&choices);
        let signer = self.role_signer(ADMIN);
        let result = self.send(
            "update_params",
            &[ix::update_params(signer, params)],
            &[signer],
            Ctx::default(),
            Expect::Role(ADMIN, signer),
        );
        if let Ok(events) = result {
            let at = events.iter().find_map(|e| match e {
                Ev::ParamsProposed(p) => Some(p.effective_at),
                _ => None,
            });
            if let Some(at) = at {
                self.leave_at_announcement(what, at);
            }
        }
    }

    /// R34: the admin cancels the pending parameters, or lowers the slash cap at once.
    fn op_params_other(&mut self) {
        let signer = self.role_signer(ADMIN);
        let cap = self.schedule.at(self.now()).max_slash_bps_per_30d;
        let ix = if self.rng.one_in(2) {
            ix::cancel_params(signer)
        } else {
            ix::lower_slash_cap(signer, self.rng.pick(&[0, cap / 2, cap.saturating_sub(1), cap]))
        };
        let _ = self.send("params_other", &[ix], &[signer], Ctx::default(), Expect::Role(ADMIN, signer));
    }

    /// G3, R31, R34: the admin proposes a key for a role (and stakers start leaving), the
    /// proposed key accepts, the admin cancels, or revokes the oracle, the reward or the slash
    /// authority at once; a role left empty is granted again.
    fn op_role(&mut self) {
        let signer = self.role_signer(ADMIN);
        let empty: Vec<usize> = [ORACLE, REWARD, SLASH]
            .into_iter()
            .filter(|&r| self.holder(r).is_none() && self.roles[r].effective_at == 0)
            .collect();
        let pending: Vec<usize> = (0..5).filter(|&r| self.roles[r].effective_at != 0).collect();
        let choice = self.rng.below(20);
        let pending_unaccepted = pending.iter().any(|&r| !self.roles[r].accepted);
        let choice = if pending_unaccepted && choice < 10 { 10 } else { choice };
        if (choice < 8 || !empty.is_empty()) && !(choice >= 10 && pending_unaccepted) {
            let role = if empty.is_empty() { self.rng.below(5) as usize } else { self.rng.pick(&empty) };
            let key = self.rng.pick(&self.role_keys[role].clone());
            let result = self.send(
                "propose_role",
                &[ix::propose_role(signer, ROLES[role], key)],
                &[signer],
                Ctx::default(),
                Expect::Role(ADMIN, signer),
            );
            if let Ok(events) = result {
                let at = events.iter().find_map(|e| match e {
                    Ev::RoleChanged(c) if c.action == PROPOSED => Some(c.effective_at),
                    _ => None,
                });
                if let Some(at) = at {
                    self.leave_at_announcement("a role grant", at);
                }
            }
        } else if choice < 18 && !pending.is_empty() {
            let role = self.rng.pick(&pending);
            let key = self.roles[role].pending;
            let expect = if self.roles[role].accepted { Expect::Any } else { Expect::Ok("R31: the proposed key accepts") };
            let _ = self.send("accept_role", &[ix::accept_role(key, ROLES[role])], &[key], Ctx::default(), expect);
        } else if choice == 18 && !pending.is_empty() {
            let role = self.rng.pick(&pending);
            let _ = self.send(
                "cancel_role",
                &[ix::cancel_role(signer, ROLES[role])],
                &[signer],
                Ctx::default(),
                Expect::Role(ADMIN, signer),
            );
        } else {
            let role = self.rng.pick(&[ORACLE, REWARD, SLASH, ORACLE, REWARD, SLASH, ADMIN, TREASURY]);
            let _ = self.send(
                "revoke_role",
                &[ix::revoke_role(signer, ROLES[role])],
                &[signer],
                Ctx::default(),
                Expect::Role(ADMIN, signer),
            );
        }
    }

    /// R32: the admin pauses or resumes (mostly resumes when paused).
    fn op_pause(&mut self) {
        let signer = self.role_signer(ADMIN);
        let paused = if self.paused { self.rng.one_in(4) } else { self.rng.one_in(3) };
        let _ =
            self.send("set_paused", &[ix::set_paused(signer, paused)], &[signer], Ctx::default(), Expect::Role(ADMIN, signer));
    }

    /// R52: the admin tries to sweep a device's vaults: nobody donated, so there is no surplus.
    fn op_sweep(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.live) else { return };
        let signer = self.role_signer(ADMIN);
        let ix = ix::sweep_surplus(signer, device, self.treasury_token(), &self.mint);
        let _ = self.send("sweep_surplus", &[ix], &[signer], Ctx::default(), Expect::Role(ADMIN, signer));
    }

    // ---- owners ----

    /// A live device where `fits` holds, else any live device, else none.
    fn pick_device(&mut self, fits: impl Fn(&Run, &DeviceRec) -> bool) -> Option<Pubkey> {
        let live: Vec<Pubkey> = self.devices.iter().filter(|(_, d)| d.live).map(|(k, _)| *k).collect();
        let fitting: Vec<Pubkey> = live.iter().copied().filter(|k| fits(self, &self.devices[k])).collect();
        if !fitting.is_empty() && !self.rng.one_in(8) {
            Some(self.rng.pick(&fitting))
        } else if !live.is_empty() {
            Some(self.rng.pick(&live))
        } else {
            None
        }
    }

    /// R1: the minimum of `d` under the base in force.
    fn minimum(&self, d: &DeviceRec) -> u64 {
        let base = self.schedule.at(self.now()).base_stake_per_gpu as u128;
        (d.gpu_count as u128 * base * (d.multiplier_bps as u128).max(BPS)).div_ceil(BPS) as u64
    }

    /// R3: an owner registers a new device, or revives a closed one, with the oracle's signature.
    fn op_register(&mut self) {
        let Some(oracle) = self.holder(ORACLE) else { return };
        let closed: Vec<[u8; 32]> = self.devices.values().filter(|d| !d.live).map(|d| d.id).collect();
        let id = if !closed.is_empty() && self.rng.one_in(3) {
            self.rng.pick(&closed)
        } else {
            self.next_id += 1;
            let mut id = [0x47; 32];
            id[..8].copy_from_slice(&self.next_id.to_le_bytes());
            id
        };
        let owner = self.rng.pick(&self.owners.clone());
        let (gpus, multiplier) = self.rng.pick(&[(1, 10_000), (2, 15_000), (4, 10_000), (8, 25_000)]);
        let ix = ix::register_device(owner, oracle, id, gpus, multiplier, &self.mint);
        let _ = self.send("register_device", &[ix], &[owner, oracle], Ctx::default(), Expect::Role(ORACLE, oracle));
    }

    /// R6: the owner stakes (often exactly what the device lacks).
    fn op_stake(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.ticket.is_none() && d.terminated_at == 0) else { return };
        let d = self.dev(&device).clone();
        let lack = self.minimum(&d).saturating_sub(d.owner_stake);
        let amount = if lack > 0 && self.rng.one_in(2) { lack } else { self.rng.amount(3_000) };
        let source = self.ata[&d.owner];
        let ix = ix::stake(d.owner, device, source, amount, &self.mint);
        let _ = self.send("stake", &[ix], &[d.owner], Ctx { user: Some(source), ..Ctx::default() }, Expect::Any);
    }

    /// R9, R10: the owner opens an offer the rules allow (mostly), or retracts the open one.
    fn op_offer(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.ticket.is_none() && d.terminated_at == 0 && d.filled().is_none()) else {
            return;
        };
        let d = self.dev(&device).clone();
        if let Some(offer) = d.open_offer {
            if self.rng.one_in(3) {
                let _ = self.send(
                    "retract_offer",
                    &[ix::retract_offer(d.owner, device, offer.seq, offer.payer)],
                    &[d.owner],
                    Ctx::default(),
                    Expect::Ok("R10"),
                );
            }
            return;
        }
        let lack = self.minimum(&d).saturating_sub(d.owner_stake);
        if lack > 0 && !self.paused {
            let source = self.ata[&d.owner];
            let ix = ix::stake(d.owner, device, source, lack + self.rng.below(3) * self.minimum(&d) / 4, &self.mint);
            let _ = self.send("stake", &[ix], &[d.owner], Ctx { user: Some(source), ..Ctx::default() }, Expect::Any);
        }
        let d = self.dev(&device).clone();
        let p = self.schedule.at(self.now());
        let min = self.minimum(&d) as u128;
        let smallest = (min * p.min_offer_bps as u128).div_ceil(BPS);
        let cap = d.owner_stake as u128 * p.max_costake_bps as u128 / (BPS - p.max_costake_bps as u128);
        let low = smallest.max(min.saturating_sub(d.owner_stake as u128)).max(1);
        let amount =
            if low <= cap { low + self.rng.below((cap - low + 1).min(u64::MAX as u128) as u64) as u128 } else { low } as u64;
        let share = self.rng.pick(&[1, 2_500, 5_000, 7_400, 9_999, p.max_reward_share_bps.max(1)]);
        let ix = ix::create_offer(d.owner, device, d.next_offer_seq, amount, share);
        let _ = self.send("create_offer", &[ix], &[d.owner], Ctx::default(), Expect::Any);
    }

    /// R12: the owner withdraws overflow: exactly the credited rewards (G4: always paid), or
    /// more (principal above the minimum, refused while held or beyond it).
    fn op_overflow(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.owner_unclaimed > 0) else { return };
        let d = self.dev(&device).clone();
        let via = if self.rng.one_in(2) { Via::Own } else { Via::Second };
        let (_, destination) = self.route(d.owner, via);
        let (amount, expect) = match self.rng.below(3) {
            0 if d.owner_unclaimed > 0 => (d.owner_unclaimed, Expect::Ok("G4: credited rewards are claimable at any time")),
            1 => (d.owner_unclaimed + self.rng.amount(2_000), Expect::Any),
            _ => (self.rng.amount(500).max(1), Expect::Any),
        };
        let ix = ix::withdraw_overflow(d.owner, device, destination, amount, &self.mint);
        let expect =
            if amount <= d.owner_unclaimed { Expect::Ok("G4: credited rewards are claimable at any time") } else { expect };
        let _ =
            self.send("withdraw_overflow", &[ix], &[d.owner], Ctx { user: Some(destination), amount, ..Ctx::default() }, expect);
    }

    /// R15, G2: the owner unstakes (retracting an open offer first now and then); it must
    /// succeed when the device is not hired and nothing else stands in the way.
    fn op_unstake(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.owner_stake > 0 && d.ticket.is_none()) else { return };
        let d = self.dev(&device).clone();
        if let Some(offer) = d.open_offer.filter(|_| self.rng.one_in(2)) {
            let _ = self.send(
                "retract_offer",
                &[ix::retract_offer(d.owner, device, offer.seq, offer.payer)],
                &[d.owner],
                Ctx::default(),
                Expect::Ok("R10"),
            );
        }
        let d = self.dev(&device).clone();
        let must = d.owner_stake > 0 && d.ticket.is_none() && d.open_offer.is_none() && !self.hired(&d);
        self.unstake(device, must);
    }

    /// R19: the owner proposes another owner wallet, the proposed wallet accepts, or the owner cancels.
    fn op_transfer(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.ticket.is_none() && d.open_offer.is_none()) else { return };
        let d = self.dev(&device).clone();
        let now = self.now();
        match d.pending_owner {
            Some((new_owner, expires)) if now < expires && !self.rng.one_in(4) => {
                let _ = self.send(
                    "accept_device",
                    &[ix::accept_device(new_owner, device)],
                    &[new_owner],
                    Ctx::default(),
                    Expect::Any,
                );
            }
            Some(_) if self.rng.one_in(2) => {
                let _ = self.send(
                    "cancel_transfer",
                    &[ix::cancel_transfer(d.owner, device)],
                    &[d.owner],
                    Ctx::default(),
                    Expect::Any,
                );
            }
            _ => {
                let others: Vec<Pubkey> = self.owners.iter().copied().filter(|o| *o != d.owner).collect();
                let new_owner = self.rng.pick(&others);
                let _ = self.send(
                    "transfer_device",
                    &[ix::transfer_device(d.owner, device, new_owner)],
                    &[d.owner],
                    Ctx::default(),
                    Expect::Any,
                );
            }
        }
    }

    /// R8: an empty device closes (it must: nothing is owed); or a closed one is revived.
    fn op_close(&mut self) {
        let empty = |_: &Run, d: &DeviceRec| {
            d.owner_stake == 0 && d.owner_unclaimed == 0 && d.positions.is_empty() && d.ticket.is_none() && d.open_offer.is_none()
        };
        let Some(device) = self.pick_device(empty) else { return };
        let d = self.dev(&device).clone();
        if self.holder(TREASURY).is_none() {
            return;
        }
        let expect = if empty(self, &d) { Expect::Ok("R8: an empty device closes") } else { Expect::Any };
        let ix = ix::close_device(d.owner, device, self.treasury_token(), d.payer, &self.mint);
        let _ = self.send("close_device", &[ix], &[d.owner], Ctx::default(), expect);
    }

    // ---- co-stakers ----

    /// R11: a co-staker fills the open offer on its terms (now and then on other terms).
    fn op_fill(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.open_offer.is_some()) else { return };
        let Some(offer) = self.dev(&device).open_offer else { return };
        let costaker = self.rng.pick(&self.costakers.clone());
        let amount = if self.rng.one_in(12) { offer.amount + 1 } else { offer.amount };
        let source = self.ata[&costaker];
        let ix = ix::fill_offer(costaker, device, offer.seq, amount, offer.share, source, &self.mint);
        let _ = self.send("fill_offer", &[ix], &[costaker], Ctx { user: Some(source), ..Ctx::default() }, Expect::Any);
    }

    /// R13: the co-staker of a filled position cancels (always allowed).
    fn op_cancel(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.filled().is_some()) else { return };
        let Some(p) = self.dev(&device).filled().cloned() else { return };
        self.cancel(device, p.seq, p.costaker);
    }

    /// G4: a co-staker claims a position's credited rewards (always paid in full).
    fn op_claim(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.positions.values().any(|p| p.unclaimed > 0)) else { return };
        let credited: Vec<PosRec> = self.dev(&device).positions.values().filter(|p| p.unclaimed > 0).cloned().collect();
        let Some(p) = credited.first().cloned() else { return };
        let via = if self.rng.one_in(2) { Via::Own } else { Via::Second };
        let (_, destination) = self.route(p.costaker, via);
        let ix = ix::claim_rewards(p.costaker, device, p.seq, destination, &self.mint);
        let ctx = Ctx { user: Some(destination), ..Ctx::default() };
        let _ =
            self.send("claim_rewards", &[ix], &[p.costaker], ctx, Expect::Ok("G4: credited rewards are claimable at any time"));
    }

    /// G2, R16: a stopped position is withdrawn (by its co-staker to an account of their choice,
    /// or by anyone), or released into its escrow by anyone; an escrow is emptied by its co-staker.
    fn op_exit(&mut self) {
        let escrows: Vec<(Pubkey, PosRec)> = self
            .devices
            .iter()
            .flat_map(|(k, d)| d.departed.values().filter(|p| p.escrow.is_some()).map(move |p| (*k, p.clone())))
            .collect();
        if !escrows.is_empty() && self.rng.one_in(3) {
            let (device, p) = self.rng.pick(&escrows);
            let (_, escrow_payer) = p.escrow.expect("an escrow");
            let via = if self.rng.one_in(2) { Via::Own } else { Via::Second };
            let (_, destination) = self.route(p.costaker, via);
            let ix = ix::withdraw_escrow(p.costaker, device, p.seq, destination, p.payer, escrow_payer, &self.mint);
            let ctx = Ctx { user: Some(destination), ..Ctx::default() };
            let _ = self.send(
                "withdraw_escrow",
                &[ix],
                &[p.costaker],
                ctx,
                Expect::Ok("R16: a released position's escrow pays its co-staker"),
            );
            return;
        }
        let Some(device) = self.pick_device(|_, d| d.positions.values().any(|p| p.stopped_at != 0)) else { return };
        let stopped: Vec<PosRec> = self.dev(&device).positions.values().filter(|p| p.stopped_at != 0).cloned().collect();
        if stopped.is_empty() {
            return;
        }
        let p = self.rng.pick(&stopped);
        if self.rng.one_in(4) {
            let caller = self.rng.pick(&[self.anyone, p.costaker, self.dev(&device).owner]);
            let ripe = self.now() >= p.ripe_at;
            let result =
                self.send("release", &[ix::release(caller, device, p.seq, &self.mint)], &[caller], Ctx::default(), Expect::Any);
            match (ripe, result) {
                (true, Err(name)) => self.fail(format!("G2/R16: ripe position {} could not be released: {name}", p.seq)),
                (false, Ok(_)) => self.fail(format!("R16: position {} released before its ripe time {}", p.seq, p.ripe_at)),
                (false, Err(name)) => ensure!(self, name == "StillLocked", "R16: release refused with {name}"),
                (true, Ok(_)) => {}
            }
        } else {
            let via = self.via();
            self.try_position_exit(device, p.seq, via, false);
        }
    }

    /// G2: the owner's ticket is withdrawn (by the owner or anyone), whatever its state.
    fn op_ticket(&mut self) {
        let Some(device) = self.pick_device(|_, d| d.ticket.is_some()) else { return };
        if self.dev(&device).ticket.is_none() {
            return;
        }
        let via = self.via();
        self.try_ticket_exit(device, via, false);
    }

    /// R18: a co-staker closes their profile (refused while it counts positions).
    fn op_close_profile(&mut self) {
        let costaker = self.rng.pick(&self.costakers.clone());
        if self.env.svm.get_account(&pda::costaker(&costaker).0).is_none() {
            return;
        }
        let _ = self.send("close_profile", &[ix::close_profile(costaker, costaker)], &[costaker], Ctx::default(), Expect::Any);
    }

    /// G4: credited rewards of a position and of an owner are claimable now (simulated).
    fn op_probe_rewards(&mut self) {
        let credited: Vec<(Pubkey, u64)> = self
            .devices
            .iter()
            .flat_map(|(k, d)| d.positions.values().filter(|p| p.unclaimed > 0).map(move |p| (*k, p.seq)))
            .collect();
        if !credited.is_empty() {
            let (device, seq) = self.rng.pick(&credited);
            self.probe_claim(device, seq);
        }
        let owners: Vec<Pubkey> = self.devices.iter().filter(|(_, d)| d.owner_unclaimed > 0 && d.live).map(|(k, _)| *k).collect();
        if !owners.is_empty() {
            let device = self.rng.pick(&owners);
            self.probe_owner_rewards(device);
        }
    }

    /// The Clock moves: to the next task's time, or a second, minutes, a day or a week on.
    fn op_warp(&mut self) {
        let now = self.now();
        let next = self.tasks.keys().next().map(|k| k.0);
        let target = match (self.rng.below(5), next) {
            (0 | 1, Some(at)) => at.max(now + 1),
            (2, _) => now + 1 + self.rng.below(3_600) as i64,
            (3, _) => now + DAY + self.rng.below(DAY as u64) as i64,
            _ => now + 1 + self.rng.below(7 * DAY as u64) as i64,
        };
        self.warp_to(target);
    }

    /// An owner winds a device down, one step per call: retract the offer, the co-staker
    /// cancels, the owner unstakes (when not hired), ripe exits are withdrawn, the owner's
    /// rewards taken, and the empty device closes.
    fn wind_down(&mut self, device: Pubkey) {
        let d = self.dev(&device).clone();
        if let Some(offer) = d.open_offer {
            let _ = self.send(
                "retract_offer",
                &[ix::retract_offer(d.owner, device, offer.seq, offer.payer)],
                &[d.owner],
                Ctx::default(),
                Expect::Ok("R10"),
            );
        }
        if let Some(p) = d.filled().cloned() {
            self.cancel(device, p.seq, p.costaker);
        }
        let d = self.dev(&device).clone();
        if d.owner_stake > 0 && d.ticket.is_none() && !self.hired(&d) {
            self.unstake(device, true);
        }
        if self.dev(&device).ticket.is_some() && self.ticket_expectation(&device).is_ok() {
            self.try_ticket_exit(device, Via::Own, false);
        }
        let now = self.now();
        let ripe: Vec<u64> =
            self.dev(&device).positions.values().filter(|p| p.stopped_at != 0 && p.ripe_at <= now).map(|p| p.seq).collect();
        for seq in ripe {
            let via = self.via();
            self.try_position_exit(device, seq, via, false);
        }
        let d = self.dev(&device).clone();
        if d.owner_unclaimed > 0 {
            let destination = self.ata[&d.owner];
            let ix = ix::withdraw_overflow(d.owner, device, destination, d.owner_unclaimed, &self.mint);
            let ctx = Ctx { user: Some(destination), amount: d.owner_unclaimed, ..Ctx::default() };
            let _ = self.send(
                "withdraw_overflow",
                &[ix],
                &[d.owner],
                ctx,
                Expect::Ok("G4: credited rewards are claimable at any time"),
            );
        }
        let d = self.dev(&device).clone();
        if d.owner_stake == 0
            && d.positions.is_empty()
            && d.ticket.is_none()
            && d.open_offer.is_none()
            && self.holder(TREASURY).is_some()
        {
            let ix = ix::close_device(d.owner, device, self.treasury_token(), d.payer, &self.mint);
            let _ = self.send(
                "close_device",
                &[ix],
                &[d.owner],
                Ctx::default(),
                Expect::Ok("R8: a device whose stakers all left closes"),
            );
        }
    }

    /// G1 for the stakers of a device: each was paid exactly their deposits plus the rewards
    /// credited to them minus the slashes recorded against them.
    fn check_books(&mut self, device: Option<Pubkey>) {
        let done: Vec<(Staker, Book)> = self
            .books
            .iter()
            .filter(|(staker, _)| match (device, staker) {
                (None, _) => true,
                (Some(d), Staker::Owner(k)) | (Some(d), Staker::Position(k, _)) => d == *k,
            })
            .map(|(s, b)| (*s, *b))
            .collect();
        for (staker, book) in done {
            let owed = book.deposited + book.credited - book.slashed;
            ensure!(
                self,
                book.paid == owed,
                "G1: {staker:?} was paid {} for deposits {} + credited {} - slashed {} = {owed}",
                book.paid,
                book.deposited,
                book.credited,
                book.slashed
            );
            self.checked("G1 stakers whose withdrawals add up after they all left");
        }
    }

    /// Keeps a long run's steps as cheap as its first: devices beyond a few that are closed and
    /// owe nothing (no escrow left) are checked (G1 for each of their stakers) and forgotten.
    fn retire(&mut self) {
        let closed: Vec<Pubkey> = self
            .devices
            .iter()
            .filter(|(_, d)| !d.live && d.departed.values().all(|p| p.escrow.is_none()))
            .map(|(k, _)| *k)
            .collect();
        for device in closed.iter().skip(4).copied().collect::<Vec<_>>() {
            self.check_books(Some(device));
            self.books.retain(|staker, _| !matches!(staker, Staker::Owner(k) | Staker::Position(k, _) if *k == device));
            let d = self.devices.remove(&device).expect("listed");
            let mut gone = vec![pda::stake_vault(&device).0, pda::overflow_vault(&device).0];
            gone.extend(d.departed.keys().map(|seq| pda::escrow(&pda::offer(&device, *seq).0).0));
            for account in gone {
                ensure!(
                    self,
                    self.balances.get(&account).is_none_or(|b| *b == 0),
                    "G1: a closed device's account still holds tokens"
                );
                self.balances.remove(&account);
                self.names.remove(&account);
            }
        }
    }

    /// Keeps the run going: tokens for wallets that ran low, a device when few are left.
    fn renew(&mut self) {
        let wallets: Vec<(Pubkey, u64)> = self
            .owners
            .iter()
            .map(|o| (*o, OWNER_TOKENS))
            .chain(self.costakers.iter().map(|c| (*c, COSTAKER_TOKENS)))
            .chain(self.role_keys[REWARD].iter().map(|r| (*r, REWARD_TOKENS)))
            .collect();
        for (wallet, start) in wallets {
            let ata = self.ata[&wallet];
            if self.balances[&ata] < start / 5 {
                self.env.mint_to(&self.mint.mint, &ata, start / 2);
                *self.balances.get_mut(&ata).expect("tracked") += start / 2;
            }
        }
        let live = self.devices.values().filter(|d| d.live && d.terminated_at == 0).count();
        if live < LIVE_DEVICES && !self.paused && self.rng.one_in(2) {
            self.doing = "register_device".into();
            self.op_register();
        }
        let open: Vec<Pubkey> = self.devices.iter().filter(|(_, d)| d.live).map(|(k, _)| *k).collect();
        if open.len() > 2 * LIVE_DEVICES && self.rng.one_in(3) {
            // the oldest terminated device, else any, winds down
            let device =
                open.iter().copied().find(|k| self.devices[k].terminated_at != 0).unwrap_or_else(|| self.rng.pick(&open));
            self.doing = format!("winding {device} down");
            self.wind_down(device);
        }
        self.retire();
    }

    /// One random operation, then the claim probes of the rewards it credited.
    fn step_once(&mut self) {
        self.renew();
        let roll = if self.paused && self.rng.one_in(15) { 70 } else { self.rng.below(100) };
        self.doing = format!("operation {roll}");
        match roll {
            0..=5 => self.op_stake(),
            6..=13 => self.op_offer(),
            14..=22 => self.op_fill(),
            23..=25 => self.op_cancel(),
            26..=27 => self.op_probe_rewards(),
            28..=30 => self.op_claim(),
            31..=34 => self.op_overflow(),
            35..=37 => self.op_unstake(),
            38..=40 => self.op_ticket(),
            41..=45 => self.op_exit(),
            46..=55 => self.op_rewards(),
            56..=59 => self.op_slash(),
            60..=62 => {
                if let Some(device) = self.pick_device(|_, d| d.live) {
                    self.op_hold_on(device);
                }
            }
            63..=66 => self.op_oracle(),
            67..=68 => self.op_params(),
            69 => self.op_params_other(),
            70 => self.op_pause(),
            71..=73 => self.op_role(),
            74 => self.op_transfer(),
            75 if self.rng.one_in(3) => self.op_close(),
            75 => self.op_close_profile(),
            76 if self.rng.one_in(3) => self.op_sweep(),
            76 => self.op_register(),
            77..=80 => self.op_probe_rewards(),
            _ => self.op_warp(),
        }
        for (device, seq) in std::mem::take(&mut self.pending_claims) {
            self.probe_claim(device, seq);
        }
    }

    /// The end: the admin revokes the oracle (hired marks stop counting) and the slash
    /// authority (holds end); every co-staker cancels, every owner unstakes, the Clock passes
    /// every unlock, everyone withdraws everything and every device closes. Then G1: each
    /// staker was paid exactly their deposits plus the rewards credited to them minus the
    /// slashes recorded against them, and no token is left in a vault or an escrow.
    fn drain(&mut self) {
        self.doing = "the final exits".into();
        let admin = self.holder(ADMIN).expect("an admin");
        for role in [ORACLE, SLASH] {
            if self.holder(role).is_some() || self.roles[role].effective_at != 0 {
                let _ = self.send(
                    "revoke_role",
                    &[ix::revoke_role(admin, ROLES[role])],
                    &[admin],
                    Ctx::default(),
                    Expect::Ok("R34: revocations are immediate"),
                );
            }
        }
        let devices: Vec<Pubkey> = self.devices.keys().copied().collect();
        for &device in &devices {
            let d = self.dev(&device).clone();
            if !d.live {
                continue;
            }
            if let Some(offer) = d.open_offer {
                let _ = self.send(
                    "retract_offer",
                    &[ix::retract_offer(d.owner, device, offer.seq, offer.payer)],
                    &[d.owner],
                    Ctx::default(),
                    Expect::Ok("R10"),
                );
            }
            if let Some(p) = d.filled().cloned() {
                self.cancel(device, p.seq, p.costaker);
            }
            if d.owner_stake > 0 && d.ticket.is_none() {
                self.unstake(device, true);
            }
        }
        let end = self.now() + 45 * DAY;
        self.warp_to(end);
        for &device in &devices {
            if self.dev(&device).ticket.is_some() {
                self.try_ticket_exit(device, Via::Own, false);
            }
            let seqs: Vec<u64> = self.dev(&device).positions.keys().copied().collect();
            for seq in seqs {
                let via = self.via();
                self.try_position_exit(device, seq, via, false);
            }
            let escrows: Vec<PosRec> = self.dev(&device).departed.values().filter(|p| p.escrow.is_some()).cloned().collect();
            for p in escrows {
                let (_, escrow_payer) = p.escrow.expect("an escrow");
                let destination = self.ata[&p.costaker];
                let ix = ix::withdraw_escrow(p.costaker, device, p.seq, destination, p.payer, escrow_payer, &self.mint);
                let _ = self.send(
                    "withdraw_escrow",
                    &[ix],
                    &[p.costaker],
                    Ctx { user: Some(destination), ..Ctx::default() },
                    Expect::Ok("R16"),
                );
            }
            let d = self.dev(&device).clone();
            if d.owner_unclaimed > 0 {
                let destination = self.ata[&d.owner];
                let ix = ix::withdraw_overflow(d.owner, device, destination, d.owner_unclaimed, &self.mint);
                let ctx = Ctx { user: Some(destination), amount: d.owner_unclaimed, ..Ctx::default() };
                let _ = self.send(
                    "withdraw_overflow",
                    &[ix],
                    &[d.owner],
                    ctx,
                    Expect::Ok("G4: credited rewards are claimable at any time"),
                );
            }
            let d = self.dev(&device).clone();
            if d.live && d.open_offer.is_none() {
                let ix = ix::close_device(d.owner, device, self.treasury_token(), d.payer, &self.mint);
                let _ = self.send(
                    "close_device",
                    &[ix],
                    &[d.owner],
                    Ctx::default(),
                    Expect::Ok("R8: a device whose stakers all left closes"),
                );
            }
        }
        self.check_books(None);
        for (account, balance) in &self.balances {
            let name = &self.names[account];
            if name.starts_with("stake vault") || name.starts_with("overflow vault") || name.starts_with("escrow") {
                ensure!(self, *balance == 0, "G1: {name} still holds {balance} after every staker left");
            }
        }
    }
}

/// Runs the guarantees on `binary`: `GUARANTEE_OPS` operations from `GUARANTEE_SEED`, then
/// everyone's exit; prints what was done and checked.
fn run_guarantees(binary: Binary) {
    if std::env::var("GUARANTEE_BINARY").is_ok_and(|b| b != binary.label()) {
        println!("guarantees {}: skipped (GUARANTEE_BINARY)", binary.label());
        return;
    }
    let long = env_number("GUARANTEE_OPS");
    let ops = long.unwrap_or(DEFAULT_OPS);
    let seed = env_number("GUARANTEE_SEED").unwrap_or_else(|| match long {
        Some(_) => {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(DEFAULT_SEED, |d| d.as_nanos() as u64)
        }
        None => DEFAULT_SEED,
    });
    println!("guarantees {}: GUARANTEE_SEED={seed:#x} GUARANTEE_OPS={ops}", binary.label());
    let progress = env_number("GUARANTEE_PROGRESS").filter(|s| *s > 0).map(std::time::Duration::from_secs);
    let started = Instant::now();
    let mut last = started;
    let mut run = Run::new(binary, seed);
    let start_clock = run.now();
    for step in 0..ops as usize {
        run.step = step;
        run.step_once();
        if let Some(every) = progress {
            if last.elapsed() >= every {
                last = Instant::now();
                eprintln!(
                    "progress {}: {step} operations, {} transactions in {:.0?}",
                    binary.label(),
                    run.transactions,
                    started.elapsed()
                );
            }
        }
    }
    run.step = ops as usize;
    run.drain();
    let days = (run.now() - start_clock) / DAY;
    println!(
        "guarantees {}: {ops} operations, {} transactions and simulations, {days} days of Clock, {} devices, {} stakers, in {:.2?}",
        binary.label(),
        run.transactions,
        run.devices.len(),
        run.books.len(),
        started.elapsed()
    );
    for (what, count) in &run.checks {
        println!("  checked {count:6} {what}");
    }
    for (outcome, count) in &run.outcomes {
        println!("  {count:6} {outcome}");
    }
    let guarantees: BTreeSet<&str> = run.checks.keys().filter_map(|k| k.split(' ').next()).collect();
    assert_eq!(guarantees.into_iter().collect::<Vec<_>>(), ["G1", "G2", "G3", "G4"], "every guarantee was checked");
}

/// G1 G2 G3 G4 on the v3 binary: random owners, co-stakers and adversarial roles (R13-R16,
/// R20, R21, R31-R34, R40, R41), checked from balances, events and the Clock.
#[test]
fn g1_g2_g3_g4_hold_against_adversarial_roles_v3() {
    run_guarantees(Binary::V3);
}

/// G1 G2 G3 G4 on the v0 binary: the same sequences as on v3 (R13-R16, R20, R21, R31-R34,
/// R40, R41), checked from balances, events and the Clock.
#[test]
fn g1_g2_g3_g4_hold_against_adversarial_roles_v0() {
    run_guarantees(Binary::V0);
}

/// G4 (R16, R20, R21): five positions of one device are filled, cancelled and withdrawn while
/// the reward authority pays nothing; a late block for each one's time then pays neither its
/// co-staker (withdrawn) nor the owner its part: the part stays with the reward authority (the
/// device remembers four departed positions; the blocks the first one earned are skipped).
#[test]
fn g4_a_late_block_never_hands_a_withdrawn_positions_part_to_the_owner() {
    for_each_world_with(short_params(), |w| {
        let device = w.staked_device();
        let mut lives = vec![];
        for i in 0..5 {
            let seq = w.offer_ok(device, HALF, SHARE);
            let costaker = w.costaker(i % 3);
            w.ok(|w| w.fill(&costaker, device, seq));
            let filled_at = w.now();
            w.advance(10);
            w.ok(|w| w.cancel(&costaker, device, seq));
            lives.push((seq, filled_at, w.now()));
            w.advance(1);
        }
        w.advance(400);
        for &(seq, _, _) in &lives {
            w.ok(|w| w.withdraw_position(device, seq));
        }
        let source = w.reward_source;
        for (i, &(seq, filled_at, stopped_at)) in lives.iter().enumerate() {
            let before = w.token_balance(&source);
            let ok = w.ok(|w| w.reward(i as u64 + 1, filled_at, stopped_at, &[(device, 1_000)]));
            let paid: Vec<RewardPaid> = events(&ok);
            let skipped: Vec<RewardSkipped> = events(&ok);
            let part = 1_000 * SHARE as u64 / 10_000;
            let reported = paid
                .iter()
                .map(|e| (e.position_seq, e.position_left, e.position_part, e.owner_part, e.transferred))
                .collect::<Vec<_>>();
            if i == 0 {
                assert!(
                    paid.is_empty() && skipped.iter().map(|e| e.reason).eq([1]),
                    "the first one's block is skipped: {reported:?}"
                );
                assert_eq!(w.token_balance(&source), before);
            } else {
                assert_eq!(reported, [(Some(seq), true, part, 1_000 - part, 1_000 - part)], "block of position {seq} ({i} of 5)");
                assert_eq!(
                    before - w.token_balance(&source),
                    1_000 - part,
                    "the withdrawn position's part stays with the reward authority"
                );
            }
        }
    });
}

/// G2 (R41, R34): an incident's reach is fixed at its start, with the longest hold in force then:
/// a loosening of max_hold_secs that applies while the incident runs does not lengthen it (a hold
/// past the reach is refused as HoldTooLong, and after the reach a hold would be a new incident,
/// too soon), so the owner whose ticket the incident holds withdraws by the unlock + the longest
/// hold recorded at the incident's start.
#[test]
fn g2_a_loosening_during_an_incident_does_not_lengthen_it() {
    let params = Params { max_hold_secs: 50, ..short_params() };
    for_each_world_with(params, |w| {
        let device = w.staked_device();
        // a longer hold is announced; the owner unstakes so that the ticket unlocks 40 s before it applies
        w.ok(|w| w.update_params(Params { max_hold_secs: 250, ..params }));
        let applies_at = w.config().params_effective_at;
        let unlock = applies_at - 40;
        w.warp_to(unlock - params.cooldown_secs);
        w.ok(|w| w.unstake(device));
        // an incident starts a second before the unlock, with the 50 s then in force: it reaches unlock + 49
        let reach = unlock - 1 + 50;
        assert!(reach > applies_at, "the longer hold applies while the incident runs");
        w.warp_to(unlock - 1);
        w.ok(|w| w.hold(device, unlock + 10));
        w.refused("HoldTooLong", |w| w.hold(device, reach + 1));
        // once the 250 s apply, within the incident's reach, the incident is not lengthened
        w.warp_to(applies_at);
        assert_eq!(w.config().params_at(applies_at).max_hold_secs, 250);
        w.refused("HoldTooLong", |w| w.hold(device, unlock - 1 + 250));
        w.refused("HoldTooLong", |w| w.hold(device, reach + 1));
        w.ok(|w| w.hold(device, reach));
        assert_eq!((w.device(&device).hold_incident_start, w.device(&device).hold_reach), (unlock - 1, reach));
        w.warp_to(reach - 1);
        w.refused("DeviceOnHold", |w| w.withdraw_ticket(device));
        // at the reach a hold would start a new incident, 30 days too soon
        w.warp_to(reach);
        w.refused("HoldIncidentTooSoon", |w| w.hold(device, reach + 10));
        w.ok(|w| w.withdraw_ticket(device));
    });
}

/// G3 (R34, R41): a grant announced at A while a loosening of max_hold_secs announced earlier is
/// pending and applies after the owner's unlock: an owner who unstakes at A is ripe and not held
/// when the grant applies. R34's delay is taken from the parameters in force at A, and an
/// incident that began before the ticket was ripe keeps the reach of the hold in force at its
/// start: the loosening, applying between A and the grant, does not lengthen it past the grant's
/// time (after its reach a hold would be a new incident, 30 days too soon).
#[test]
fn g3_a_pending_longer_hold_does_not_outlast_a_grants_delay() {
    let params = Params { max_hold_secs: 50, ..short_params() };
    for_each_world_with(params, |w| {
        let device = w.staked_device();
        w.ok(|w| w.update_params(Params { max_hold_secs: 250, ..params }));
        let longer_hold_at = w.config().params_effective_at;
        w.advance(10);
        let new_slasher = w.env.funded_keypair();
        w.ok(|w| w.propose_role(Role::SlashAuthority, new_slasher.pubkey()));
        let grant_at = w.config().slash_authority.effective_at;
        w.ok(|w| w.accept_role(&new_slasher, Role::SlashAuthority));
        w.ok(|w| w.unstake(device));
        let unlock = w.now() + params.cooldown_secs;
        assert!(longer_hold_at < grant_at && unlock < longer_hold_at);
        // an incident a second before the unlock: the longer hold, applying after its reach, cannot lengthen it
        w.warp_to(unlock - 1);
        w.ok(|w| w.hold(device, unlock - 1 + 50));
        w.warp_to(longer_hold_at);
        w.refused("HoldIncidentTooSoon", |w| w.hold(device, unlock - 1 + 250));
        w.warp_to(grant_at - 1);
        w.ok(|w| w.withdraw_ticket(device));
    });
}

/// G3 (R34, R41): a grant announced at A while a loosening of max_hold_secs announced earlier is
/// pending and applies before the owner's unlock: an owner who unstakes at A must be ripe and not
/// held when the grant applies. R34's delay is taken from the parameters in force at A only, so
/// an incident that starts after the loosening applies and before the ticket is ripe reaches the
/// longer hold past the unlock, and past the grant's time. A gap of the rules that a reach fixed at
/// the incident's start does not close (a delay that also covers the pending set would); run it
/// with `--ignored`.
#[test]
#[ignore = "G3 gap: R34's delay ignores a pending loosening of max_hold_secs that applies before the unlock"]
fn g3_a_pending_longer_hold_applying_before_the_unlock_does_not_outlast_a_grants_delay() {
    let params = Params { max_hold_secs: 50, ..short_params() };
    for_each_world_with(params, |w| {
        let device = w.staked_device();
        w.ok(|w| w.update_params(Params { max_hold_secs: 250, ..params }));
        let longer_hold_at = w.config().params_effective_at;
        // the grant and the unstake 11 s before the longer hold applies
        w.warp_to(longer_hold_at - 11);
        let new_slasher = w.env.funded_keypair();
        w.ok(|w| w.propose_role(Role::SlashAuthority, new_slasher.pubkey()));
        let grant_at = w.config().slash_authority.effective_at;
        w.ok(|w| w.accept_role(&new_slasher, Role::SlashAuthority));
        w.ok(|w| w.unstake(device));
        let unlock = w.now() + params.cooldown_secs;
        assert!(longer_hold_at < unlock && unlock < grant_at);
        // an incident a second before the unlock, under the longer hold
        w.warp_to(unlock - 1);
        w.ok(|w| w.hold(device, unlock - 1 + 250));
        w.warp_to(grant_at - 1);
        w.ok(|w| w.withdraw_ticket(device));
    });
}
