//! `device-staking-indexer`: follows the device_staking program's transactions over RPC into a
//! database (SQLite by default, PostgreSQL with `--database postgres://...`) and serves their
//! history over HTTP (docs/api.md, docs/indexer.md).
//!
//! ```text
//! device-staking-indexer [--database URL] index [--url URL] [--follow] [--api-port PORT] [--max-transactions N]
//! device-staking-indexer [--database URL] serve [--port PORT]
//! device-staking-indexer [--database URL] status
//! ```
use clap::{Parser, Subcommand, ValueEnum};
use device_staking_indexer::api;
use device_staking_indexer::db::{self, Db};
use device_staking_indexer::follow::{Follower, Options};
use solana_commitment_config::CommitmentConfig;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "device-staking-indexer",
    version,
    about = "Stores every event of the device_staking program in a database and serves its history over HTTP",
    long_about = "Stores every event of the device_staking program (R50) in a database and serves its history \
over HTTP.\n\n`index` reads the program's transactions from an RPC node, oldest first from the last one stored \
(the cursor), decodes the program's events from their logs and stores each transaction's events and the cursor \
in one database transaction: it may be stopped at any time and started again, with no gap and no duplicate. \
`serve` answers the routes of docs/api.md on 127.0.0.1. The database is SQLite by default (a file in the user's \
data directory) or PostgreSQL (--database postgres://USER@HOST:PORT/NAME); one database per chain."
)]
struct Cli {
    /// The database: sqlite:PATH or postgres://USER@HOST:PORT/NAME [default: sqlite: history.sqlite in the user's data directory, device-staking/]
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// `--commitment` of `index`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Commitment {
    /// Voted on by a supermajority.
    Confirmed,
    /// Rooted.
    Finalized,
}

#[derive(Subcommand)]
enum Command {
    /// Read the program's transactions after the cursor into the database (with --follow: then poll for new ones)
    Index {
        /// RPC URL or moniker (l/localhost, d/devnet, t/testnet, m/mainnet-beta)
        #[arg(short = 'u', long, default_value = "http://127.0.0.1:8899", value_parser = resolve_url)]
        url: String,
        /// Commitment of the transactions read
        #[arg(long, value_enum, default_value_t = Commitment::Confirmed)]
        commitment: Commitment,
        /// After catching up, poll for new transactions until stopped (Ctrl-C)
        #[arg(long)]
        follow: bool,
        /// Seconds between polls with --follow
        #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
        poll: f64,
        /// Store at most this many transactions, then stop (the next run goes on from there)
        #[arg(long, value_name = "N")]
        max_transactions: Option<usize>,
        /// getTransaction calls in flight at once
        #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: u16,
        /// Serve the API on 127.0.0.1:PORT meanwhile
        #[arg(long, value_name = "PORT")]
        api_port: Option<u16>,
    },
    /// Serve the history API on 127.0.0.1 (docs/api.md)
    Serve {
        /// The port
        #[arg(long, default_value_t = 8787)]
        port: u16,
    },
    /// Print the cursor and the counts of the database as JSON
    Status,
}

/// Resolves the Solana CLI's URL monikers.
fn resolve_url(value: &str) -> Result<String, String> {
    let url = match value {
        "l" | "localhost" => "http://localhost:8899",
        "d" | "devnet" => "https://api.devnet.solana.com",
        "t" | "testnet" => "https://api.testnet.solana.com",
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com",
        other if other.starts_with("http://") || other.starts_with("https://") => other,
        other => {
            return Err(format!("`{other}` is neither a URL nor one of l, localhost, d, devnet, t, testnet, m, mainnet-beta"))
        }
    };
    Ok(url.to_string())
}

/// Binds the API's port on 127.0.0.1 and serves it in the background.
async fn start_api(db: Db, port: u16) -> Result<tokio::task::JoinHandle<std::io::Result<()>>, String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| format!("bind 127.0.0.1:{port}: {e}"))?;
    eprintln!("[indexer] API on http://127.0.0.1:{port} (docs/api.md)");
    Ok(tokio::spawn(api::serve(db, listener)))
}

/// Runs the command.
async fn run(cli: Cli) -> Result<(), String> {
    let url = cli.database.unwrap_or_else(db::default_url);
    let db = Db::open(&url).await.map_err(|e| e.to_string())?;
    match cli.command {
        Command::Index { url: rpc_url, commitment, follow, poll, max_transactions, concurrency, api_port } => {
            let commitment = match commitment {
                Commitment::Confirmed => CommitmentConfig::confirmed(),
                Commitment::Finalized => CommitmentConfig::finalized(),
            };
            let follower = Follower::new(&rpc_url, commitment, db.clone());
            follower.check_cluster().await.map_err(|e| e.to_string())?;
            let api = match api_port {
                Some(port) => Some(start_api(db.clone(), port).await?),
                None => None,
            };
            let options = Options { max_transactions, concurrency: concurrency.into(), progress: true };
            eprintln!("[indexer] reading the program's transactions from {rpc_url} into {}", db.backend.name());
            if follow {
                tokio::select! {
                    result = follower.follow(&options, Duration::from_secs_f64(poll.max(0.1))) => result.map_err(|e| e.to_string())?,
                    _ = tokio::signal::ctrl_c() => eprintln!("[indexer] stopped"),
                }
            } else {
                follower.catch_up(&options).await.map_err(|e| e.to_string())?;
                if let Some(api) = api {
                    eprintln!("[indexer] caught up; serving until stopped (Ctrl-C)");
                    tokio::select! {
                        result = api => result.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?,
                        _ = tokio::signal::ctrl_c() => eprintln!("[indexer] stopped"),
                    }
                }
            }
        }
        Command::Serve { port } => {
            let api = start_api(db.clone(), port).await?;
            tokio::select! {
                result = api => result.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?,
                _ = tokio::signal::ctrl_c() => eprintln!("[indexer] stopped"),
            }
        }
        Command::Status => {
            let status = db.status().await.map_err(|e| e.to_string())?;
            let cursor =
                status.cursor.map(|c| serde_json::json!({ "signature": c.signature, "slot": c.slot, "blockTime": c.block_time }));
            println!(
                "{}",
                serde_json::json!({ "database": db.backend.name(), "transactions": status.transactions, "events": status.events, "cursor": cursor })
            );
        }
    }
    db.close().await;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
