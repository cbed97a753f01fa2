//! The worlds the tools and tests of device_staking play in, built one way everywhere: the CLI's
//! `demo` and `svm` commands, its tests, the LiteSVM test harness, the validator tests, the load
//! run, the app's seed tool (`app-world`) and the benchmarks.
//!
//! - [`chain`]: what a tool needs from a chain, behind one trait ([`chain::Chain`]), with a
//!   validator over RPC ([`chain::rpc::RpcChain`], transactions that land) and an embedded
//!   LiteSVM optionally kept in a state file ([`chain::litesvm::LiteSvmChain`]);
//! - [`roles`]: the cast (admin, oracle, reward authority, slash authority, treasury, owners,
//!   co-stakers) as keypairs, new, fixed or derived from a wallet, and as keypair files;
//! - [`deploy`]: the program binary loaded with an upgrade authority, the floors and parameters
//!   of a local deployment, and `initialize` (R30);
//! - [`stage`]: a chain and the wallet that pays: SOL, a mint, token accounts, minting, and the
//!   Clock moved (LiteSVM) or waited for (validator);
//! - [`token`]: reading mints and token balances;
//! - [`app_world`]: the web app's world on a local validator (the binary `app-world`).
//!
//! Instruction builders, PDAs and decoding are the client crate's (`device_staking_client`).
pub mod app_world;
pub mod chain;
pub mod deploy;
pub mod roles;
pub mod stage;
pub mod token;

pub use device_staking_client as client;
