//! [`Chain`] over a validator's JSON-RPC.
use super::{Chain, Refusal, SendError, Sent};
use anchor_lang::prelude::Pubkey;
use device_staking_client::query::Memcmp;
use device_staking_client::PROGRAM_ID;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_hash::Hash;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcTransactionConfig};
use solana_rpc_client_api::filter::{Memcmp as RpcMemcmp, RpcFilterType};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_transaction::Transaction;
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::UiTransactionEncoding;
use std::time::Duration;

/// A validator reached over JSON-RPC at one commitment level.
pub struct RpcChain {
    client: RpcClient,
    commitment: CommitmentConfig,
}

impl RpcChain {
    /// A client of the node at `url` reading and confirming at `commitment`.
    pub fn new(url: &str, commitment: CommitmentLevel) -> Self {
        let commitment = CommitmentConfig { commitment };
        Self { client: RpcClient::new_with_commitment(url.to_string(), commitment), commitment }
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
        ErrorKind::RpcError(RpcError::RpcResponseError { data: RpcResponseErrorData::SendTransactionPreflightFailure(result), .. }) => {
            (result.logs.clone().unwrap_or_default(), result.units_consumed)
        }
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
            .map_err(|e| format!("cannot read the account {address}: {e}"))
    }

    fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String> {
        let config = RpcProgramAccountsConfig {
            filters: Some(filters.iter().map(|f| RpcFilterType::Memcmp(RpcMemcmp::new_raw_bytes(f.offset, f.bytes.clone()))).collect()),
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
            .map_err(|e| format!("cannot list the program's accounts: {e}"))?;
        accounts
            .into_iter()
            .map(|(address, account)| {
                account.data.decode().map(|data| (address, data)).ok_or_else(|| format!("the node sent undecodable data for {address}"))
            })
            .collect()
    }

    fn unix_time(&self) -> Result<i64, String> {
        let clock = self
            .client
            .get_account_with_commitment(&solana_sdk_ids::sysvar::clock::ID, self.commitment)
            .map_err(|e| format!("cannot read the Clock: {e}"))?
            .value
            .ok_or("the node has no Clock sysvar")?;
        let clock: solana_clock::Clock = bincode::deserialize(&clock.data).map_err(|e| format!("cannot decode the Clock: {e}"))?;
        Ok(clock.unix_timestamp)
    }

    fn latest_blockhash(&self) -> Result<Hash, String> {
        self.client.get_latest_blockhash().map_err(|e| format!("cannot get a recent blockhash: {e}"))
    }

    fn minimum_balance(&self, space: usize) -> Result<u64, String> {
        self.client.get_minimum_balance_for_rent_exemption(space).map_err(|e| format!("cannot read the rent: {e}"))
    }

    fn send_transaction(&mut self, transaction: &Transaction) -> Result<Sent, SendError> {
        let bar = spinner("confirming the transaction");
        let result = self.client.send_and_confirm_transaction(transaction);
        bar.finish_and_clear();
        match result {
            Ok(signature) => {
                let (compute_units, logs) = self.details(&signature);
                Ok(Sent { signature: signature.to_string(), compute_units, logs })
            }
            Err(error) => Err(match refusal(&error) {
                Some(refusal) => SendError::Refused(refusal),
                None => SendError::Failed(format!("the transaction was not confirmed: {error}")),
            }),
        }
    }
}
