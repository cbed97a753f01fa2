//! R8: `close_device`: the owner closes an empty device and its vaults; rent returns to the
//! payer. Donated tokens left in the vaults go to the treasury first, so they never block a close (R52).
use super::token::{close_vault, pay_out};
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::DeviceClosed;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct CloseDevice<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device; closed here.
    #[account(
        mut, close = payer,
        has_one = owner @ StakingError::NotDeviceOwner, has_one = payer, has_one = stake_vault, has_one = overflow_vault,
        constraint = device.is_empty() @ StakingError::DeviceNotEmpty,
    )]
    pub device: Box<Account<'info, Device>>,
    /// The device's stake vault; closed here.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's overflow vault; closed here.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The treasury's token account, for donated leftovers.
    #[account(
        mut, token::mint = mint, token::token_program = token_program,
        constraint = treasury_token.owner == config.treasury.key_at(Clock::get()?.unix_timestamp) @ StakingError::NotTreasuryAccount,
    )]
    pub treasury_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Who paid the device's rent.
    /// CHECK: only receives lamports; checked against `device.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<CloseDevice>) -> Result<()> {
    let device = &ctx.accounts.device;
    let token_program = ctx.accounts.token_program.to_account_info();
    let treasury = ctx.accounts.treasury_token.to_account_info();
    let payer = ctx.accounts.payer.to_account_info();
    let mut swept = 0;
    for vault in [&ctx.accounts.stake_vault, &ctx.accounts.overflow_vault] {
        let info = vault.to_account_info();
        pay_out(&token_program, &info, &treasury, device, &ctx.accounts.mint, vault.amount)?;
        swept += vault.amount;
        close_vault(&token_program, &info, &payer, device)?;
    }
    emit!(DeviceClosed { device: device.key(), swept });
    Ok(())
}
