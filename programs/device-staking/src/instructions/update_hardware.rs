//! R2: `update_hardware`: the oracle attests new hardware; a rising minimum keeps the previous
//! one in force for one cover window on a device that met it.
use super::OracleDevice;
use crate::events::MinimumChanged;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<OracleDevice>, gpu_count: u16, multiplier_bps: u32) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let mut device = ctx.accounts.device.load_mut()?;
    let (previous_min, min_required) = device.set_hardware(&env, gpu_count, multiplier_bps)?;
    emit!(MinimumChanged {
        device: ctx.accounts.device.key(),
        gpu_count,
        multiplier_bps,
        previous_min,
        min_required,
        grace_end: device.grace_end,
    });
    Ok(())
}
