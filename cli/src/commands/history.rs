//! `history` and `export --csv`: a device's or a wallet's events (R50), newest first, from the
//! history API of `device-staking-indexer` (`--api http://127.0.0.1:PORT`, docs/api.md) or, without
//! it, straight from the RPC node of `--url`: the address's transactions (`getSignaturesForAddress`),
//! each one's logs (`getTransaction`), the program's events decoded from them with the indexer's
//! own decoder. Over RPC, a device's history is every event about it; a wallet's is the program's
//! events of the transactions the wallet took part in (the API also knows the rewards and slashes
//! of the wallet's devices and positions).
use super::{CliError, Context, Report};
use crate::json;
use anchor_lang::prelude::Pubkey;
use device_staking_client::{pda, PROGRAM_ID};
use device_staking_indexer::decode::{event_json, events_in_logs};
use device_staking_indexer::export::{csv, utc};
use device_staking_indexer::http;
use serde_json::{json, Value};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::rpc_client::{GetConfirmedSignaturesForAddress2Config, RpcClient};
use solana_rpc_client_api::config::RpcTransactionConfig;
use solana_transaction_status_client_types::option_serializer::OptionSerializer;
use solana_transaction_status_client_types::UiTransactionEncoding;
use std::path::Path;
use std::str::FromStr;

/// Whose history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A device (its PDA).
    Device(Pubkey),
    /// A wallet.
    Wallet(Pubkey),
}

impl Target {
    /// `device` or `wallet`.
    fn kind(&self) -> &'static str {
        match self {
            Target::Device(_) => "device",
            Target::Wallet(_) => "wallet",
        }
    }

    /// The address.
    fn address(&self) -> Pubkey {
        match self {
            Target::Device(key) | Target::Wallet(key) => *key,
        }
    }

    /// The API's route prefix for it.
    fn route(&self) -> String {
        format!("/{}s/{}", self.kind(), self.address())
    }
}

/// A device id (not an address) is a device; an address is a device when the program owns the
/// account there (on the chain) or when the API knows events of a device there; else a wallet.
fn target(ctx: &Context, reference: &str, api: Option<&str>) -> Result<Target, String> {
    let Ok(address) = Pubkey::from_str(reference) else {
        return Ok(Target::Device(pda::device(&super::parse_device_id(reference)?).0));
    };
    let is_device = match api {
        Some(api) => {
            !api_json(api, &format!("/devices/{address}/history?limit=1"))?["events"].as_array().is_none_or(Vec::is_empty)
        }
        None => ctx.chain.account(&address)?.is_some_and(|account| account.owner == PROGRAM_ID),
    };
    Ok(if is_device { Target::Device(address) } else { Target::Wallet(address) })
}

/// GET of the API that must answer 200 with JSON.
fn api_json(api: &str, path: &str) -> Result<Value, String> {
    let answer = http::get(api, path)?;
    if answer.status != 200 {
        return Err(format!("ApiError: {api}{path} answered {}: {}", answer.status, answer.body.trim()));
    }
    serde_json::from_str(&answer.body).map_err(|e| format!("BadApiAnswer: {api}{path}: {e}"))
}

/// At most `limit` events from the API, newest first, in pages of at most 1,000 that end at a
/// transaction's boundary.
fn from_api(api: &str, target: Target, limit: usize) -> Result<Vec<Value>, String> {
    let mut events: Vec<Value> = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let want = limit.saturating_sub(events.len()).min(1_000);
        if want == 0 {
            break;
        }
        let before_arg = before.map(|seq| format!("&before={seq}")).unwrap_or_default();
        let answer = api_json(api, &format!("{}/history?limit={want}{before_arg}", target.route()))?;
        let page = answer["events"].as_array().cloned().unwrap_or_default();
        let (first, last) = (page.first().and_then(|e| e["seq"].as_i64()), page.last().and_then(|e| e["seq"].as_i64()));
        if page.len() < want || first == last {
            events.extend(page);
            break;
        }
        // the last transaction may be cut: the next page starts with it whole
        let last = last.unwrap_or(0);
        events.extend(page.into_iter().filter(|e| e["seq"].as_i64() != Some(last)));
        before = Some(last + 1);
    }
    Ok(events.into_iter().map(json::sorted_keys).collect())
}

