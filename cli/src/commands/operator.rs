//! The network operators' commands: the admin (initialize, roles, pause), the oracle
//! (co-signed registrations, hired status, termination), the reward authority (block rewards
//! from a CSV file) and the slash authority.
use super::owner::{registration, CosignedRegistration};
use super::{key_or_keypair, parse_device_id, CliError, Context, Report, Setup};
use crate::chain::ChainExt;
use crate::json::Json;
use anchor_lang::prelude::Pubkey;
use base64::Engine;
use clap::{Subcommand, ValueEnum};
use device_staking_client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_client::device_staking::state::{Config, Device, Offer, OfferState, Params, Role};
use device_staking_client::{ix, pda, query};
use serde::Deserialize;
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::path::{Path, PathBuf};

/// The most bytes a transaction may take on the wire.
const PACKET_DATA_SIZE: u64 = 1232;

/// The operators' commands. The signer (-k) is the role named in each command's help.
#[derive(Subcommand)]
pub enum OperatorCommand {
    /// Create the config (R30); the program's upgrade authority signs; idempotent
    #[command(long_about = "Create the global config (R30): the staking mint, the roles and the parameters. \
The program's upgrade authority (-k) signs and pays the rent.\n\nParameters: the protocol's defaults \
for the mint's decimals, then --params FILE (TOML, or JSON when the name ends in .json), then each \
--set KEY=VALUE. Keys: base_stake_per_gpu (whole tokens), cover_window_secs, cooldown_secs, \
max_costake_bps, max_active_costakes, max_reward_share_bps, max_slash_bps_per_30d, \
role_change_delay_secs. Roles are addresses or keypair files.\n\nIdempotent: when the config exists \
with the same values it says so and exits 0; when it differs it lists the differences and exits non-zero.")]
    Initialize {
        /// The staking mint (SPL Token or Token-2022)
        #[arg(long)]
        mint: String,
        /// The admin; default: the signer
        #[arg(long)]
        admin: Option<String>,
        /// The oracle (address or keypair file)
        #[arg(long)]
        oracle: String,
        /// The reward authority (address or keypair file)
        #[arg(long)]
        reward_authority: String,
        /// The slash authority (address or keypair file)
        #[arg(long)]
        slash_authority: String,
        /// The treasury wallet (address or keypair file)
        #[arg(long)]
        treasury: String,
        /// A TOML or JSON file of parameters (any subset of the keys)
        #[arg(long, value_name = "FILE")]
        params: Option<PathBuf>,
        /// One parameter: KEY=VALUE (repeatable; wins over --params)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Propose a new admin (R31); the admin signs
    ProposeAdmin {
        /// The proposed admin (address or keypair file)
        new_admin: String,
    },
    /// Accept the admin role (R31); the proposed admin signs
    AcceptAdmin,
    /// Propose a new key for a role, in force after the delay (R31); the admin signs
    ProposeRole {
        /// The role
        role: RoleName,
        /// The proposed key (address or keypair file)
        key: String,
    },
    /// Pause stake, offers, fills and registrations (R32); the admin signs
    Pause,
    /// Lift the pause (R32); the admin signs
    Unpause,
    /// Co-sign a device's registration to a file for its owner (R3); the oracle signs
    #[command(long_about = "Co-sign the registration of a device for its owner (R3): builds the \
register_device transaction paid by --owner, signs it as the oracle (-k) and writes it to --out. The \
owner submits it with `owner register --cosigned FILE` (on a validator, within about a minute).")]
    CosignRegistration {
        /// Device id: 64 hex characters (32 bytes), or a text of at most 32 bytes
        device_id: String,
        /// The device's owner (address or keypair file)
        #[arg(long)]
        owner: String,
        /// GPUs in the device
        #[arg(long)]
        gpus: u16,
        /// Earning multiplier in basis points (10000 = x1)
        #[arg(long)]
        multiplier_bps: u32,
        /// Where to write the co-signed transaction
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Mark a device hired, or idle with --idle (R7); the oracle signs
    SetHired {
        /// The device: its id or its address
        device: String,
        /// Mark it idle instead
        #[arg(long)]
        idle: bool,
    },
    /// Terminate a device, for good (R7); the oracle signs
    Terminate {
        /// The device: its id or its address
        device: String,
    },
    /// Pay one block's rewards to the devices of a CSV file `device,amount` (R20); the reward authority signs
    #[command(long_about = "Pay one block's rewards (R20) to the devices listed in a CSV file of lines \
`device,amount` (device id or address; whole tokens; a header line and # comments are skipped), from \
the reward authority's associated token account. The entries are batched into as few transactions as \
fit. An ineligible device is skipped by the program (nothing moves; the block is recorded). The reward \
authority (-k) signs.\n\nNeeds: BLOCK_ID above every listed device's last block; block end not in the future.")]
    DistributeRewards {
        /// The CSV file
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        /// The block's id (strictly increasing per device)
        #[arg(long)]
        block_id: u64,
        /// The block's start (unix seconds)
        #[arg(long)]
        block_start: i64,
        /// The block's end (unix seconds); default: the Clock's time
        #[arg(long)]
        block_end: Option<i64>,
        /// At most this many devices per transaction (compute budget)
        #[arg(long, default_value_t = 6)]
        per_transaction: usize,
    },
    /// Slash a device's principal to the treasury (R40); the slash authority signs
    Slash {
        /// The device: its id or its address
        device: String,
        /// Whole tokens
        amount: String,
    },
}

/// The roles `propose-role` hands over.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleName {
    /// Attests hardware, marks hired, terminates.
    Oracle,
    /// Pays block rewards.
    RewardAuthority,
    /// Holds and slashes devices.
    SlashAuthority,
    /// Receives slashed tokens and swept surplus.
    Treasury,
}

impl From<RoleName> for Role {
    fn from(role: RoleName) -> Self {
        match role {
            RoleName::Oracle => Role::Oracle,
            RoleName::RewardAuthority => Role::RewardAuthority,
            RoleName::SlashAuthority => Role::SlashAuthority,
            RoleName::Treasury => Role::Treasury,
        }
    }
}

/// Runs an operator command.
pub fn run(ctx: &mut Context, command: OperatorCommand) -> Result<Report, CliError> {
    match command {
        OperatorCommand::Initialize { mint, admin, oracle, reward_authority, slash_authority, treasury, params, set } => {
            let roles = [Some(oracle), Some(reward_authority), Some(slash_authority), Some(treasury), admin];
            initialize(ctx, &mint, roles, params.as_deref(), &set)
        }
        OperatorCommand::ProposeAdmin { new_admin } => {
            let new_admin = key_or_keypair(&new_admin)?;
            admin_action(ctx, "propose-admin", format!("proposed {new_admin} as admin; it must accept"), |admin| ix::propose_admin(admin, new_admin))
        }
        OperatorCommand::AcceptAdmin => admin_action(ctx, "accept-admin", "accepted the admin role".into(), ix::accept_admin),
        OperatorCommand::ProposeRole { role, key } => {
            let key = key_or_keypair(&key)?;
            let delay = ctx.setup()?.config.params.role_change_delay_secs;
            let summary = format!("proposed {key} as {role:?}; in force in {}", device_staking_client::format::duration(delay));
            admin_action(ctx, "propose-role", summary, |admin| ix::propose_role(admin, role.into(), key))
        }
        OperatorCommand::Pause => admin_action(ctx, "pause", "paused".into(), |admin| ix::set_paused(admin, true)),
        OperatorCommand::Unpause => admin_action(ctx, "unpause", "unpaused".into(), |admin| ix::set_paused(admin, false)),
        OperatorCommand::CosignRegistration { device_id, owner, gpus, multiplier_bps, out } => {
            cosign_registration(ctx, &device_id, &owner, gpus, multiplier_bps, &out)
        }
        OperatorCommand::SetHired { device, idle } => {
            let (address, _) = ctx.device(&device)?;
            let summary = format!("{address} marked {}", if idle { "idle" } else { "hired" });
            admin_action(ctx, "set-hired", summary, |oracle| ix::set_hired(oracle, address, !idle))
        }
        OperatorCommand::Terminate { device } => {
            let (address, _) = ctx.device(&device)?;
            admin_action(ctx, "terminate", format!("{address} terminated"), |oracle| ix::terminate(oracle, address))
        }
        OperatorCommand::DistributeRewards { csv, block_id, block_start, block_end, per_transaction } => {
            distribute_rewards(ctx, &csv, block_id, block_start, block_end, per_transaction.max(1))
        }
        OperatorCommand::Slash { device, amount } => slash(ctx, &device, &amount),
    }
}

/// Sends the one instruction `build` makes for the signer (the admin or the oracle).
fn admin_action(ctx: &mut Context, command: &'static str, summary: String, build: impl FnOnce(Pubkey) -> anchor_lang::solana_program::instruction::Instruction) -> Result<Report, CliError> {
    let signer = ctx.signer()?;
    let sent = ctx.send(&[build(signer.pubkey())], &signer, &[])?;
    Ok(Report::sent(summary, &sent, vec![("command", Json::str(command))]))
}

/// A parameter's value in a file: a number, or a text (whole tokens such as "0.5").
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Text(String),
}

/// The parameters a file or `--set` may give; every one optional.
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct ParamsFile {
    base_stake_per_gpu: Option<Number>,
    cover_window_secs: Option<Number>,
    cooldown_secs: Option<Number>,
    max_costake_bps: Option<Number>,
    max_active_costakes: Option<Number>,
    max_reward_share_bps: Option<Number>,
    max_slash_bps_per_30d: Option<Number>,
    role_change_delay_secs: Option<Number>,
}

impl ParamsFile {
    /// Reads a TOML file, or a JSON file when its name ends in `.json`.
    fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        } else {
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        }
    }

    /// `self` with every field `other` gives replaced.
    fn overridden_by(self, other: ParamsFile) -> Self {
        Self {
            base_stake_per_gpu: other.base_stake_per_gpu.or(self.base_stake_per_gpu),
            cover_window_secs: other.cover_window_secs.or(self.cover_window_secs),
            cooldown_secs: other.cooldown_secs.or(self.cooldown_secs),
            max_costake_bps: other.max_costake_bps.or(self.max_costake_bps),
            max_active_costakes: other.max_active_costakes.or(self.max_active_costakes),
            max_reward_share_bps: other.max_reward_share_bps.or(self.max_reward_share_bps),
            max_slash_bps_per_30d: other.max_slash_bps_per_30d.or(self.max_slash_bps_per_30d),
            role_change_delay_secs: other.role_change_delay_secs.or(self.role_change_delay_secs),
        }
    }

    /// The protocol's defaults for `decimals` with the given fields replaced, checked against
    /// the program's bounds (`Params::validate`).
    fn apply(self, decimals: u8) -> Result<Params, String> {
        let mut params = Params::defaults(decimals).map_err(|e| e.to_string())?;
        fn int<T: TryFrom<i64>>(name: &str, value: Number) -> Result<T, String> {
            let n = match value {
                Number::Int(n) => n,
                Number::Text(t) => t.trim().parse().map_err(|_| format!("{name}: `{t}` is not an integer"))?,
            };
            T::try_from(n).map_err(|_| format!("{name}: {n} is out of range"))
        }
        if let Some(v) = self.base_stake_per_gpu {
            params.base_stake_per_gpu = match v {
                Number::Int(n) => device_staking_client::parse::tokens(&n.to_string(), decimals)?,
                Number::Text(t) => device_staking_client::parse::tokens(&t, decimals)?,
            };
        }
        if let Some(v) = self.cover_window_secs {
            params.cover_window_secs = int("cover_window_secs", v)?;
        }
        if let Some(v) = self.cooldown_secs {
            params.cooldown_secs = int("cooldown_secs", v)?;
        }
        if let Some(v) = self.max_costake_bps {
            params.max_costake_bps = int("max_costake_bps", v)?;
        }
        if let Some(v) = self.max_active_costakes {
            params.max_active_costakes = int("max_active_costakes", v)?;
        }
        if let Some(v) = self.max_reward_share_bps {
            params.max_reward_share_bps = int("max_reward_share_bps", v)?;
        }
        if let Some(v) = self.max_slash_bps_per_30d {
            params.max_slash_bps_per_30d = int("max_slash_bps_per_30d", v)?;
        }
        if let Some(v) = self.role_change_delay_secs {
            params.role_change_delay_secs = int("role_change_delay_secs", v)?;
        }
        params.validate().map_err(|e| format!("the parameters are out of the program's bounds: {e}"))?;
        Ok(params)
    }
}

