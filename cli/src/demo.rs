//! `demo`: a full lifecycle of one device, told once and played on any [`Chain`]. By default on
//! its own embedded LiteSVM, where the Clock sysvar is moved instead of waited for and a day of
//! the story is a day of the Clock. With `--url` on that chain: a LiteSVM state file (the Clock
//! is moved there too) or a validator on this machine, whose Clock cannot be moved: the config
//! gets windows of seconds (and the local floors), a day of the story lasts a few seconds of the
//! Clock, and the demo waits for each deadline. Prints a timeline (day, actor, action, result,
//! compute units) and every wallet's, vault's and escrow's balance, and checks that no token was
//! created or lost.
use crate::chain::{Chain, SendError};
use crate::commands::operator::differences;
use crate::commands::operator::FloorsName;
use crate::events;
use crate::json;
use crate::stage::Stage;
use crate::table;
use crate::Output;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::device_staking::events::RewardPaid;
use device_staking_client::device_staking::state::{Config, Device, Env, Offer, Params, Position, Ticket, Tombstone};
use device_staking_client::format::{duration, percent_bps, tokens};
use device_staking_client::{ix, pda};
use device_staking_kit::deploy::program_path;
use device_staking_kit::roles::{fixed_key, Roles};
use device_staking_kit::stage::{device_id, DECIMALS, SOL, UNIT};
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The Clock's unix time at "d 0" on the embedded LiteSVM.
const START: i64 = 1_750_000_000;
const DAY: i64 = 86_400;
/// How long a day of the story lasts on a chain given with `--url`, unless told: the cover
/// window (7 days) is then 21 s and the cooldown (14 days) 42 s.
pub const CHAIN_DAY_SECS: i64 = 3;
/// The device: 8 GPUs at multiplier 10, so a minimum of 8 x 200 x 10 = 16,000 tokens (R1).
const GPUS: u16 = 8;
const MULTIPLIER_BPS: u32 = 100_000;
/// Each offer: 8,000 tokens for 74% of the device's block rewards.
const OFFER: u64 = 8_000 * UNIT;
const SHARE_BPS: u16 = 7_400;
/// One block's rewards for the device, paid once a day.
const DAILY_REWARD: u64 = 1_000 * UNIT;
/// Lamports every wallet of the story is topped up to: the rents of the accounts it opens.
const WALLET_LAMPORTS: u64 = SOL;

/// Where the story plays (made once per run: the size of the keypair does not matter).
#[allow(clippy::large_enum_variant)]
pub enum Venue {
    /// Its own LiteSVM, made for the run and dropped after it.
    Embedded,
    /// A chain given with `--url`.
    Chain {
        /// The chain.
        chain: Box<dyn Chain>,
        /// Whether the chain is on this machine (`svm:PATH` or localhost): only there may a day
        /// shorter than a day get the local floors.
        local: bool,
        /// The wallet of `-k`: it pays every fee and the wallets' SOL, is the mint authority,
        /// and must be the program's upgrade authority to create the config.
        payer: Keypair,
        /// How many seconds of the Clock a day of the story lasts.
        day_secs: i64,
    },
}

/// One line of the timeline.
struct Row {
    /// The Clock's unix time when it happened.
    clock: i64,
    actor: &'static str,
    action: String,
    result: String,
    /// Compute units of the transaction (`None` for set-up that is not the program's, or when
    /// the chain does not report them).
    cu: Option<u64>,
}

/// The wallets of the story, the mint's keypair and the device's id.
struct Cast {
    deployer: Keypair,
    roles: Roles,
    owner: Keypair,
    a: Keypair,
    b: Keypair,
    keeper: Keypair,
    mint: Keypair,
    device_id: [u8; 32],
}

/// What the keys derived from the paying wallet are labelled with.
const DERIVATION_LABEL: &str = "device-staking demo";

impl Cast {
    /// The embedded run's cast: fixed keys (secret seeds 1..=11) and device id, so that
    /// addresses, PDA bumps and therefore compute units are the same on every run.
    fn fixed() -> Self {
        Self {
            deployer: fixed_key(1),
            roles: Roles::fixed(2),
            owner: fixed_key(7),
            a: fixed_key(8),
            b: fixed_key(9),
            keeper: fixed_key(10),
            mint: fixed_key(11),
            device_id: device_id("demo-h100-x8-01"),
        }
    }

    /// The cast on a chain given with `--url`. The deployer is `payer`. The roles (admin,
    /// oracle, reward and slash authorities, treasury) are derived from `payer`, so that a later
    /// run with the same wallet finds them in the config an earlier run made. The owner, the
    /// co-stakers, the keeper, the mint and the device id are new on every run.
    fn for_chain(payer: &Keypair) -> Self {
        let owner = Keypair::new();
        let device = format!("demo-h100-x8-{}", &owner.pubkey().to_string()[..8]);
        Self {
            deployer: payer.insecure_clone(),
            roles: Roles::derived(payer, DERIVATION_LABEL),
            owner,
            a: Keypair::new(),
            b: Keypair::new(),
            keeper: Keypair::new(),
            mint: Keypair::new(),
            device_id: device_id(&device),
        }
    }

    fn all(&self) -> Vec<&Keypair> {
        let mut all = vec![&self.deployer];
        all.extend(self.roles.all());
        all.extend([&self.owner, &self.a, &self.b, &self.keeper]);
        all
    }

