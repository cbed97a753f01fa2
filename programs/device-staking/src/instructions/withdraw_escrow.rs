//! R16: `withdraw_escrow`: the co-staker of a released position takes everything in its escrow
//! to a token account of the mint they name; the escrow's rent returns to whoever released it and
//! the offer's to its payer. Needs no device (it may be closed or revived). Never paused (R17).
use super::token::{close_token_account, pay_out, TokenMint};
use crate::constants::ESCROW_SEED;
use crate::error::StakingError;
use crate::events::EscrowWithdrawn;
use crate::state::{Config, Offer, OfferState};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct WithdrawEscrow<'info> {
    /// The position's co-staker.
    pub costaker: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The released offer; closed here.
    #[account(
        mut, close = payer,
        has_one = costaker @ StakingError::NotCostaker, has_one = payer, has_one = escrow_payer,
        constraint = offer.load()?.is(OfferState::Released) @ StakingError::NotReleased,
    )]
    pub offer: AccountLoader<'info, Offer>,
    /// The offer's escrow; emptied and closed here.
    #[account(mut, seeds = [ESCROW_SEED, offer.key().as_ref()], bump = offer.load()?.escrow_bump)]
    pub escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The token account receiving the tokens (any account of the mint).
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Who paid the offer's rent.
    /// CHECK: only receives lamports; checked against `offer.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// Who paid the escrow's rent.
    /// CHECK: only receives lamports; checked against `offer.escrow_payer`.
    #[account(mut)]
    pub escrow_payer: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<WithdrawEscrow>) -> Result<()> {
    let offer = *ctx.accounts.offer.load()?;
    let amount = ctx.accounts.escrow.amount;
    let signer = offer.signer();
    let seeds = signer.seeds();
    let token_program = ctx.accounts.token_program.to_account_info();
    let escrow = ctx.accounts.escrow.to_account_info();
    let authority = ctx.accounts.offer.to_account_info();
    pay_out(
        &token_program,
        &escrow,
        &ctx.accounts.destination.to_account_info(),
        &authority,
        &seeds,
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?,
        amount,
    )?;
    close_token_account(&token_program, &escrow, &ctx.accounts.escrow_payer.to_account_info(), &authority, &seeds)?;
    emit!(EscrowWithdrawn { device: offer.device, seq: offer.seq, costaker: offer.costaker, amount });
    Ok(())
}