/// The parameters of `--params` and `--set` over the defaults of `decimals`.
fn wanted_params(file: Option<&Path>, set: &[String], decimals: u8) -> Result<Params, String> {
    let mut given = file.map(ParamsFile::read).transpose()?.unwrap_or_default();
    for assignment in set {
        let (key, value) = assignment.split_once('=').ok_or_else(|| format!("--set `{assignment}`: write KEY=VALUE"))?;
        let value = value.trim();
        let quoted = if value.parse::<i64>().is_ok() { value.to_string() } else { format!("{value:?}") };
        let one: ParamsFile = toml::from_str(&format!("{} = {quoted}", key.trim())).map_err(|e| format!("--set `{assignment}`: {e}"))?;
        given = given.overridden_by(one);
    }
    given.apply(decimals)
}

/// Each field of the config that differs from what is wanted: "name: on chain X, wanted Y".
pub fn differences(config: &Config, wanted: &InitializeArgs, mint: &Pubkey, params: &Params, now: i64) -> Vec<String> {
    let mut found = Vec::new();
    let mut compare = |name: &str, on_chain: String, want: String| {
        if on_chain != want {
            found.push(format!("{name}: on chain {on_chain}, wanted {want}"));
        }
    };
    compare("mint", config.mint.to_string(), mint.to_string());
    compare("admin", config.admin.to_string(), wanted.admin.to_string());
    compare("oracle", config.oracle.key_at(now).to_string(), wanted.oracle.to_string());
    compare("reward_authority", config.reward_authority.key_at(now).to_string(), wanted.reward_authority.to_string());
    compare("slash_authority", config.slash_authority.key_at(now).to_string(), wanted.slash_authority.to_string());
    compare("treasury", config.treasury.key_at(now).to_string(), wanted.treasury.to_string());
    for ((name, have), (_, want)) in param_values(&config.params).into_iter().zip(param_values(params)) {
        compare(name, have.to_string(), want.to_string());
    }
    found
}

