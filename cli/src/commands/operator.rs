//! The network operators' commands: the admin (initialize, roles, parameters, pause, surplus),
//! the oracle (co-signed registrations, hardware, hired status, termination), the reward
//! authority (block rewards from a CSV file) and the slash authority (hold, slash). Whoever is
//! proposed for a role accepts it with `accept-role`.
use super::owner::{registration, CosignedRegistration};
use super::{is_local_url, key_or_keypair, parse_device_id, CliError, Context, DeviceAccount, Report, Setup};
use crate::chain::ChainExt;
use crate::events;
use crate::json;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use base64::Engine;
use clap::{Subcommand, ValueEnum};
use device_staking_client::describe;
use device_staking_client::device_staking::events::{
    DeviceHeld, MinimumChanged, RewardPaid, RewardSkipped, Slashed, SurplusSwept,
};
use device_staking_client::device_staking::instructions::initialize::InitializeArgs;
use device_staking_client::device_staking::state::{Config, Device, Floors, Params, Role};
use device_staking_client::format::{duration, percent_bps};
use device_staking_client::{ix, parse, pda};
use serde::Deserialize;
use serde_json::{json, Value};
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::path::{Path, PathBuf};

/// The most bytes a transaction may take on the wire.
const PACKET_DATA_SIZE: u64 = 1232;

