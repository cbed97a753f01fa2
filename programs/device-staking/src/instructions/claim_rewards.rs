//! R12: `claim_rewards`: a co-staker takes their position's unclaimed rewards, at any time, in
//! any state of the position. Never paused (R17).
use super::token::pay_out;
use crate::constants::{CONFIG_SEED, OFFER_SEED};
use crate::error::StakingError;
use crate::events::RewardsClaimed;
use crate::state::{sub, Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    /// The position's co-staker.
    pub costaker: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = overflow_vault)]
    pub device: Box<Account<'info, Device>>,
    /// The position.
    #[account(
        mut,
        seeds = [OFFER_SEED, device.key().as_ref(), &offer.seq.to_le_bytes()], bump = offer.bump,
        has_one = costaker @ StakingError::NotCostaker,
    )]
    pub offer: Box<Account<'info, Offer>>,
    /// The device's overflow vault.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The co-staker's token account receiving the rewards.
    #[account(mut, token::mint = mint, token::authority = costaker, token::token_program = token_program)]
    pub costaker_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<ClaimRewards>) -> Result<()> {
    let offer = &mut ctx.accounts.offer;
    let amount = offer.rewards;
    require!(amount > 0, StakingError::NothingToClaim);
    offer.rewards = 0;
    let device = &mut ctx.accounts.device;
    device.positions_rewards = sub(device.positions_rewards, amount)?;
    pay_out(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.overflow_vault.to_account_info(),
        &ctx.accounts.costaker_token.to_account_info(),
        device,
        &ctx.accounts.mint,
        amount,
    )?;
    emit!(RewardsClaimed { device: device.key(), seq: offer.seq, costaker: offer.costaker, amount });
    Ok(())
}