/// Every parameter by its name (the keys of `--params` and `--set`), in base units and seconds.
fn param_values(params: &Params) -> [(&'static str, i128); 8] {
    [
        ("base_stake_per_gpu", params.base_stake_per_gpu.into()),
        ("cover_window_secs", params.cover_window_secs.into()),
        ("cooldown_secs", params.cooldown_secs.into()),
        ("max_costake_bps", params.max_costake_bps.into()),
        ("max_active_costakes", params.max_active_costakes.into()),
        ("max_reward_share_bps", params.max_reward_share_bps.into()),
        ("max_slash_bps_per_30d", params.max_slash_bps_per_30d.into()),
        ("role_change_delay_secs", params.role_change_delay_secs.into()),
    ]
}

fn params_json(params: &Params) -> Json {
    Json::object(param_values(params).map(|(name, value)| (name, Json::Int(value))))
}

/// `roles`: oracle, reward authority, slash authority, treasury, admin (default: the signer).
fn initialize(ctx: &mut Context, mint: &str, roles: [Option<String>; 5], params_file: Option<&Path>, set: &[String]) -> Result<Report, CliError> {
    let authority = ctx.signer()?;
    let mint: Pubkey = mint.parse().map_err(|e| format!("mint `{mint}`: {e}"))?;
    let mint_info = crate::token::mint_info(&*ctx.chain, &mint)?;
    let params = wanted_params(params_file, set, mint_info.decimals)?;
    let key = |role: &Option<String>| role.as_deref().map(key_or_keypair).transpose();
    let [oracle, reward_authority, slash_authority, treasury, admin] = &roles;
    let args = InitializeArgs {
        admin: key(admin)?.unwrap_or(authority.pubkey()),
        oracle: key(oracle)?.ok_or("--oracle is required")?,
        reward_authority: key(reward_authority)?.ok_or("--reward-authority is required")?,
        slash_authority: key(slash_authority)?.ok_or("--slash-authority is required")?,
        treasury: key(treasury)?.ok_or("--treasury is required")?,
        params: Some(params),
    };
    let config_address = pda::config().0;
    if let Some(config) = ctx.chain.find::<Config>(&config_address)? {
        let differ = differences(&config, &args, &mint, &params, ctx.now()?);
        if differ.is_empty() {
            let text = format!("the config {config_address} already exists with these values: nothing to do\n");
            let json = vec![("command", Json::str("initialize")), ("already_initialized", Json::Bool(true)), ("params", params_json(&params))];
            return Ok(Report { text, json });
        }
        return Err(format!("the config {config_address} already exists with other values:\n  {}", differ.join("\n  ")).into());
    }
    let instruction = ix::initialize(authority.pubkey(), mint, mint_info.token_program, args);
    let sent = ctx.send(&[instruction], &authority, &[])?;
    let summary = format!(
        "initialized the config {config_address}: mint {mint} ({} decimals), base {} per GPU, cover window {}, cooldown {}",
        mint_info.decimals,
        device_staking_client::format::tokens(params.base_stake_per_gpu, mint_info.decimals),
        device_staking_client::format::duration(params.cover_window_secs),
        device_staking_client::format::duration(params.cooldown_secs)
    );
    let fields = vec![("command", Json::str("initialize")), ("already_initialized", Json::Bool(false)), ("params", params_json(&params))];
    Ok(Report::sent(summary, &sent, fields))
}

fn cosign_registration(ctx: &mut Context, device_id: &str, owner: &str, gpus: u16, multiplier_bps: u32, out: &Path) -> Result<Report, CliError> {
    let oracle = ctx.signer()?;
    let setup = ctx.setup()?;
    let owner = key_or_keypair(owner)?;
    let id = parse_device_id(device_id)?;
    let mut transaction = registration(owner, oracle.pubkey(), id, gpus, multiplier_bps, &setup);
    let blockhash = ctx.chain.latest_blockhash()?;
    transaction.try_partial_sign(&[&oracle], blockhash).map_err(|e| format!("cannot sign: {e}"))?;
    let bytes = bincode::serialize(&transaction).map_err(|e| format!("cannot encode the transaction: {e}"))?;
    let file = CosignedRegistration {
        device_id: device_id.to_string(),
        owner: owner.to_string(),
        oracle: oracle.pubkey().to_string(),
        gpu_count: gpus,
        multiplier_bps,
        transaction: base64::engine::general_purpose::STANDARD.encode(bytes),
    };
    let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(Report {
        text: format!("co-signed the registration of {device_id} for {owner} into {}; the owner runs: device-staking owner register --cosigned {}\n", out.display(), out.display()),
        json: vec![("command", Json::str("cosign-registration")), ("file", Json::str(out.display().to_string())), ("device", Json::str(pda::device(&id).0.to_string()))],
    })
}

/// One line of the rewards CSV file.
struct RewardLine {
    device: Pubkey,
    amount: u64,
    filled_seq: Option<u64>,
    rewards_before: u64,
}

fn read_reward_lines(ctx: &Context, setup: &Setup, csv: &Path) -> Result<Vec<RewardLine>, String> {
    let text = std::fs::read_to_string(csv).map_err(|e| format!("cannot read {}: {e}", csv.display()))?;
    let mut lines = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (number == 0 && line.to_ascii_lowercase().starts_with("device")) {
            continue;
        }
        let (device, amount) = line.split_once(',').ok_or_else(|| format!("{}:{}: write `device,amount`", csv.display(), number + 1))?;
        let (address, state) = ctx.device(device.trim()).map_err(|e| format!("{}:{}: {e}", csv.display(), number + 1))?;
        let amount = setup.parse_tokens(amount).map_err(|e| format!("{}:{}: {e}", csv.display(), number + 1))?;
        lines.push(RewardLine {
            device: address,
            amount,
            filled_seq: state.filled.map(|f| f.seq),
            rewards_before: state.rewards_ledger().map_err(|e| e.to_string())?,
        });
    }
    if lines.is_empty() {
        return Err(format!("{} lists no device", csv.display()));
    }
    Ok(lines)
}

