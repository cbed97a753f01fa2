//! R11: `fill_offer`: a co-staker restates the terms and moves exactly `amount` in; the position
//! enters the device's table. Pausable.
use super::token::{create_pda_account, pay_in, TokenMint};
use crate::constants::*;
use crate::error::StakingError;
use crate::events::OfferFilled;
use crate::state::{Config, CostakerProfile, Device, InAccount, Offer, COSTAKER_PROFILE_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
#[instruction(seq: u64)]
pub struct FillOffer<'info> {
    /// The co-staker; pays their profile's rent the first time.
    #[account(mut)]
    pub costaker: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(
        mut, has_one = stake_vault,
        constraint = offer.load()?.device == device.key() && offer.load()?.seq == seq @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub device: AccountLoader<'info, Device>,
    /// The offer being filled.
    #[account(mut)]
    pub offer: AccountLoader<'info, Offer>,
    /// The co-staker's profile, counting their filled positions (created on the first fill, or again after R18).
    /// CHECK: an existing profile is proven by owner, discriminator and its stored wallet (the
    // signer: ConstraintSeeds otherwise): profiles are created only here, at `["costaker",
    // wallet]` with the canonical bump. A new one is created at the canonical bump, found by a
    // search (a second profile of one wallet would double its R11 allowance).
    #[account(mut)]
    pub profile: UncheckedAccount<'info>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut, constraint = stake_vault.key() != costaker_token.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The co-staker's token account paying in.
    #[account(mut, token::mint = mint, token::authority = costaker, token::token_program = token_program)]
    pub costaker_token: Box<InterfaceAccount<'info, TokenAccount>>,
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

pub fn handler(ctx: Context<FillOffer>, seq: u64, amount: u64, reward_share_bps: u16) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let costaker = ctx.accounts.costaker.key();
    ctx.accounts.offer.load_mut()?.fill(costaker, amount, reward_share_bps)?;
    let counted_stake = {
        let mut device = ctx.accounts.device.load_mut()?;
        device.fill(&env, seq, costaker, amount, reward_share_bps)?;
        device.counted_stake(env.now)
    };
    let info = ctx.accounts.profile.to_account_info();
    if *info.owner == anchor_lang::system_program::ID {
        let (address, bump) = Pubkey::find_program_address(&[COSTAKER_SEED, costaker.as_ref()], &crate::ID);
        require_keys_eq!(address, info.key(), anchor_lang::error::ErrorCode::ConstraintSeeds);
        let space = 8 + COSTAKER_PROFILE_SIZE;
        let seeds: [&[u8]; 3] = [COSTAKER_SEED, costaker.as_ref(), &[bump]];
        let payer = ctx.accounts.costaker.to_account_info();
        create_pda_account(&payer, &info, &ctx.accounts.system_program.to_account_info(), space, &crate::ID, &seeds)?;
        let mut data = info.try_borrow_mut_data()?;
        data[..8].copy_from_slice(CostakerProfile::DISCRIMINATOR);
        data[8..space].copy_from_slice(bytemuck::bytes_of(&CostakerProfile::new(costaker, bump, costaker)));
    }
    require_keys_eq!(*info.owner, crate::ID, anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);
    let active_positions = {
        let mut data = info.try_borrow_mut_data()?;
        let profile = CostakerProfile::in_account_mut(&mut data)?;
        require_keys_eq!(profile.wallet, costaker, anchor_lang::error::ErrorCode::ConstraintSeeds);
        profile.add_position(env.params.max_active_costakes)?;
        profile.active_positions
    };
    pay_in(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.costaker_token.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.costaker.to_account_info(),
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?,
        amount,
    )?;
    emit!(OfferFilled {
        device: ctx.accounts.device.key(),
        seq,
        costaker,
        amount,
        reward_share_bps,
        counted_stake,
        active_positions,
    });
    Ok(())
}
