//! R7: `set_hired(until)`: the oracle marks the device hired until `until` (at most 30 days
//! ahead; 0 clears it). Hired blocks the owner's unstake (R15).
use super::OracleDevice;
use crate::events::HiredSet;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<OracleDevice>, until: i64) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    ctx.accounts.device.load_mut()?.set_hired(&env, until)?;
    emit!(HiredSet { device: ctx.accounts.device.key(), hired_until: until });
    Ok(())
}
