//! The device_staking program's history: [`decode`] reads the program's events (R50) out of a
//! transaction's logs into rows (name, device, wallets, amounts, JSON); [`export`] writes a history as CSV, [`http`] reads the API. With the `server`
//! feature (default): [`db`] stores them in SQLite or PostgreSQL, [`follow`] follows the
//! program's transactions over RPC, [`api`] serves the history over HTTP (docs/api.md).
#[cfg(feature = "server")]
pub mod api;
#[cfg(feature = "server")]
pub mod db;
pub mod decode;
pub mod export;
#[cfg(feature = "server")]
pub mod follow;
pub mod http;
