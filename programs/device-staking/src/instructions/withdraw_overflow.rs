//! R12: `withdraw_overflow`: the owner takes out rewards, then principal above the minimum, at
//! any time, without cooldown. Never paused (R17); the principal part waits out a hold (R41).
use super::token::{pay_out, TokenMint};
use crate::error::StakingError;
use crate::events::OverflowWithdrawn;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct WithdrawOverflow<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner, has_one = stake_vault, has_one = overflow_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut, constraint = stake_vault.key() != owner_token.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut, constraint = overflow_vault.key() != owner_token.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The token account receiving the tokens (any account of the mint; the owner signs).
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<WithdrawOverflow>, amount: u64) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let (from_rewards, from_principal, owner_stake, owner_rewards, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        let (from_rewards, from_principal) = device.withdraw_overflow(&env, amount)?;
        (from_rewards, from_principal, device.owner_stake, device.owner_rewards, device.signer())
    };
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.owner_token.to_account_info();
    let authority = ctx.accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, &authority, &seeds, mint, from_rewards)?;
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, &authority, &seeds, mint, from_principal)?;
    emit!(OverflowWithdrawn { device: ctx.accounts.device.key(), from_rewards, from_principal, owner_stake, owner_rewards });
    Ok(())
}
