//! R2: `refresh_min`: anyone recomputes a device's minimum after `base_stake_per_gpu` changed.
use crate::constants::CONFIG_SEED;
use crate::events::MinimumChanged;
use crate::state::{min_required, Config, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct RefreshMin<'info> {
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut)]
    pub device: Box<Account<'info, Device>>,
}

pub fn handler(ctx: Context<RefreshMin>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let params = ctx.accounts.config.params;
    let device = &mut ctx.accounts.device;
    let new_min = min_required(device.gpu_count, device.multiplier_bps, params.base_stake_per_gpu)?;
    let previous_min = device.min_required;
    device.set_minimum(new_min, now, params.cover_window_secs)?;
    emit!(MinimumChanged {
        device: device.key(),
        gpu_count: device.gpu_count,
        multiplier_bps: device.multiplier_bps,
        previous_min,
        min_required: new_min,
        grace_end: device.grace_end,
    });
    Ok(())
}
