//! R19: `transfer_device(new_owner)`: the owner proposes a new owner wallet, who accepts within
//! 7 days (`accept_device`); `cancel_transfer` withdraws the proposal. Refused while unstaking,
//! with an open offer, while held, or when the new wallet holds a position of the device.
use crate::error::StakingError;
use crate::events::{TransferCancelled, TransferProposed};
use crate::state::{Config, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct OwnerDevice<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: AccountLoader<'info, Device>,
}

pub fn handler(ctx: Context<OwnerDevice>, new_owner: Pubkey) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let mut device = ctx.accounts.device.load_mut()?;
    let expires_at = device.propose_transfer(&env, new_owner)?;
    emit!(TransferProposed { device: ctx.accounts.device.key(), owner: device.owner, new_owner, expires_at });
    Ok(())
}

/// R19: the owner cancels a proposed transfer.
pub fn cancel_handler(ctx: Context<OwnerDevice>) -> Result<()> {
    ctx.accounts.device.load_mut()?.cancel_transfer()?;
    emit!(TransferCancelled { device: ctx.accounts.device.key() });
    Ok(())
}