    /// The display name of a co-staker wallet.
    fn costaker_name(&self, wallet: &Pubkey) -> &'static str {
        if *wallet == self.a.pubkey() {
            "co-staker A"
        } else if *wallet == self.b.pubkey() {
            "co-staker B"
        } else {
            "a co-staker"
        }
    }
}

/// The config's parameters: the protocol's defaults with every duration scaled to a day of
/// `day_secs` Clock seconds (the defaults themselves when a day is a day).
fn story_params(day_secs: i64) -> Result<Params, String> {
    let mut params = Params::defaults(DECIMALS).map_err(|e| e.to_string())?;
    let scale = |secs: i64| secs * day_secs / DAY;
    params.cover_window_secs = scale(params.cover_window_secs);
    params.cooldown_secs = scale(params.cooldown_secs);
    params.role_change_delay_secs = scale(params.role_change_delay_secs);
    params.max_hold_secs = scale(params.max_hold_secs);
    Ok(params)
}

/// The config's floors: those of mainnet when a day is a day, else the local ones (windows of
/// seconds), which only a chain on this machine may get.
fn story_floors(day_secs: i64) -> FloorsName {
    if day_secs == DAY {
        FloorsName::Mainnet
    } else {
        FloorsName::Local
    }
}

/// A token account the demo accounts for: its name, address and balance when the story starts.
struct Holding {
    name: &'static str,
    address: Pubkey,
    start: u64,
}

struct Demo {
    stage: Stage,
    /// Seconds of the Clock a day of the story lasts.
    day_secs: i64,
    /// The Clock's unix time at "d 0" (once the set-up is done).
    start: i64,
    mint: ix::Mint,
    device: Pubkey,
    rows: Vec<Row>,
    next_block: u64,
    /// Where the next block of rewards starts: the end of the last one, or the time the
    /// position that earns from it was filled, whichever is later.
    block_start: i64,
    /// Whether the config was made by an earlier run and reused.
    reused_config: bool,
    /// Tokens minted by this run's set-up.
    minted: u64,
    /// The mint's supply when the story starts.
    supply_start: u64,
    /// Every wallet's, vault's and escrow's token account, complete once `play` finished.
    holdings: Vec<Holding>,
    /// The program logs of the last step (its events).
    last_logs: Vec<String>,
}

/// Runs the story on `venue` and prints it; an error names the step that failed and why.
pub fn run(output: Output, venue: Venue) -> Result<(), String> {
    let (stage, cast, day_secs) = match venue {
        Venue::Embedded => {
            let cast = Cast::fixed();
            let stage = Stage::embedded(&program_path()?, &cast.deployer.pubkey(), START, Keypair::new_from_array([12; 32]))?;
            (stage, cast, DAY)
        }
        Venue::Chain { chain, local, payer, day_secs } => {
            story_floors(day_secs).check(if local { "svm:" } else { "a chain not on this machine" }).map_err(|_| {
                format!("days of {day_secs} s need windows of seconds, which only a chain on this machine may get: use --url localhost or svm:PATH, or --day-seconds 86400")
            })?;
            let cast = Cast::for_chain(&payer);
            (Stage::new(chain, payer), cast, day_secs)
        }
    };
    let mut demo = Demo::new(stage, day_secs, pda::device(&cast.device_id).0);
    let story = demo.play(&cast);
    let totals = story.is_ok().then(|| demo.totals());
    // a demo refused before its first step (e.g. by a config it cannot use) has nothing to show
    if !demo.rows.is_empty() {
        match output {
            Output::Text => demo.print_text(totals),
            Output::Json => demo.print_json(totals),
        }
    }
    story.map_err(|e| format!("the demo stopped: {e}"))?;
    match totals {
        Some(totals) if !totals.balanced() => Err(format!(
            "tokens were lost or created: the accounts held {} when the story started and {} at its end; the mint supply went from {} to {}",
            demo.io(totals.start),
            demo.io(totals.end),
            demo.io(totals.supply_start),
            demo.io(totals.supply_end)
        )),
        _ => Ok(()),
    }
}

/// The sums the demo checks: what its accounts held when the story started and at its end,
/// and the mint's supply then and at the end.
#[derive(Clone, Copy)]
struct Totals {
    start: u64,
    end: u64,
    supply_start: u64,
    supply_end: u64,
}

impl Totals {
    /// Nothing lost, nothing created: the accounts end with what they started with, and no
    /// token was minted or burnt meanwhile.
    fn balanced(&self) -> bool {
        self.end == self.start && self.supply_end == self.supply_start
    }
}

impl Demo {
    /// A story not yet played on `stage`, with days of `day_secs` Clock seconds, about `device`.
    fn new(stage: Stage, day_secs: i64, device: Pubkey) -> Self {
        Self {
            stage,
            day_secs,
            start: 0,
            mint: ix::Mint { mint: Pubkey::default(), token_program: anchor_spl::token::ID },
            device,
            rows: Vec::new(),
            next_block: 1,
            block_start: 0,
            reused_config: false,
            minted: 0,
            supply_start: 0,
            holdings: Vec::new(),
            last_logs: Vec::new(),
        }
    }

    fn io(&self, amount: u64) -> String {
        format!("{} IO", tokens(amount, DECIMALS))
    }

    fn now(&self) -> Result<i64, String> {
        self.stage.now()
    }

    /// The supply of `mint` (0 when it cannot be read).
    fn supply(&self, mint: &Pubkey) -> u64 {
        crate::token::mint_info(self.stage.chain(), mint).map_or(0, |m| m.supply)
    }

