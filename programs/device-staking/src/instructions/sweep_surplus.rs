//! R52: `sweep_surplus`: the admin moves tokens donated to a device's vaults (balance above the
//! ledger) to the treasury, and nothing else.
use super::token::{pay_out, TokenAccountBase, TokenMint};
use crate::error::StakingError;
use crate::events::SurplusSwept;
use crate::state::{same_key, Config, Device, DeviceSigner};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
pub struct SweepSurplus<'info> {
    /// The admin.
    pub admin: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    pub device: AccountLoader<'info, Device>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (compared in the handler, `ConstraintHasOne`).
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault.
    /// CHECK: as the stake vault.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The treasury's token account.
    /// CHECK: neither vault (`ConstraintDuplicateMutableAccount`); read by `TokenAccountBase::read`.
    #[account(mut)]
    pub treasury_token: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (compared in the handler, `WrongMint`).
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    pub token_program: Interface<'info, TokenInterface>,
}

/// Checks the accounts against the config and the device, in the order Anchor's constraints took
/// (admin, the device's vaults, the treasury's account is neither vault, mint, token program, the
/// treasury's account), with one load of each: returns the surplus of each vault, the device's
/// signer and the mint.
#[inline(never)]
fn checked<'info>(accounts: &SweepSurplus<'info>) -> Result<(u64, u64, DeviceSigner, TokenMint<'info>)> {
    use anchor_lang::error::ErrorCode as AnchorError;
    let config = accounts.config.load()?;
    let now = Clock::get()?.unix_timestamp;
    require!(config.admin.is(accounts.admin.key, now), StakingError::NotAdmin);
    let (principal_ledger, rewards_ledger, signer) = {
        let device = accounts.device.load()?;
        let vaults = same_key(&device.stake_vault, accounts.stake_vault.key)
            && same_key(&device.overflow_vault, accounts.overflow_vault.key);
        require!(vaults, AnchorError::ConstraintHasOne);
        (device.principal_ledger()?, device.rewards_ledger()?, device.signer())
    };
    let treasury_token = accounts.treasury_token.key;
    let distinct = !same_key(treasury_token, accounts.stake_vault.key) && !same_key(treasury_token, accounts.overflow_vault.key);
    require!(distinct, AnchorError::ConstraintDuplicateMutableAccount);
    require!(same_key(accounts.mint.key, &config.mint), StakingError::WrongMint);
    require!(same_key(accounts.token_program.key, &config.token_program), AnchorError::ConstraintAddress);
    let read = |account: &AccountInfo| TokenAccountBase::read(account, &config.token_program, &config.mint);
    require!(config.treasury.is(&read(&accounts.treasury_token)?.owner, now), StakingError::NotTreasuryAccount);
    let from_stake_vault = read(&accounts.stake_vault)?.amount.saturating_sub(principal_ledger);
    let from_overflow_vault = read(&accounts.overflow_vault)?.amount.saturating_sub(rewards_ledger);
    let mint = TokenMint { info: accounts.mint.to_account_info(), decimals: config.mint_decimals };
    Ok((from_stake_vault, from_overflow_vault, signer, mint))
}

pub fn handler(ctx: Context<SweepSurplus>) -> Result<()> {
    let accounts = &ctx.accounts;
    let (from_stake_vault, from_overflow_vault, signer, mint) = checked(accounts)?;
    require!(from_stake_vault + from_overflow_vault > 0, StakingError::NoSurplus);
    let token_program = accounts.token_program.to_account_info();
    let to = accounts.treasury_token.to_account_info();
    let authority = accounts.device.to_account_info();
    let seeds = signer.seeds();
    pay_out(&token_program, &accounts.stake_vault, &to, &authority, &seeds, &mint, from_stake_vault)?;
    pay_out(&token_program, &accounts.overflow_vault, &to, &authority, &seeds, &mint, from_overflow_vault)?;
    emit!(SurplusSwept { device: accounts.device.key(), from_stake_vault, from_overflow_vault });
    Ok(())
}
