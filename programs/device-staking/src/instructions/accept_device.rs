//! R19: `accept_device`: the proposed wallet takes over the device within 7 days: the owner,
//! the owner stake and unclaimed rewards, and the rent payer move to it; positions and their
//! terms are untouched.
use crate::events::DeviceTransferred;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct AcceptDevice<'info> {
    /// The proposed owner.
    pub new_owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut)]
    pub device: AccountLoader<'info, Device>,
}

pub fn handler(ctx: Context<AcceptDevice>) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let new_owner = ctx.accounts.new_owner.key();
    let previous_owner = ctx.accounts.device.load_mut()?.accept_transfer(&env, &new_owner)?;
    emit!(DeviceTransferred { device: ctx.accounts.device.key(), previous_owner, owner: new_owner });
    Ok(())
}
