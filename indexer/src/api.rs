//! The HTTP JSON API over the database (axum, 127.0.0.1): routes and shapes in docs/api.md.
use crate::db::{Db, DbError, StoredEvent};
pub use crate::export::CSV_HEADER;
use crate::export::{csv, date_of_day};
use anchor_lang::prelude::Pubkey;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use device_staking_client::PROGRAM_ID;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Most events one page of history holds.
const MAX_LIMIT: i64 = 1_000;
/// Seconds in a day.
const DAY: i64 = 86_400;

/// An API error: a status and a message, answered as `{"error": ...}`.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

/// A route's result.
type ApiResult = Result<Response, ApiError>;

/// Checks that `text` is a base58 address.
fn address(text: &str) -> Result<String, ApiError> {
    Pubkey::from_str(text)
        .map(|k| k.to_string())
        .map_err(|_| ApiError(StatusCode::BAD_REQUEST, format!("invalid address: {text}")))
}

/// A stored event as the API's event object.
pub fn event_json(event: &StoredEvent) -> Value {
    let mut object = Map::new();
    object.insert("seq".into(), event.seq.into());
    object.insert("signature".into(), event.signature.clone().into());
    object.insert("slot".into(), event.slot.into());
    object.insert("blockTime".into(), event.block_time.map(Value::from).unwrap_or(Value::Null));
    object.insert("instructionIndex".into(), event.instruction_index.into());
    object.insert("eventIndex".into(), event.event_index.into());
    object.insert("name".into(), event.name.clone().into());
    object.insert("device".into(), event.device.clone().map(Value::from).unwrap_or(Value::Null));
    object.insert("wallets".into(), event.wallets.clone().into());
    object.insert("positionSeq".into(), event.position_seq.map(Value::from).unwrap_or(Value::Null));
    object.insert("amount".into(), event.amount.map(|a| Value::from(a.to_string())).unwrap_or(Value::Null));
    object.insert("data".into(), event.data.clone());
    Value::Object(object)
}

/// `?limit=&before=` of the history routes.
#[derive(serde::Deserialize)]
pub struct Page {
    /// At most this many events (default 100, at most 1,000).
    limit: Option<i64>,
    /// Only transactions numbered below.
    before: Option<i64>,
}

impl Page {
    /// The limit within its bounds.
    fn limit(&self) -> i64 {
        self.limit.unwrap_or(100).clamp(1, MAX_LIMIT)
    }
}

/// `?by=&days=&tzOffsetMinutes=` of the earnings route.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EarningsQuery {
    /// `block` (default) or `day`.
    by: Option<String>,
    /// Only the last this many days.
    days: Option<i64>,
    /// The day's offset from UTC, in minutes (the browser's `-getTimezoneOffset()`).
    tz_offset_minutes: Option<i64>,
}

/// The routes of docs/api.md over `db`.
pub fn router(db: Db) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/devices/{device}/history", get(device_history))
        .route("/devices/{device}/history.csv", get(device_csv))
        .route("/devices/{device}/earnings", get(device_earnings))
        .route("/devices/{device}/slashes", get(device_slashes))
        .route("/wallets/{wallet}/history", get(wallet_history))
        .route("/wallets/{wallet}/history.csv", get(wallet_csv))
        .route("/wallets/{wallet}/positions", get(wallet_positions))
        .route("/wallets/{wallet}/slashes", get(wallet_slashes))
        .fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such route (see docs/api.md)".into()) })
        .layer(axum::middleware::map_response(|mut response: Response| async move {
            response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            response
        }))
        .with_state(db)
}

/// Serves the API on `listener` until the process ends.
pub async fn serve(db: Db, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(db)).await
}

/// `GET /health`.
async fn health(State(db): State<Db>) -> ApiResult {
    let status = db.status().await?;
    let cursor = status.cursor.map(|c| json!({ "signature": c.signature, "slot": c.slot, "blockTime": c.block_time }));
    Ok(Json(json!({ "ok": true, "programId": PROGRAM_ID.to_string(), "database": db.backend.name(),
        "transactions": status.transactions, "events": status.events, "cursor": cursor }))
    .into_response())
}

/// `GET /devices/{device}/history`.
async fn device_history(State(db): State<Db>, Path(device): Path<String>, Query(page): Query<Page>) -> ApiResult {
    let device = address(&device)?;
    let events = db.device_events(&device, page.limit(), page.before).await?;
    Ok(Json(json!({ "device": device, "events": events.iter().map(event_json).collect::<Vec<_>>() })).into_response())
}

