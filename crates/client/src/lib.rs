//! Off-chain client of the `device_staking` program: PDA derivation ([`pda`]), instruction
//! builders ([`ix`]), decoding of accounts and error codes ([`decode`]) and formatting of
//! amounts and durations for people ([`format`]).
//!
//! Everything is derived from the program crate itself (built with `no-entrypoint`): seeds from
//! its constants, account lists and instruction data from Anchor's generated client structs,
//! error names and messages from its error enum. Nothing is serialized by hand.
#![warn(missing_docs)]
pub mod ata;
pub mod decode;
pub mod describe;
pub mod format;
pub mod ix;
pub mod parse;
pub mod pda;
pub mod query;
pub mod token;

pub use decode::error_name;
/// The program crate: its state, errors, constants and Anchor-generated client structs.
pub use device_staking;
/// The program id (`declare_id!` of the program crate).
pub use device_staking::ID as PROGRAM_ID;
