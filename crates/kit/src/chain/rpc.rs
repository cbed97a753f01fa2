//! [`Chain`] over a validator's JSON-RPC, with transactions that land on a busy cluster: a
//! compute-unit limit from a simulation plus a margin, a compute-unit price (given, or from the
//! recent prioritization fees of the accounts the transaction writes), and the same signed
//! transaction re-sent every [`RESEND_INTERVAL`] until it is confirmed or its blockhash expires.
use super::{budget_instructions, limit_with_margin, signed, Chain, ComputeBudget, Refusal, SendError, Sent, MAX_COMPUTE_UNITS};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::query::Memcmp;
use device_staking_client::PROGRAM_ID;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_hash::Hash;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig, RpcSimulateTransactionConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp as RpcMemcmp, RpcFilterType};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_signer::Signer;
use solana_transaction::{Signature, Transaction};
use solana_transaction_error::TransactionError;
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::UiTransactionEncoding;
use std::time::{Duration, Instant};

/// How often a transaction that has not landed yet is sent again.
pub const RESEND_INTERVAL: Duration = Duration::from_secs(2);

/// How often the node is asked whether the transaction landed.
const POLL_INTERVAL: Duration = Duration::from_millis(400);

/// The percentile of the recent prioritization fees a transaction pays by default.
pub const FEE_PERCENTILE: usize = 75;

/// What the user is told when a transaction expired without landing.
pub const EXPIRED: &str = "the transaction did not land before its blockhash expired; nothing was changed; run the command again";

/// A validator reached over JSON-RPC at one commitment level.
pub struct RpcChain {
    client: RpcClient,
    commitment: CommitmentConfig,
    url: String,
    budget: ComputeBudget,
}

/// The `percentile` (0-100) of `fees` (nearest rank; 0 for none).
pub fn fee_percentile(fees: &[u64], percentile: usize) -> u64 {
    if fees.is_empty() {
        return 0;
    }
    let mut sorted = fees.to_vec();
    sorted.sort_unstable();
    let rank = (percentile.min(100) * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Whether `error` says the node could not be reached at all (nothing listens, DNS, timeout).
pub fn unreachable(error: &ClientError) -> bool {
    match error.kind() {
        ErrorKind::Reqwest(e) => e.is_connect() || e.is_timeout(),
        ErrorKind::Io(_) => true,
        // getAccountInfo wraps the transport's error in a message "AccountNotFound: ...: error sending request"
        ErrorKind::RpcError(RpcError::ForUser(message)) => message.contains("error sending request"),
        _ => false,
    }
}

impl RpcChain {
    /// A client of the node at `url` reading and confirming at `commitment`, sending with the
    /// compute budget `budget`.
    pub fn new(url: &str, commitment: CommitmentLevel, budget: ComputeBudget) -> Self {
        let commitment = CommitmentConfig { commitment };
        Self { client: RpcClient::new_with_commitment(url.to_string(), commitment), commitment, url: url.to_string(), budget }
    }

    /// `error` for people, prefixed by `what` failed; a node that cannot be reached is named so.
    fn failure(&self, what: &str, error: &ClientError) -> String {
        if unreachable(error) {
            format!("cannot reach the RPC at {} ({what}): no node answers there; is a validator running?", self.url)
        } else {
            format!("{what}: {error}")
        }
    }

    /// The price per compute unit: `--with-compute-unit-price`, else the [`FEE_PERCENTILE`]th
    /// percentile of the recent prioritization fees paid for the accounts `instructions` write.
    pub fn unit_price(&self, instructions: &[Instruction]) -> Result<u64, String> {
        if let Some(price) = self.budget.unit_price {
            return Ok(price);
        }
        let mut writable: Vec<Pubkey> = Vec::new();
        for meta in instructions.iter().flat_map(|i| &i.accounts).filter(|m| m.is_writable) {
            if !writable.contains(&meta.pubkey) {
                writable.push(meta.pubkey);
            }
        }
        // the RPC takes at most 128 addresses
        writable.truncate(128);
        let fees = self
            .client
            .get_recent_prioritization_fees(&writable)
            .map_err(|e| self.failure("cannot read the recent prioritization fees", &e))?;
        Ok(fee_percentile(&fees.iter().map(|f| f.prioritization_fee).collect::<Vec<_>>(), FEE_PERCENTILE))
    }

    /// The compute units `instructions` consume, simulated with the highest limit and `unit_price`;
    /// a refusal in the simulation is the program's verdict (nothing was sent).
    fn simulate(
        &self,
        instructions: &[Instruction],
        unit_price: u64,
        payer: &dyn Signer,
        signers: &[&dyn Signer],
        blockhash: Hash,
    ) -> Result<u64, SendError> {
        let mut all = budget_instructions(MAX_COMPUTE_UNITS, unit_price);
        all.extend_from_slice(instructions);
        let transaction = signed(&all, payer, signers, blockhash)?;
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: true,
            commitment: Some(self.commitment),
            ..RpcSimulateTransactionConfig::default()
        };
        let result = self
            .client
            .simulate_transaction_with_config(&transaction, config)
            .map_err(|e| SendError::Failed(self.failure("cannot simulate the transaction", &e)))?
            .value;
        if let Some(error) = result.err {
            return Err(SendError::Refused(Refusal {
                error: error.into(),
                compute_units: result.units_consumed,
                logs: result.logs.unwrap_or_default(),
            }));
        }
        result.units_consumed.ok_or_else(|| SendError::Failed("the node's simulation reported no compute units".into()))
    }

    /// Whether the transaction `signature` has landed: `Some(Ok)` at the chain's commitment,
    /// `Some(Err)` when it landed and failed, `None` when the node has not seen it yet.
    fn landed(&self, signature: &Signature) -> Result<Option<Result<(), TransactionError>>, ClientError> {
        let statuses = self.client.get_signature_statuses(&[*signature])?.value;
        Ok(statuses.into_iter().next().flatten().filter(|s| s.satisfies_commitment(self.commitment)).map(|s| match s.err {
            Some(error) => Err(error),
            None => Ok(()),
        }))
    }

    /// Reads the compute units and logs of a confirmed transaction (best effort: a node without
    /// transaction history answers nothing, and the transaction still succeeded).
    fn details(&self, signature: &solana_transaction::Signature) -> (Option<u64>, Vec<String>) {
        // getTransaction accepts confirmed or finalized only
        let commitment = match self.commitment.commitment {
            CommitmentLevel::Finalized => self.commitment,
            _ => CommitmentConfig::confirmed(),
        };
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(commitment),
            max_supported_transaction_version: Some(0),
        };
        let meta = self.client.get_transaction_with_config(signature, config).ok().and_then(|t| t.transaction.meta);
        match meta {
            Some(meta) => {
                let units = match meta.compute_units_consumed {
                    OptionSerializer::Some(units) => Some(units),
                    _ => None,
                };
                let logs = match meta.log_messages {
                    OptionSerializer::Some(logs) => logs,
                    _ => Vec::new(),
                };
                (units, logs)
            }
            None => (None, Vec::new()),
        }
    }
}

