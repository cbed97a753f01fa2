//! R12: `claim_rewards(seq)`: a co-staker takes their position's unclaimed rewards, at any time,
//! in any state of the position. Never paused (R17).
use super::token::{pay_out, TokenMint};
use crate::error::StakingError;
use crate::events::RewardsClaimed;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    /// The position's co-staker.
    pub costaker: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = overflow_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's overflow vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut, constraint = overflow_vault.key() != costaker_token.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The token account receiving the rewards (any account of the mint; the co-staker signs).
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub costaker_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<ClaimRewards>, seq: u64) -> Result<()> {
    let costaker = ctx.accounts.costaker.key();
    let (amount, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        (device.claim(seq, &costaker)?, device.signer())
    };
    pay_out(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.overflow_vault.to_account_info(),
        &ctx.accounts.costaker_token.to_account_info(),
        &ctx.accounts.device.to_account_info(),
        &signer.seeds(),
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?,
        amount,
    )?;
    emit!(RewardsClaimed { device: ctx.accounts.device.key(), seq, costaker, amount });
    Ok(())
}
