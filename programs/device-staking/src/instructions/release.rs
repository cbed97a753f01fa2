//! R16: `release`: anyone moves a ripe position's principal and unclaimed rewards into an escrow
//! token account of its offer (the caller pays its rent and gets it back when the escrow is
//! emptied) and frees its slot, so no state of the co-staker's token accounts can pin a slot or
//! block the device's close. The co-staker later empties the escrow (`withdraw_escrow`).
use super::token::pay_out;
use crate::constants::{CONFIG_SEED, ESCROW_SEED, OFFER_SEED};
use crate::error::StakingError;
use crate::events::PositionReleased;
use crate::state::{Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct Release<'info> {
    /// Whoever sends it; pays the escrow's rent.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = stake_vault, has_one = overflow_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The position's offer.
    #[account(mut, seeds = [OFFER_SEED, device.key().as_ref(), &offer.seq.to_le_bytes()], bump = offer.bump)]
    pub offer: Box<Account<'info, Offer>>,
    /// The offer's escrow, created here and owned by the offer PDA.
    #[account(
        init, payer = caller, seeds = [ESCROW_SEED, offer.key().as_ref()], bump,
        token::mint = mint, token::authority = offer, token::token_program = token_program,
    )]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's stake vault.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's overflow vault.
    #[account(mut)]
    pub overflow_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
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
    let mint = &ctx.accounts.mint;
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
