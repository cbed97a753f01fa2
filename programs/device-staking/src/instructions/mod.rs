//! One file per instruction: its accounts, their checks, and a handler that applies the rules.
pub mod initialize;

pub use initialize::*;