    /// A Clock time as seconds of the story since "d 0".
    fn story_secs(&self, unix_ts: i64) -> i64 {
        (unix_ts - self.start) * DAY / self.day_secs
    }

    /// "d 14" / "d 25 +1s": a Clock time as days of the story since the start.
    fn day_of(&self, unix_ts: i64) -> String {
        day_label(self.story_secs(unix_ts))
    }

    /// A span of Clock seconds as time of the story, "14 d"; on a chain where a day is shorter,
    /// with the Clock's seconds: "14 d (42 s)".
    fn span(&self, secs: i64) -> String {
        let story = duration(secs * DAY / self.day_secs);
        if self.day_secs == DAY {
            story
        } else {
            format!("{story} ({secs} s)")
        }
    }

    /// A block from `from` to `to` (Clock times): "d 0..1", or "d 5 +6h..d 6" off whole days.
    fn period(&self, from: i64, to: i64) -> String {
        let (from, to) = (self.story_secs(from), self.story_secs(to));
        if from.rem_euclid(DAY) == 0 && to.rem_euclid(DAY) == 0 {
            format!("d {}..{}", from / DAY, to / DAY)
        } else {
            format!("{}..{}", day_label(from), day_label(to))
        }
    }

    /// Waits (or moves the Clock) until `day` of the story.
    fn at_day(&mut self, day: i64) -> Result<(), String> {
        self.stage.wait_until(self.start + day * self.day_secs, &format!("d {day}"))
    }

    fn device_state(&self) -> Result<Device, String> {
        self.stage.decode(&self.device)
    }

    fn offer(&self, seq: u64) -> Result<Offer, String> {
        self.stage.decode(&pda::offer(&self.device, seq).0)
    }

    /// The position `seq` in the device's table.
    fn position(&self, seq: u64) -> Result<Position, String> {
        self.device_state()?.position(seq).copied().map_err(|e| e.to_string())
    }

    /// The config facts the device rules read, at the Clock's time.
    fn env(&self) -> Result<Env, String> {
        let config: Config = self.stage.decode(&pda::config().0)?;
        Ok(config.env(self.now()?))
    }

    /// Sends `ixs` as `actor` doing `action` and records the row with the result `describe`
    /// reads off the state afterwards.
    fn step(
        &mut self,
        actor: &'static str,
        action: String,
        ixs: &[Instruction],
        signers: &[&Keypair],
        describe: impl FnOnce(&Self) -> Result<String, String>,
    ) -> Result<(), String> {
        let sent = self.stage.send(ixs, signers).map_err(|refusal| self.failed(actor, &action, &refusal))?;
        self.last_logs = sent.logs;
        let result = describe(self)?;
        self.rows.push(Row { clock: self.now()?, actor, action, result, cu: sent.compute_units });
        Ok(())
    }

    /// Like [`Demo::step`] for a transaction the program must refuse: records the error's name.
    fn refused(&mut self, actor: &'static str, action: String, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), String> {
        match self.stage.send(ixs, signers) {
            Ok(_) => Err(format!("{actor}: {action}: succeeded but the program should have refused it")),
            Err(refusal) => {
                let cu = match &refusal {
                    SendError::Refused(r) => r.compute_units,
                    SendError::Failed(_) => None,
                };
                let row = Row { clock: self.now()?, actor, action, result: format!("refused: {refusal}"), cu };
                self.rows.push(row);
                Ok(())
            }
        }
    }

    /// A row that is not a program instruction (set-up, a reused config).
    fn note(&mut self, actor: &'static str, action: String, result: String) -> Result<(), String> {
        self.rows.push(Row { clock: self.now()?, actor, action, result, cu: None });
        Ok(())
    }

    fn failed(&self, actor: &str, action: &str, refusal: &SendError) -> String {
        let logs = match refusal {
            SendError::Refused(r) => &r.logs[..],
            SendError::Failed(_) => &[],
        };
        let tail: Vec<&str> = logs.iter().rev().take(6).rev().map(String::as_str).collect();
        format!("{actor}: {action}: {refusal}\n  last program logs:\n    {}", tail.join("\n    "))
    }

    /// The parameters the story depends on, for the timeline.
    fn params_summary(&self, params: &Params) -> String {
        format!(
            "base {}/GPU, cover {}, cooldown {}, cap {}",
            self.io(params.base_stake_per_gpu),
            self.span(params.cover_window_secs),
            self.span(params.cooldown_secs),
            percent_bps(params.max_costake_bps.into())
        )
    }

