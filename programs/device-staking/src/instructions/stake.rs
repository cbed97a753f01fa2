//! R6: `stake`: the owner adds to their stake, except while unstaking or once terminated; while
//! paused only what covers a running wait or grace.
use super::token::{pay_in, TokenMint};
use crate::error::StakingError;
use crate::events::Staked;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct Stake<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner, has_one = stake_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut, constraint = stake_vault.key() != owner_token.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The owner's token account paying in.
    #[account(mut, token::mint = mint, token::authority = owner, token::token_program = token_program)]
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

pub fn handler(ctx: Context<Stake>, amount: u64) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let event = {
        let mut device = ctx.accounts.device.load_mut()?;
        device.stake(&env, amount)?;
        Staked {
            device: ctx.accounts.device.key(),
            amount,
            owner_stake: device.owner_stake,
            counted_stake: device.counted_stake(env.now),
            eligible: device.is_eligible(&env),
        }
    };
    pay_in(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.owner_token.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.owner.to_account_info(),
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?,
        amount,
    )?;
    emit!(event);
    Ok(())
}
