//! `device-staking`: the command-line client of the `device_staking` program.
//!
//! Global options follow the Solana CLI (`--url/-u` with monikers, `--keypair/-k`, `--output`,
//! `--commitment`). The commands of each role (`owner`, `costaker`, `operator`, `status`) run
//! against a validator over RPC, or against an embedded LiteSVM kept in a file (`--url svm:PATH`,
//! set up with the `svm` commands); `demo` plays a full story on its own LiteSVM or on a chain;
//! `pda`, `explain-error`, `keygen` and `address` work offline.
mod chain;
mod commands;
mod demo;
mod events;
mod json;
mod stage;
mod table;
mod token;

use anchor_lang::prelude::Pubkey;
use chain::litesvm::LiteSvmChain;
use chain::recorded::{Recorded, Recording};
use chain::rpc::RpcChain;
use chain::{Chain, ComputeBudget};
use clap::{Parser, Subcommand, ValueEnum};
use commands::keys::{self, AddressOf};
use commands::{
    costaker, given_keypair, keypair_path, operator, owner, parse_device_id, read_keypair, CliError, Context, ProgramErrorJson,
    Report,
};
use device_staking_client::{error_name, pda, PROGRAM_ID};
use solana_commitment_config::CommitmentLevel;
use solana_signer::Signer;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

#[derive(Parser)]
#[command(
    name = "device-staking",
    version,
    about = "Client of the device_staking Solana program (GPU device staking with co-staking)",
    long_about = "Client of the device_staking Solana program (GPU device staking with co-staking; \
rules in docs/protocol.md).\n\nCommands by role: `owner` (device owners), `costaker` (co-stakers), \
`operator` (admin, oracle, reward and slash authorities), `status` (anyone). They talk to the \
validator at --url, or to an embedded LiteSVM kept in a file with --url svm:PATH (see `svm`). A \
refused transaction is reported with the program's error name and message, and the exit code is \
non-zero. --output json prints one JSON object per command on standard output."
)]
struct Cli {
    /// RPC URL or moniker (l/localhost, d/devnet, t/testnet, m/mainnet-beta), or svm:PATH for an embedded LiteSVM kept in PATH [default: http://127.0.0.1:8899; `demo`: its own embedded LiteSVM]
    #[arg(short = 'u', long = "url", global = true, value_parser = resolve_url)]
    url: Option<String>,
    /// The signer, as the Solana CLI takes it: a keypair file (a JSON array of 64 bytes), prompt:// (a seed phrase), stdin://, or an address with --signer/--sign-only [default: the config file's keypair_path, else ~/.config/solana/id.json]
    #[arg(short = 'k', long = "keypair", global = true, value_name = "KEYPAIR")]
    keypair: Option<PathBuf>,
    /// The Solana CLI's config file (the Solana CLI's -C; `status --config` is the program's config), whose json_rpc_url, keypair_path and commitment are the defaults of --url, -k and --commitment [default: ~/.config/solana/cli/config.yml when it exists]
    #[arg(short = 'C', long = "config-file", global = true, value_name = "FILE")]
    config_file: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    output: Output,
    /// Commitment level for RPC reads and confirmations [default: the config file's commitment, else confirmed]
    #[arg(long, global = true, value_enum)]
    commitment: Option<Commitment>,
    /// Price per compute unit in micro-lamports [default: the 75th percentile of the recent prioritization fees of the accounts the transaction writes (0 on a quiet cluster); 0 with --blockhash, --sign-only or --dump-transaction-message]
    #[arg(long = "with-compute-unit-price", global = true, value_name = "MICRO_LAMPORTS")]
    compute_unit_price: Option<u64>,
    /// Compute-unit limit [default: the simulation's units plus 10% and 1,000; 400,000 with --blockhash, --sign-only or --dump-transaction-message]
    #[arg(long = "with-compute-unit-limit", global = true, value_name = "UNITS", value_parser = clap::value_parser!(u32).range(1..=1_400_000))]
    compute_unit_limit: Option<u32>,
    /// Sign only: print the blockhash and the signers' signatures (PUBKEY=SIGNATURE) instead of sending; -k may then be an address whose signature is missing
    #[arg(long, global = true)]
    sign_only: bool,
    /// Build the transaction with this blockhash (no RPC for it): for --sign-only, and to send with the --signer signatures collected from it
    #[arg(long, global = true, value_name = "BLOCKHASH", value_parser = parse_blockhash)]
    blockhash: Option<solana_hash::Hash>,
    /// A signature made with --sign-only: PUBKEY=SIGNATURE (repeat for each signer); -k (or --oracle-keypair) may then be the address PUBKEY
    #[arg(long = "signer", global = true, value_name = "PUBKEY=SIGNATURE", value_parser = commands::offline::parse_presigned, requires = "blockhash")]
    presigned: Vec<(Pubkey, solana_transaction::Signature)>,
    /// Print the transaction's message encoded for a multisig (e.g. Squads) to propose, instead of sending; -k may be an address (the multisig's vault)
    #[arg(long, global = true, value_name = "ENCODING", num_args = 0..=1, default_missing_value = "base58", value_enum)]
    dump_transaction_message: Option<commands::offline::MessageEncoding>,
    /// Write every read the command makes of the chain (accounts, queries, clock, rent) into FILE, for --state on a machine with no network
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "state")]
    record_state: Option<PathBuf>,
    /// Read the chain from FILE (written by --record-state with the same command) instead of --url: to build and sign with no network, with --blockhash and --sign-only or --dump-transaction-message
    #[arg(long, global = true, value_name = "FILE", requires = "blockhash")]
    state: Option<PathBuf>,
    /// Do not ask before a step that cannot be undone (owner unstake, operator terminate, operator slash); a terminal asks otherwise
    #[arg(short = 'y', long, global = true)]
    yes: bool,
    #[command(subcommand)]
    command: Command,
}

