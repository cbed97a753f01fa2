//! R41: `hold`: the slash authority freezes the owner's principal exits (principal overflow and
//! ticket withdrawal) until `until`, at most 7 days past the incident's first hold. Co-stakers'
//! exits are never held.
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::DeviceHeld;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct Hold<'info> {
    /// The slash authority in force.
    #[account(constraint = config.slash_authority.key_at(Clock::get()?.unix_timestamp) == slash_authority.key() @ StakingError::NotSlashAuthority)]
    pub slash_authority: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut)]
    pub device: Box<Account<'info, Device>>,
}

pub fn handler(ctx: Context<Hold>, until: i64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let device = &mut ctx.accounts.device;
    device.hold(until, now)?;
    emit!(DeviceHeld { device: device.key(), until, incident_start: device.hold_incident_start });
    Ok(())
}
