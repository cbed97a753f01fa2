//! R7: `terminate`: final; clears hired. The device earns nothing from then on; nobody's stake is
//! unstaked automatically; offers can no longer be created or filled; a co-staker who cancels
//! has no wait.
use super::OracleDevice;
use crate::events::DeviceTerminated;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<OracleDevice>) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    ctx.accounts.device.load_mut()?.terminate(&env)?;
    emit!(DeviceTerminated { device: ctx.accounts.device.key() });
    Ok(())
}