/// `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Tables and sentences for people.
    Text,
    /// One JSON document on standard output.
    Json,
}

/// `--commitment`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Commitment {
    /// The node's latest state.
    Processed,
    /// Voted on by a supermajority.
    Confirmed,
    /// Rooted.
    Finalized,
}

impl From<Commitment> for CommitmentLevel {
    fn from(commitment: Commitment) -> Self {
        match commitment {
            Commitment::Processed => CommitmentLevel::Processed,
            Commitment::Confirmed => CommitmentLevel::Confirmed,
            Commitment::Finalized => CommitmentLevel::Finalized,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Play a full lifecycle on an embedded LiteSVM (or on the chain of --url) and check that no token was lost
    #[command(long_about = "Play a full lifecycle of one device: config, device registration (8 GPUs x10, \
minimum 16,000 IO), owner stake, co-staking offers filled by co-stakers A and B, daily block rewards split \
by the program, an overflow withdrawal, A's cancel with a block paid after it that still credits A, the \
owner's cover, the owner's unstake, an early release refused, A's ripe position released into its escrow \
and withdrawn from it, the ticket's and B's withdrawals, and the device closed into a tombstone. Prints the \
timeline with compute units, every wallet's, vault's and escrow's balance, and exits non-zero if the \
balances do not add up or a step fails (naming the program error).\n\n\
Without --url: on its own embedded LiteSVM with the protocol's default windows (cover 7 d, cooldown \
14 d) and the mainnet floors; the Clock sysvar is moved, nothing sleeps, and every run is the same.\n\n\
With --url (a validator's RPC URL on this machine, or svm:PATH): on that chain, with new wallets for the \
owner and the co-stakers, a new mint and a new device each run. The -k wallet pays every fee and the SOL \
of the other wallets, is the mint authority, and must be the program's upgrade authority to create the \
config. A day of the story lasts --day-seconds seconds of the Clock (default 3: the config gets a cover \
window of 21 s, a cooldown of 42 s and the local floors, which only a chain on this machine may get); a \
validator's Clock cannot be moved, so the demo waits for every deadline with a progress line (about two \
minutes), while on svm:PATH the Clock is moved. The timeline shows the Clock scaled to days of the story.\n\n\
A chain that already has a config: the demo reuses the config when an earlier demo run made it with the \
same -k wallet and --day-seconds (the roles are derived from the -k wallet, the mint's authority is that \
wallet); any other config is left alone: the demo lists what differs and exits non-zero before sending \
anything, since a config is made once per deployment and the story's numbers depend on its parameters.\n\n\
Needs: the built program target/deploy/device_staking.so (run `make build`) without --url; with --url, \
the program deployed there and a funded -k wallet.")]
    Demo {
        /// With --url: how many seconds of the Clock a day of the story lasts
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(i64).range(1..=86_400))]
        day_seconds: Option<i64>,
    },
    /// Print the program's addresses (PDAs) for a device id and/or a wallet (offline)
    #[command(long_about = "Print the program's addresses (PDAs): the config and program-data account; with \
