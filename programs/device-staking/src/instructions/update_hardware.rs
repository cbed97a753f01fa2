//! R2: `update_hardware`: the oracle attests new hardware; a rising minimum keeps the previous
//! one in force for one cover window on a device that met it.
use super::OracleDevice;
use crate::events::MinimumChanged;
use crate::state::min_required;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<OracleDevice>, gpu_count: u16, multiplier_bps: u32) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let params = ctx.accounts.config.params;
    let device = &mut ctx.accounts.device;
    let new_min = min_required(gpu_count, multiplier_bps, params.base_stake_per_gpu)?;
    let previous_min = device.min_required;
    device.gpu_count = gpu_count;
    device.multiplier_bps = multiplier_bps;
    device.set_minimum(new_min, now, params.cover_window_secs)?;
    emit!(MinimumChanged {
        device: device.key(),
        gpu_count,
        multiplier_bps,
        previous_min,
        min_required: new_min,
        grace_end: device.grace_end,
    });
    Ok(())
}