/// A refusal from the node's answer, or `None` when the error is not a verdict on the transaction.
fn refusal(error: &ClientError) -> Option<Refusal> {
    let verdict = error.get_transaction_error()?;
    let (logs, units) = match error.kind() {
        ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(result),
            ..
        }) => (result.logs.clone().unwrap_or_default(), result.units_consumed),
        _ => (Vec::new(), None),
    };
    Some(Refusal { error: verdict, compute_units: units, logs })
}

/// A spinner on standard error (never standard output; hidden when stderr is not a terminal).
pub fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

impl Chain for RpcChain {
    fn account(&self, address: &Pubkey) -> Result<Option<Account>, String> {
        self.client
            .get_account_with_commitment(address, self.commitment)
            .map(|response| response.value)
            .map_err(|e| self.failure(&format!("cannot read the account {address}"), &e))
    }

    fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String> {
        let config = RpcProgramAccountsConfig {
            filters: Some(
                filters.iter().map(|f| RpcFilterType::Memcmp(RpcMemcmp::new_raw_bytes(f.offset, f.bytes.clone()))).collect(),
            ),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.commitment),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accounts = self
            .client
            .get_program_ui_accounts_with_config(&PROGRAM_ID, config)
            .map_err(|e| self.failure("cannot list the program's accounts", &e))?;
        accounts
            .into_iter()
            .map(|(address, account)| {
                account
                    .data
                    .decode()
                    .map(|data| (address, data))
                    .ok_or_else(|| format!("the node sent undecodable data for {address}"))
            })
            .collect()
    }

    fn unix_time(&self) -> Result<i64, String> {
        let clock = self
            .client
            .get_account_with_commitment(&solana_sdk_ids::sysvar::clock::ID, self.commitment)
            .map_err(|e| self.failure("cannot read the Clock", &e))?
            .value
            .ok_or("the node has no Clock sysvar")?;
        let clock: solana_clock::Clock =
            bincode::deserialize(&clock.data).map_err(|e| format!("cannot decode the Clock: {e}"))?;
        Ok(clock.unix_timestamp)
    }

    fn latest_blockhash(&self) -> Result<Hash, String> {
        self.client.get_latest_blockhash().map_err(|e| self.failure("cannot get a recent blockhash", &e))
    }

    fn minimum_balance(&self, space: usize) -> Result<u64, String> {
        self.client.get_minimum_balance_for_rent_exemption(space).map_err(|e| self.failure("cannot read the rent", &e))
    }