--device, the device, its stake and overflow vaults and the offers, their escrows and the tickets numbered 0 to --count minus 1; with \
--wallet (default: the --keypair's public key, when that file exists), the co-staker profile.\n\nNeeds: \
nothing (offline).")]
    Pda {
        /// Device id: 64 hex characters (32 bytes), or a text of at most 32 bytes padded with zeros
        #[arg(long)]
        device: Option<String>,
        /// Wallet address (base58); default: the public key of --keypair
        #[arg(long)]
        wallet: Option<String>,
        /// How many offer and ticket sequence numbers to list for the device
        #[arg(long, default_value_t = 2)]
        count: u64,
    },
    /// The device owner's commands: register, stake, offer, withdraw-overflow, unstake, withdraw, close, transfer, accept
    #[command(subcommand)]
    Owner(owner::OwnerCommand),
    /// The co-staker's commands: offers, fill, cancel, withdraw, claim, release, withdraw-escrow, close-profile
    #[command(subcommand)]
    Costaker(costaker::CostakerCommand),
    /// The operators' commands: initialize, roles, parameters, pause, oracle and reward and slash authority actions
    #[command(subcommand)]
    Operator(operator::OperatorCommand),
    /// A device's state, a wallet's devices, positions and tickets, or the config (read-only; nobody signs)
    #[command(long_about = "Show a device (by id or address) as the program's device_status reports it (R54): \
hardware, minimum, owner stake, counted stake, eligibility and why not, overflow, hired until, hold, the slash \
allowance left, the ticket, the position table with every wait and unlock (UTC and relative), released \
positions in escrow, a proposed transfer; a closed device's tombstone. Without DEVICE: the wallet's token \
balance, its co-staker profile, the devices it owns (with their tickets), devices proposed to it, its co-stake \
positions and escrows (--wallet, default: the -k keypair's public key). With --config: the roles in force, \
the floors and the parameters, and every pending role or parameter change with the time it applies.\n\n\
Needs: an initialized config.")]
    Status {
        /// The device: its id or its address
        device: Option<String>,
        /// The wallet to report on (address or keypair file); default: the signer
        #[arg(long, conflicts_with = "device")]
        wallet: Option<String>,
        /// The config: roles, floors, parameters and pending changes
        #[arg(long, conflicts_with_all = ["device", "wallet"])]
        config: bool,
    },
    /// The program's deployment: deployed or not, its upgrade authority, and whether it runs a given build (read-only)
    #[command(long_about = "Show what the chain holds at the program id: whether it is deployed as an upgradeable \
program, its program data account, the slot of its last deployment and its upgrade authority, and \
the sha256 of the deployed program (its program data without the zero padding). With --expect FILE, whether \
the deployed bytes are FILE (a local build); with --expect SHA256 (64 hex digits, e.g. from docs/verify.md), whether \
the deployed program's sha256 is that one; --expect alone takes target/deploy/device_staking.so. Exits non-zero \
(ProgramMismatch, ProgramNotDeployed) when the program is not that build or nothing is deployed; the deploy step \
(migrations/deploy.sh) runs this first.\n\nNeeds: nothing; nobody signs.")]
    Program {
        /// The build the deployed program must be: a file, or its sha256 (64 hex digits) [default without a value: target/deploy/device_staking.so]
        #[arg(long, value_name = "FILE|SHA256", num_args = 0..=1, default_missing_value = commands::program::DEFAULT_BUILD)]
        expect: Option<String>,
    },
    /// Tools for the embedded LiteSVM of --url svm:PATH (create, airdrop, mints, clock)
    #[command(subcommand)]
    Svm(commands::svm::SvmCommand),
    /// Write a new keypair file (Solana CLI format) and print its public key (offline)
    #[command(long_about = "Write a new keypair to FILE in the Solana CLI's format (a JSON array of 64 bytes), \
readable by its owner only, creating missing folders, and print its public key on standard output. An \
existing FILE is never replaced unless --force is given.\n\nNeeds: nothing (offline).")]
    Keygen {
        /// Where to write the keypair
        #[arg(short = 'o', long, value_name = "FILE")]
        outfile: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Print the public key of the -k keypair, or the program id with --program (offline)
    #[command(long_about = "Print the public key of the keypair given with -k (default: \
~/.config/solana/id.json), or with --program the program id of device_staking.\n\nNeeds: nothing (offline).")]
    Address {
        /// Print the program id instead of a keypair's public key
        #[arg(long)]
        program: bool,
    },
    /// A device's or a wallet's history of events, newest first, from the history API (--api) or straight from RPC
    #[command(long_about = "Show the program's events (R50) for a device (its id or address) or a wallet, newest \
first: time (UTC), event, amount in base units, position, slot and signature. With --api http://127.0.0.1:PORT, from \
the history API of device-staking-indexer (docs/api.md): a wallet's history then includes the rewards, holds and \
slashes of its devices and positions. Without --api, straight from the RPC node of --url: the address's \
transactions and their logs (a wallet's history is then the events of the transactions it took part in). \
--output json prints the events as the API's event objects.\n\nNeeds: the API, or an RPC node with transaction history.")]
    History {
        /// The device (its id or address) or the wallet (address)
        target: String,
        /// The history API's URL (device-staking-indexer serve)
        #[arg(long, value_name = "URL")]
        api: Option<String>,
        /// At most this many events
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Export a device's or a wallet's whole history as CSV, from the history API (--api) or straight from RPC
    #[command(long_about = "Write the whole history of a device (its id or address) or a wallet as CSV, oldest \
first, with the columns of docs/api.md (time_utc, block_time, slot, signature, instruction_index, event_index, event, \
device, wallets, position_seq, amount, owner_part, position_part, data), to -o FILE or to standard output. From the \
history API with --api, else straight from the RPC node of --url (see `history --help`).\n\nNeeds: the API, or an \
RPC node with transaction history.")]
    Export {
        /// CSV (the one format)
        #[arg(long, required = true)]
        csv: bool,
        /// The device (its id or address) or the wallet (address)
        target: String,
        /// The history API's URL (device-staking-indexer serve)
        #[arg(long, value_name = "URL")]
        api: Option<String>,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Name and explain a custom error code of a failed transaction (offline)
    #[command(long_about = "Name and explain a custom error code a transaction failed with: the program's own \
errors (6000 and up) and Anchor's framework errors (e.g. 3007). Accepts decimal or 0x-prefixed hex, \
as in `custom program error: 0x1770`.\n\nNeeds: nothing (offline).")]
    ExplainError {
        /// The code: decimal (6000) or hex (0x1770)
        code: String,
    },
}

/// Every instruction of the program and the command that sends it (`device_status` is read by
/// `status`); the tests check it against the IDL and the command definitions.
pub const INSTRUCTION_COMMANDS: &[(&str, &str)] = &[
    ("initialize", "operator initialize"),
    ("propose_role", "operator propose-role"),
    ("accept_role", "operator accept-role"),
    ("cancel_role", "operator cancel-role"),
    ("revoke_role", "operator revoke-role"),
    ("set_paused", "operator pause"),
    ("update_params", "operator update-params"),
    ("cancel_params", "operator cancel-params"),
    ("lower_slash_cap", "operator lower-slash-cap"),
    ("register_device", "owner register"),
    ("update_hardware", "operator update-hardware"),
    ("set_hired", "operator set-hired"),
    ("terminate", "operator terminate"),
    ("distribute_rewards", "operator distribute-rewards"),
    ("slash", "operator slash"),
    ("hold", "operator hold"),
    ("sweep_surplus", "operator sweep-surplus"),
    ("stake", "owner stake"),
    ("create_offer", "owner offer create"),
    ("retract_offer", "owner offer retract"),
    ("withdraw_overflow", "owner withdraw-overflow"),
    ("unstake", "owner unstake"),
    ("withdraw_ticket", "owner withdraw"),
    ("close_device", "owner close"),
    ("transfer_device", "owner transfer"),
    ("cancel_transfer", "owner cancel-transfer"),
    ("accept_device", "owner accept"),
    ("fill_offer", "costaker fill"),
    ("cancel_costake", "costaker cancel"),
    ("claim_rewards", "costaker claim"),
    ("withdraw_position", "costaker withdraw"),
    ("release", "costaker release"),
    ("withdraw_escrow", "costaker withdraw-escrow"),
    ("close_profile", "costaker close-profile"),
    ("device_status", "status"),
];

/// The `--url` prefix of an embedded LiteSVM kept in a file.
const SVM_SCHEME: &str = "svm:";

/// A blockhash in base58.
fn parse_blockhash(value: &str) -> Result<solana_hash::Hash, String> {
    value.parse().map_err(|_| format!("`{value}` is not a blockhash (base58, 32 bytes)"))
}

/// Resolves a Solana CLI moniker to its URL; anything else must look like an http(s)/ws(s) URL.
fn resolve_url(value: &str) -> Result<String, String> {
    let url = match value {
        "l" | "localhost" => "http://localhost:8899",
        "d" | "devnet" => "https://api.devnet.solana.com",
        "t" | "testnet" => "https://api.testnet.solana.com",
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com",
        other if ["http://", "https://", "ws://", "wss://"].iter().any(|p| other.starts_with(p)) => other,
        other if other.len() > SVM_SCHEME.len() && other.starts_with(SVM_SCHEME) => other,
        other => {
            return Err(format!(
                "`{other}` is neither a URL, svm:PATH, nor one of l, localhost, d, devnet, t, testnet, m, mainnet-beta"
            ))
        }
    };
    Ok(url.to_string())
}

/// `pda`: the addresses as (label, address) rows.
fn pda_rows(device: Option<&str>, wallet: Option<Pubkey>, count: u64) -> Result<Vec<(String, Pubkey)>, String> {
    let mut rows = vec![
        ("program".to_string(), PROGRAM_ID),
        ("config".to_string(), pda::config().0),
        ("program_data".to_string(), pda::program_data(&PROGRAM_ID).0),
    ];
    if let Some(device_id) = device.map(parse_device_id).transpose()? {
        let device = pda::device(&device_id).0;
        rows.push(("device".into(), device));
        rows.push(("stake_vault".into(), pda::stake_vault(&device).0));
        rows.push(("overflow_vault".into(), pda::overflow_vault(&device).0));
        for seq in 0..count {
            rows.push((format!("offer[{seq}]"), pda::offer(&device, seq).0));
        }
        for seq in 0..count {
            rows.push((format!("escrow[{seq}]"), pda::escrow(&pda::offer(&device, seq).0).0));
        }
        for seq in 0..count {
            rows.push((format!("ticket[{seq}]"), pda::ticket(&device, seq).0));
        }
    }
    if let Some(wallet) = wallet {
        rows.push(("wallet".into(), wallet));
        rows.push(("costaker_profile".into(), pda::costaker(&wallet).0));
    }
    Ok(rows)
}

fn pda_command(
    cli_keypair: Option<PathBuf>,
    device: Option<String>,
    wallet: Option<String>,
    count: u64,
    output: Output,
) -> Result<(), String> {
    let explicit_keypair = cli_keypair.is_some();
    let wallet = match wallet {
        Some(w) => Some(Pubkey::from_str(&w).map_err(|e| format!("wallet `{w}`: {e}"))?),
        None => match keypair_path(cli_keypair) {
            // the default keypair is optional; an explicit one must be readable
            Some(path) if explicit_keypair || path.is_file() => Some(read_keypair(&path)?.pubkey()),
            _ => None,
        },
    };
    let rows = pda_rows(device.as_deref(), wallet, count)?;
    match output {
        Output::Text => rows.iter().for_each(|(label, address)| println!("{label:<18} {address}")),
        Output::Json => json::print(&json::object(rows.iter().map(|(l, a)| (l.as_str(), a.to_string().into())))),
    }
    Ok(())
}

/// Parses a decimal or `0x` hex error code.
fn parse_code(value: &str) -> Result<u32, String> {
    let parsed = match value.strip_prefix("0x").or_else(|| value.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => value.parse(),
    };
    parsed.map_err(|_| format!("`{value}` is not an error code (decimal like 6000 or hex like 0x1770)"))
}

fn explain_error(code: &str, output: Output) -> Result<(), String> {
    let code = parse_code(code)?;
    let (name, message) = error_name(code)
        .ok_or_else(|| format!("{code} (0x{code:x}) is neither a device_staking error (6000+) nor an Anchor framework error"))?;
    match output {
        Output::Text => println!("{name} ({code}, 0x{code:x}): {message}"),
        Output::Json => json::print(&ProgramErrorJson { code, name, message }),
    }
    Ok(())
}

/// The URL of the commands that talk to a chain when none is given.
const DEFAULT_URL: &str = "http://127.0.0.1:8899";

/// The chain `url` names: an embedded LiteSVM for `svm:PATH`, else a validator over RPC.
fn connect(url: &str, commitment: Commitment, budget: ComputeBudget) -> Result<Box<dyn Chain>, String> {
    match url.strip_prefix(SVM_SCHEME) {
        Some(path) => Ok(Box::new(LiteSvmChain::open(Path::new(path))?)),
        None => Ok(Box::new(RpcChain::new(url, commitment.into(), budget))),
    }
}

/// The compute budget of `--with-compute-unit-price` and `--with-compute-unit-limit`.
fn budget(cli: &Cli) -> ComputeBudget {
    ComputeBudget { unit_price: cli.compute_unit_price, unit_limit: cli.compute_unit_limit }
}

/// Where `demo` plays: its own LiteSVM without --url, else the chain of --url paid by -k.
fn demo_venue(cli: &Cli, day_seconds: Option<i64>) -> Result<demo::Venue, String> {
    let Some(url) = cli.url.as_deref() else {
        return match day_seconds {
            Some(_) => Err("--day-seconds goes with --url: the embedded run's days are days of its Clock".into()),
            None => Ok(demo::Venue::Embedded),
        };
    };
    let payer = read_keypair(given_keypair(keypair_path(cli.keypair.clone()).as_deref())?)?;
    let day_secs = day_seconds.unwrap_or(demo::CHAIN_DAY_SECS);
    Ok(demo::Venue::Chain {
        chain: connect(url, cli.commitment.unwrap_or(Commitment::Confirmed), budget(cli))?,
        local: commands::is_local_url(url),
        payer,
        day_secs,
    })
}

/// The Solana CLI's config file: `-C FILE` (which must be readable), else
/// ~/.config/solana/cli/config.yml when it exists, else none.
fn solana_config(given: Option<&Path>) -> Result<Option<solana_cli_config::Config>, String> {
    match given {
        Some(path) => solana_cli_config::Config::load(&path.to_string_lossy())
            .map(Some)
            .map_err(|e| format!("cannot read the config file {}: {e}", path.display())),
        None => Ok(solana_cli_config::CONFIG_FILE
            .as_ref()
            .filter(|path| Path::new(path).is_file())
            .and_then(|path| solana_cli_config::Config::load(path).ok())),
    }
}

/// Fills `--url`, `-k` and `--commitment` the user did not give from the Solana CLI's config file.
fn apply_config(cli: &mut Cli) -> Result<(), String> {
    let Some(config) = solana_config(cli.config_file.as_deref())? else {
        return Ok(());
    };
    if cli.url.is_none() && !config.json_rpc_url.is_empty() {
        cli.url = Some(resolve_url(&config.json_rpc_url).map_err(|e| format!("json_rpc_url of the config file: {e}"))?);
    }
    if cli.keypair.is_none() && !config.keypair_path.is_empty() {
        cli.keypair = Some(PathBuf::from(&config.keypair_path));
    }
    if cli.commitment.is_none() && !config.commitment.is_empty() {
        cli.commitment = Some(Commitment::from_str(&config.commitment, true).map_err(|_| {
            format!("commitment of the config file: `{}` is not processed, confirmed or finalized", config.commitment)
        })?);
    }
    Ok(())
}

/// Runs a command that reports through a [`Report`].
fn run(mut cli: Cli) -> Result<Report, CliError> {
    apply_config(&mut cli)?;
    let keypair = keypair_path(cli.keypair.clone());
    let signer = || -> Result<solana_keypair::Keypair, String> { read_keypair(given_keypair(keypair.as_deref())?) };
    let url = cli.url.as_deref().unwrap_or(DEFAULT_URL);
    match cli.command {
        Command::Svm(command) => {
            let path = url.strip_prefix(SVM_SCHEME).ok_or("the svm commands need --url svm:PATH")?;
            return commands::svm::run(Path::new(path), signer, command);
        }
        Command::Keygen { outfile, force } => return keys::keygen(&outfile, force),
        Command::Address { program: true } => return keys::address(AddressOf::Program),
        Command::Address { program: false } => return keys::address(AddressOf::Keypair(given_keypair(keypair.as_deref())?)),
        _ => {}
    }
    let offline = commands::offline::Offline {
        sign_only: cli.sign_only,
        blockhash: cli.blockhash,
        presigned: cli.presigned.clone(),
        dump: cli.dump_transaction_message,
    };
    let budget = budget(&cli);
    let chain: Box<dyn Chain> = match (&cli.state, &cli.record_state) {
        (Some(state), _) => Box::new(Recorded::open(state)?),
        (None, Some(record)) => {
            Box::new(Recording::new(connect(url, cli.commitment.unwrap_or(Commitment::Confirmed), budget)?, record)?)
        }
        (None, None) => connect(url, cli.commitment.unwrap_or(Commitment::Confirmed), budget)?,
    };
    let mut ctx = Context { chain, url: url.to_string(), keypair: keypair.clone(), budget, offline, yes: cli.yes };
    match cli.command {
        Command::Owner(command) => owner::run(&mut ctx, command),
        Command::Costaker(command) => costaker::run(&mut ctx, command),
        Command::Operator(command) => operator::run(&mut ctx, command),
        Command::Status { device, wallet, config } => commands::status::run(&mut ctx, device, wallet, config),
        Command::Program { expect } => {
            commands::program::run(&ctx, expect.as_deref().map(commands::program::Expected::parse).as_ref())
        }
        Command::History { target, api, limit } => commands::history::history(&ctx, &target, api.as_deref(), limit),
        Command::Export { csv: _, target, api, out } => commands::history::export(&ctx, &target, api.as_deref(), out.as_deref()),
        Command::Demo { .. } | Command::Pda { .. } | Command::ExplainError { .. } => unreachable!("handled in main"),
        Command::Svm(_) | Command::Keygen { .. } | Command::Address { .. } => unreachable!("handled above"),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output;
    let result = match cli.command {
        Command::Demo { day_seconds } => {
            demo_venue(&cli, day_seconds).and_then(|venue| demo::run(output, venue)).map_err(CliError::from)
        }
        Command::Pda { device, wallet, count } => pda_command(cli.keypair, device, wallet, count, output).map_err(CliError::from),
        Command::ExplainError { code } => explain_error(&code, output).map_err(CliError::from),
        _ => run(cli).or_else(CliError::finished).map(|report| match output {
            Output::Text => print!("{}", report.text),
            Output::Json => json::print(&report.to_json()),
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if output == Output::Json {
                json::print(&e.to_json());
            }
            eprintln!("error: {}", e.message);
            if let Some((code, name, message)) = e.program_error {
                eprintln!("  program error {name} ({code}): {message}");
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monikers_resolve_and_junk_is_refused() {
        assert_eq!(resolve_url("d").unwrap(), "https://api.devnet.solana.com");
        assert_eq!(resolve_url("mainnet-beta").unwrap(), "https://api.mainnet-beta.solana.com");
        assert_eq!(resolve_url("l").unwrap(), "http://localhost:8899");
        assert_eq!(resolve_url("http://10.0.0.1:8899").unwrap(), "http://10.0.0.1:8899");
        assert!(resolve_url("devnett").is_err());
        assert_eq!(resolve_url("svm:/tmp/chain.json").unwrap(), "svm:/tmp/chain.json");
        assert!(resolve_url("svm:").is_err());
    }

    #[test]
    fn error_codes_parse_in_decimal_and_hex() {
        assert_eq!(parse_code("6000"), Ok(6000));
        assert_eq!(parse_code("0x1770"), Ok(6000));
        assert!(parse_code("x").is_err());
    }

    /// Every instruction of the IDL has a command, and every command of the table exists.
    #[test]
    fn every_instruction_has_a_command() {
        use clap::CommandFactory;
        let idl: serde_json::Value = serde_json::from_str(include_str!("../../idl/device_staking.json")).unwrap();
        let instructions: Vec<&str> =
            idl["instructions"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
        for name in &instructions {
            assert!(INSTRUCTION_COMMANDS.iter().any(|(i, _)| i == name), "no command sends the instruction {name}");
        }
        let cli = Cli::command();
        for (instruction, path) in INSTRUCTION_COMMANDS {
            assert!(instructions.contains(instruction), "{instruction} is not in the IDL");
            let mut command = &cli;
            for word in path.split(' ') {
                command = command.find_subcommand(word).unwrap_or_else(|| panic!("no command `{path}` for {instruction}"));
            }
        }
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