/// Splits `lines` into batches of at most `per_transaction` whose transaction fits in a packet.
fn batches(lines: &[RewardLine], per_transaction: usize, fits: impl Fn(&[RewardLine]) -> bool) -> Result<Vec<&[RewardLine]>, String> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let mut end = start + 1;
        if !fits(&lines[start..end]) {
            return Err("one entry alone does not fit in a transaction".into());
        }
        while end < lines.len() && end - start < per_transaction && fits(&lines[start..end + 1]) {
            end += 1;
        }
        out.push(&lines[start..end]);
        start = end;
    }
    Ok(out)
}

fn distribute_rewards(ctx: &mut Context, csv: &Path, block_id: u64, block_start: i64, block_end: Option<i64>, per_transaction: usize) -> Result<Report, CliError> {
    let authority = ctx.signer()?;
    let setup = ctx.setup()?;
    let now = ctx.now()?;
    let block_end = block_end.unwrap_or(now);
    let lines = read_reward_lines(ctx, &setup, csv)?;
    let source = ix::associated_token(&authority.pubkey(), &setup.mint);
    let build = |batch: &[RewardLine]| {
        let targets: Vec<ix::RewardTarget> = batch.iter().map(|l| ix::RewardTarget { device: l.device, amount: l.amount, filled_seq: l.filled_seq }).collect();
        ix::distribute_rewards(authority.pubkey(), source, block_id, block_start, block_end, &targets, &setup.mint)
    };
    let fits = |batch: &[RewardLine]| {
        let transaction = Transaction::new_with_payer(&[build(batch)], Some(&authority.pubkey()));
        bincode::serialized_size(&transaction).is_ok_and(|size| size <= PACKET_DATA_SIZE)
    };
    let mut text = String::new();
    let mut transactions = Vec::new();
    let mut entries = Vec::new();
    for batch in batches(&lines, per_transaction, fits)? {
        let sent = ctx.send(&[build(batch)], &authority, &[])?;
        text.push_str(&format!("block {block_id}: {} device(s) in {}\n", batch.len(), sent.signature));
        transactions.push(Json::str(&sent.signature));
        for line in batch {
            let after: Device = ctx.chain.fetch(&line.device, "device")?;
            let credited = after.rewards_ledger().map_err(|e| e.to_string())?.saturating_sub(line.rewards_before);
            let verdict = if credited > 0 { format!("paid {}", setup.tokens(credited)) } else { "skipped: not eligible".to_string() };
            text.push_str(&format!("  {}  {verdict}\n", line.device));
            entries.push(Json::object([
                ("device", Json::str(line.device.to_string())),
                ("amount", setup.amount_json(line.amount)),
                ("credited", setup.amount_json(credited)),
                ("paid", Json::Bool(credited > 0)),
            ]));
        }
    }
    let json = vec![
        ("command", Json::str("distribute-rewards")),
        ("block_id", Json::Int(block_id.into())),
        ("transactions", Json::Array(transactions)),
        ("entries", Json::Array(entries)),
    ];
    Ok(Report { text, json })
}

