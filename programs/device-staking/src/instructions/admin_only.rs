//! The accounts of the admin's config changes (R31-R34): the admin in force and the config.
use crate::error::StakingError;
use crate::state::Config;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct AdminOnly<'info> {
    /// The admin in force.
    #[account(constraint = config.load()?.admin.is(&admin.key(), Clock::get()?.unix_timestamp) @ StakingError::NotAdmin)]
    pub admin: Signer<'info>,
    /// The config.
    #[account(mut)]
    pub config: AccountLoader<'info, Config>,
}
