//! `device-staking`: the command-line client of the `device_staking` program.
//!
//! Global options follow the Solana CLI (`--url/-u` with monikers, `--keypair/-k`, `--output`,
//! `--commitment`). This build has no RPC client: its commands work offline (`pda`,
//! `explain-error`) or on an embedded LiteSVM (`demo`).
mod demo;
mod json;
mod svm;

use anchor_lang::prelude::Pubkey;
use clap::{Parser, Subcommand, ValueEnum};
use device_staking_client::{error_name, pda, PROGRAM_ID};
use json::Json;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

#[derive(Parser)]
#[command(
    name = "device-staking",
    version,
    about = "Client of the device_staking Solana program (GPU device staking with co-staking)",
    long_about = "Client of the device_staking Solana program (GPU device staking with co-staking; \
rules in docs/protocol.md).\n\nThis build has no RPC client: `demo` runs the program on an embedded \
LiteSVM, `pda` and `explain-error` work offline. --url and --commitment are accepted and checked \
for the Solana CLI's habits but no command of this build connects anywhere."
)]
struct Cli {
    /// RPC URL or moniker: l/localhost, d/devnet, t/testnet, m/mainnet-beta (no command of this build connects)
    #[arg(short = 'u', long = "url", global = true, default_value = "http://127.0.0.1:8899", value_parser = resolve_url)]
    url: String,
    /// Keypair file (Solana CLI JSON: an array of 64 bytes); `pda` uses its public key as the default wallet
    #[arg(short = 'k', long = "keypair", global = true, value_name = "PATH")]
    keypair: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    output: Output,
    /// Commitment level for RPC reads (no command of this build connects)
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
    Processed,
    Confirmed,
    Finalized,
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
    /// Name and explain a custom error code of a failed transaction (offline)
    #[command(long_about = "Name and explain a custom error code a transaction failed with: the program's own \
errors (6000 and up) and Anchor's framework errors (e.g. 3007). Accepts decimal or 0x-prefixed hex, \
as in `custom program error: 0x1770`.\n\nNeeds: nothing (offline).")]
    ExplainError {
        /// The code: decimal (6000) or hex (0x1770)
        code: String,
    },
}

/// Resolves a Solana CLI moniker to its URL; anything else must look like an http(s)/ws(s) URL.
fn resolve_url(value: &str) -> Result<String, String> {
    let url = match value {
        "l" | "localhost" => "http://localhost:8899",
        "d" | "devnet" => "https://api.devnet.solana.com",
        "t" | "testnet" => "https://api.testnet.solana.com",
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com",
        other if ["http://", "https://", "ws://", "wss://"].iter().any(|p| other.starts_with(p)) => other,
        other => return Err(format!("`{other}` is neither a URL nor one of l, localhost, d, devnet, t, testnet, m, mainnet-beta")),
    };
    Ok(url.to_string())
}

/// The keypair file to use: `--keypair`, else `~/.config/solana/id.json`.
fn keypair_path(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config/solana/id.json")))
}

/// Reads a Solana CLI keypair file: a JSON array of 64 numbers.
fn read_keypair(path: &PathBuf) -> Result<Keypair, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the keypair {}: {e}", path.display()))?;
    let bytes: Result<Vec<u8>, _> =
        text.trim().trim_start_matches('[').trim_end_matches(']').split(',').map(|n| n.trim().parse::<u8>()).collect();
    bytes
        .ok()
        .and_then(|b| Keypair::try_from(b.as_slice()).ok())
        .ok_or_else(|| format!("{} is not a keypair file (a JSON array of 64 bytes)", path.display()))
}

/// A device id from 64 hex characters, or from a text of at most 32 bytes padded with zeros.
fn parse_device_id(value: &str) -> Result<[u8; 32], String> {
    let mut id = [0u8; 32];
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        for (i, byte) in id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&value[2 * i..2 * i + 2], 16).expect("hex digits");
        }
    } else if value.len() <= 32 {
        id[..value.len()].copy_from_slice(value.as_bytes());
    } else {
        return Err(format!("device id `{value}`: give 64 hex characters or a text of at most 32 bytes"));
    }
    Ok(id)
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    // --url and --commitment are validated by clap; no command of this build connects
    let _ = (&cli.url, cli.commitment);
    let result = match cli.command {
        Command::Demo => demo::run(cli.output),
        Command::Pda { device, wallet, count } => pda_command(cli.keypair, device, wallet, count, cli.output),
        Command::ExplainError { code } => explain_error(&code, cli.output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
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
    }

    #[test]
    fn error_codes_parse_in_decimal_and_hex() {
        assert_eq!(parse_code("6000"), Ok(6000));
        assert_eq!(parse_code("0x1770"), Ok(6000));
        assert!(parse_code("x").is_err());
    }

    #[test]
    fn device_ids_are_hex_or_padded_text() {
        assert_eq!(parse_device_id(&"ab".repeat(32)).unwrap(), [0xab; 32]);
        let id = parse_device_id("gpu-1").unwrap();
        assert_eq!(&id[..5], b"gpu-1");
        assert_eq!(id[5..], [0; 27]);
        assert!(parse_device_id(&"x".repeat(33)).is_err());
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
