//! R20, R21, R23: `distribute_rewards`: the reward authority pays one block into many devices.
//! For each entry the program picks, from the device's table, the position that earned during
//! the block; the owner gets the rest. Entries are skipped, with an event and nothing moved, on
//! recorded facts (closed, terminated, unstaking, registered later, already paid), so a
//! staker's action between the batch's building and its landing never fails the batch. One
//! transfer per paid device into its overflow vault.
//!
//! Remaining accounts, per entry in order: the device (writable) and its overflow vault (writable).
use super::token::{pay_in, TokenMint};
use crate::error::StakingError;
use crate::events::{RewardPaid, RewardSkipped};
use crate::state::{skip, BlockOutcome, Config, Device, Tombstone};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct DistributeRewards<'info> {
    /// The reward authority in force.
    #[account(constraint = config.load()?.reward_authority.is(&reward_authority.key(), Clock::get()?.unix_timestamp) @ StakingError::NotRewardAuthority)]
    pub reward_authority: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The reward authority's token account paying the rewards.
    #[account(mut, token::mint = mint, token::authority = reward_authority, token::token_program = token_program)]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    /// checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

fn next<'info>(it: &mut core::slice::Iter<'info, AccountInfo<'info>>) -> Result<&'info AccountInfo<'info>> {
    let info = it.next().ok_or_else(|| error!(StakingError::BatchAccountsMismatch))?;
    require!(info.is_writable, StakingError::BatchAccountsMismatch);
    Ok(info)
}

/// Whether `info` is a closed device's tombstone.
fn is_tombstone(info: &AccountInfo) -> Result<bool> {
    Ok(*info.owner == crate::ID && info.try_borrow_data()?.starts_with(Tombstone::DISCRIMINATOR))
}

pub fn handler<'info>(
    ctx: Context<'info, DistributeRewards<'info>>,
    block_id: u64,
    block_start: i64,
    block_end: i64,
    amounts: Vec<u64>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(block_start < block_end && block_end <= now, StakingError::InvalidBlockTimes);
    let token_program = ctx.accounts.token_program.to_account_info();
    let source = ctx.accounts.source.to_account_info();
    let authority = ctx.accounts.reward_authority.to_account_info();
    let mint = TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    let mut seen: Vec<Pubkey> = Vec::with_capacity(amounts.len());
    let mut accounts = ctx.remaining_accounts.iter();

    for amount in amounts {
        let device_info = next(&mut accounts)?;
        let vault_info = next(&mut accounts)?;
        require!(!seen.contains(device_info.key), StakingError::DuplicateDeviceInBatch);
        seen.push(*device_info.key);
        if is_tombstone(device_info)? {
            emit!(RewardSkipped { device: *device_info.key, block_id, amount, reason: skip::CLOSED });
            continue;
        }
        let loader: AccountLoader<Device> = AccountLoader::try_from(device_info)?;
        let outcome = {
            let mut device = loader.load_mut()?;
            require_keys_eq!(*vault_info.key, device.overflow_vault, StakingError::BatchAccountsMismatch);
            device.pay_block(block_start, block_end, amount)?
        };
        match outcome {
            BlockOutcome::Skipped(reason) => {
                emit!(RewardSkipped { device: *device_info.key, block_id, amount, reason });
            }
            BlockOutcome::Paid(pay) => {
                pay_in(&token_program, &source, vault_info, &authority, &mint, pay.transfer)?;
                emit!(RewardPaid {
                    device: *device_info.key,
                    block_id,
                    amount,
                    owner_part: pay.owner_part,
                    position_part: pay.position_part,
                    position_seq: pay.position_seq,
                    position_left: pay.position_left,
                    transferred: pay.transfer,
                });
            }
        }
    }
    require!(accounts.next().is_none(), StakingError::BatchAccountsMismatch);
    Ok(())
}
