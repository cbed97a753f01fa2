//! R12: `withdraw_overflow`: the owner takes out rewards, then principal above the minimum, at
//! any time, without cooldown. Never paused (R17); the principal part waits out a hold (R41).
use super::token::pay_out;
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::OverflowWithdrawn;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct WithdrawOverflow<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner, has_one = stake_vault, has_one = overflow_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's overflow vault.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The token account receiving the tokens (any account of the mint; the owner signs).
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<WithdrawOverflow>, amount: u64) -> Result<()> {
    let env = ctx.accounts.config.env(Clock::get()?.unix_timestamp);
    let (from_rewards, from_principal, owner_stake, owner_rewards, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        let (from_rewards, from_principal) = device.withdraw_overflow(&env, amount)?;
        (from_rewards, from_principal, device.owner_stake, device.owner_rewards, device.signer())
    };
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.owner_token.to_account_info();
    let authority = ctx.accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &ctx.accounts.mint;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, &authority, &seeds, mint, from_rewards)?;
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, &authority, &seeds, mint, from_principal)?;
    emit!(OverflowWithdrawn {
        device: ctx.accounts.device.key(),
        from_rewards,
        from_principal,
        owner_stake,
        owner_rewards,
    });
    Ok(())
}
