//! `demo`: a full lifecycle of one device on an embedded LiteSVM, moving the Clock sysvar
//! instead of waiting. Prints a timeline (day, actor, action, result, compute units) and every
//! wallet's and vault's balance, and checks that no token was created or lost.
use crate::json::Json;
use crate::chain::litesvm::program_path;
use crate::chain::SendError;
use crate::svm::Svm;
use crate::table;
use crate::Output;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_client::device_staking::state::{Config, Device, Offer, Ticket};
use device_staking_client::format::{duration, percent_bps, tokens};
use device_staking_client::{ix, pda};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The Clock's unix time at "d 0".
const START: i64 = 1_750_000_000;
const DAY: i64 = 86_400;
/// The mint's decimals; one token is `UNIT` base units.
const DECIMALS: u8 = 6;
const UNIT: u64 = 1_000_000;
/// The device: 8 GPUs at multiplier 10, so a minimum of 8 x 200 x 10 = 16,000 tokens (R1).
const GPUS: u16 = 8;
const MULTIPLIER_BPS: u32 = 100_000;
/// Each offer: 8,000 tokens for 74% of the device's block rewards.
const OFFER: u64 = 8_000 * UNIT;
const SHARE_BPS: u16 = 7_400;
/// One block's rewards for the device, paid once a day.
const DAILY_REWARD: u64 = 1_000 * UNIT;

/// One line of the timeline.
struct Row {
    /// Seconds since "d 0".
    at: i64,
    actor: &'static str,
    action: String,
    result: String,
    /// Compute units of the transaction (`None` for set-up that is not the program's).
    cu: Option<u64>,
}

/// The wallets of the story, each a funded keypair.
struct Cast {
    deployer: Keypair,
    admin: Keypair,
    oracle: Keypair,
    rewards: Keypair,
    slasher: Keypair,
    treasury: Keypair,
    owner: Keypair,
    a: Keypair,
    b: Keypair,
    keeper: Keypair,
}

impl Cast {
    /// Fixed keys (secret seeds 1..=10), so that addresses, PDA bumps and therefore compute
    /// units are the same on every run.
    fn new() -> Self {
        let key = |n: u8| Keypair::new_from_array([n; 32]);
        Self {
            deployer: key(1),
            admin: key(2),
            oracle: key(3),
            rewards: key(4),
            slasher: key(5),
            treasury: key(6),
            owner: key(7),
            a: key(8),
            b: key(9),
            keeper: key(10),
        }
    }

