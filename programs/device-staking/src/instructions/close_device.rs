//! R8: `close_device`: the owner closes an empty device: donated leftovers in the vaults go to
//! the treasury, the vaults are closed, and the device shrinks to a tombstone (id, counters,
//! last paid block, hold and slash history) whose freed rent returns to the payer. A later
//! `register_device` of the same id revives it (R3). Never paused (R17).
use super::token::{close_token_account, pay_out, resize_account, TokenAccountBase, TokenMint};
use crate::constants::DEVICE_SEED;
use crate::error::StakingError;
use crate::events::DeviceClosed;
use crate::state::{Config, Device, Env, InAccount, Tombstone, TOMBSTONE_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
pub struct CloseDevice<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device; it becomes a tombstone here.
    /// CHECK: owner and discriminator are checked by deserializing it as a `Device` in the handler,
    // which also checks its owner, payer and vaults.
    #[account(mut, owner = crate::ID)]
    pub device: UncheckedAccount<'info>,
    /// The device's stake vault; closed here.
    /// CHECK: the key the device recorded (checked in the handler); its balance read by
    // `TokenAccountBase::read`.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault; closed here.
    /// CHECK: as the stake vault.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The treasury's token account, for donated leftovers.
    /// CHECK: `TokenAccountBase::read` checks its token program and mint; its owner must be the
    // treasury (`NotTreasuryAccount`); neither vault (as Anchor's duplicate check of typed accounts).
    #[account(
        mut,
        constraint = treasury_token.key() != stake_vault.key() && treasury_token.key() != overflow_vault.key()
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
    )]
    pub treasury_token: UncheckedAccount<'info>,
    /// Who paid the device's rent.
    /// CHECK: only receives lamports; checked against `device.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
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
    let (mint_key, token_program_key) = (ctx.accounts.mint.key(), ctx.accounts.token_program.key());
    let env = {
        let config = ctx.accounts.config.load()?;
        let env = config.env(Clock::get()?.unix_timestamp);
        let treasury = TokenAccountBase::read(&ctx.accounts.treasury_token, &token_program_key, &mint_key)?;
        require!(config.treasury.is(&treasury.owner, env.now), StakingError::NotTreasuryAccount);
        env
    };
    let balance = |vault: &AccountInfo| TokenAccountBase::read(vault, &token_program_key, &mint_key).map(|v| v.amount);
    let balances = [balance(&ctx.accounts.stake_vault)?, balance(&ctx.accounts.overflow_vault)?];
    let info = ctx.accounts.device.to_account_info();
    let tombstone = tombstone_of(ctx.accounts, &env)?;

    let token_program = ctx.accounts.token_program.to_account_info();
    let treasury = ctx.accounts.treasury_token.to_account_info();
    let payer = ctx.accounts.payer.to_account_info();
    let bump = [tombstone.bump];
    let seeds = [DEVICE_SEED, &tombstone.device_id[..], &bump[..]];
    let mint = TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    let mut swept = 0;
    for (vault, amount) in [(&ctx.accounts.stake_vault, balances[0]), (&ctx.accounts.overflow_vault, balances[1])] {
        pay_out(&token_program, vault, &treasury, &info, &seeds, &mint, amount)?;
        swept += amount;
        close_token_account(&token_program, vault, &payer, &info, &seeds)?;
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
