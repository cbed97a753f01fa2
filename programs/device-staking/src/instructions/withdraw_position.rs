//! R14, R16, R22: `withdraw_position`: anyone pays a ripe position's principal and unclaimed
//! rewards to the co-staker's associated token account (created at the caller's cost if
//! missing) and closes the offer, returning its rent to its payer. Never paused or held (R17, R41).
use super::token::pay_out;
use crate::constants::{CONFIG_SEED, OFFER_SEED};
use crate::error::StakingError;
use crate::events::PositionWithdrawn;
use crate::state::{sub, Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct WithdrawPosition<'info> {
    /// Whoever sends it; pays for the co-staker's token account if it is missing.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = stake_vault, has_one = overflow_vault)]
    pub device: Box<Account<'info, Device>>,
    /// The ripe position; closed here.
    #[account(
        mut, close = payer,
        seeds = [OFFER_SEED, device.key().as_ref(), &offer.seq.to_le_bytes()], bump = offer.bump,
        has_one = payer, has_one = costaker,
    )]
    pub offer: Box<Account<'info, Offer>>,
    /// The co-staker, who receives principal and rewards.
    /// CHECK: checked against `offer.costaker`.
    pub costaker: UncheckedAccount<'info>,
    /// The co-staker's associated token account.
    #[account(
        init_if_needed, payer = caller,
        associated_token::mint = mint, associated_token::authority = costaker, associated_token::token_program = token_program,
    )]
    pub costaker_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's stake vault.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's overflow vault.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Who paid the offer's rent (the device owner).
    /// CHECK: only receives lamports; checked against `offer.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<WithdrawPosition>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let offer = &ctx.accounts.offer;
    offer.require_ripe(now)?;
    let (principal, rewards) = (offer.principal, offer.rewards);
    let device = &mut ctx.accounts.device;
    device.positions_principal = sub(device.positions_principal, principal)?;
    device.positions_rewards = sub(device.positions_rewards, rewards)?;
    device.live_offers = device.live_offers.saturating_sub(1);
    for e in device.exiting.iter_mut().filter(|e| e.seq == offer.seq && e.wait_end != 0) {
        *e = Default::default();
    }
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.costaker_token.to_account_info();
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, device, &ctx.accounts.mint, principal)?;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, device, &ctx.accounts.mint, rewards)?;
    emit!(PositionWithdrawn { device: device.key(), seq: offer.seq, costaker: offer.costaker, principal, rewards });
    Ok(())
}
