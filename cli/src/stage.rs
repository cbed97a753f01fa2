//! Where `demo` plays: the kit's [`Stage`] (a chain, the paying wallet, the set-up steps, and
//! the Clock moved or waited for).
pub use device_staking_kit::stage::*;