/// `GET /wallets/{wallet}/history`.
async fn wallet_history(State(db): State<Db>, Path(wallet): Path<String>, Query(page): Query<Page>) -> ApiResult {
    let wallet = address(&wallet)?;
    let events = db.wallet_events(&wallet, page.limit(), page.before).await?;
    Ok(Json(json!({ "wallet": wallet, "events": events.iter().map(event_json).collect::<Vec<_>>() })).into_response())
}

/// One earnings point of `by=day`: the day's start and its sum and block count.
#[derive(Default)]
struct DayTotal {
    /// Base units earned.
    amount: i64,
    /// Reward blocks that paid.
    blocks: i64,
}

/// The points of one series: per block, or per day from midnight at `offset` seconds from UTC.
fn series(points: &[(&StoredEvent, i64)], by_day: bool, offset: i64) -> Vec<Value> {
    if !by_day {
        return points
            .iter()
            .map(|(e, amount)| {
                json!({ "blockId": e.block_id, "slot": e.slot, "blockTime": e.block_time,
                "signature": e.signature, "amount": amount.to_string() })
            })
            .collect();
    }
    let mut days: BTreeMap<i64, DayTotal> = BTreeMap::new();
    for (e, amount) in points {
        let day = (e.block_time.unwrap_or(0) + offset).div_euclid(DAY);
        let total = days.entry(day).or_default();
        total.amount += amount;
        total.blocks += 1;
    }
    days.iter()
        .map(|(day, t)| json!({ "day": date_of_day(*day), "start": day * DAY - offset, "amount": t.amount.to_string(), "blocks": t.blocks }))
        .collect()
}

/// `GET /devices/{device}/earnings`.
async fn device_earnings(State(db): State<Db>, Path(device): Path<String>, Query(q): Query<EarningsQuery>) -> ApiResult {
    let device = address(&device)?;
    let by_day = match q.by.as_deref() {
        None | Some("block") => false,
        Some("day") => true,
        Some(other) => return Err(ApiError(StatusCode::BAD_REQUEST, format!("invalid by: {other} (block or day)"))),
    };
    let offset = q.tz_offset_minutes.unwrap_or(0).clamp(-14 * 60, 14 * 60) * 60;
    let since = match q.days {
        Some(days) if days > 0 => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
            ((now + offset).div_euclid(DAY) - days + 1) * DAY - offset
        }
        _ => 0,
    };
    let events = db.device_events_named(&device, &["RewardPaid", "RewardSkipped"], since).await?;
    let paid: Vec<&StoredEvent> = events.iter().filter(|e| e.name == "RewardPaid").collect();
    let owner: Vec<(&StoredEvent, i64)> = paid.iter().map(|e| (*e, e.owner_part.unwrap_or(0))).collect();
    let mut by_position: BTreeMap<i64, Vec<(&StoredEvent, i64)>> = BTreeMap::new();
    for e in &paid {
        if let (Some(seq), Some(part)) = (e.position_seq, e.position_part) {
            by_position.entry(seq).or_default().push((*e, part));
        }
    }
    let fills = db.device_events_named(&device, &["OfferFilled"], 0).await?;
    let positions: Vec<Value> = by_position
        .iter()
        .map(|(seq, points)| {
            let costaker =
                fills.iter().find(|f| f.position_seq == Some(*seq)).and_then(|f| f.data["costaker"].as_str().map(str::to_string));
            json!({ "seq": seq, "costaker": costaker, "points": series(points, by_day, offset) })
        })
        .collect();
    let owner_total: i64 = owner.iter().map(|(_, a)| a).sum();
    let positions_total: i64 = by_position.values().flatten().map(|(_, a)| a).sum();
    let skipped = events.iter().filter(|e| e.name == "RewardSkipped").count();
    Ok(Json(json!({ "device": device, "by": if by_day { "day" } else { "block" }, "since": since,
        "owner": series(&owner, by_day, offset), "positions": positions,
        "totals": { "owner": owner_total.to_string(), "positions": positions_total.to_string(), "blocks": paid.len(), "skipped": skipped } }))
    .into_response())
}

