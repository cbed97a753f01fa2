//! The accounts of the oracle's device changes (R2, R7): the oracle in force, the config, the device.
use crate::error::StakingError;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct OracleDevice<'info> {
    /// The oracle in force (R31).
    #[account(constraint = config.load()?.oracle.is(&oracle.key(), Clock::get()?.unix_timestamp) @ StakingError::NotOracle)]
    pub oracle: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut)]
    pub device: AccountLoader<'info, Device>,
}
