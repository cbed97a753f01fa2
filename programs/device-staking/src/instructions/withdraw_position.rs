//! R14, R16, R22: `withdraw_position`: pays a ripe position's principal and unclaimed rewards
//! to its co-staker, frees its slot and closes its offer, returning the rent to its payer.
//! Signed by the co-staker, to any token account of the mint they name; sent by anyone else, to
//! the co-staker's associated token account (created at the caller's cost if missing). Never
//! paused or held (R17, R41).
use super::token::{pay_out, Recipient, TokenMint};
use crate::error::StakingError;
use crate::events::PositionWithdrawn;
use crate::state::{Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
pub struct WithdrawPosition<'info> {
    /// Whoever sends it; pays for the co-staker's associated token account if it is missing.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(
        mut, has_one = stake_vault, has_one = overflow_vault,
        constraint = offer.load()?.device == device.key() @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub device: AccountLoader<'info, Device>,
    /// The position's offer; closed here.
    #[account(
        mut, close = payer,
        has_one = payer, has_one = costaker,
    )]
    pub offer: AccountLoader<'info, Offer>,
    /// The co-staker, who receives principal and rewards.
    /// CHECK: checked against `offer.costaker` (and the table's record).
    pub costaker: UncheckedAccount<'info>,
    /// The receiving token account: the co-staker's choice when they sign, else their associated token account.
    /// CHECK: checked by `Recipient::prepare`; the token program checks its mint.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// Who paid the offer's rent (the device owner who offered).
    /// CHECK: only receives lamports; checked against `offer.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<WithdrawPosition>) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let a = &ctx.accounts;
    Recipient {
        caller: &a.caller.to_account_info(),
        staker: &a.costaker.to_account_info(),
        destination: &a.destination.to_account_info(),
        mint: &a.mint.to_account_info(),
        token_program: &a.token_program.to_account_info(),
        associated_token_program: &a.associated_token_program.to_account_info(),
        system_program: &a.system_program.to_account_info(),
    }
    .prepare()?;
    let seq = ctx.accounts.offer.load()?.seq;
    let (position, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        (device.take_ripe_position(&env, seq)?, device.signer())
    };
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.destination.to_account_info();
    let authority = ctx.accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, &authority, &seeds, mint, position.principal)?;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, &authority, &seeds, mint, position.rewards)?;
    emit!(PositionWithdrawn {
        device: ctx.accounts.device.key(),
        seq,
        costaker: position.costaker,
        principal: position.principal,
        rewards: position.rewards,
    });
    Ok(())
}
