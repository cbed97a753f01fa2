//! SPL Token (and Token-2022) accounts the commands read and build (balances, mints, associated
//! token accounts): the kit's, shared with every tool and test world.
pub use device_staking_kit::token::*;
