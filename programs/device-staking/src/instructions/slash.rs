//! R40: `slash(amount, incident_at)`: the slash authority takes up to `amount` of principal for
//! an incident within the last 30 days: the owner first (owner stake, then a ticket created
//! after the incident that is not ripe or is held), up to the owner's rolling cap; the rest from
//! the positions that counted at the incident and are not ripe, pro rata, each up to its own
//! cap. The tokens go to the treasury's associated token account, created if missing.
use super::token::{pay_out, TokenMint};
use crate::error::StakingError;
use crate::events::{PositionSlash, Slashed};
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct Slash<'info> {
    /// The slash authority in force; pays for the treasury's token account if it is missing.
    #[account(mut, constraint = config.load()?.slash_authority.is(&slash_authority.key(), Clock::get()?.unix_timestamp) @ StakingError::NotSlashAuthority)]
    pub slash_authority: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = stake_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The treasury in force.
    /// CHECK: checked against the config's treasury in force.
    #[account(constraint = config.load()?.treasury.is(&treasury.key(), Clock::get()?.unix_timestamp) @ StakingError::NotTreasuryAccount)]
    pub treasury: UncheckedAccount<'info>,
    /// The treasury's associated token account (created if missing).
    #[account(
        init_if_needed, payer = slash_authority,
        associated_token::mint = mint, associated_token::authority = treasury, associated_token::token_program = token_program,
    )]
    pub treasury_token: Box<InterfaceAccount<'info, TokenAccount>>,
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

pub fn handler(ctx: Context<Slash>, amount: u64, incident_at: i64) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let (out, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        (device.slash(&env, amount, incident_at)?, device.signer())
    };
    pay_out(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.treasury_token.to_account_info(),
        &ctx.accounts.device.to_account_info(),
        &signer.seeds(),
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?,
        out.total,
    )?;
    emit!(Slashed {
        device: ctx.accounts.device.key(),
        requested: amount,
        from_owner_stake: out.from_owner_stake,
        from_ticket: out.from_ticket,
        from_positions: out.from_positions.iter().map(|&(seq, amount)| PositionSlash { seq, amount }).collect(),
        total: out.total,
        incident_at,
    });
    Ok(())
}