    fn send(&mut self, instructions: &[Instruction], payer: &dyn Signer, signers: &[&dyn Signer]) -> Result<Sent, SendError> {
        let (blockhash, _) = self
            .client
            .get_latest_blockhash_with_commitment(self.commitment)
            .map_err(|e| SendError::Failed(self.failure("cannot get a recent blockhash", &e)))?;
        let unit_price = self.unit_price(instructions).map_err(SendError::Failed)?;
        let unit_limit = match self.budget.unit_limit {
            Some(limit) => limit,
            None => limit_with_margin(self.simulate(instructions, unit_price, payer, signers, blockhash)?),
        };
        let mut all = budget_instructions(unit_limit, unit_price);
        all.extend_from_slice(instructions);
        let transaction = signed(&all, payer, signers, blockhash)?;
        self.send_transaction(&transaction)
    }

    /// Sends the signed `transaction` every [`RESEND_INTERVAL`] (the first time with the node's
    /// preflight check, which names a refusal) until it lands at the chain's commitment or its
    /// blockhash is no longer valid; then one last look, and [`EXPIRED`] when it never landed.
    fn send_transaction(&mut self, transaction: &Transaction) -> Result<Sent, SendError> {
        let signature = transaction.signatures[0];
        let blockhash = transaction.message.recent_blockhash;
        let bar = spinner("sending the transaction");
        let failed = |bar: &ProgressBar, message: String| {
            bar.finish_and_clear();
            SendError::Failed(message)
        };
        let first = RpcSendTransactionConfig {
            skip_preflight: false,
            preflight_commitment: Some(self.commitment.commitment),
            max_retries: Some(0),
            ..RpcSendTransactionConfig::default()
        };
        if let Err(error) = self.client.send_transaction_with_config(transaction, first) {
            bar.finish_and_clear();
            return Err(match refusal(&error) {
                // a blockhash the node no longer (or never) knew: the same verdict as expiring while re-sent
                Some(refusal) if refusal.error == TransactionError::BlockhashNotFound => {
                    SendError::Failed(format!("{EXPIRED} (blockhash {blockhash} not found)"))
                }
                Some(refusal) => SendError::Refused(refusal),
                None => SendError::Failed(self.failure("the transaction was not sent", &error)),
            });
        }
        let again =
            RpcSendTransactionConfig { skip_preflight: true, max_retries: Some(0), ..RpcSendTransactionConfig::default() };
        let mut last_sent = Instant::now();
        let mut sends = 1;
        loop {
            match self.landed(&signature) {
                Ok(Some(Ok(()))) => break,
                Ok(Some(Err(error))) => {
                    bar.finish_and_clear();
                    let (compute_units, logs) = self.details(&signature);
                    return Err(SendError::Refused(Refusal { error, compute_units, logs }));
                }
                Ok(None) => {}
                Err(e) => return Err(failed(&bar, self.failure("cannot read the transaction's status", &e))),
            }
            if last_sent.elapsed() >= RESEND_INTERVAL {
                let valid = self
                    .client
                    .is_blockhash_valid(&blockhash, CommitmentConfig::processed())
                    .map_err(|e| failed(&bar, self.failure("cannot check the blockhash", &e)))?;
                if !valid {
                    // the last chance: it may have landed since the last look
                    std::thread::sleep(POLL_INTERVAL);
                    return match self.landed(&signature) {
                        Ok(Some(Ok(()))) => break,
                        Ok(Some(Err(error))) => {
                            bar.finish_and_clear();
                            let (compute_units, logs) = self.details(&signature);
                            Err(SendError::Refused(Refusal { error, compute_units, logs }))
                        }
                        _ => Err(failed(&bar, format!("{EXPIRED} (signature {signature}, sent {sends} times)"))),
                    };
                }
                // a send that fails (a node busy for a moment) is retried with the next one
                let _ = self.client.send_transaction_with_config(transaction, again);
                sends += 1;
                last_sent = Instant::now();
                bar.set_message(format!("waiting for the transaction to land (sent {sends} times)"));
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        bar.finish_and_clear();
        let (compute_units, logs) = self.details(&signature);
        Ok(Sent { signature: signature.to_string(), compute_units, logs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_price_is_a_high_percentile_of_the_recent_fees() {
        assert_eq!(fee_percentile(&[], FEE_PERCENTILE), 0);
        assert_eq!(fee_percentile(&[0, 0, 0], FEE_PERCENTILE), 0);
        assert_eq!(fee_percentile(&[40, 10, 30, 20], 75), 30);
        assert_eq!(fee_percentile(&[5], 75), 5);
        let fees: Vec<u64> = (1..=100).collect();
        assert_eq!(fee_percentile(&fees, 75), 75);
        assert_eq!(fee_percentile(&fees, 100), 100);
    }

    #[test]
    fn a_node_that_does_not_listen_is_named_unreachable() {
        let chain = RpcChain::new("http://127.0.0.1:1", CommitmentLevel::Confirmed, ComputeBudget::default());
        let error = chain.account(&Pubkey::new_unique()).unwrap_err();
        assert!(error.starts_with("cannot reach the RPC at http://127.0.0.1:1"), "{error}");
    }
}
