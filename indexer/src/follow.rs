//! Following the program over RPC: `getSignaturesForAddress` on the program id, newest first and
//! page by page back to the cursor (the last transaction stored), then the transactions oldest
//! first, fetched a few at a time (`getTransaction`) and stored one by one in order
//! ([`Db::store_transaction`]): the cursor only ever moves to a transaction whose events are all
//! stored. Failed transactions are stored without events (the cursor passes them).
use crate::db::{ChainTransaction, Db, DbError};
use crate::decode::events_in_logs;
use device_staking_client::PROGRAM_ID;
use futures::StreamExt;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_signature::Signature;
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::UiTransactionEncoding;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Most signatures one `getSignaturesForAddress` call returns.
const SIGNATURES_PER_PAGE: usize = 1_000;

/// A failure while following the chain, named.
#[derive(Debug)]
pub enum FollowError {
    /// The RPC node failed to answer.
    Rpc(String),
    /// The node returned no transaction (or no logs) for a signature it listed.
    TransactionMissing(String),
    /// The database refused.
    Db(DbError),
}

impl fmt::Display for FollowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FollowError::Rpc(e) => write!(f, "RpcError: {e}"),
            FollowError::TransactionMissing(sig) => {
                write!(
                    f,
                    "TransactionMissing: the node has no transaction or logs for {sig} (a node without transaction history?)"
                )
            }
            FollowError::Db(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FollowError {}

impl From<DbError> for FollowError {
    fn from(e: DbError) -> Self {
        FollowError::Db(e)
    }
}

/// How to catch up.
#[derive(Clone, Debug)]
pub struct Options {
    /// Stop after storing this many transactions (the rest waits for the next run).
    pub max_transactions: Option<usize>,
    /// `getTransaction` calls in flight at once.
    pub concurrency: usize,
    /// Print progress lines on standard error.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { max_transactions: None, concurrency: 16, progress: true }
    }
}

/// What one catch-up did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatchUp {
    /// Transactions the node listed after the cursor.
    pub listed: usize,
    /// Transactions stored now.
    pub stored: usize,
    /// Of those, failed ones (stored without events).
    pub failed: usize,
    /// Events stored now.
    pub events: usize,
    /// Seconds it took.
    pub seconds: f64,
}

