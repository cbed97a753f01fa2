//! R8: `close_device`: the owner closes an empty device: donated leftovers in the vaults go to
//! the treasury, the vaults are closed, and the device shrinks to a tombstone (id, counters,
//! last paid block, hold and slash history) whose freed rent returns to the payer. A later
//! `register_device` of the same id revives it (R3). Never paused (R17).
use super::token::{close_token_account, pay_out, resize_account, TokenMint};
use crate::constants::DEVICE_SEED;
use crate::error::StakingError;
use crate::events::DeviceClosed;
use crate::state::{Config, Device, Env, Tombstone, TOMBSTONE_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct CloseDevice<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device; it becomes a tombstone here.
    /// CHECK: owner and discriminator are checked by deserializing it as a `Device` in the handler,
    /// which also checks its owner, payer and vaults.
    #[account(mut, owner = crate::ID)]
    pub device: UncheckedAccount<'info>,
    /// The device's stake vault; closed here.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's overflow vault; closed here.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The treasury's token account, for donated leftovers.
    #[account(
        mut, token::mint = mint, token::token_program = token_program,
        constraint = config.load()?.treasury.is(&treasury_token.owner, Clock::get()?.unix_timestamp) @ StakingError::NotTreasuryAccount,
    )]
    pub treasury_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Who paid the device's rent.
    /// CHECK: only receives lamports; checked against `device.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    /// checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

/// Reads the device in place, checks the accounts against it and returns its tombstone (R8).
#[inline(never)]
fn tombstone_of(accounts: &CloseDevice, env: &Env) -> Result<Box<Tombstone>> {
    let info = accounts.device.to_account_info();
    let data = info.try_borrow_data()?;
    let device = Device::in_account(&data)?;
    require_keys_eq!(device.owner, accounts.owner.key(), StakingError::NotDeviceOwner);
    require_keys_eq!(device.payer, accounts.payer.key(), StakingError::WrongDevice);
    require_keys_eq!(device.stake_vault, accounts.stake_vault.key(), StakingError::WrongDevice);
    require_keys_eq!(device.overflow_vault, accounts.overflow_vault.key(), StakingError::WrongDevice);
    Ok(Box::new(device.close(env)?))
}

pub fn handler(ctx: Context<CloseDevice>) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let info = ctx.accounts.device.to_account_info();
    let tombstone = tombstone_of(ctx.accounts, &env)?;

    let token_program = ctx.accounts.token_program.to_account_info();
    let treasury = ctx.accounts.treasury_token.to_account_info();
    let payer = ctx.accounts.payer.to_account_info();
    let bump = [tombstone.bump];
    let seeds = [DEVICE_SEED, &tombstone.device_id[..], &bump[..]];
    let mint = TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    let mut swept = 0;
    for vault in [&ctx.accounts.stake_vault, &ctx.accounts.overflow_vault] {
        let vault_info = vault.to_account_info();
        pay_out(&token_program, &vault_info, &treasury, &info, &seeds, &mint, vault.amount)?;
        swept += vault.amount;
        close_token_account(&token_program, &vault_info, &payer, &info, &seeds)?;
    }
    {
        let mut data = info.try_borrow_mut_data()?;
        data[..8].copy_from_slice(Tombstone::DISCRIMINATOR);
        data[8..8 + TOMBSTONE_SIZE].copy_from_slice(bytemuck::bytes_of(&*tombstone));
    }
    resize_account(&info, &payer, &payer, &ctx.accounts.system_program.to_account_info(), 8 + TOMBSTONE_SIZE)?;
    emit!(DeviceClosed { device: info.key(), swept });
    Ok(())
}
