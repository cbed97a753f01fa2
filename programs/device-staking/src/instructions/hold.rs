//! R41: `hold(until)`: the slash authority freezes the owner's principal exits (principal
//! overflow, and the ticket when it was not ripe at the incident's start) until `until`: at most
//! max_hold_secs past the incident's first hold, and a new incident only 30 days after the
//! previous one started. Co-stakers' exits are never held.
use crate::error::StakingError;
use crate::events::DeviceHeld;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct Hold<'info> {
    /// The slash authority in force.
    #[account(constraint = config.load()?.slash_authority.is(&slash_authority.key(), Clock::get()?.unix_timestamp) @ StakingError::NotSlashAuthority)]
    pub slash_authority: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut)]
    pub device: AccountLoader<'info, Device>,
}

pub fn handler(ctx: Context<Hold>, until: i64) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let incident_start = ctx.accounts.device.load_mut()?.hold(&env, until)?;
    emit!(DeviceHeld { device: ctx.accounts.device.key(), until, incident_start });
    Ok(())
}