impl CatchUp {
    /// Transactions stored per second.
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 {
            self.stored as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Follows the program's transactions at one RPC node into one database.
pub struct Follower {
    /// The node.
    rpc: RpcClient,
    /// The database.
    db: Db,
    /// `confirmed` or `finalized`.
    commitment: CommitmentConfig,
}

impl Follower {
    /// A follower of the node at `url` reading at `commitment` (`processed` reads as `confirmed`:
    /// getTransaction serves nothing less).
    pub fn new(url: &str, commitment: CommitmentConfig, db: Db) -> Self {
        let commitment = if commitment.is_finalized() { commitment } else { CommitmentConfig::confirmed() };
        Self { rpc: RpcClient::new_with_commitment(url.to_string(), commitment), db, commitment }
    }

    /// Checks that the database was filled from this chain (its genesis hash), recording it on first use.
    pub async fn check_cluster(&self) -> Result<(), FollowError> {
        let genesis = self.rpc.get_genesis_hash().await.map_err(|e| FollowError::Rpc(e.to_string()))?;
        Ok(self.db.check_cluster(&genesis.to_string()).await?)
    }

    /// The program's signatures after the cursor, oldest first, with whether each failed and its slot.
    async fn signatures_after_cursor(&self) -> Result<Vec<(String, bool, u64, Option<i64>)>, FollowError> {
        let until = match self.db.cursor().await? {
            Some(cursor) => Some(Signature::from_str(&cursor.signature).map_err(|e| FollowError::Rpc(e.to_string()))?),
            None => None,
        };
        let mut newest_first = Vec::new();
        let mut before = None;
        loop {
            let config = GetConfirmedSignaturesForAddress2Config {
                before,
                until,
                limit: Some(SIGNATURES_PER_PAGE),
                commitment: Some(self.commitment),
            };
            let page = self
                .rpc
                .get_signatures_for_address_with_config(&PROGRAM_ID, config)
                .await
                .map_err(|e| FollowError::Rpc(e.to_string()))?;
            let full = page.len() == SIGNATURES_PER_PAGE;
            if let Some(last) = page.last() {
                before = Some(Signature::from_str(&last.signature).map_err(|e| FollowError::Rpc(e.to_string()))?);
            }
            newest_first.extend(page.into_iter().map(|s| (s.signature, s.err.is_some(), s.slot, s.block_time)));
            if !full {
                break;
            }
        }
        newest_first.reverse();
        Ok(newest_first)
    }

    /// Reads one transaction's events from the node.
    async fn fetch(
        &self,
        signature: String,
        failed: bool,
        slot: u64,
        block_time: Option<i64>,
    ) -> Result<ChainTransaction, FollowError> {
        if failed {
            return Ok(ChainTransaction { signature, slot, block_time, failed: true, events: Vec::new() });
        }
        let parsed = Signature::from_str(&signature).map_err(|e| FollowError::Rpc(e.to_string()))?;
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(self.commitment),
            max_supported_transaction_version: Some(0),
        };
        let mut tries = 0;
        let tx = loop {
            match self.rpc.get_transaction_with_config(&parsed, config).await {
                Ok(tx) => break tx,
                Err(e) if tries < 5 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200 * tries)).await;
                }
                Err(e) => return Err(FollowError::Rpc(e.to_string())),
            }
        };
        let Some(meta) = tx.transaction.meta else { return Err(FollowError::TransactionMissing(signature)) };
        let failed = meta.err.is_some();
        let logs = match meta.log_messages {
            OptionSerializer::Some(logs) => logs,
            _ if failed => Vec::new(),
            _ => return Err(FollowError::TransactionMissing(signature)),
        };
        let events = if failed { Vec::new() } else { events_in_logs(&logs) };
        Ok(ChainTransaction { signature, slot: tx.slot, block_time: tx.block_time.or(block_time), failed, events })
    }

    /// Stores every transaction of the program after the cursor (at most `options.max_transactions`),
    /// oldest first, with progress lines (transactions done / to do, rate).
    pub async fn catch_up(&self, options: &Options) -> Result<CatchUp, FollowError> {
        let started = Instant::now();
        let mut todo = self.signatures_after_cursor().await?;
        let listed = todo.len();
        if let Some(max) = options.max_transactions {
            todo.truncate(max);
        }
        let total = todo.len();
        let mut done = CatchUp { listed, ..CatchUp::default() };
        if options.progress && total > 0 {
            eprintln!(
                "[indexer] {total} transactions to read{}",
                if total < listed { format!(" (of {listed})") } else { String::new() }
            );
        }
        let mut fetched = futures::stream::iter(todo)
            .map(|(signature, failed, slot, block_time)| self.fetch(signature, failed, slot, block_time))
            .buffered(options.concurrency.max(1));
        let mut last_report = Instant::now();
        while let Some(tx) = fetched.next().await {
            let tx = tx?;
            if self.db.store_transaction(&tx).await? {
                done.stored += 1;
                done.failed += usize::from(tx.failed);
                done.events += tx.events.len();
            }
            if options.progress && last_report.elapsed() >= Duration::from_secs(1) {
                last_report = Instant::now();
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "[indexer] {}/{total} transactions, {} events, {:.1} tx/s",
                    done.stored,
                    done.events,
                    done.stored as f64 / secs
                );
            }
        }
        done.seconds = started.elapsed().as_secs_f64();
        if options.progress && total > 0 {
            eprintln!(
                "[indexer] stored {} transactions ({} failed, skipped) and {} events in {:.1} s ({:.1} tx/s)",
                done.stored,
                done.failed,
                done.events,
                done.seconds,
                done.rate()
            );
        }
        Ok(done)
    }

    /// Catches up, then polls every `poll` for new transactions, forever (or until an error).
    pub async fn follow(&self, options: &Options, poll: Duration) -> Result<(), FollowError> {
        loop {
            self.catch_up(options).await?;
            tokio::time::sleep(poll).await;
        }
    }
}
