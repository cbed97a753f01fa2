//! `device-staking`: the command-line client of the `device_staking` program.
//!
//! Global options follow the Solana CLI (`--url/-u` with monikers, `--keypair/-k`, `--output`,
//! `--commitment`). The commands of each role (`owner`, `costaker`, `operator`, `status`) run
//! against a validator over RPC, or against an embedded LiteSVM kept in a file (`--url svm:PATH`,
//! set up with the `svm` commands); `demo` plays a full story on its own LiteSVM; `pda` and
//! `explain-error` work offline.
mod chain;
mod commands;
mod demo;
mod json;
mod svm;
mod table;
mod token;

use anchor_lang::prelude::Pubkey;
use chain::litesvm::LiteSvmChain;
use chain::rpc::RpcChain;
use chain::Chain;
use clap::{Parser, Subcommand, ValueEnum};
use commands::{costaker, keypair_path, operator, owner, parse_device_id, read_keypair, CliError, Context, Report};
use device_staking_client::{error_name, pda, PROGRAM_ID};
use json::Json;
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
    /// RPC URL or moniker (l/localhost, d/devnet, t/testnet, m/mainnet-beta), or svm:PATH for an embedded LiteSVM kept in PATH
    #[arg(short = 'u', long = "url", global = true, default_value = "http://127.0.0.1:8899", value_parser = resolve_url)]
    url: String,
    /// The signer's keypair file (Solana CLI JSON: an array of 64 bytes); default ~/.config/solana/id.json
    #[arg(short = 'k', long = "keypair", global = true, value_name = "PATH")]
    keypair: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    output: Output,
    /// Commitment level for RPC reads and confirmations
    #[arg(long, global = true, value_enum, default_value_t = Commitment::Confirmed)]
    commitment: Commitment,
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
    /// Play a full lifecycle on an embedded LiteSVM and check that no token was lost
    #[command(long_about = "Play a full lifecycle of one device on an embedded LiteSVM: config, device \
registration (8 GPUs x10, minimum 16,000 IO), owner stake, co-staking offers filled by co-stakers A \
and B, daily block rewards and their split, overflow withdrawal, a co-staker's cancel and the owner's \
cover, unstake, and the withdrawals at the unlocks. The Clock sysvar is moved, nothing sleeps. Prints \
the timeline with compute units, every wallet's and vault's balance, and exits non-zero if the \
balances do not add up to the tokens minted or a step fails (naming the program error).\n\nNeeds: \
the built program target/deploy/device_staking.so (run `make build`); no network, no keypair.")]
    Demo,
    /// Print the program's addresses (PDAs) for a device id and/or a wallet (offline)
    #[command(long_about = "Print the program's addresses (PDAs): the config and program-data account; with \
--device, the device, its stake and overflow vaults and the offers and tickets numbered 0 to --count minus 1; with \
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
    /// The device owner's commands: register, stake, offer, withdraw-overflow, unstake, withdraw
    #[command(subcommand)]
    Owner(owner::OwnerCommand),
    /// The co-staker's commands: offers, fill, cancel, withdraw, claim
    #[command(subcommand)]
    Costaker(costaker::CostakerCommand),
    /// The operators' commands: initialize, roles, pause, oracle and reward and slash authority actions
    #[command(subcommand)]
    Operator(operator::OperatorCommand),
    /// A device's state, or a wallet's devices, positions and tickets (read-only; nobody signs)
    #[command(long_about = "Show a device (by id or address): hardware, minimum, owner stake, counted stake, \
eligibility and why not, overflow, offers and positions with their unlock times (UTC and relative). \
Without DEVICE: the wallet's token balance, the devices it owns, its co-stake positions and its \
unstake tickets (--wallet, default: the -k keypair's public key).\n\nNeeds: an initialized config.")]
    Status {
        /// The device: its id or its address
        device: Option<String>,
        /// The wallet to report on (address or keypair file); default: the signer
        #[arg(long, conflicts_with = "device")]
        wallet: Option<String>,
    },
    /// Tools for the embedded LiteSVM of --url svm:PATH (create, airdrop, mints, clock)
    #[command(subcommand)]
    Svm(commands::svm::SvmCommand),
    /// Name and explain a custom error code of a failed transaction (offline)
    #[command(long_about = "Name and explain a custom error code a transaction failed with: the program's own \
