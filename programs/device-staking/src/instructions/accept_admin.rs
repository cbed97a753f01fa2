//! R31: `accept_admin`: the proposed admin takes over.
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::AdminAccepted;
use crate::state::Config;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    /// The proposed admin.
    pub pending_admin: Signer<'info>,
    /// The config.
    #[account(
        mut,
        seeds = [CONFIG_SEED],
        bump = config.bump,
        constraint = config.pending_admin != Pubkey::default() @ StakingError::NoPendingChange,
        has_one = pending_admin @ StakingError::NotPendingAdmin,
    )]
    pub config: Box<Account<'info, Config>>,
}

pub fn handler(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let previous = config.admin;
    config.admin = config.pending_admin;
    config.pending_admin = Pubkey::default();
    emit!(AdminAccepted { previous, admin: config.admin });
    Ok(())
}