    /// Whether the demo can play on the config an earlier run left: the same roles (derived from
    /// the paying wallet), the parameters of this day length, and a mint of [`DECIMALS`]
    /// decimals that the paying wallet may mint. Otherwise an error that lists what differs.
    fn check_reusable(&self, cast: &Cast, config: &Config) -> Result<(), String> {
        let params = story_params(self.day_secs)?;
        let floors = story_floors(self.day_secs).floors();
        let mut problems =
            differences(config, &cast.roles.initialize_args_with(floors, None), &config.mint, &params, self.now()?);
        let payer = self.stage.payer().pubkey();
        match crate::token::mint_info(self.stage.chain(), &config.mint) {
            Ok(info) if info.decimals != DECIMALS => {
                problems.push(format!("mint decimals: on chain {}, the story needs {DECIMALS}", info.decimals))
            }
            Ok(info) if info.mint_authority != Some(payer) => problems.push(format!(
                "mint authority: on chain {}, the story mints with the -k wallet {payer}",
                info.mint_authority.map_or("none".to_string(), |a| a.to_string())
            )),
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(format!(
            "the chain already has a config ({}) that is not the one an earlier demo run with this -k wallet and --day-seconds {} made, \
and a config is made once per deployment:\n  {}\nRun the demo on a fresh chain (a validator started on a new ledger), or with the -k wallet and \
--day-seconds of the run that made this config.",
            pda::config().0,
            self.day_secs,
            problems.join("\n  ")
        ))
    }

    /// Everything before the story: the check of a config an earlier run left (before anything
    /// is sent), SOL for the wallets, the mint (the config's, when an earlier run made the
    /// config), the token accounts and the tokens. Returns the existing config, if any.
    fn setup(&mut self, cast: &Cast) -> Result<Option<Config>, String> {
        fn refused(what: &'static str) -> impl Fn(SendError) -> String {
            move |r| format!("set-up: {what}: {r}")
        }
        let existing: Option<Config> = self.stage.find(&pda::config().0)?;
        if let Some(config) = &existing {
            self.check_reusable(cast, config)?;
        }
        let wallets: Vec<Pubkey> = cast.all().iter().map(|k| k.pubkey()).collect();
        self.stage.fund(&wallets, WALLET_LAMPORTS).map_err(refused("fund the wallets"))?;
        self.mint = match &existing {
            Some(config) => ix::Mint { mint: config.mint, token_program: config.token_program },
            None => {
                let token_program = anchor_spl::token::ID;
                let mint = self.stage.create_mint(&cast.mint, &token_program, DECIMALS).map_err(refused("create the mint"))?;
                ix::Mint { mint, token_program }
            }
        };
        self.reused_config = existing.is_some();
        let ix::Mint { mint, token_program } = self.mint;
        let funding = [
            ("owner", &cast.owner, 16_000 * UNIT),
            ("co-staker A", &cast.a, OFFER),
            ("co-staker B", &cast.b, OFFER),
            ("reward source", &cast.roles.reward_authority, 10_000 * UNIT),
            ("treasury", &cast.roles.treasury, 0),
        ];
        for (name, wallet, amount) in funding {
            let ata = self.stage.create_ata(&wallet.pubkey(), &mint, &token_program).map_err(refused("create an ATA"))?;
            if amount > 0 {
                self.stage.mint_to(&mint, &token_program, &ata, amount).map_err(refused("mint"))?;
            }
            self.holdings.push(Holding { name, address: ata, start: self.stage.token_balance(&ata) });
        }
        self.minted = funding.iter().map(|f| f.2).sum();
        self.supply_start = self.supply(&mint);
        self.start = self.now()?;
        let minted: Vec<String> = funding
            .iter()
            .filter(|f| f.2 > 0)
            .map(|(name, _, amount)| format!("{} {}", short(name), tokens(*amount / UNIT, 0)))
            .collect();
        let action = match existing {
            Some(_) => format!("the config's mint, {DECIMALS} decimals; ATAs"),
            None => format!("SPL Token mint, {DECIMALS} decimals; ATAs"),
        };
        self.note("set-up", action, format!("minted {}: {}", self.io(self.minted), minted.join(", ")))?;
        Ok(existing)
    }

    /// The story.
    fn play(&mut self, cast: &Cast) -> Result<(), String> {
        let existing = self.setup(cast)?;
        let (owner, a, b) = (cast.owner.pubkey(), cast.a.pubkey(), cast.b.pubkey());
        let mint = self.mint;
        let owner_token = ix::associated_token(&owner, &mint);
        let source = ix::associated_token(&cast.roles.reward_authority.pubkey(), &mint);

        // d 0: config, device, stake, offer, fill
        match existing {
            Some(config) => {
                let result = format!("reused: an earlier run made it; {}", self.params_summary(&config.params_at(self.now()?)));
                self.note("deployer", "initialize: the config exists".into(), result)?;
            }
            None => {
                let params = story_params(self.day_secs)?;
                let floors = story_floors(self.day_secs);
                let defaults = Params::defaults(DECIMALS).map_err(|e| e.to_string())?;
                let args = cast.roles.initialize_args_with(floors.floors(), (params != defaults).then_some(params));
                let floors_name = format!("{floors:?}").to_lowercase();
                let action = match args.params {
                    None => format!("initialize (default params, {floors_name} floors)"),
                    Some(_) => format!("initialize (default params, {floors_name} floors; a day is {} s)", self.day_secs),
                };
                let init = ix::initialize(cast.deployer.pubkey(), mint.mint, mint.token_program, args);
                self.step("deployer", action, &[init], &[&cast.deployer], |d| {
                    let config: Config = d.stage.decode(&pda::config().0)?;
                    Ok(d.params_summary(&config.params()))
                })?;
            }
        }

        let device = self.device;
        let register = ix::register_device(owner, cast.roles.oracle.pubkey(), cast.device_id, GPUS, MULTIPLIER_BPS, &mint);
        let action = format!("register_device: {GPUS} GPUs x{}", MULTIPLIER_BPS / 10_000);
        self.step("owner+oracle", action, &[register], &[&cast.owner, &cast.roles.oracle], |d| {
            Ok(format!("minimum {}", d.io(d.device_state()?.min_required(&d.env()?))))
        })?;

        self.stake(cast, 16_000 * UNIT)?;
        let first = self.offer_and_fill(cast, &cast.a, "co-staker A")?;

        // d 1..3: a block a day, split 74/26 with A
        for day in 1..=3 {
            self.reward_day(cast, &source, day)?;
        }

        // d 3: the owner takes 8,000 of the overflow (rewards first, then principal)
        let before = self.device_state()?;
        let amount = OFFER;
        let take = ix::withdraw_overflow(owner, device, owner_token, amount, &mint);
        self.step("owner", format!("withdraw_overflow {}", self.io(amount)), &[take], &[&cast.owner], |d| {
            let after = d.device_state()?;
            let rewards = before.owner_rewards - after.owner_rewards;
            Ok(format!(
                "{} rewards + {} principal; owner stake {}",
                tokens(rewards, DECIMALS),
                tokens(amount - rewards, DECIMALS),
                d.io(after.owner_stake)
            ))
        })?;

        // d 4: A cancels; the block that ended then is paid after the cancel and still credits A (R21)
        self.at_day(4)?;
        let block_end = self.now()?;
        let cancel = ix::cancel_costake(a, device, first);
        self.step("co-staker A", format!("cancel_costake #{first}"), &[cancel], &[&cast.a], |d| {
            let position = d.position(first)?;
            let device = d.device_state()?;
            let min = device.min_required(&d.env()?);
            Ok(format!(
                "counts until {}, unlock {}; then {} < min {}",
                d.day_of(position.wait_end),
                d.day_of(position.unlock_at),
                d.io(device.owner_stake),
                d.io(min)
            ))
        })?;
        self.pay_block(cast, &source, block_end, " (after A's cancel)")?;

        // d 5: a block without an earning position; the owner covers and offers again; B fills
        self.reward_day(cast, &source, 5)?;
        self.stake(cast, OFFER)?;
        let second = self.offer_and_fill(cast, &cast.b, "co-staker B")?;
        for day in 6..=7 {
            self.reward_day(cast, &source, day)?;
        }

        // d 11: A's wait is over (its unlock stays cancel + 21 d); the owner unstakes with B
        let wait_end = self.position(first)?.wait_end;
        self.stage.wait_until(wait_end, &format!("the end of co-staker A's wait ({})", self.day_of(wait_end)))?;
        let state = self.device_state()?;
        let unstake = ix::unstake_for(owner, device, &state);
        let ticket_seq = state.next_ticket_seq;
        self.step("owner", "unstake".into(), &[unstake], &[&cast.owner], |d| {
            let device = d.device_state()?;
            let b_unlock = d.position(second)?.unlock_at;
            Ok(format!(
                "ticket #{ticket_seq} {} unlocks {}; B stops, unlocks {} (no wait)",
                d.io(device.ticket_principal),
                d.day_of(device.ticket_unlock_at),
                d.day_of(b_unlock)
            ))
        })?;
        let unstaked = self.device_state()?;
        let (ticket_unlock, unstaked_at) = (unstaked.ticket_unlock_at, unstaked.unstaked_at);
        let (a_position, b_position) = (self.position(first)?, self.position(second)?);

        // a day before the unlocks: too early to release A's position
        let early = a_position.unlock_at.min(ticket_unlock) - self.day_secs;
        self.stage.wait_until(early, &format!("a day before the unlocks ({})", self.day_of(early)))?;
        let keeper = cast.keeper.pubkey();
        self.refused("anyone", format!("release #{first} (A)"), &[ix::release(keeper, device, first, &mint)], &[&cast.keeper])?;

        // the unlocks: the ticket and B's position (unstake + 14 d), A's position (cancel + 21 d)
        let unlocks = ticket_unlock.max(b_position.unlock_at).max(a_position.unlock_at);
        self.stage.wait_until(unlocks, &format!("the unlocks ({})", self.day_of(unlocks)))?;
        let escrow = pda::escrow(&pda::offer(&device, first).0).0;
        let release = ix::release(keeper, device, first, &mint);
        self.step("anyone", format!("release #{first} (A)"), &[release], &[&cast.keeper], |d| {
            Ok(format!(
                "{} ({} + {} rewards) into its escrow; slot free; unlock = cancel + {}",
                d.io(d.stage.token_balance(&escrow)),
                tokens(a_position.principal, DECIMALS),
                tokens(a_position.rewards, DECIMALS),
                d.span(a_position.unlock_at - a_position.stopped_at)
            ))
        })?;

        let owner_before = self.stage.token_balance(&owner_token);
        let ticket: Ticket = self.stage.decode(&pda::ticket(&device, ticket_seq).0)?;
        let withdraw = ix::withdraw_ticket(keeper, device, owner, ticket_seq, ticket.payer, owner_token, &mint);
        self.step("anyone", format!("withdraw_ticket #{ticket_seq}"), &[withdraw], &[&cast.keeper], |d| {
            let paid = d.stage.token_balance(&owner_token) - owner_before;
            Ok(format!("owner paid {}; unlock = unstake + {}", d.io(paid), d.span(ticket_unlock - unstaked_at)))
        })?;
        self.withdraw_position(cast, second, &b, &b_position, ("unstake", unstaked_at))?;

        let a_offer = self.offer(first)?;
        let a_token = ix::associated_token(&a, &mint);
        let a_before = self.stage.token_balance(&a_token);
        let take = ix::withdraw_escrow(a, device, first, a_token, a_offer.payer, a_offer.escrow_payer, &mint);
        self.step("co-staker A", format!("withdraw_escrow #{first}"), &[take], &[&cast.a], |d| {
            Ok(format!(
                "A paid {}; escrow closed, its rent back to the releaser",
                d.io(d.stage.token_balance(&a_token) - a_before)
            ))
        })?;

        // what the owner earned since the last withdrawal stays claimable after unstaking (R22)
        let rest = self.device_state()?.owner_rewards;
        let take = ix::withdraw_overflow(owner, device, owner_token, rest, &mint);
        self.step("owner", format!("withdraw_overflow {}", self.io(rest)), &[take], &[&cast.owner], |d| {
            let device = d.device_state()?;
            Ok(format!(
                "rewards; the device's ledgers: {} principal, {} rewards",
                tokens(device.principal_ledger().map_err(|e| e.to_string())?, DECIMALS),
                tokens(device.rewards_ledger().map_err(|e| e.to_string())?, DECIMALS)
            ))
        })?;

        // the device is empty: the owner closes it into a tombstone (R8); B closes its profile (R18)
        let treasury_token = ix::associated_token(&cast.roles.treasury.pubkey(), &mint);
        let close = ix::close_device(owner, device, treasury_token, owner, &mint);
        self.step("owner", "close_device".into(), &[close], &[&cast.owner], |d| {
            let next = d.stage.find::<Tombstone>(&d.device)?.map_or(0, |t| t.next_offer_seq);
            Ok(format!("vaults closed, rent back; a tombstone keeps offer #{next} next (register revives it)"))
        })?;
        let close = ix::close_profile(b, b);
        self.step("co-staker B", "close_profile".into(), &[close], &[&cast.b], |_| Ok("no filled position: rent back".into()))?;

        self.holdings.push(Holding { name: "stake vault", address: pda::stake_vault(&device).0, start: 0 });
        self.holdings.push(Holding { name: "overflow vault", address: pda::overflow_vault(&device).0, start: 0 });
        self.holdings.push(Holding { name: "escrow of A", address: escrow, start: 0 });
        Ok(())
    }

    /// The owner stakes `amount` (R6).
    fn stake(&mut self, cast: &Cast, amount: u64) -> Result<(), String> {
        let owner = cast.owner.pubkey();
        let stake = ix::stake(owner, self.device, ix::associated_token(&owner, &self.mint), amount, &self.mint);
        self.step("owner", format!("stake {}", self.io(amount)), &[stake], &[&cast.owner], |d| {
            let device = d.device_state()?;
            let now = d.now()?;
            let env = d.env()?;
            Ok(format!(
                "owner stake {}; counted {}; {}",
                d.io(device.owner_stake),
                tokens(device.counted_stake(now), DECIMALS),
                if device.is_eligible(&env) { "eligible" } else { "not eligible" }
            ))
        })
    }

    /// The owner offers [`OFFER`] at [`SHARE_BPS`] and `costaker` fills it; returns its seq.
    /// The next block of rewards starts when the position was filled, so that it earns from it (R21).
    fn offer_and_fill(&mut self, cast: &Cast, costaker: &Keypair, name: &'static str) -> Result<u64, String> {
        let (owner, device, mint) = (cast.owner.pubkey(), self.device, self.mint);
        let seq = self.device_state()?.next_offer_seq;
        let offer = ix::create_offer(owner, device, seq, OFFER, SHARE_BPS);
        let action = format!("create_offer #{seq}: {} for {}", self.io(OFFER), percent_bps(SHARE_BPS.into()));
        self.step("owner", action, &[offer], &[&cast.owner], |_| Ok("open".into()))?;
        let token = ix::associated_token(&costaker.pubkey(), &mint);
        let fill = ix::fill_offer(costaker.pubkey(), device, seq, OFFER, SHARE_BPS, token, &mint);
        self.step(name, format!("fill_offer #{seq}"), &[fill], &[costaker], |d| {
            let device = d.device_state()?;
            let now = d.now()?;
            let env = d.env()?;
            Ok(format!(
                "counted {}; owner overflow {}",
                d.io(device.counted_stake(now)),
                tokens(device.owner_overflow(&env), DECIMALS)
            ))
        })?;
        self.block_start = self.block_start.max(self.position(seq)?.filled_at);
        Ok(seq)
    }

    /// At `day`, the reward authority pays the block that ends then ([`DAILY_REWARD`]).
    fn reward_day(&mut self, cast: &Cast, source: &Pubkey, day: i64) -> Result<(), String> {
        self.at_day(day)?;
        let end = self.now()?;
        self.pay_block(cast, source, end, "")
    }

    /// The reward authority pays [`DAILY_REWARD`] for the block from the end of the last one to
    /// `end`; the program picks the position that earned during it (R20, R21).
    fn pay_block(&mut self, cast: &Cast, source: &Pubkey, end: i64, note: &str) -> Result<(), String> {
        let target = ix::RewardTarget { device: self.device, amount: DAILY_REWARD };
        let block = self.next_block;
        self.next_block += 1;
        let start = self.block_start;
        // R20: a block lasts at least a second and has ended; on a validator with short days the
        // set-up can outlast the first day, so the end may need to wait
        let end = end.max(start + 1);
        self.stage.wait_until(end, &format!("the end of block #{block}"))?;
        self.block_start = end;
        let pay = ix::distribute_rewards(cast.roles.reward_authority.pubkey(), *source, block, start, end, &[target], &self.mint);
        let action = format!("distribute_rewards #{block} ({}){note}", self.period(start, end));
        self.step("rewards", action, &[pay], &[&cast.roles.reward_authority], |d| {
            let paid = d.io(DAILY_REWARD);
            let Some(event) = events::decode::<RewardPaid>(&d.last_logs).pop() else {
                return Ok(format!("{paid} skipped"));
            };
            let earner = match event.position_seq {
                Some(seq) => d.position(seq).map(|p| cast.costaker_name(&p.costaker)).unwrap_or("a co-staker"),
                None => "",
            };
            Ok(match event.position_seq {
                Some(_) if event.position_left => {
                    format!("{paid}: {} has left, its part unpaid; owner {}", short(earner), tokens(event.owner_part, DECIMALS))
                }
                Some(_) => format!(
                    "{paid}: {} {}, owner {}",
                    short(earner),
                    tokens(event.position_part, DECIMALS),
                    tokens(event.owner_part, DECIMALS)
                ),
                None => format!("{paid}: owner {} (no earning position)", tokens(event.owner_part, DECIMALS)),
            })
        })
    }

    /// Anyone withdraws the ripe position `seq` of `costaker` to the co-staker's ATA (R16).
    /// The result names the unlock as `since.0 + (unlock - since.1)`, e.g. "unstake + 14 d".
    fn withdraw_position(
        &mut self,
        cast: &Cast,
        seq: u64,
        costaker: &Pubkey,
        position: &Position,
        since: (&str, i64),
    ) -> Result<(), String> {
        let token = ix::associated_token(costaker, &self.mint);
        let before = self.stage.token_balance(&token);
        let keeper = cast.keeper.pubkey();
        let offer = self.offer(seq)?;
        let withdraw = ix::withdraw_position(keeper, self.device, seq, *costaker, offer.payer, token, &self.mint);
        let name = cast.costaker_name(costaker);
        let action = format!("withdraw_position #{seq} ({})", short(name));
        let (principal, unlock) = (position.principal, position.unlock_at);
        self.step("anyone", action, &[withdraw], &[&cast.keeper], |d| {
            let paid = d.stage.token_balance(&token) - before;
            let closed = if d.stage.exists(&pda::offer(&d.device, seq).0) { "" } else { ", closed" };
            Ok(format!(
                "{} paid {} ({} + {} rewards){closed}; unlock = {} + {}",
                short(name),
                d.io(paid),
                tokens(principal, DECIMALS),
                tokens(paid - principal, DECIMALS),
                since.0,
                d.span(unlock - since.1)
            ))
        })
    }

    fn totals(&self) -> Totals {
        Totals {
            start: self.holdings.iter().map(|h| h.start).sum(),
            end: self.holdings.iter().map(|h| self.stage.token_balance(&h.address)).sum(),
            supply_start: self.supply_start,
            supply_end: self.supply(&self.mint.mint),
        }
    }

    /// The timeline as a table, then (when the story finished) the balances and the check.
    fn print_text(&self, totals: Option<Totals>) {
        if self.day_secs != DAY {
            let reused = if self.reused_config { "; the config of an earlier run is reused" } else { "" };
            println!("a day of the story lasts {} s of the chain's Clock{reused}\n", self.day_secs);
        }
        let header = ["day", "actor", "action", "result", "CU"].map(String::from);
        let cells: Vec<[String; 5]> = self
            .rows
            .iter()
            .map(|r| {
                let cu = r.cu.map_or(String::new(), |c| tokens(c, 0));
                [self.day_of(r.clock), r.actor.into(), r.action.clone(), r.result.clone(), cu]
            })
            .collect();
        print_table(&header, &cells, 4);
        let Some(totals) = totals else { return };
        println!();
        let header = ["account", "start", "end", "change"].map(String::from);
        let mut cells: Vec<[String; 4]> = self
            .holdings
            .iter()
            .map(|h| {
                let end = self.stage.token_balance(&h.address);
                [h.name.into(), tokens(h.start, DECIMALS), tokens(end, DECIMALS), signed(end as i128 - h.start as i128)]
            })
            .collect();
        cells.push([
            "total".into(),
            tokens(totals.start, DECIMALS),
            tokens(totals.end, DECIMALS),
            signed(totals.end as i128 - totals.start as i128),
        ]);
        print_table(&header, &cells, 1);
        let verdict = if totals.balanced() { "nothing lost" } else { "MISMATCH" };
        if totals.supply_start == totals.start {
            // the story's accounts hold the whole supply of a mint made for it
            println!(
                "\nminted {} = balances {} = mint supply {}: {verdict}",
                self.io(totals.start),
                self.io(totals.end),
                self.io(totals.supply_end)
            );
        } else {
            println!(
                "\nbalances {} at the start = {} at the end; mint supply {} at the start = {} at the end (earlier runs hold the rest): {verdict}",
                self.io(totals.start),
                self.io(totals.end),
                self.io(totals.supply_start),
                self.io(totals.supply_end)
            );
        }
    }

    fn print_json(&self, totals: Option<Totals>) {
        let steps: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "seconds": self.story_secs(r.clock),
                    "day": self.day_of(r.clock),
                    "unix_time": r.clock,
                    "actor": r.actor,
                    "action": &r.action,
                    "result": &r.result,
                    "compute_units": r.cu,
                })
            })
            .collect();
        let mut fields = vec![
            ("decimals", json!(DECIMALS)),
            ("day_seconds", json!(self.day_secs)),
            ("config", json!(if self.reused_config { "reused" } else { "created" })),
            ("mint", json!(self.mint.mint.to_string())),
            ("device", json!(self.device.to_string())),
            ("steps", Value::Array(steps)),
        ];
        if let Some(totals) = totals {
            let balances = self.holdings.iter().map(|h| {
                json!({
                    "account": h.name,
                    "address": h.address.to_string(),
                    "start": h.start,
                    "end": self.stage.token_balance(&h.address),
                })
            });
            fields.push(("balances", Value::Array(balances.collect())));
            fields.push(("minted", json!(self.minted)));
            fields.push(("start_total", json!(totals.start)));
            fields.push(("total", json!(totals.end)));
            fields.push(("supply_start", json!(totals.supply_start)));
            fields.push(("supply", json!(totals.supply_end)));
            fields.push(("balanced", json!(totals.balanced())));
        }
        println!("{}", json::object(fields));
    }
}