/// At most `limit` events straight from the RPC node at `url`, newest first, with progress on
/// standard error while it reads many transactions.
fn from_rpc(url: &str, target: Target, limit: usize) -> Result<Vec<Value>, String> {
    if url.starts_with("svm:") {
        return Err("history reads a validator's transaction history: give an RPC --url or --api (not svm:PATH)".into());
    }
    let rpc = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
    let address = target.address();
    let mut newest_first = Vec::new();
    let mut before = None;
    loop {
        let config = GetConfirmedSignaturesForAddress2Config {
            before,
            until: None,
            limit: Some(1_000),
            commitment: Some(CommitmentConfig::confirmed()),
        };
        let page = rpc.get_signatures_for_address_with_config(&address, config).map_err(|e| format!("RpcError: {e}"))?;
        let Some(last) = page.last() else { break };
        before = Some(last.signature.parse().map_err(|e| format!("RpcError: {e}"))?);
        let full = page.len() == 1_000;
        newest_first.extend(page.into_iter().filter(|s| s.err.is_none()));
        if !full {
            break;
        }
    }
    let total = newest_first.len();
    let mut events = Vec::new();
    for (i, status) in newest_first.iter().enumerate() {
        if events.len() >= limit {
            break;
        }
        if total > 50 && i > 0 && i % 50 == 0 {
            eprintln!("[history] read {i}/{total} transactions");
        }
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(CommitmentConfig::confirmed()),
            max_supported_transaction_version: Some(0),
        };
        let signature = status.signature.parse().map_err(|e| format!("RpcError: {e}"))?;
        let tx =
            rpc.get_transaction_with_config(&signature, config).map_err(|e| format!("RpcError: {}: {e}", status.signature))?;
        let Some(meta) = tx.transaction.meta else { continue };
        let OptionSerializer::Some(logs) = meta.log_messages else { continue };
        let mut found: Vec<Value> = events_in_logs(&logs)
            .iter()
            .filter(|event| match target {
                Target::Device(device) => event.device == Some(device),
                Target::Wallet(_) => true,
            })
            .map(|event| {
                let mut object = event_json(event);
                object.insert("seq".into(), ((total - i) as u64).into());
                object.insert("signature".into(), status.signature.clone().into());
                object.insert("slot".into(), tx.slot.into());
                object.insert("blockTime".into(), tx.block_time.or(status.block_time).map(Value::from).unwrap_or(Value::Null));
                Value::Object(object)
            })
            .collect();
        found.reverse();
        events.extend(found);
    }
    events.truncate(limit);
    Ok(events.into_iter().map(json::sorted_keys).collect())
}

/// The events of `reference` from the API or the chain, and where they came from.
fn events(ctx: &Context, reference: &str, api: Option<&str>, limit: usize) -> Result<(Target, String, Vec<Value>), String> {
    let target = target(ctx, reference, api)?;
    match api {
        Some(api) => Ok((target, format!("the API at {api}"), from_api(api, target, limit)?)),
        None => Ok((target, format!("RPC at {}", ctx.url), from_rpc(&ctx.url, target, limit)?)),
    }
}

/// `history`: at most `limit` events of a device or a wallet, newest first.
pub fn history(ctx: &Context, reference: &str, api: Option<&str>, limit: usize) -> Result<Report, CliError> {
    let (target, source, events) = events(ctx, reference, api, limit)?;
    let mut text =
        format!("History of {} {} from {source}: {} events, newest first\n", target.kind(), target.address(), events.len());
    if !events.is_empty() {
        text.push_str(&format!(
            "  {:<20}  {:<18}  {:>20}  {:>8}  {:>10}  {}\n",
            "time (UTC)", "event", "amount (base units)", "position", "slot", "signature"
        ));
    }
    for e in &events {
        let time = e["blockTime"].as_i64().map(utc).unwrap_or_else(|| "-".into());
        let amount = e["amount"].as_str().unwrap_or("-");
        let position = e["positionSeq"].as_i64().map(|s| s.to_string()).unwrap_or_else(|| "-".into());
        text.push_str(&format!(
            "  {time:<20}  {:<18}  {amount:>20}  {position:>8}  {:>10}  {}\n",
            e["name"].as_str().unwrap_or("?"),
            e["slot"],
            e["signature"].as_str().unwrap_or("")
        ));
    }
    let json = vec![
        ("kind", json!(target.kind())),
        ("address", json!(target.address().to_string())),
        ("source", json!(source)),
        ("events", Value::Array(events)),
    ];
    Ok(Report { text, json })
}

/// `export --csv`: the whole history of a device or a wallet as CSV, to `out` or to standard output.
pub fn export(ctx: &Context, reference: &str, api: Option<&str>, out: Option<&Path>) -> Result<Report, CliError> {
    let target = target(ctx, reference, api)?;
    let body = match api {
        Some(api) => {
            let answer = http::get(api, &format!("{}/history.csv", target.route()))?;
            if answer.status != 200 {
                return Err(format!("ApiError: {api} answered {}: {}", answer.status, answer.body.trim()).into());
            }
            answer.body
        }
        None => csv(&from_rpc(&ctx.url, target, usize::MAX)?),
    };
    let rows = body.lines().count().saturating_sub(1);
    let mut json = vec![("kind", json!(target.kind())), ("address", json!(target.address().to_string())), ("rows", json!(rows))];
    match out {
        Some(path) => {
            std::fs::write(path, &body).map_err(|e| format!("write {}: {e}", path.display()))?;
            json.push(("file", json!(path.display().to_string())));
            Ok(Report {
                text: format!("Wrote {rows} events of {} {} to {}\n", target.kind(), target.address(), path.display()),
                json,
            })
        }
        None => {
            json.push(("csv", json!(&body)));
            Ok(Report { text: body, json })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event's JSON carries over as it is (numbers, strings, nesting), with its keys sorted
    /// whatever order its source wrote them in.
    #[test]
    fn events_carry_over_with_sorted_keys() {
        let value: Value = serde_json::from_str(
            r#"{"seq":3,"amount":"18446744073709551615","left":false,"none":null,"data":{"z":[1,{"b":2,"a":1}],"a":18446744073709551615}}"#,
        )
        .unwrap();
        assert_eq!(
            json::sorted_keys(value).to_string(),
            r#"{"amount":"18446744073709551615","data":{"a":18446744073709551615,"z":[1,{"a":1,"b":2}]},"left":false,"none":null,"seq":3}"#
        );
    }

    /// A device's and a wallet's routes in the API.
    #[test]
    fn targets_name_their_routes() {
        let key = Pubkey::new_unique();
        assert_eq!(Target::Device(key).route(), format!("/devices/{key}"));
        assert_eq!(Target::Wallet(key).route(), format!("/wallets/{key}"));
    }
}