/// `{ slashes, holds }` of a list of events.
fn slashes_and_holds(events: &[StoredEvent]) -> Value {
    let pick = |name: &str| events.iter().filter(|e| e.name == name).map(event_json).collect::<Vec<_>>();
    json!({ "slashes": pick("Slashed"), "holds": pick("DeviceHeld") })
}

/// `GET /devices/{device}/slashes`.
async fn device_slashes(State(db): State<Db>, Path(device): Path<String>) -> ApiResult {
    let device = address(&device)?;
    let mut events = db.device_events_named(&device, &["Slashed", "DeviceHeld"], 0).await?;
    events.reverse();
    Ok(Json(slashes_and_holds(&events)).into_response())
}

/// Every event that concerns a wallet, newest first.
async fn all_wallet_events(db: &Db, wallet: &str) -> Result<Vec<StoredEvent>, DbError> {
    db.wallet_events(wallet, i64::MAX, None).await
}

/// `GET /wallets/{wallet}/slashes`.
async fn wallet_slashes(State(db): State<Db>, Path(wallet): Path<String>) -> ApiResult {
    let wallet = address(&wallet)?;
    let events = all_wallet_events(&db, &wallet).await?;
    Ok(Json(slashes_and_holds(&events)).into_response())
}

/// The part of a `Slashed` event taken from position `seq`.
fn slashed_from(event: &StoredEvent, seq: i64) -> i64 {
    event.data["fromPositions"]
        .as_array()
        .map(|parts| {
            parts
                .iter()
                .filter(|p| p["seq"].as_i64() == Some(seq))
                .filter_map(|p| p["amount"].as_str().and_then(|a| a.parse::<i64>().ok()))
                .sum()
        })
        .unwrap_or(0)
}

/// `GET /wallets/{wallet}/positions`.
async fn wallet_positions(State(db): State<Db>, Path(wallet): Path<String>) -> ApiResult {
    let wallet = address(&wallet)?;
    let positions = db.positions_of(&wallet).await?;
    let events = all_wallet_events(&db, &wallet).await?;
    let mut out = Vec::new();
    for p in positions {
        let mine: Vec<&StoredEvent> = events
            .iter()
            .filter(|e| e.device.as_deref() == Some(p.device.as_str()))
            .filter(|e| e.position_seq == Some(p.seq) || (e.name == "Slashed" && slashed_from(e, p.seq) > 0))
            .collect();
        let sum = |name: &str, f: &dyn Fn(&StoredEvent) -> i64| mine.iter().filter(|e| e.name == name).map(|e| f(e)).sum::<i64>();
        let earned = sum("RewardPaid", &|e| e.position_part.unwrap_or(0));
        let claimed = sum("RewardsClaimed", &|e| e.amount.unwrap_or(0));
        let slashed = sum("Slashed", &|e| slashed_from(e, p.seq));
        let withdrawn = sum("PositionWithdrawn", &|e| e.amount.unwrap_or(0)) + sum("EscrowWithdrawn", &|e| e.amount.unwrap_or(0));
        out.push(
            json!({ "device": p.device, "seq": p.seq, "principal": p.principal.to_string(), "rewardShareBps": p.reward_share_bps,
            "filledAt": p.filled_at, "filledSignature": p.filled_signature, "state": p.state,
            "rewardsEarned": earned.to_string(), "rewardsClaimed": claimed.to_string(), "slashed": slashed.to_string(),
            "withdrawn": withdrawn.to_string(), "events": mine.iter().map(|e| event_json(e)).collect::<Vec<_>>() }),
        );
    }
    Ok(Json(json!({ "wallet": wallet, "positions": out })).into_response())
}

/// A CSV answer, offered as a download named `name`.
fn csv_response(name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// `GET /devices/{device}/history.csv`.
async fn device_csv(State(db): State<Db>, Path(device): Path<String>) -> ApiResult {
    let device = address(&device)?;
    let events = db.device_events(&device, i64::MAX, None).await?;
    Ok(csv_response(&format!("device-{device}.csv"), csv(&events.iter().map(event_json).collect::<Vec<_>>())))
}

/// `GET /wallets/{wallet}/history.csv`.
async fn wallet_csv(State(db): State<Db>, Path(wallet): Path<String>) -> ApiResult {
    let wallet = address(&wallet)?;
    let events = all_wallet_events(&db, &wallet).await?;
    Ok(csv_response(&format!("wallet-{wallet}.csv"), csv(&events.iter().map(event_json).collect::<Vec<_>>())))
}