    fn all(&self) -> [&Keypair; 10] {
        [
            &self.deployer,
            &self.admin,
            &self.oracle,
            &self.rewards,
            &self.slasher,
            &self.treasury,
            &self.owner,
            &self.a,
            &self.b,
            &self.keeper,
        ]
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

/// A token account the demo accounts for: its name, address and starting balance.
struct Holding {
    name: &'static str,
    address: Pubkey,
    start: u64,
}

struct Demo {
    svm: Svm,
    mint: ix::Mint,
    device: Pubkey,
    rows: Vec<Row>,
    next_block: u64,
    /// Every wallet's and vault's token account, complete once `play` finished.
    holdings: Vec<Holding>,
}

/// Runs the story and prints it; an error names the step that failed and why.
pub fn run(output: Output) -> Result<(), String> {
    let path = program_path()?;
    let cast = Cast::new();
    let mut demo = Demo {
        svm: Svm::new(&path, &cast.deployer.pubkey(), START)?,
        mint: ix::Mint { mint: Pubkey::default(), token_program: anchor_spl::token::ID },
        device: Pubkey::default(),
        rows: Vec::new(),
        next_block: 1,
        holdings: Vec::new(),
    };
    let story = demo.play(&cast);
    let totals = story.is_ok().then(|| demo.totals());
    match output {
        Output::Text => demo.print_text(totals),
        Output::Json => demo.print_json(totals),
    }
    story.map_err(|e| format!("the demo stopped: {e}"))?;
    let Totals { minted, end, supply } = demo.totals();
    if end != minted || supply != minted {
        return Err(format!(
            "tokens were lost or created: minted {}, balances sum to {}, mint supply {}",
            demo.io(minted),
            demo.io(end),
            demo.io(supply)
        ));
    }
    Ok(())
}

/// The sums the demo checks: what was minted (the starting balances), what the accounts hold
/// at the end, and the mint's supply.
#[derive(Clone, Copy)]
struct Totals {
    minted: u64,
    end: u64,
    supply: u64,
}

impl Demo {
    fn io(&self, amount: u64) -> String {
        format!("{} IO", tokens(amount, DECIMALS))
    }

    fn now(&self) -> i64 {
        self.svm.now()
    }

    fn at_day(&mut self, day: i64) {
        self.svm.warp_to(START + day * DAY);
    }

    fn device_state(&self) -> Result<Device, String> {
        self.svm.decode(&self.device)
    }

    fn offer(&self, seq: u64) -> Result<Offer, String> {
        self.svm.decode(&pda::offer(&self.device, seq).0)
    }

    /// "d 14" / "d 25 +1s": a Clock time as days since the start.
    fn day_of(&self, unix_ts: i64) -> String {
        day_label(unix_ts - START)
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
        let cu = self.svm.send(ixs, signers).map_err(|refusal| self.failed(actor, &action, &refusal))?;
        let result = describe(self)?;
        self.rows.push(Row { at: self.now() - START, actor, action, result, cu: Some(cu) });
        Ok(())
    }

    /// Like [`Demo::step`] for a transaction the program must refuse: records the error's name.
    fn refused(&mut self, actor: &'static str, action: String, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), String> {
        match self.svm.send(ixs, signers) {
            Ok(_) => Err(format!("{actor}: {action}: succeeded but the program should have refused it")),
            Err(refusal) => {
                let result = format!("refused: {refusal}");
                self.rows.push(Row { at: self.now() - START, actor, action, result, cu: match &refusal {
                    SendError::Refused(r) => r.compute_units,
                    SendError::Failed(_) => None,
                } });
                Ok(())
            }
        }
    }

    /// A set-up row (not a program instruction).
    fn note(&mut self, actor: &'static str, action: String, result: String) {
        self.rows.push(Row { at: self.now() - START, actor, action, result, cu: None });
    }

    fn failed(&self, actor: &str, action: &str, refusal: &SendError) -> String {
        let logs = match refusal {
            SendError::Refused(r) => &r.logs[..],
            SendError::Failed(_) => &[],
        };
        let tail: Vec<&str> = logs.iter().rev().take(6).rev().map(String::as_str).collect();
        format!("{actor}: {action}: {refusal}\n  last program logs:\n    {}", tail.join("\n    "))
    }

    /// Everything before the program's first instruction: funding, the mint, the token accounts.
    fn setup(&mut self, cast: &Cast) -> Result<(), String> {
        for keypair in cast.all() {
            self.svm.fund(&keypair.pubkey());
        }
        let token_program = self.mint.token_program;
        fn refused(what: &'static str) -> impl Fn(SendError) -> String {
            move |r| format!("set-up: {what}: {r}")
        }
        self.mint.mint = self.svm.create_mint(&Keypair::new_from_array([11; 32]), &token_program, DECIMALS).map_err(refused("create the mint"))?;
        let mint = self.mint.mint;
        let funding = [
            ("owner", &cast.owner, 16_000 * UNIT),
            ("co-staker A", &cast.a, OFFER),
            ("co-staker B", &cast.b, OFFER),
            ("reward source", &cast.rewards, 10_000 * UNIT),
            ("treasury", &cast.treasury, 0),
        ];
        for (name, wallet, amount) in funding {
            let ata = self.svm.create_ata(&wallet.pubkey(), &mint, &token_program).map_err(refused("create an ATA"))?;
            if amount > 0 {
                self.svm.mint_to(&mint, &token_program, &ata, amount).map_err(refused("mint"))?;
            }
            self.holdings.push(Holding { name, address: ata, start: amount });
        }
        let total: u64 = funding.iter().map(|f| f.2).sum();
        let minted: Vec<String> =
            funding.iter().filter(|f| f.2 > 0).map(|(name, _, amount)| format!("{} {}", short(name), tokens(*amount / UNIT, 0))).collect();
        self.note(
            "set-up",
            format!("SPL Token mint, {DECIMALS} decimals; ATAs"),
            format!("minted {}: {}", self.io(total), minted.join(", ")),
        );
        Ok(())
    }

    /// The story.
    fn play(&mut self, cast: &Cast) -> Result<(), String> {
        self.setup(cast)?;
        let (owner, a, b) = (cast.owner.pubkey(), cast.a.pubkey(), cast.b.pubkey());
        let mint = self.mint;
        let owner_token = ix::associated_token(&owner, &mint);
        let source = ix::associated_token(&cast.rewards.pubkey(), &mint);

        // d 0: config, device, stake, offer, fill
        let args = InitializeArgs {
            admin: cast.admin.pubkey(),
            oracle: cast.oracle.pubkey(),
            reward_authority: cast.rewards.pubkey(),
            slash_authority: cast.slasher.pubkey(),
            treasury: cast.treasury.pubkey(),
            params: None,
        };
        let init = ix::initialize(cast.deployer.pubkey(), mint.mint, mint.token_program, args);
        self.step("deployer", "initialize (default params)".into(), &[init], &[&cast.deployer], |d| {
            let config: Config = d.svm.decode(&pda::config().0)?;
            let p = config.params;
            Ok(format!(
                "base {}/GPU, cover {}, cooldown {}, cap {}",
                d.io(p.base_stake_per_gpu),
                duration(p.cover_window_secs),
                duration(p.cooldown_secs),
                percent_bps(p.max_costake_bps.into())
            ))
        })?;

        let mut device_id = [0u8; 32];
        device_id[..15].copy_from_slice(b"demo-h100-x8-01");
        self.device = pda::device(&device_id).0;
        let device = self.device;
        let register = ix::register_device(owner, cast.oracle.pubkey(), device_id, GPUS, MULTIPLIER_BPS, &mint);
        let action = format!("register_device: {GPUS} GPUs x{}", MULTIPLIER_BPS / 10_000);
        self.step("owner+oracle", action, &[register], &[&cast.owner, &cast.oracle], |d| {
            Ok(format!("minimum {}", d.io(d.device_state()?.min_required)))
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

        // d 4: the last block with A, then A cancels
        self.reward_day(cast, &source, 4)?;
        let cancel = ix::cancel_costake(a, device, first);
        self.step("co-staker A", format!("cancel_costake #{first}"), &[cancel], &[&cast.a], |d| {
            let offer = d.offer(first)?;
            let device = d.device_state()?;
            Ok(format!(
                "counts until {}, unlock {}; then {} < min {}",
                d.day_of(offer.wait_end),
                d.day_of(offer.unlock_at),
                d.io(device.owner_stake),
                d.io(device.min_required)
            ))
        })?;

        // d 5: a block without a position; the owner covers and offers again; B fills
        self.reward_day(cast, &source, 5)?;
        self.stake(cast, OFFER)?;
        let second = self.offer_and_fill(cast, &cast.b, "co-staker B")?;
        for day in 6..=7 {
            self.reward_day(cast, &source, day)?;
        }

        // d 11: A's wait is over (its unlock stays cancel + 21 d); the owner unstakes with B
        let wait_end = self.offer(first)?.wait_end;
        self.svm.warp_to(wait_end);
        let state = self.device_state()?;
        let unstake = ix::unstake_for(owner, device, &state, self.now());
        let ticket_seq = state.next_ticket_seq;
        self.step("owner", "unstake".into(), &[unstake], &[&cast.owner], |d| {
            let ticket: Ticket = d.svm.decode(&pda::ticket(&device, ticket_seq).0)?;
            let b_unlock = d.offer(second)?.unlock_at;
            Ok(format!(
                "ticket #{ticket_seq} {} unlocks {}; B cooling, unlocks {} (no wait)",
                d.io(ticket.amount),
                d.day_of(ticket.unlock_at),
                d.day_of(b_unlock)
            ))
        })?;

        // a day before the unlocks: too early
        let ticket: Ticket = self.svm.decode(&pda::ticket(&device, ticket_seq).0)?;
        let a_offer = self.offer(first)?;
        let b_offer = self.offer(second)?;
        self.svm.warp_to(a_offer.unlock_at.min(ticket.unlock_at) - DAY);
        let early = ix::withdraw_position(cast.keeper.pubkey(), device, first, a, a_offer.payer, &mint);
        self.refused("anyone", format!("withdraw_position #{first} (A)"), &[early], &[&cast.keeper])?;

        // the unlocks: the ticket and B's position (unstake + 14 d), A's position (cancel + 21 d)
        self.svm.warp_to(ticket.unlock_at.max(b_offer.unlock_at).max(a_offer.unlock_at));
        let owner_before = self.svm.token_balance(&owner_token);
        let withdraw = ix::withdraw_ticket(cast.keeper.pubkey(), device, owner, ticket_seq, ticket.payer, &mint);
        self.step("anyone", format!("withdraw_ticket #{ticket_seq}"), &[withdraw], &[&cast.keeper], |d| {
            let paid = d.svm.token_balance(&owner_token) - owner_before;
            Ok(format!("owner paid {}; unlock = unstake + {}", d.io(paid), duration(ticket.unlock_at - wait_end)))
        })?;
        let since = [("unstake", wait_end), ("cancel", a_offer.cancelled_at)];
        for ((seq, costaker, offer), since) in [(second, b, b_offer), (first, a, a_offer)].into_iter().zip(since) {
            self.withdraw_position(cast, seq, &costaker, &offer, since)?;
        }

        // what the owner earned since the last withdrawal stays claimable after unstaking (R17)
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

        self.holdings.push(Holding { name: "stake vault", address: pda::stake_vault(&device).0, start: 0 });
        self.holdings.push(Holding { name: "overflow vault", address: pda::overflow_vault(&device).0, start: 0 });
        Ok(())
    }

    /// The owner stakes `amount` (R6).
    fn stake(&mut self, cast: &Cast, amount: u64) -> Result<(), String> {
        let owner = cast.owner.pubkey();
        let stake = ix::stake(owner, self.device, ix::associated_token(&owner, &self.mint), amount, &self.mint);
        self.step("owner", format!("stake {}", self.io(amount)), &[stake], &[&cast.owner], |d| {
            let device = d.device_state()?;
            let now = d.now();
            Ok(format!(
                "owner stake {}; counted {}; {}",
                d.io(device.owner_stake),
                tokens(device.counted_stake(now), DECIMALS),
                if device.is_eligible(now) { "eligible" } else { "not eligible" }
            ))
        })
    }

    /// The owner offers [`OFFER`] at [`SHARE_BPS`] and `costaker` fills it; returns its seq.
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
            let config: Config = d.svm.decode(&pda::config().0)?;
            Ok(format!(
                "counted {}; owner overflow {}",
                d.io(device.counted_stake(d.now())),
                tokens(device.owner_overflow(config.params.max_costake_bps, d.now()), DECIMALS)
            ))
        })?;
        Ok(seq)
    }

    /// At `day`, the reward authority pays the block of the day before ([`DAILY_REWARD`]).
    fn reward_day(&mut self, cast: &Cast, source: &Pubkey, day: i64) -> Result<(), String> {
        self.at_day(day);
        let before = self.device_state()?;
        let target = ix::RewardTarget { device: self.device, amount: DAILY_REWARD, filled_seq: before.filled.map(|f| f.seq) };
        let block = self.next_block;
        self.next_block += 1;
        let (start, end) = (START + (day - 1) * DAY, START + day * DAY);
        let pay = ix::distribute_rewards(cast.rewards.pubkey(), *source, block, start, end, &[target], &self.mint);
        let action = format!("distribute_rewards #{block} (d {}..{day})", day - 1);
        self.step("rewards", action, &[pay], &[&cast.rewards], |d| {
            let after = d.device_state()?;
            let to_owner = after.owner_rewards - before.owner_rewards;
            let to_position = after.positions_rewards - before.positions_rewards;
            let paid = d.io(DAILY_REWARD);
            Ok(match before.filled {
                _ if to_owner + to_position == 0 => format!("{paid} skipped: not eligible"),
                Some(f) if to_position > 0 => format!(
                    "{paid}: {} {}, owner {}",
                    short(cast.costaker_name(&f.costaker)),
                    tokens(to_position, DECIMALS),
                    tokens(to_owner, DECIMALS)
                ),
                _ => format!("{paid}: owner {} (no earning position)", tokens(to_owner, DECIMALS)),
            })
        })
    }

    /// Anyone withdraws the ripe position `seq` of `costaker` to the co-staker's ATA (R16).
    /// The result names the unlock as `since.0 + (unlock - since.1)`, e.g. "cancel + 21 d".
    fn withdraw_position(&mut self, cast: &Cast, seq: u64, costaker: &Pubkey, offer: &Offer, since: (&str, i64)) -> Result<(), String> {
        let token = ix::associated_token(costaker, &self.mint);
        let before = self.svm.token_balance(&token);
        let keeper = cast.keeper.pubkey();
        let withdraw = ix::withdraw_position(keeper, self.device, seq, *costaker, offer.payer, &self.mint);
        let name = cast.costaker_name(costaker);
        let action = format!("withdraw_position #{seq} ({})", short(name));
        let unlock = offer.unlock_at;
        self.step("anyone", action, &[withdraw], &[&cast.keeper], |d| {
            let paid = d.svm.token_balance(&token) - before;
            let closed = if d.svm.exists(&pda::offer(&d.device, seq).0) { "" } else { ", closed" };
            Ok(format!(
                "{} paid {} ({} + {} rewards){closed}; unlock = {} + {}",
                short(name),
                d.io(paid),
                tokens(offer.principal, DECIMALS),
                tokens(paid - offer.principal, DECIMALS),
                since.0,
                duration(unlock - since.1)
            ))
        })
    }

    fn totals(&self) -> Totals {
        Totals {
            minted: self.holdings.iter().map(|h| h.start).sum(),
            end: self.holdings.iter().map(|h| self.svm.token_balance(&h.address)).sum(),
            supply: self.svm.supply(&self.mint.mint),
        }
    }

    /// The timeline as a table, then (when the story finished) the balances and the check.
    fn print_text(&self, totals: Option<Totals>) {
        let header = ["day", "actor", "action", "result", "CU"].map(String::from);
        let cells: Vec<[String; 5]> = self
            .rows
            .iter()
            .map(|r| [day_label(r.at), r.actor.into(), r.action.clone(), r.result.clone(), r.cu.map_or(String::new(), |c| tokens(c, 0))])
            .collect();
        print_table(&header, &cells, 4);
        let Some(totals) = totals else { return };
        println!();
        let header = ["account", "start", "end", "change"].map(String::from);
        let mut cells: Vec<[String; 4]> = self
            .holdings
            .iter()
            .map(|h| {
                let end = self.svm.token_balance(&h.address);
                [h.name.into(), tokens(h.start, DECIMALS), tokens(end, DECIMALS), signed(end as i128 - h.start as i128)]
            })
            .collect();
        cells.push([
            "total".into(),
            tokens(totals.minted, DECIMALS),
            tokens(totals.end, DECIMALS),
            signed(totals.end as i128 - totals.minted as i128),
        ]);
        print_table(&header, &cells, 1);
        let verdict = if totals.end == totals.minted && totals.supply == totals.minted { "nothing lost" } else { "MISMATCH" };
        println!(
            "\nminted {} = balances {} = mint supply {}: {verdict}",
            self.io(totals.minted),
            self.io(totals.end),
            self.io(totals.supply)
        );
    }

    fn print_json(&self, totals: Option<Totals>) {
        let steps: Vec<Json> = self
            .rows
            .iter()
            .map(|r| {
                Json::object([
                    ("seconds", Json::Int(r.at.into())),
                    ("day", Json::str(day_label(r.at))),
                    ("actor", Json::str(r.actor)),
                    ("action", Json::str(&r.action)),
                    ("result", Json::str(&r.result)),
                    ("compute_units", r.cu.map_or(Json::Null, |c| Json::Int(c.into()))),
                ])
            })
            .collect();
        let mut fields = vec![("decimals", Json::Int(DECIMALS.into())), ("steps", Json::Array(steps))];
        if let Some(totals) = totals {
            let balances = self.holdings.iter().map(|h| {
                Json::object([
                    ("account", Json::str(h.name)),
                    ("address", Json::str(h.address.to_string())),
                    ("start", Json::Int(h.start.into())),
                    ("end", Json::Int(self.svm.token_balance(&h.address).into())),
                ])
            });
            fields.push(("balances", Json::Array(balances.collect())));
            fields.push(("minted", Json::Int(totals.minted.into())));
            fields.push(("total", Json::Int(totals.end.into())));
            fields.push(("supply", Json::Int(totals.supply.into())));
        }
        println!("{}", Json::object(fields));
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
    fn changes_carry_their_sign() {
        assert_eq!(signed(2_560 * UNIT as i128), "+2,560.000000");
        assert_eq!(signed(-(7_000 * UNIT as i128)), "-7,000.000000");
        assert_eq!(signed(0), "0.000000");
    }
}
