//! R16: `release`: anyone moves a ripe position's principal and unclaimed rewards into an escrow
//! token account of its offer (the caller pays its rent and gets it back when the escrow is
//! emptied) and frees its slot, so no state of the co-staker's token accounts can pin a slot or
//! block the device's close. The co-staker later empties the escrow (`withdraw_escrow`).
use super::token::{pay_out, TokenMint};
use crate::constants::ESCROW_SEED;
use crate::error::StakingError;
use crate::events::PositionReleased;
use crate::state::{Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct Release<'info> {
    /// Whoever sends it; pays the escrow's rent.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(
        mut, has_one = stake_vault, has_one = overflow_vault,
        constraint = offer.device == device.key() @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub device: AccountLoader<'info, Device>,
    /// The position's offer.
    #[account(mut)]
    pub offer: Box<Account<'info, Offer>>,
    /// The offer's escrow, created here and owned by the offer PDA.
    #[account(
        init, payer = caller, seeds = [ESCROW_SEED, offer.key().as_ref()], bump,
        token::mint = mint, token::authority = offer, token::token_program = token_program,
    )]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
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

pub fn handler(ctx: Context<Release>) -> Result<()> {
    let env = ctx.accounts.config.env(Clock::get()?.unix_timestamp);
    let caller = ctx.accounts.caller.key();
    let offer = &mut ctx.accounts.offer;
    offer.release(caller)?;
    let seq = offer.seq;
    let (position, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        (device.take_ripe_position(&env, seq)?, device.signer())
    };
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.escrow.to_account_info();
    let authority = ctx.accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config);
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, &authority, &seeds, mint, position.principal)?;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, &authority, &seeds, mint, position.rewards)?;
    emit!(PositionReleased {
        device: ctx.accounts.device.key(),
        seq,
        costaker: position.costaker,
        principal: position.principal,
        rewards: position.rewards,
        caller,
    });
    Ok(())
}
