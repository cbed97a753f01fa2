//! The chains the commands run on: the kit's [`Chain`] trait and its two backends, a validator
//! over RPC ([`rpc::RpcChain`]) and an embedded LiteSVM kept in a state file
//! ([`litesvm::LiteSvmChain`]).
pub use device_staking_kit::chain::*;
