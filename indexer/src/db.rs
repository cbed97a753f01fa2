//! The database: SQLite (a file; the default) or PostgreSQL through sqlx's `Any` driver, with
//! the migrations of `migrations/` applied on open. [`Db::store_transaction`] writes one
//! transaction's events, the wallets they concern, what they say about devices and positions,
//! and the cursor in ONE database transaction: a crash leaves either all of it or none of it, so
//! the cursor never passes a transaction whose events are missing, and a transaction already
//! stored (its signature is unique) adds nothing when read again.
use crate::decode::Event;
use anchor_lang::prelude::Pubkey;
use serde_json::Value;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::collections::BTreeSet;
use std::fmt;

/// A database error, named.
#[derive(Debug)]
pub enum DbError {
    /// The database could not be opened or answered with an error.
    Sql(sqlx::Error),
    /// A migration failed.
    Migrate(sqlx::migrate::MigrateError),
    /// `--database` is neither `sqlite:` nor `postgres://`.
    UnsupportedDatabase(String),
    /// A token amount above what a BIGINT holds.
    AmountTooLarge(u64),
    /// The database holds the history of another chain (another genesis hash).
    WrongCluster {
        /// The genesis hash the database was filled from.
        stored: String,
        /// The genesis hash of the chain at --url.
        chain: String,
    },
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Sql(e) => write!(f, "database: {e}"),
            DbError::Migrate(e) => write!(f, "database migration: {e}"),
            DbError::UnsupportedDatabase(url) => {
                write!(f, "UnsupportedDatabase: {url} (expected sqlite:PATH or postgres://USER@HOST:PORT/NAME)")
            }
            DbError::AmountTooLarge(amount) => write!(f, "AmountTooLarge: {amount} does not fit a BIGINT"),
            DbError::WrongCluster { stored, chain } => write!(
                f,
                "WrongCluster: the database holds the history of the chain with genesis hash {stored}, the RPC \
                 node serves {chain}; use another --database for it"
            ),
        }
    }
}

impl std::error::Error for DbError {}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError::Sql(e)
    }
}

/// A u64 as the BIGINT the database stores.
fn big(value: u64) -> Result<i64, DbError> {
    i64::try_from(value).map_err(|_| DbError::AmountTooLarge(value))
}

/// The kind of database behind a [`Db`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Its name in the API's `/health`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The indexer's database (a pool of connections; cheap to clone).
#[derive(Clone)]
pub struct Db {
    /// The connections.
    pool: AnyPool,
    /// SQLite or PostgreSQL.
    pub backend: Backend,
}

/// The last transaction fully stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Its signature (base58).
    pub signature: String,
    /// Its slot.
    pub slot: u64,
    /// Its block time (unix seconds), if the node gave one.
    pub block_time: Option<i64>,
}

/// One transaction of the program, read from the chain, to be stored.
#[derive(Clone, Debug)]
pub struct ChainTransaction {
    /// Its signature (base58).
    pub signature: String,
    /// Its slot.
    pub slot: u64,
    /// Its block time (unix seconds).
    pub block_time: Option<i64>,
    /// Whether it failed (then it has no events and is stored only to move the cursor past it).
    pub failed: bool,
    /// The program's events it emitted, in order.
    pub events: Vec<Event>,
}

/// One event as stored, with its transaction's columns.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    /// The transaction's number in the stored order (1 for the oldest).
    pub seq: i64,
    /// The transaction's signature.
    pub signature: String,
    /// Its slot.
    pub slot: i64,
    /// Its block time.
    pub block_time: Option<i64>,
    /// The top-level instruction that emitted the event.
    pub instruction_index: i64,
    /// The event's place in the transaction.
    pub event_index: i64,
    /// The event's type.
    pub name: String,
    /// The device, if any.
    pub device: Option<String>,
    /// The wallets it concerns.
    pub wallets: Vec<String>,
    /// The position concerned, if any.
    pub position_seq: Option<i64>,
    /// The main amount.
    pub amount: Option<i64>,
    /// `RewardPaid`: the owner's part.
    pub owner_part: Option<i64>,
    /// `RewardPaid`: the position's paid part.
    pub position_part: Option<i64>,
    /// `RewardPaid`, `RewardSkipped`: the block.
    pub block_id: Option<i64>,
    /// The event's fields.
    pub data: Value,
}

/// A co-stake position as the events describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionRow {
    /// The device.
    pub device: String,
    /// The offer's sequence number.
    pub seq: i64,
    /// The co-staker.
    pub costaker: String,
    /// Principal filled.
    pub principal: i64,
    /// The co-staker's reward share.
    pub reward_share_bps: i64,
    /// The fill's block time.
    pub filled_at: Option<i64>,
    /// The fill's signature.
    pub filled_signature: String,
    /// `filled`, `cancelled`, `stopped`, `released` or `withdrawn`.
    pub state: String,
}

