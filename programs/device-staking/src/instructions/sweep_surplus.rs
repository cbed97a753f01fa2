//! R52: `sweep_surplus`: the admin moves tokens donated to a device's vaults (balance above the
//! ledger) to the treasury, and nothing else.
use super::token::{pay_out, TokenAccountBase, TokenMint};
use crate::error::StakingError;
use crate::events::SurplusSwept;
use crate::state::{Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
pub struct SweepSurplus<'info> {
    /// The admin.
    pub admin: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(has_one = stake_vault, has_one = overflow_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); its balance read by `TokenAccountBase::read`.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault.
    /// CHECK: the key the device recorded (`has_one`); its balance read by `TokenAccountBase::read`.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The treasury's token account.
    /// CHECK: `TokenAccountBase::read` checks its token program and mint; its owner must be the
    /// treasury (`NotTreasuryAccount`); neither vault (as Anchor's duplicate check of typed accounts).
    #[account(
        mut,
        constraint = treasury_token.key() != stake_vault.key() && treasury_token.key() != overflow_vault.key()
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
    )]
    pub treasury_token: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    /// checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<SweepSurplus>) -> Result<()> {
    let accounts = &ctx.accounts;
    let (mint_key, token_program_key) = (accounts.mint.key(), accounts.token_program.key());
    {
        let config = accounts.config.load()?;
        let now = Clock::get()?.unix_timestamp;
        require!(config.admin.is(&accounts.admin.key(), now), StakingError::NotAdmin);
        let treasury = TokenAccountBase::read(&accounts.treasury_token, &token_program_key, &mint_key)?;
        require!(config.treasury.is(&treasury.owner, now), StakingError::NotTreasuryAccount);
    }
    let (principal_ledger, rewards_ledger, signer) = {
        let device = accounts.device.load()?;
        (device.principal_ledger()?, device.rewards_ledger()?, device.signer())
    };
    let balance = |vault: &AccountInfo| TokenAccountBase::read(vault, &token_program_key, &mint_key).map(|v| v.amount);
    let from_stake_vault = balance(&accounts.stake_vault)?.saturating_sub(principal_ledger);
    let from_overflow_vault = balance(&accounts.overflow_vault)?.saturating_sub(rewards_ledger);
    require!(from_stake_vault + from_overflow_vault > 0, StakingError::NoSurplus);
    let token_program = accounts.token_program.to_account_info();
    let to = accounts.treasury_token.to_account_info();
    let authority = accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &TokenMint::of(&accounts.mint, &accounts.config)?;
    pay_out(&token_program, &accounts.stake_vault, &to, &authority, &seeds, mint, from_stake_vault)?;
    pay_out(&token_program, &accounts.overflow_vault, &to, &authority, &seeds, mint, from_overflow_vault)?;
    emit!(SurplusSwept { device: accounts.device.key(), from_stake_vault, from_overflow_vault });
    Ok(())
}