/// The operators' commands. The signer (-k) is the role named in each command's help.
#[derive(Subcommand)]
pub enum OperatorCommand {
    /// Create the config (R30); the program's upgrade authority signs; idempotent
    #[command(long_about = "Create the global config (R30): the staking mint, the roles, the floors and the \
parameters. The program's upgrade authority (-k) signs and pays the rent.\n\nFloors (--floors): the smallest \
cover window, cooldown and role change delay the parameters may ever have, fixed here and never lowered: \
mainnet and devnet 1 d / 7 d / 7 d; local 1 s / 1 s / 0 s, accepted only for a chain on this machine \
(--url localhost or svm:PATH).\n\nParameters: the protocol's defaults for the mint's decimals, then --params \
FILE (TOML, or JSON when the name ends in .json), then each --set KEY=VALUE. Keys: base_stake_per_gpu (whole \
tokens), cover_window_secs, cooldown_secs, max_costake_bps, max_active_costakes, max_reward_share_bps, \
min_offer_bps, max_slash_bps_per_30d, max_hold_secs, role_change_delay_secs. Roles are addresses or keypair \
files.\n\nIdempotent: when the config exists with the same values it says so and exits 0; when it differs it \
lists the differences and exits non-zero.")]
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
        /// The floors of the protection windows, fixed for good
        #[arg(long, value_enum, default_value_t = FloorsName::Mainnet)]
        floors: FloorsName,
        /// A TOML or JSON file of parameters (any subset of the keys)
        #[arg(long, value_name = "FILE")]
        params: Option<PathBuf>,
        /// One parameter: KEY=VALUE (repeatable; wins over --params)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Propose a key for a role (R31, R34); the admin signs; the key accepts, in force at R34's time
    #[command(long_about = "Propose KEY for ROLE (R31): the key accepts with `operator accept-role ROLE` \
(signed by it), and takes over at the later of its acceptance and R34's time: the admin's delay, but at \
least until a co-staker who starts leaving now is ripe and an owner who unstakes now is past any hold. A \
newer proposal for the role replaces this one. The admin (-k) signs.")]
    ProposeRole {
        /// The role
        role: RoleName,
        /// The proposed key (address or keypair file)
        key: String,
    },
    /// Accept a role proposed to you (R31); the proposed key (-k) signs
    AcceptRole {
        /// The role
        role: RoleName,
    },
    /// Cancel a pending role change (R31); the admin signs
    CancelRole {
        /// The role
        role: RoleName,
    },
    /// Revoke the oracle, the reward or the slash authority at once (R34); the admin signs
    #[command(long_about = "Set ROLE (oracle, reward or slash) to none at once (R34), cancelling a pending \
grant for it: a revoked oracle's hired marks no longer count, a revoked slash authority's holds end, a \
revoked reward authority pays nothing. The admin and the treasury are only ever replaced (propose-role). \
The admin (-k) signs.")]
    RevokeRole {
        /// The role
        role: RoleName,
    },
    /// Pause registrations, offers, fills and stake (R32); the admin signs
    Pause,
    /// Lift the pause (R32); the admin signs
    Unpause,
    /// Propose new parameters, applying at R34's time (R33); the admin signs
    #[command(long_about = "Propose a new parameter set (R33): the parameters in force, then --params FILE, \
then each --set KEY=VALUE (the keys of `initialize`). It applies at R34's time, printed here; deadlines \
already recorded in accounts never change; a newer proposal replaces this one. The admin (-k) signs.")]
    UpdateParams {
        /// A TOML or JSON file of parameters (any subset of the keys)
        #[arg(long, value_name = "FILE")]
        params: Option<PathBuf>,
        /// One parameter: KEY=VALUE (repeatable; wins over --params)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Cancel pending parameters (R31); the admin signs
    CancelParams,
    /// Lower the slash cap at once, also in pending parameters (R34); the admin signs
    LowerSlashCap {
        /// The new max_slash_bps_per_30d: basis points (2500) or a percentage (25%)
        bps: String,
    },
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
        /// Earning multiplier: x10, x1.5, or basis points (10000 = x1, 100000 = x10)
        #[arg(long, visible_alias = "multiplier", value_name = "MULTIPLIER", value_parser = super::parse_multiplier)]
        multiplier_bps: u32,
        /// Where to write the co-signed transaction
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Attest a device's new hardware (R2); the oracle signs
    #[command(long_about = "Attest DEVICE's GPU count and multiplier (R2). When the minimum rises on a device \
that met the previous one, the previous minimum stays in force for one cover window (a running grace is \
never extended). The oracle (-k) signs.")]
    UpdateHardware {
        /// The device: its id or its address
        device: String,
        /// GPUs in the device
        #[arg(long)]
        gpus: u16,
        /// Earning multiplier: x10, x1.5, or basis points (10000 = x1, 100000 = x10)
        #[arg(long, visible_alias = "multiplier", value_name = "MULTIPLIER", value_parser = super::parse_multiplier)]
        multiplier_bps: u32,
    },
    /// Mark a device hired until a time (at most 30 d ahead), or not hired with --clear (R7); the oracle signs
    #[command(long_about = "Mark DEVICE hired until --until (R7): a UTC date (2025-07-01 12:00), a unix time, \
or a duration from now (30d, 12h); at most 30 days ahead; the oracle renews it. While hired the owner cannot \
unstake. --clear marks it not hired. The oracle (-k) signs.")]
    #[command(group = clap::ArgGroup::new("hired").required(true).args(["until", "clear"]))]
    SetHired {
        /// The device: its id or its address
        device: String,
        /// Hired until then: a date, a unix time or a duration from now (30d)
        #[arg(long)]
        until: Option<String>,
        /// Not hired any more
        #[arg(long, alias = "idle")]
        clear: bool,
    },
    /// Terminate a device, for good (R7); the oracle signs
    Terminate {
        /// The device: its id or its address
        device: String,
    },
    /// Pay one block's rewards to the devices of a CSV file `device,amount` (R20); the reward authority signs
    #[command(long_about = "Pay one block's rewards (R20) to the devices listed in a CSV file of lines \
`device,amount` (device id or address; whole tokens; a header line and # comments are skipped), from \
the reward authority's associated token account. The program splits each entry itself: the position that \
earned during the block gets its share, the owner the rest. The entries are batched into as few \
transactions as fit. An entry is skipped, with the reason printed and nothing moved, when the device is \
closed, terminated or unstaking since the block's start, registered after it, or already paid for a block \
ending after this one's start. The reward authority (-k) signs.\n\nNeeds: block start < block end <= now; \
each device at most once.")]
    DistributeRewards {
        /// The CSV file
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
        /// The block's id (labels the events)
        #[arg(long)]
        block_id: u64,
        /// The block's start: a unix time, a UTC date or a duration before now (1d ago)
        #[arg(long, allow_hyphen_values = true)]
        block_start: String,
        /// The block's end (same forms); default: the Clock's time
        #[arg(long, allow_hyphen_values = true)]
        block_end: Option<String>,
        /// At most this many devices per transaction (compute budget)
        #[arg(long, default_value_t = 6)]
        per_transaction: usize,
    },
    /// Slash a device's principal for an incident, to the treasury (R40); the slash authority signs
    #[command(long_about = "Slash up to AMOUNT whole tokens of DEVICE's principal for an incident at \
--incident-at (R40; default now; within the last 30 days). The owner's stake is taken first, then the \
positions that counted at the incident pro rata, each within its rolling 30-day cap; the tokens go to the \
treasury's associated token account (created if missing, at the signer's cost). The slash authority (-k) signs.")]
    Slash {
        /// The device: its id or its address
        device: String,
        /// Whole tokens
        amount: String,
        /// When the incident happened: now, a UTC date, a unix time or a duration before now (2h ago)
        #[arg(long, allow_hyphen_values = true)]
        incident_at: Option<String>,
    },
    /// Hold a device's owner exits until a time (R41); the slash authority signs
    #[command(long_about = "Hold DEVICE until --until (R41): a date, a unix time or a duration from now (3d). \
While held, the owner's principal overflow and a ticket that was not ripe at the incident's start cannot be \
withdrawn; co-stakers' exits are never held. An incident's holds reach at most max_hold_secs past its first \
hold, and a new incident may start only 30 days after the previous one. The slash authority (-k) signs.")]
    Hold {
        /// The device: its id or its address
        device: String,
        /// Held until then
        #[arg(long)]
        until: String,
    },
    /// Sweep tokens donated to a device's vaults to the treasury (R52); the admin signs
    SweepSurplus {
        /// The device: its id or its address
        device: String,
    },
}

/// The roles of `propose-role` and the other role commands.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleName {
    /// Owns the config.
    Admin,
    /// Attests hardware, marks hired, terminates, co-signs registrations.
    Oracle,
    /// Pays block rewards.
    #[value(alias = "reward-authority")]
    Reward,
    /// Holds and slashes devices.
    #[value(alias = "slash-authority")]
    Slash,
    /// Receives slashed tokens and swept surplus.
    Treasury,
}

impl From<RoleName> for Role {
    fn from(role: RoleName) -> Self {
        match role {
            RoleName::Admin => Role::Admin,
            RoleName::Oracle => Role::Oracle,
            RoleName::Reward => Role::RewardAuthority,
            RoleName::Slash => Role::SlashAuthority,
            RoleName::Treasury => Role::Treasury,
        }
    }
}

/// `--floors`: which deployment the floors are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FloorsName {
    /// 1 s / 1 s / 0 s: a chain on this machine only.
    Local,
    /// 1 d / 7 d / 7 d.
    Devnet,
    /// 1 d / 7 d / 7 d.
    Mainnet,
}

impl FloorsName {
    /// The floors' values: cover window, cooldown, role change delay.
    pub fn floors(self) -> Floors {
        const DAY: i64 = 86_400;
        match self {
            FloorsName::Local => Floors { cover_window_secs: 1, cooldown_secs: 1, role_change_delay_secs: 0 },
            FloorsName::Devnet | FloorsName::Mainnet => {
                Floors { cover_window_secs: DAY, cooldown_secs: 7 * DAY, role_change_delay_secs: 7 * DAY }
            }
        }
    }