errors (6000 and up) and Anchor's framework errors (e.g. 3007). Accepts decimal or 0x-prefixed hex, \
as in `custom program error: 0x1770`.\n\nNeeds: nothing (offline).")]
    ExplainError {
        /// The code: decimal (6000) or hex (0x1770)
        code: String,
    },
}

/// The `--url` prefix of an embedded LiteSVM kept in a file.
const SVM_SCHEME: &str = "svm:";

/// Resolves a Solana CLI moniker to its URL; anything else must look like an http(s)/ws(s) URL.
fn resolve_url(value: &str) -> Result<String, String> {
    let url = match value {
        "l" | "localhost" => "http://localhost:8899",
        "d" | "devnet" => "https://api.devnet.solana.com",
        "t" | "testnet" => "https://api.testnet.solana.com",
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com",
        other if ["http://", "https://", "ws://", "wss://"].iter().any(|p| other.starts_with(p)) => other,
        other if other.len() > SVM_SCHEME.len() && other.starts_with(SVM_SCHEME) => other,
        other => return Err(format!("`{other}` is neither a URL, svm:PATH, nor one of l, localhost, d, devnet, t, testnet, m, mainnet-beta")),
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
            rows.push((format!("ticket[{seq}]"), pda::ticket(&device, seq).0));
        }
    }
    if let Some(wallet) = wallet {
        rows.push(("wallet".into(), wallet));
        rows.push(("costaker_profile".into(), pda::costaker(&wallet).0));
    }
    Ok(rows)
}

fn pda_command(cli_keypair: Option<PathBuf>, device: Option<String>, wallet: Option<String>, count: u64, output: Output) -> Result<(), String> {
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
        Output::Json => println!("{}", Json::object(rows.iter().map(|(l, a)| (l.as_str(), Json::str(a.to_string()))))),
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
    let (name, message) = error_name(code).ok_or_else(|| {
        format!("{code} (0x{code:x}) is neither a device_staking error (6000+) nor an Anchor framework error")
    })?;
    match output {
        Output::Text => println!("{name} ({code}, 0x{code:x}): {message}"),
        Output::Json => println!(
            "{}",
            Json::object([("code", Json::Int(code.into())), ("name", Json::str(name)), ("message", Json::str(message))])
        ),
    }
    Ok(())
}

/// The chain `url` names: an embedded LiteSVM for `svm:PATH`, else a validator over RPC.
fn connect(url: &str, commitment: Commitment) -> Result<Box<dyn Chain>, String> {
    match url.strip_prefix(SVM_SCHEME) {
        Some(path) => Ok(Box::new(LiteSvmChain::open(Path::new(path))?)),
        None => Ok(Box::new(RpcChain::new(url, commitment.into()))),
    }
}

/// Runs a command that reports through a [`Report`].
fn run(cli: Cli) -> Result<Report, CliError> {
    let keypair = keypair_path(cli.keypair.clone());
    let signer = || -> Result<solana_keypair::Keypair, String> {
        read_keypair(keypair.as_ref().ok_or("no keypair: give -k/--keypair (there is no ~/.config/solana/id.json)")?)
    };
    if let Command::Svm(command) = cli.command {
        let path = cli.url.strip_prefix(SVM_SCHEME).ok_or("the svm commands need --url svm:PATH")?;
        return commands::svm::run(Path::new(path), signer, command);
    }
    let mut ctx = Context { chain: connect(&cli.url, cli.commitment)?, keypair: keypair.clone() };
    match cli.command {
        Command::Owner(command) => owner::run(&mut ctx, command),
        Command::Costaker(command) => costaker::run(&mut ctx, command),
        Command::Operator(command) => operator::run(&mut ctx, command),
        Command::Status { device, wallet } => commands::status::run(&mut ctx, device, wallet),
        Command::Demo | Command::Pda { .. } | Command::ExplainError { .. } | Command::Svm(_) => unreachable!("handled in main"),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output;
    let result = match cli.command {
        Command::Demo => demo::run(output).map_err(CliError::from),
        Command::Pda { device, wallet, count } => pda_command(cli.keypair, device, wallet, count, output).map_err(CliError::from),
        Command::ExplainError { code } => explain_error(&code, output).map_err(CliError::from),
        _ => run(cli).map(|report| match output {
            Output::Text => print!("{}", report.text),
            Output::Json => println!("{}", report.to_json()),
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if output == Output::Json {
                println!("{}", e.to_json());
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

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
