//! R11: `fill_offer`: a co-staker restates the terms and moves exactly `amount` in; the position
//! enters the device's table. Pausable.
use super::token::{pay_in, TokenMint};
use crate::constants::*;
use crate::error::StakingError;
use crate::events::OfferFilled;
use crate::state::{Config, CostakerProfile, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
#[instruction(seq: u64)]
pub struct FillOffer<'info> {
    /// The co-staker; pays their profile's rent the first time.
    #[account(mut)]
    pub costaker: Signer<'info>,
    /// The config.
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(
        mut, has_one = stake_vault,
        constraint = offer.device == device.key() && offer.seq == seq @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub device: AccountLoader<'info, Device>,
    /// The offer being filled.
    #[account(mut)]
    pub offer: Box<Account<'info, Offer>>,
    /// The co-staker's profile, counting their filled positions (created on the first fill, or again after R18).
    #[account(
        init_if_needed, payer = costaker, space = 8 + CostakerProfile::INIT_SPACE,
        seeds = [COSTAKER_SEED, costaker.key().as_ref()], bump,
    )]
    pub profile: Box<Account<'info, CostakerProfile>>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut, constraint = stake_vault.key() != costaker_token.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The co-staker's token account paying in.
    #[account(mut, token::mint = mint, token::authority = costaker, token::token_program = token_program)]
    pub costaker_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    /// checks both against the token accounts.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<FillOffer>, seq: u64, amount: u64, reward_share_bps: u16) -> Result<()> {
    let config = &ctx.accounts.config;
    let env = config.env(Clock::get()?.unix_timestamp);
    let costaker = ctx.accounts.costaker.key();
    ctx.accounts.offer.fill(costaker, amount, reward_share_bps)?;
    let counted_stake = {
        let mut device = ctx.accounts.device.load_mut()?;
        device.fill(&env, seq, costaker, amount, reward_share_bps)?;
        device.counted_stake(env.now)
    };
    let profile = &mut ctx.accounts.profile;
    if profile.wallet == Pubkey::default() {
        profile.wallet = costaker;
        profile.bump = ctx.bumps.profile;
        profile.payer = costaker;
    }
    profile.add_position(env.params.max_active_costakes)?;
    pay_in(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.costaker_token.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.costaker.to_account_info(),
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config),
        amount,
    )?;
    emit!(OfferFilled {
        device: ctx.accounts.device.key(),
        seq,
        costaker,
        amount,
        reward_share_bps,
        counted_stake,
        active_positions: profile.active_positions,
    });
    Ok(())
}