fn slash(ctx: &mut Context, device_ref: &str, amount: &str) -> Result<Report, CliError> {
    let authority = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, device) = ctx.device(device_ref)?;
    let amount = setup.parse_tokens(amount)?;
    let now = ctx.now()?;
    let ticket_seq = if device.unstaking { device.next_ticket_seq.checked_sub(1) } else { None };
    let mut positions: Vec<Offer> = ctx.chain.list::<Offer>(&query::offers_of_device(&address))?.into_iter().map(|(_, o)| o).collect();
    let order = |state: OfferState| match state {
        OfferState::Filled => 0,
        OfferState::Exiting => 1,
        OfferState::Cooling => 2,
        OfferState::Open => 3,
    };
    positions.retain(|o| o.state != OfferState::Open);
    positions.sort_by_key(|o| (order(o.state), o.seq));
    let seqs: Vec<u64> = positions.iter().map(|o| o.seq).collect();
    let treasury_token = ix::associated_token(&setup.config.treasury.key_at(now), &setup.mint);
    let before = device.principal_ledger().map_err(|e| e.to_string())?;
    let instruction = ix::slash(authority.pubkey(), address, treasury_token, ticket_seq, &seqs, amount, &setup.mint);
    let sent = ctx.send(&[instruction], &authority, &[])?;
    let after: Device = ctx.chain.fetch(&address, "device")?;
    let taken = before.saturating_sub(after.principal_ledger().map_err(|e| e.to_string())?);
    let summary = format!("slashed {} of {address} to the treasury (asked {})", setup.tokens(taken), setup.tokens(amount));
    let fields = vec![("command", Json::str("slash")), ("device", Json::str(address.to_string())), ("taken", setup.amount_json(taken))];
    Ok(Report::sent(summary, &sent, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u8) -> RewardLine {
        RewardLine { device: Pubkey::new_from_array([n; 32]), amount: n.into(), filled_seq: None, rewards_before: 0 }
    }

    #[test]
    fn batches_respect_the_count_and_the_size() {
        let lines: Vec<RewardLine> = (1..=7).map(line).collect();
        let sizes = |b: &[&[RewardLine]]| b.iter().map(|x| x.len()).collect::<Vec<_>>();
        assert_eq!(sizes(&batches(&lines, 3, |_| true).unwrap()), [3, 3, 1]);
        assert_eq!(sizes(&batches(&lines, 10, |b| b.len() <= 2).unwrap()), [2, 2, 2, 1]);
        assert!(batches(&lines, 10, |_| false).is_err());
    }

    #[test]
    fn parameters_come_from_defaults_then_the_file_then_set() {
        let defaults = Params::defaults(6).unwrap();
        assert_eq!(wanted_params(None, &[], 6).unwrap(), defaults);
        let file = std::env::temp_dir().join(format!("params-{}.toml", std::process::id()));
        std::fs::write(&file, "cooldown_secs = 60\nbase_stake_per_gpu = \"0.5\"\n").unwrap();
        let params = wanted_params(Some(&file), &["cooldown_secs=90".into(), "max_costake_bps = 2500".into()], 6).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!((params.cooldown_secs, params.base_stake_per_gpu, params.max_costake_bps), (90, 500_000, 2_500));
        assert_eq!(params.cover_window_secs, defaults.cover_window_secs);
        assert!(wanted_params(None, &["max_costake_bps=9000".into()], 6).is_err());
        assert!(wanted_params(None, &["no_such_key=1".into()], 6).is_err());
    }
}
