//! R52: `sweep_surplus`: the admin moves tokens donated to a device's vaults (balance above the
//! ledger) to the treasury, and nothing else.
use super::token::{pay_out, TokenMint};
use crate::error::StakingError;
use crate::events::SurplusSwept;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct SweepSurplus<'info> {
    /// The admin.
    pub admin: Signer<'info>,
    /// The config.
    #[account(constraint = config.load()?.admin.is(&admin.key(), Clock::get()?.unix_timestamp) @ StakingError::NotAdmin)]
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(has_one = stake_vault, has_one = overflow_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's overflow vault.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The treasury's token account.
    #[account(
        mut, token::mint = mint, token::token_program = token_program,
        constraint = config.load()?.treasury.is(&treasury_token.owner, Clock::get()?.unix_timestamp) @ StakingError::NotTreasuryAccount,
    )]
    pub treasury_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    /// checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<SweepSurplus>) -> Result<()> {
    let (principal_ledger, rewards_ledger, signer) = {
        let device = ctx.accounts.device.load()?;
        (device.principal_ledger()?, device.rewards_ledger()?, device.signer())
    };
    let from_stake_vault = ctx.accounts.stake_vault.amount.saturating_sub(principal_ledger);
    let from_overflow_vault = ctx.accounts.overflow_vault.amount.saturating_sub(rewards_ledger);
    require!(from_stake_vault + from_overflow_vault > 0, StakingError::NoSurplus);
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.treasury_token.to_account_info();
    let authority = ctx.accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, &authority, &seeds, mint, from_stake_vault)?;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, &authority, &seeds, mint, from_overflow_vault)?;
    emit!(SurplusSwept { device: ctx.accounts.device.key(), from_stake_vault, from_overflow_vault });
    Ok(())
}