/// What `/health` reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The last transaction stored.
    pub cursor: Option<Cursor>,
    /// Transactions stored (failed ones included).
    pub transactions: i64,
    /// Events stored.
    pub events: i64,
}

/// The columns of a [`StoredEvent`] in a SELECT on `events e`.
const EVENT_COLUMNS: &str = "e.tx_seq, e.signature, e.slot, e.block_time, e.instruction_index, e.event_index, e.name, \
     e.device, e.wallets, e.position_seq, e.amount, e.owner_part, e.position_part, e.block_id, e.data";

/// Reads a [`StoredEvent`] from a row of [`EVENT_COLUMNS`].
fn stored_event(row: &AnyRow) -> Result<StoredEvent, sqlx::Error> {
    let wallets: String = row.try_get("wallets")?;
    let data: String = row.try_get("data")?;
    Ok(StoredEvent {
        seq: row.try_get("tx_seq")?,
        signature: row.try_get("signature")?,
        slot: row.try_get("slot")?,
        block_time: row.try_get("block_time")?,
        instruction_index: row.try_get("instruction_index")?,
        event_index: row.try_get("event_index")?,
        name: row.try_get("name")?,
        device: row.try_get("device")?,
        wallets: wallets.split_whitespace().map(str::to_string).collect(),
        position_seq: row.try_get("position_seq")?,
        amount: row.try_get("amount")?,
        owner_part: row.try_get("owner_part")?,
        position_part: row.try_get("position_part")?,
        block_id: row.try_get("block_id")?,
        data: serde_json::from_str(&data).unwrap_or(Value::Null),
    })
}

/// The default database: `history.sqlite` in the user's data directory (`~/.local/share/device-staking/` on Linux).
pub fn default_url() -> String {
    let dir = dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("device-staking");
    format!("sqlite:{}", dir.join("history.sqlite").display())
}

