//! The accounts of the admin's config changes (R31-R33): the admin and the config.
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::state::Config;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct AdminOnly<'info> {
    /// The admin.
    pub admin: Signer<'info>,
    /// The config.
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin @ StakingError::NotAdmin)]
    pub config: Box<Account<'info, Config>>,
}
