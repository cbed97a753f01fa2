//! R7: `terminate`: final; clears hired. The device earns nothing for anyone; nobody's stake is
//! unstaked automatically; offers can no longer be created or filled.
use super::OracleDevice;
use crate::error::StakingError;
use crate::events::DeviceTerminated;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<OracleDevice>) -> Result<()> {
    let device = &mut ctx.accounts.device;
    require!(!device.terminated, StakingError::DeviceTerminated);
    device.terminated = true;
    device.hired = false;
    emit!(DeviceTerminated { device: device.key() });
    Ok(())
}
