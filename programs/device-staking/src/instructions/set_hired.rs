//! R7: `set_hired`: the oracle marks the device hired (rented) or idle; hired blocks unstake (R15).
use super::OracleDevice;
use crate::error::StakingError;
use crate::events::HiredSet;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<OracleDevice>, hired: bool) -> Result<()> {
    let device = &mut ctx.accounts.device;
    require!(!(hired && device.terminated), StakingError::DeviceTerminated);
    device.hired = hired;
    emit!(HiredSet { device: device.key(), hired });
    Ok(())
}