    /// Refuses the local floors for a chain that is not on this machine.
    pub fn check(self, url: &str) -> Result<(), String> {
        if self == FloorsName::Local && !is_local_url(url) {
            return Err(format!(
                "--floors local (windows of seconds) is only for a chain on this machine (localhost or svm:PATH), not {url}"
            ));
        }
        Ok(())
    }
}

/// Runs an operator command.
pub fn run(ctx: &mut Context, command: OperatorCommand) -> Result<Report, CliError> {
    match command {
        OperatorCommand::Initialize { mint, admin, oracle, reward_authority, slash_authority, treasury, floors, params, set } => {
            let roles = [Some(oracle), Some(reward_authority), Some(slash_authority), Some(treasury), admin];
            initialize(ctx, &mint, roles, floors, params.as_deref(), &set)
        }
        OperatorCommand::ProposeRole { role, key } => propose_role(ctx, role.into(), &key),
        OperatorCommand::AcceptRole { role } => accept_role(ctx, role.into()),
        OperatorCommand::CancelRole { role } => {
            let role: Role = role.into();
            signed(ctx, "cancel-role", format!("cancelled the pending change of the {}", describe::role(role)), |admin| {
                ix::cancel_role(admin, role)
            })
        }
        OperatorCommand::RevokeRole { role } => {
            let role: Role = role.into();
            signed(ctx, "revoke-role", format!("revoked the {}: nobody holds it from now on", describe::role(role)), |admin| {
                ix::revoke_role(admin, role)
            })
        }
        OperatorCommand::Pause => signed(ctx, "pause", "paused".into(), |admin| ix::set_paused(admin, true)),
        OperatorCommand::Unpause => signed(ctx, "unpause", "unpaused".into(), |admin| ix::set_paused(admin, false)),
        OperatorCommand::UpdateParams { params, set } => update_params(ctx, params.as_deref(), &set),
        OperatorCommand::CancelParams => {
            signed(ctx, "cancel-params", "cancelled the pending parameters".into(), ix::cancel_params)
        }
        OperatorCommand::LowerSlashCap { bps } => {
            let bps = parse_bps(&bps)?;
            signed(
                ctx,
                "lower-slash-cap",
                format!("the slash cap is {} of a staker's principal per 30 days from now", percent_bps(bps.into())),
                |admin| ix::lower_slash_cap(admin, bps),
            )
        }
        OperatorCommand::CosignRegistration { device_id, owner, gpus, multiplier_bps, out } => {
            cosign_registration(ctx, &device_id, &owner, gpus, multiplier_bps, &out)
        }
        OperatorCommand::UpdateHardware { device, gpus, multiplier_bps } => update_hardware(ctx, &device, gpus, multiplier_bps),
        OperatorCommand::SetHired { device, until, clear } => {
            set_hired(ctx, &device, if clear { None } else { until.as_deref() })
        }
        OperatorCommand::Terminate { device } => {
            let (address, _) = ctx.device(&device)?;
            ctx.confirm(&format!("Terminate the device {address}: it leaves the network for good (R7)."))?;
            signed(ctx, "terminate", format!("{address} terminated"), |oracle| ix::terminate(oracle, address))
        }
        OperatorCommand::DistributeRewards { csv, block_id, block_start, block_end, per_transaction } => {
            distribute_rewards(ctx, &csv, block_id, &block_start, block_end.as_deref(), per_transaction.max(1))
        }
        OperatorCommand::Slash { device, amount, incident_at } => slash(ctx, &device, &amount, incident_at.as_deref()),
        OperatorCommand::Hold { device, until } => hold(ctx, &device, &until),
        OperatorCommand::SweepSurplus { device } => sweep_surplus(ctx, &device),
    }
}

/// Basis points typed as a number (`2500`) or a percentage (`25%`).
fn parse_bps(text: &str) -> Result<u16, String> {
    if text.trim().ends_with('%') {
        parse::percent_bps(text)
    } else {
        text.trim()
            .parse::<u16>()
            .ok()
            .filter(|b| *b <= 10_000)
            .ok_or_else(|| format!("`{text}` is not a number of basis points (0 to 10000) nor a percentage"))
    }
}

/// Sends the one instruction `build` makes for the signer (the admin or the oracle).
fn signed(
    ctx: &mut Context,
    command: &'static str,
    summary: String,
    build: impl FnOnce(Pubkey) -> Instruction,
) -> Result<Report, CliError> {
    let signer = ctx.signer()?;
    let sent = ctx.send(&[build(signer.pubkey())], &signer, &[])?;
    Ok(Report::sent(summary, &sent, vec![("command", json!(command))]))
}

fn propose_role(ctx: &mut Context, role: Role, key: &str) -> Result<Report, CliError> {
    let admin = ctx.signer()?;
    let setup = ctx.setup()?;
    let key = key_or_keypair(key)?;
    let sent = ctx.send(&[ix::propose_role(admin.pubkey(), role, key)], &admin, &[])?;
    let slot = *ctx.chain.fetch::<Config>(&pda::config().0, "config")?.role_slot(role);
    let summary = format!(
        "proposed {key} as the {}; in force from {} once it accepts: device-staking operator accept-role {} -k <its keypair>",
        describe::role(role),
        setup.when(slot.effective_at),
        role_arg(role)
    );
    let fields = vec![
        ("command", json!("propose-role")),
        ("role", json!(describe::role(role))),
        ("key", json!(key.to_string())),
        ("effective_at", json!(slot.effective_at)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

/// The argument naming `role` on the command line.
fn role_arg(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Oracle => "oracle",
        Role::RewardAuthority => "reward",
        Role::SlashAuthority => "slash",
        Role::Treasury => "treasury",
    }
}

fn accept_role(ctx: &mut Context, role: Role) -> Result<Report, CliError> {
    let key = ctx.signer()?;
    let setup = ctx.setup()?;
    let sent = ctx.send(&[ix::accept_role(key.pubkey(), role)], &key, &[])?;
    let slot = *ctx.chain.fetch::<Config>(&pda::config().0, "config")?.role_slot(role);
    let summary = format!(
        "{} accepted the role of {}; in force from {}",
        key.pubkey(),
        describe::role(role),
        setup.when(slot.effective_at)
    );
    let fields = vec![
        ("command", json!("accept-role")),
        ("role", json!(describe::role(role))),
        ("key", json!(key.pubkey().to_string())),
        ("effective_at", json!(slot.effective_at)),
    ];
    Ok(Report::sent(summary, &sent, fields))
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
    min_offer_bps: Option<Number>,
    max_slash_bps_per_30d: Option<Number>,
    max_hold_secs: Option<Number>,
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
            min_offer_bps: other.min_offer_bps.or(self.min_offer_bps),
            max_slash_bps_per_30d: other.max_slash_bps_per_30d.or(self.max_slash_bps_per_30d),
            max_hold_secs: other.max_hold_secs.or(self.max_hold_secs),
            role_change_delay_secs: other.role_change_delay_secs.or(self.role_change_delay_secs),
        }
    }

    /// `base` with the given fields replaced, checked against the program's bounds and `floors`
    /// (`Params::validate`).
    fn apply(self, mut params: Params, decimals: u8, floors: &Floors) -> Result<Params, String> {
        fn int<T: TryFrom<i64>>(name: &str, value: Number) -> Result<T, String> {
            let n = match value {
                Number::Int(n) => n,
                Number::Text(t) => t.trim().parse().map_err(|_| format!("{name}: `{t}` is not an integer"))?,
            };
            T::try_from(n).map_err(|_| format!("{name}: {n} is out of range"))
        }
        if let Some(v) = self.base_stake_per_gpu {
            params.base_stake_per_gpu = match v {
                Number::Int(n) => parse::tokens(&n.to_string(), decimals)?,
                Number::Text(t) => parse::tokens(&t, decimals)?,
            };
        }
        macro_rules! set {
            ($($field:ident),+) => {$(
                if let Some(v) = self.$field {
                    params.$field = int(stringify!($field), v)?;
                }
            )+};
        }
        set!(
            cover_window_secs,
            cooldown_secs,
            max_costake_bps,
            max_active_costakes,
            max_reward_share_bps,
            min_offer_bps,
            max_slash_bps_per_30d,
            max_hold_secs,
            role_change_delay_secs
        );
        params
            .validate(floors)
            .map_err(|e| format!("the parameters are out of the program's bounds or below the floors: {e}"))?;
        Ok(params)
    }
}

/// The parameters of `--params` and `--set` over `base` (the defaults of `decimals` at
/// initialize, the parameters in force at update-params), checked against `floors`.
fn wanted_params(base: Params, file: Option<&Path>, set: &[String], decimals: u8, floors: &Floors) -> Result<Params, String> {
    let mut given = file.map(ParamsFile::read).transpose()?.unwrap_or_default();
    for assignment in set {
        let (key, value) = assignment.split_once('=').ok_or_else(|| format!("--set `{assignment}`: write KEY=VALUE"))?;
        let value = value.trim();
        let quoted = if value.parse::<i64>().is_ok() { value.to_string() } else { format!("{value:?}") };
        let one: ParamsFile =
            toml::from_str(&format!("{} = {quoted}", key.trim())).map_err(|e| format!("--set `{assignment}`: {e}"))?;
        given = given.overridden_by(one);
    }
    given.apply(base, decimals, floors)
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
    compare("admin", config.admin.key_at(now).to_string(), wanted.admin.to_string());
    compare("oracle", config.oracle.key_at(now).to_string(), wanted.oracle.to_string());
    compare("reward_authority", config.reward_authority.key_at(now).to_string(), wanted.reward_authority.to_string());
    compare("slash_authority", config.slash_authority.key_at(now).to_string(), wanted.slash_authority.to_string());
    compare("treasury", config.treasury.key_at(now).to_string(), wanted.treasury.to_string());
    let floors = |f: &Floors| {
        format!("{} / {} / {}", duration(f.cover_window_secs), duration(f.cooldown_secs), duration(f.role_change_delay_secs))
    };
    compare("floors", floors(&config.floors), floors(&wanted.floors));
    for ((name, have), (_, want)) in param_values(&config.params_at(now)).into_iter().zip(param_values(params)) {
        compare(name, have.to_string(), want.to_string());
    }
    found
}

/// Every parameter by its name (the keys of `--params` and `--set`), in base units and seconds.
pub fn param_values(params: &Params) -> [(&'static str, i128); 10] {
    [
        ("base_stake_per_gpu", params.base_stake_per_gpu.into()),
        ("cover_window_secs", params.cover_window_secs.into()),
        ("cooldown_secs", params.cooldown_secs.into()),
        ("max_costake_bps", params.max_costake_bps.into()),
        ("max_active_costakes", params.max_active_costakes.into()),
        ("max_reward_share_bps", params.max_reward_share_bps.into()),
        ("min_offer_bps", params.min_offer_bps.into()),
        ("max_slash_bps_per_30d", params.max_slash_bps_per_30d.into()),
        ("max_hold_secs", params.max_hold_secs.into()),
        ("role_change_delay_secs", params.role_change_delay_secs.into()),
    ]
}

fn params_json(params: &Params) -> Value {
    json::object(param_values(params).map(|(name, value)| (name, json!(value))))
}

/// `roles`: oracle, reward authority, slash authority, treasury, admin (default: the signer).
fn initialize(
    ctx: &mut Context,
    mint: &str,
    roles: [Option<String>; 5],
    floors_name: FloorsName,
    params_file: Option<&Path>,
    set: &[String],
) -> Result<Report, CliError> {
    floors_name.check(&ctx.url)?;
    let floors = floors_name.floors();
    let authority = ctx.signer()?;
    let mint: Pubkey = mint.parse().map_err(|e| format!("mint `{mint}`: {e}"))?;
    let mint_info = crate::token::mint_info(&*ctx.chain, &mint)?;
    let defaults = Params::defaults(mint_info.decimals).map_err(|e| e.to_string())?;
    let params = wanted_params(defaults, params_file, set, mint_info.decimals, &floors)?;
    let key = |role: &Option<String>| role.as_deref().map(key_or_keypair).transpose();
    let [oracle, reward_authority, slash_authority, treasury, admin] = &roles;
    let args = InitializeArgs {
        admin: key(admin)?.unwrap_or(authority.pubkey()),
        oracle: key(oracle)?.ok_or("--oracle is required")?,
        reward_authority: key(reward_authority)?.ok_or("--reward-authority is required")?,
        slash_authority: key(slash_authority)?.ok_or("--slash-authority is required")?,
        treasury: key(treasury)?.ok_or("--treasury is required")?,
        floors,
        params: Some(params),
    };
    let config_address = pda::config().0;
    if let Some(config) = ctx.chain.find::<Config>(&config_address)? {
        let differ = differences(&config, &args, &mint, &params, ctx.now()?);
        if differ.is_empty() {
            let text = format!("the config {config_address} already exists with these values: nothing to do\n");
            let json =
                vec![("command", json!("initialize")), ("already_initialized", json!(true)), ("params", params_json(&params))];
            return Ok(Report { text, json });
        }
        return Err(format!("the config {config_address} already exists with other values:\n  {}", differ.join("\n  ")).into());
    }
    let instruction = ix::initialize(authority.pubkey(), mint, mint_info.token_program, args);
    let sent = ctx.send(&[instruction], &authority, &[])?;
    let summary = format!(
        "initialized the config {config_address}: mint {mint} ({} decimals), base {} per GPU, cover window {}, cooldown {}; {} floors {} / {} / {}",
        mint_info.decimals,
        device_staking_client::format::tokens(params.base_stake_per_gpu, mint_info.decimals),
        duration(params.cover_window_secs),
        duration(params.cooldown_secs),
        format!("{floors_name:?}").to_lowercase(),
        duration(floors.cover_window_secs),
        duration(floors.cooldown_secs),
        duration(floors.role_change_delay_secs)
    );
    let fields = vec![
        ("command", json!("initialize")),
        ("already_initialized", json!(false)),
        ("params", params_json(&params)),
        (
            "floors",
            json!({
                "cover_window_secs": floors.cover_window_secs,
                "cooldown_secs": floors.cooldown_secs,
                "role_change_delay_secs": floors.role_change_delay_secs,
            }),
        ),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn update_params(ctx: &mut Context, file: Option<&Path>, set: &[String]) -> Result<Report, CliError> {
    let admin = ctx.signer()?;
    let setup = ctx.setup()?;
    let in_force = setup.config.params_at(setup.now);
    let params = wanted_params(in_force, file, set, setup.decimals, &setup.config.floors)?;
    let sent = ctx.send(&[ix::update_params(admin.pubkey(), params)], &admin, &[])?;
    let config: Config = ctx.chain.fetch(&pda::config().0, "config")?;
    let changes: Vec<String> = param_values(&in_force)
        .into_iter()
        .zip(param_values(&params))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, a), (_, b))| format!("{name} {a} -> {b}"))
        .collect();
    let summary = format!(
        "proposed parameters ({}); they apply {}",
        if changes.is_empty() { "the same as in force".to_string() } else { changes.join(", ") },
        setup.when(config.params_effective_at)
    );
    let fields = vec![
        ("command", json!("update-params")),
        ("params", params_json(&params)),
        ("effective_at", json!(config.params_effective_at)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn cosign_registration(
    ctx: &mut Context,
    device_id: &str,
    owner: &str,
    gpus: u16,
    multiplier_bps: u32,
    out: &Path,
) -> Result<Report, CliError> {
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
        json: vec![("command", json!("cosign-registration")), ("file", json!(out.display().to_string())), ("device", json!(pda::device(&id).0.to_string()))],
    })
}

fn update_hardware(ctx: &mut Context, device_ref: &str, gpus: u16, multiplier_bps: u32) -> Result<Report, CliError> {
    let oracle = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let sent = ctx.send(&[ix::update_hardware(oracle.pubkey(), address, gpus, multiplier_bps)], &oracle, &[])?;
    let after: Device = ctx.chain.fetch(&address, "device")?;
    let changed = events::decode::<MinimumChanged>(&sent.logs).pop();
    let (previous, min) = changed.as_ref().map_or((0, 0), |e| (e.previous_min, e.min_required));
    let grace = if after.grace_end > setup.now {
        format!("; the previous minimum stays in force until {}", setup.when(after.grace_end))
    } else {
        String::new()
    };
    let summary = format!(
        "{address}: {gpus} GPUs, multiplier {}; minimum {} -> {}{grace}",
        super::multiplier_text(multiplier_bps.into()),
        setup.tokens(previous),
        setup.tokens(min)
    );
    let fields = vec![
        ("command", json!("update-hardware")),
        ("device", json!(address.to_string())),
        ("previous_min", setup.amount_json(previous)),
        ("min_required", setup.amount_json(min)),
        ("grace_end", json!(after.grace_end)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn set_hired(ctx: &mut Context, device_ref: &str, until: Option<&str>) -> Result<Report, CliError> {
    let oracle = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let until = until.map(|text| parse::time(text, setup.now)).transpose()?.unwrap_or(0);
    let sent = ctx.send(&[ix::set_hired(oracle.pubkey(), address, until)], &oracle, &[])?;
    let summary =
        if until == 0 { format!("{address} is not hired") } else { format!("{address} hired until {}", setup.when(until)) };
    let fields = vec![("command", json!("set-hired")), ("device", json!(address.to_string())), ("hired_until", json!(until))];
    Ok(Report::sent(summary, &sent, fields))
}

/// One line of the rewards CSV file.
struct RewardLine {
    device: Pubkey,
    amount: u64,
}

fn read_reward_lines(ctx: &Context, setup: &Setup, csv: &Path) -> Result<Vec<RewardLine>, String> {
    let text = std::fs::read_to_string(csv).map_err(|e| format!("cannot read {}: {e}", csv.display()))?;
    let mut lines: Vec<RewardLine> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (number == 0 && line.to_ascii_lowercase().starts_with("device")) {
            continue;
        }
        let at = |e: String| format!("{}:{}: {e}", csv.display(), number + 1);
        let (device, amount) = line.split_once(',').ok_or_else(|| at("write `device,amount`".into()))?;
        // a closed device is listed too: the program skips it and says so
        let (address, _) = ctx.device_account(device.trim()).map_err(at)?;
        if lines.iter().any(|l| l.device == address) {
            return Err(at(format!(
                "{address} is listed twice (the program refuses a device twice in a block: DuplicateDeviceInBatch)"
            )));
        }
        let amount = setup.parse_tokens(amount).map_err(at)?;
        lines.push(RewardLine { device: address, amount });
    }
    if lines.is_empty() {
        return Err(format!("{} lists no device", csv.display()));
    }
    Ok(lines)
}

/// Splits `lines` into batches of at most `per_transaction` whose transaction fits in a packet.
fn batches(
    lines: &[RewardLine],
    per_transaction: usize,
    fits: impl Fn(&[RewardLine]) -> bool,
) -> Result<Vec<&[RewardLine]>, String> {
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

fn distribute_rewards(
    ctx: &mut Context,
    csv: &Path,
    block_id: u64,
    block_start: &str,
    block_end: Option<&str>,
    per_transaction: usize,
) -> Result<Report, CliError> {
    let authority = ctx.signer()?;
    let setup = ctx.setup()?;
    let block_start = parse::time(block_start, setup.now)?;
    let block_end = block_end.map(|text| parse::time(text, setup.now)).transpose()?.unwrap_or(setup.now);
    let lines = read_reward_lines(ctx, &setup, csv)?;
    let source = ix::associated_token(&authority.pubkey(), &setup.mint);
    let build = |batch: &[RewardLine]| {
        let targets: Vec<ix::RewardTarget> =
            batch.iter().map(|l| ix::RewardTarget { device: l.device, amount: l.amount }).collect();
        ix::distribute_rewards(authority.pubkey(), source, block_id, block_start, block_end, &targets, &setup.mint)
    };
    let fits = |batch: &[RewardLine]| {
        let transaction = Transaction::new_with_payer(&[build(batch)], Some(&authority.pubkey()));
        bincode::serialized_size(&transaction).is_ok_and(|size| size <= PACKET_DATA_SIZE)
    };
    let mut text = format!("block {block_id}: {} .. {}\n", describe::utc(block_start), describe::utc(block_end));
    let mut transactions = Vec::new();
    let mut entries = Vec::new();
    let (mut paid_total, mut skipped_count) = (0u64, 0usize);
    for batch in batches(&lines, per_transaction, fits)? {
        let sent = ctx.send(&[build(batch)], &authority, &[])?;
        text.push_str(&format!("  {} device(s) in {}\n", batch.len(), sent.signature));
        transactions.push(json!(&sent.signature));
        let paid = events::decode::<RewardPaid>(&sent.logs);
        let skipped = events::decode::<RewardSkipped>(&sent.logs);
        for line in batch {
            let entry = if let Some(p) = paid.iter().find(|e| e.device == line.device) {
                let credited = p.owner_part + if p.position_left { 0 } else { p.position_part };
                paid_total += p.transferred;
                let position = match p.position_seq {
                    Some(seq) if p.position_left => {
                        format!("; position #{seq} has left: its {} stays unpaid", setup.tokens(p.position_part))
                    }
                    Some(seq) => format!(", position #{seq} {}", setup.tokens(p.position_part)),
                    None => String::new(),
                };
                text.push_str(&format!(
                    "    {}  paid {}: owner {}{position}\n",
                    line.device,
                    setup.tokens(p.transferred),
                    setup.tokens(p.owner_part)
                ));
                json!({
                    "device": line.device.to_string(),
                    "amount": setup.amount_json(line.amount),
                    "paid": true,
                    "credited": setup.amount_json(credited),
                    "owner_part": setup.amount_json(p.owner_part),
                    "position_seq": p.position_seq,
                    "position_part": setup.amount_json(p.position_part),
                    "position_left": p.position_left,
                    "transferred": setup.amount_json(p.transferred),
                    "skipped": Value::Null,
                })
            } else {
                let reason = skipped
                    .iter()
                    .find(|e| e.device == line.device)
                    .map(|e| describe::skip_reason(e.reason))
                    .unwrap_or("no event");
                skipped_count += 1;
                text.push_str(&format!("    {}  skipped: {reason}\n", line.device));
                json!({
                    "device": line.device.to_string(),
                    "amount": setup.amount_json(line.amount),
                    "paid": false,
                    "credited": setup.amount_json(0),
                    "skipped": reason,
                })
            };
            entries.push(entry);
        }
    }
    text.push_str(&format!(
        "  {} moved from {source}; {skipped_count} entr{} skipped\n",
        setup.tokens(paid_total),
        if skipped_count == 1 { "y" } else { "ies" }
    ));
    let json = vec![
        ("command", json!("distribute-rewards")),
        ("block_id", json!(block_id)),
        ("block_start", json!(block_start)),
        ("block_end", json!(block_end)),
        ("transactions", Value::Array(transactions)),
        ("entries", Value::Array(entries)),
    ];
    Ok(Report { text, json })
}

fn slash(ctx: &mut Context, device_ref: &str, amount: &str, incident_at: Option<&str>) -> Result<Report, CliError> {
    let authority = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let amount = setup.parse_tokens(amount)?;
    let incident_at = incident_at.map(|text| parse::time(text, setup.now)).transpose()?.unwrap_or(setup.now);
    let treasury = setup.config.treasury.key_at(setup.now);
    ctx.confirm(&format!("Slash up to {} of the device {address} to the treasury {treasury}: the tokens leave the owner's stake and the positions for good.", setup.tokens(amount)))?;
    let sent =
        ctx.send(&[ix::slash(authority.pubkey(), address, treasury, amount, incident_at, &setup.mint)], &authority, &[])?;
    let event = events::decode::<Slashed>(&sent.logs).pop().ok_or("the slash emitted no event")?;
    let positions: Vec<String> =
        event.from_positions.iter().map(|p| format!("position #{} {}", p.seq, setup.tokens(p.amount))).collect();
    let summary = format!(
        "slashed {} of {address} to the treasury {treasury} (asked {}; incident {}): owner stake {}, ticket {}{}",
        setup.tokens(event.total),
        setup.tokens(amount),
        describe::utc(incident_at),
        setup.tokens(event.from_owner_stake),
        setup.tokens(event.from_ticket),
        if positions.is_empty() { String::new() } else { format!(", {}", positions.join(", ")) }
    );
    let from_positions = event.from_positions.iter().map(|p| json!({ "seq": p.seq, "amount": setup.amount_json(p.amount) }));
    let fields = vec![
        ("command", json!("slash")),
        ("device", json!(address.to_string())),
        ("incident_at", json!(incident_at)),
        ("taken", setup.amount_json(event.total)),
        ("from_owner_stake", setup.amount_json(event.from_owner_stake)),
        ("from_ticket", setup.amount_json(event.from_ticket)),
        ("from_positions", Value::Array(from_positions.collect())),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn hold(ctx: &mut Context, device_ref: &str, until: &str) -> Result<Report, CliError> {
    let authority = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = ctx.device(device_ref)?;
    let until = parse::time(until, setup.now)?;
    let sent = ctx.send(&[ix::hold(authority.pubkey(), address, until)], &authority, &[])?;
    let incident_start = events::decode::<DeviceHeld>(&sent.logs).pop().map_or(setup.now, |e| e.incident_start);
    let summary = format!("{address} held until {} (incident of {})", setup.when(until), describe::utc(incident_start));
    let fields = vec![
        ("command", json!("hold")),
        ("device", json!(address.to_string())),
        ("until", json!(until)),
        ("incident_start", json!(incident_start)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

fn sweep_surplus(ctx: &mut Context, device_ref: &str) -> Result<Report, CliError> {
    let admin = ctx.signer()?;
    let setup = ctx.setup()?;
    let (address, _) = match ctx.device_account(device_ref)? {
        (address, DeviceAccount::Live(device)) => (address, device),
        (address, DeviceAccount::Closed(_)) => {
            return Err(format!("the device {address} is closed: its vaults went with it").into())
        }
    };
    let (treasury_token, mut instructions) = ctx.treasury_account(&admin.pubkey(), &setup)?;
    instructions.push(ix::sweep_surplus(admin.pubkey(), address, treasury_token, &setup.mint));
    let sent = ctx.send(&instructions, &admin, &[])?;
    let swept = events::decode::<SurplusSwept>(&sent.logs).pop();
    let (stake, overflow) = swept.map_or((0, 0), |e| (e.from_stake_vault, e.from_overflow_vault));
    let summary = format!(
        "swept {} from the vaults of {address} to the treasury ({} from the stake vault, {} from the overflow vault)",
        setup.tokens(stake + overflow),
        setup.tokens(stake),
        setup.tokens(overflow)
    );
    let fields = vec![
        ("command", json!("sweep-surplus")),
        ("device", json!(address.to_string())),
        ("from_stake_vault", setup.amount_json(stake)),
        ("from_overflow_vault", setup.amount_json(overflow)),
    ];
    Ok(Report::sent(summary, &sent, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u8) -> RewardLine {
        RewardLine { device: Pubkey::new_from_array([n; 32]), amount: n.into() }
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
    fn parameters_come_from_the_base_then_the_file_then_set_within_the_floors() {
        let defaults = Params::defaults(6).unwrap();
        let local = FloorsName::Local.floors();
        assert_eq!(wanted_params(defaults, None, &[], 6, &local).unwrap(), defaults);
        let file = std::env::temp_dir().join(format!("params-{}.toml", std::process::id()));
        std::fs::write(&file, "cooldown_secs = 60\nbase_stake_per_gpu = \"0.5\"\nmax_hold_secs = 100\n").unwrap();
        let params =
            wanted_params(defaults, Some(&file), &["cooldown_secs=90".into(), "max_costake_bps = 2500".into()], 6, &local)
                .unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(
            (params.cooldown_secs, params.base_stake_per_gpu, params.max_costake_bps, params.max_hold_secs),
            (90, 500_000, 2_500, 100)
        );
        assert_eq!(params.cover_window_secs, defaults.cover_window_secs);
        assert!(wanted_params(defaults, None, &["max_costake_bps=9000".into()], 6, &local).is_err());
        assert!(wanted_params(defaults, None, &["no_such_key=1".into()], 6, &local).is_err());
        // a cooldown of seconds is below the mainnet floors
        let mainnet = FloorsName::Mainnet.floors();
        assert!(wanted_params(defaults, None, &["cooldown_secs=90".into()], 6, &mainnet).is_err());
        assert!(wanted_params(defaults, None, &["min_offer_bps=200".into()], 6, &mainnet).is_ok());
        // update-params starts from the parameters in force, not the defaults
        let in_force = Params { cooldown_secs: 90, ..defaults };
        assert_eq!(wanted_params(in_force, None, &["max_hold_secs=60".into()], 6, &local).unwrap().cooldown_secs, 90);
    }

    #[test]
    fn local_floors_only_on_this_machine() {
        assert!(FloorsName::Local.check("svm:/tmp/x.json").is_ok());
        assert!(FloorsName::Local.check("http://127.0.0.1:8899").is_ok());
        assert!(FloorsName::Local.check("https://api.devnet.solana.com").is_err());
        assert!(FloorsName::Mainnet.check("https://api.devnet.solana.com").is_ok());
        assert_eq!(FloorsName::Devnet.floors(), FloorsName::Mainnet.floors());
        assert_eq!(FloorsName::Mainnet.floors().cooldown_secs, 7 * 86_400);
    }

    #[test]
    fn basis_points_or_percentages() {
        assert_eq!(parse_bps("2500"), Ok(2_500));
        assert_eq!(parse_bps("25%"), Ok(2_500));
        assert!(parse_bps("10001").is_err());
        assert!(parse_bps("x").is_err());
    }
}