/// Prints `rows` under `header` (see [`table::render`]).
fn print_table<const N: usize>(header: &[String; N], rows: &[[String; N]], left: usize) {
    print!("{}", table::render(header, rows, left));
}

/// "d 7" for a whole number of days since the start, "d 7 +1s" otherwise.
fn day_label(secs: i64) -> String {
    let (day, rest) = (secs.div_euclid(DAY), secs.rem_euclid(DAY));
    if rest == 0 {
        format!("d {day}")
    } else {
        format!("d {day} +{}", duration(rest).replace(' ', ""))
    }
}

/// "A" for "co-staker A": the short name used inside a table cell.
fn short(name: &str) -> &str {
    name.trim_start_matches("co-staker ")
}

/// A change of balance with its sign: "+2,300.000000", "-8,000.000000", "0.000000".
fn signed(change: i128) -> String {
    let sign = match change {
        c if c > 0 => "+",
        c if c < 0 => "-",
        _ => "",
    };
    format!("{sign}{}", tokens(change.unsigned_abs() as u64, DECIMALS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_labelled_from_the_start() {
        assert_eq!(day_label(0), "d 0");
        assert_eq!(day_label(7 * DAY), "d 7");
        assert_eq!(day_label(7 * DAY + 1), "d 7 +1s");
        assert_eq!(day_label(25 * DAY + 3 * 3_600), "d 25 +3h");
    }

    #[test]
    fn a_chain_day_scales_every_window_and_keeps_the_rest() {
        let defaults = Params::defaults(DECIMALS).unwrap();
        assert_eq!(story_params(DAY).unwrap(), defaults);
        let short = story_params(CHAIN_DAY_SECS).unwrap();
        assert_eq!((short.cover_window_secs, short.cooldown_secs, short.role_change_delay_secs), (21, 42, 21));
        assert_eq!((short.base_stake_per_gpu, short.max_costake_bps), (defaults.base_stake_per_gpu, defaults.max_costake_bps));
        // the program's bounds and the local floors hold for the shortest day clap accepts
        assert!(story_params(1).unwrap().validate(&story_floors(1).floors()).is_ok());
        assert_eq!(story_floors(CHAIN_DAY_SECS), FloorsName::Local);
        // a day of a day: the defaults within the mainnet floors
        assert_eq!(story_floors(DAY), FloorsName::Mainnet);
        assert!(defaults.validate(&story_floors(DAY).floors()).is_ok());
    }

    #[test]
    fn role_keys_come_back_from_the_same_wallet_only() {
        let payer = Keypair::new();
        let (first, again) = (Cast::for_chain(&payer), Cast::for_chain(&payer));
        assert_eq!(first.roles.oracle.pubkey(), again.roles.oracle.pubkey());
        assert_eq!(first.roles.reward_authority.pubkey(), again.roles.reward_authority.pubkey());
        assert_ne!(first.roles.oracle.pubkey(), first.roles.reward_authority.pubkey());
        assert_ne!(first.owner.pubkey(), again.owner.pubkey(), "the participants are new each run");
        assert_ne!(first.device_id, again.device_id);
        assert_ne!(Cast::for_chain(&Keypair::new()).roles.oracle.pubkey(), first.roles.oracle.pubkey());
    }

    #[test]
    fn story_time_is_the_clock_scaled_to_days() {
        // no request is made: an unreachable node will do
        let node = || {
            Box::new(crate::chain::rpc::RpcChain::new(
                "http://127.0.0.1:1",
                solana_commitment_config::CommitmentLevel::Confirmed,
                crate::chain::ComputeBudget::default(),
            ))
        };
        let demo_on =
            |day_secs| Demo { start: 1_000, ..Demo::new(Stage::new(node(), Keypair::new()), day_secs, Pubkey::default()) };
        let chain = demo_on(3);
        assert_eq!(chain.day_of(1_000 + 33), "d 11");
        assert_eq!(chain.span(42), "14 d (42 s)");
        assert_eq!(chain.period(1_000, 1_003), "d 0..1");
        assert_eq!(chain.period(1_001, 1_003), "d 0 +8h..d 1");
        let embedded = demo_on(DAY);
        assert_eq!(embedded.span(14 * DAY), "14 d");
        assert_eq!(embedded.period(1_000 + 4 * DAY, 1_000 + 5 * DAY), "d 4..5");
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed(2_560 * UNIT as i128), "+2,560.000000");
        assert_eq!(signed(-(7_000 * UNIT as i128)), "-7,000.000000");
        assert_eq!(signed(0), "0.000000");
    }
}