impl Db {
    /// Opens (creating a SQLite file and its folder if missing) and migrates the database at `url`:
    /// `sqlite:PATH` (or `sqlite://PATH`) or `postgres://...` (`postgresql://` too).
    pub async fn open(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = path.split('?').next().unwrap_or(path);
            if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| DbError::Sql(sqlx::Error::Io(e)))?;
            }
            (Backend::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(DbError::UnsupportedDatabase(url.to_string()));
        };
        let pool =
            AnyPoolOptions::new().max_connections(4).acquire_timeout(std::time::Duration::from_secs(10)).connect(&url).await?;
        if backend == Backend::Sqlite {
            // readers (the API) beside the writer (the indexer), in this process or another
            sqlx::query("PRAGMA journal_mode=WAL").execute(&pool).await?;
        }
        sqlx::migrate!("./migrations").run(&pool).await.map_err(DbError::Migrate)?;
        Ok(Self { pool, backend })
    }

    /// Records the chain's genesis hash on first use; refuses a database filled from another chain.
    pub async fn check_cluster(&self, genesis_hash: &str) -> Result<(), DbError> {
        let stored: Option<String> = sqlx::query("SELECT value FROM meta WHERE key = 'genesis_hash'")
            .fetch_optional(&self.pool)
            .await?
            .map(|row| row.try_get("value"))
            .transpose()?;
        match stored {
            Some(stored) if stored != genesis_hash => Err(DbError::WrongCluster { stored, chain: genesis_hash.to_string() }),
            Some(_) => Ok(()),
            None => {
                sqlx::query("INSERT INTO meta (key, value) VALUES ('genesis_hash', $1)")
                    .bind(genesis_hash.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    }

    /// The last transaction fully stored.
    pub async fn cursor(&self) -> Result<Option<Cursor>, DbError> {
        let row = sqlx::query("SELECT signature, slot, block_time FROM cursor WHERE id = 1").fetch_optional(&self.pool).await?;
        Ok(match row {
            Some(row) => Some(Cursor {
                signature: row.try_get("signature")?,
                slot: row.try_get::<i64, _>("slot")? as u64,
                block_time: row.try_get("block_time")?,
            }),
            None => None,
        })
    }

    /// The cursor and the counts.
    pub async fn status(&self) -> Result<Status, DbError> {
        let transactions: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM transactions").fetch_one(&self.pool).await?.try_get("n")?;
        let events: i64 = sqlx::query("SELECT COUNT(*) AS n FROM events").fetch_one(&self.pool).await?.try_get("n")?;
        Ok(Status { cursor: self.cursor().await?, transactions, events })
    }

    /// Stores one transaction with its events and moves the cursor to it, all in one database
    /// transaction. Returns `false` (and changes nothing) when the signature is stored already.
    pub async fn store_transaction(&self, tx: &ChainTransaction) -> Result<bool, DbError> {
        let mut dbtx = self.pool.begin().await?;
        let known = sqlx::query("SELECT seq FROM transactions WHERE signature = $1")
            .bind(tx.signature.clone())
            .fetch_optional(&mut *dbtx)
            .await?;
        if known.is_some() {
            return Ok(false);
        }
        let seq: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM transactions")
            .fetch_one(&mut *dbtx)
            .await?
            .try_get("next")?;
        let slot = big(tx.slot)?;
        let events: &[Event] = if tx.failed { &[] } else { &tx.events };
        sqlx::query(
            "INSERT INTO transactions (seq, signature, slot, block_time, failed, events) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(seq)
        .bind(tx.signature.clone())
        .bind(slot)
        .bind(tx.block_time)
        .bind(i64::from(tx.failed))
        .bind(events.len() as i64)
        .execute(&mut *dbtx)
        .await?;
        for event in events {
            let device = event.device.map(|d| d.to_string());
            // the wallets the event concerns: those it names, the device's owner, the co-stakers of the positions it touches
            let mut wallets: BTreeSet<String> = event.wallets.iter().map(Pubkey::to_string).collect();
            if let Some(device) = &device {
                let owner = sqlx::query("SELECT owner FROM devices WHERE device = $1")
                    .bind(device.clone())
                    .fetch_optional(&mut *dbtx)
                    .await?;
                if let Some(owner) = owner {
                    wallets.insert(owner.try_get("owner")?);
                }
                let mut seqs: Vec<u64> = event.position_seq.into_iter().collect();
                seqs.extend(event.position_slashes.iter().map(|(seq, _)| *seq));
                for position in seqs {
                    let costaker = sqlx::query("SELECT costaker FROM positions WHERE device = $1 AND seq = $2")
                        .bind(device.clone())
                        .bind(big(position)?)
                        .fetch_optional(&mut *dbtx)
                        .await?;
                    if let Some(costaker) = costaker {
                        wallets.insert(costaker.try_get("costaker")?);
                    }
                }
            }
            let event_index = i64::from(event.event_index);
            sqlx::query(
                "INSERT INTO events (signature, event_index, tx_seq, slot, block_time, instruction_index, name, device, wallets, \
                 position_seq, amount, owner_part, position_part, block_id, data) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING",
            )
            .bind(tx.signature.clone())
            .bind(event_index)
            .bind(seq)
            .bind(slot)
            .bind(tx.block_time)
            .bind(i64::from(event.instruction_index))
            .bind(event.name)
            .bind(device.clone())
            .bind(wallets.iter().cloned().collect::<Vec<_>>().join(" "))
            .bind(event.position_seq.map(big).transpose()?)
            .bind(event.amount.map(big).transpose()?)
            .bind(event.owner_part.map(big).transpose()?)
            .bind(event.position_part.map(big).transpose()?)
            .bind(event.block_id.map(big).transpose()?)
            .bind(event.data.to_string())
            .execute(&mut *dbtx)
            .await?;
            for wallet in &wallets {
                sqlx::query("INSERT INTO event_wallets (wallet, signature, event_index, tx_seq) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                    .bind(wallet.clone())
                    .bind(tx.signature.clone())
                    .bind(event_index)
                    .bind(seq)
                    .execute(&mut *dbtx)
                    .await?;
            }
            // what the event says about the device's owner and its positions
            let str_field = |name: &str| event.data[name].as_str().unwrap_or_default().to_string();
            let set_state = |state: &'static str| (state, device.clone(), event.position_seq);
            let new_state = match event.name {
                "DeviceRegistered" | "DeviceTransferred" => {
                    sqlx::query("INSERT INTO devices (device, owner) VALUES ($1, $2) ON CONFLICT (device) DO UPDATE SET owner = excluded.owner")
                        .bind(device.clone())
                        .bind(str_field("owner"))
                        .execute(&mut *dbtx)
                        .await?;
                    None
                }
                "OfferFilled" => {
                    sqlx::query(
                        "INSERT INTO positions (device, seq, costaker, principal, reward_share_bps, filled_at, filled_signature, state) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'filled') ON CONFLICT (device, seq) DO NOTHING",
                    )
                    .bind(device.clone())
                    .bind(event.position_seq.map(big).transpose()?)
                    .bind(str_field("costaker"))
                    .bind(event.amount.map(big).transpose()?)
                    .bind(event.data["rewardShareBps"].as_i64().unwrap_or(0))
                    .bind(tx.block_time)
                    .bind(tx.signature.clone())
                    .execute(&mut *dbtx)
                    .await?;
                    None
                }
                "CostakeCancelled" => Some(set_state("cancelled")),
                "Unstaked" => Some(set_state("stopped")),
                "PositionReleased" => Some(set_state("released")),
                "PositionWithdrawn" | "EscrowWithdrawn" => Some(set_state("withdrawn")),
                _ => None,
            };
            if let Some((state, Some(device), Some(position))) = new_state {
                sqlx::query("UPDATE positions SET state = $1 WHERE device = $2 AND seq = $3")
                    .bind(state)
                    .bind(device)
                    .bind(big(position)?)
                    .execute(&mut *dbtx)
                    .await?;
            }
        }
        sqlx::query(
            "INSERT INTO cursor (id, signature, slot, block_time) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET signature = excluded.signature, slot = excluded.slot, block_time = excluded.block_time",
        )
        .bind(tx.signature.clone())
        .bind(slot)
        .bind(tx.block_time)
        .execute(&mut *dbtx)
        .await?;
        dbtx.commit().await?;
        Ok(true)
    }

    /// A device's events, newest first: at most `limit`, of transactions numbered below `before`.
    pub async fn device_events(&self, device: &str, limit: i64, before: Option<i64>) -> Result<Vec<StoredEvent>, DbError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.device = $1 AND e.tx_seq < $2 \
             ORDER BY e.tx_seq DESC, e.event_index DESC LIMIT $3"
        );
        let rows =
            sqlx::query(&sql).bind(device.to_string()).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(stored_event).collect::<Result<_, _>>()?)
    }

    /// The events that concern a wallet, newest first: at most `limit`, of transactions numbered below `before`.
    pub async fn wallet_events(&self, wallet: &str, limit: i64, before: Option<i64>) -> Result<Vec<StoredEvent>, DbError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM event_wallets w JOIN events e ON e.signature = w.signature AND e.event_index = w.event_index \
             WHERE w.wallet = $1 AND w.tx_seq < $2 ORDER BY w.tx_seq DESC, w.event_index DESC LIMIT $3"
        );
        let rows =
            sqlx::query(&sql).bind(wallet.to_string()).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(stored_event).collect::<Result<_, _>>()?)
    }

    /// A device's events of the given types since `since` (unix seconds), oldest first.
    pub async fn device_events_named(&self, device: &str, names: &[&str], since: i64) -> Result<Vec<StoredEvent>, DbError> {
        let placeholders: Vec<String> = (0..names.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.device = $1 AND COALESCE(e.block_time, 0) >= $2 AND e.name IN ({}) \
             ORDER BY e.tx_seq, e.event_index",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(device.to_string()).bind(since);
        for name in names {
            query = query.bind(name.to_string());
        }
        let rows = query.fetch_all(&self.pool).await?;
        Ok(rows.iter().map(stored_event).collect::<Result<_, _>>()?)
    }

    /// The positions a wallet filled, oldest first.
    pub async fn positions_of(&self, wallet: &str) -> Result<Vec<PositionRow>, DbError> {
        let rows = sqlx::query(
            "SELECT device, seq, costaker, principal, reward_share_bps, filled_at, filled_signature, state FROM positions \
             WHERE costaker = $1 ORDER BY filled_at, device, seq",
        )
        .bind(wallet.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut positions = Vec::new();
        for row in rows {
            positions.push(PositionRow {
                device: row.try_get("device")?,
                seq: row.try_get("seq")?,
                costaker: row.try_get("costaker")?,
                principal: row.try_get("principal")?,
                reward_share_bps: row.try_get("reward_share_bps")?,
                filled_at: row.try_get("filled_at")?,
                filled_signature: row.try_get("filled_signature")?,
                state: row.try_get("state")?,
            });
        }
        Ok(positions)
    }

    /// The number of stored events of each type, by name (the tests compare it with the chain's logs).
    pub async fn counts_by_name(&self) -> Result<std::collections::BTreeMap<String, i64>, DbError> {
        let rows = sqlx::query("SELECT name, COUNT(*) AS n FROM events GROUP BY name").fetch_all(&self.pool).await?;
        let mut counts = std::collections::BTreeMap::new();
        for row in rows {
            counts.insert(row.try_get("name")?, row.try_get("n")?);
        }
        Ok(counts)
    }

    /// Every stored transaction's signature in stored order, and whether it failed.
    pub async fn signatures(&self) -> Result<Vec<(String, bool)>, DbError> {
        let rows = sqlx::query("SELECT signature, failed FROM transactions ORDER BY seq").fetch_all(&self.pool).await?;
        rows.iter().map(|row| Ok((row.try_get("signature")?, row.try_get::<i64, _>("failed")? != 0))).collect()
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
