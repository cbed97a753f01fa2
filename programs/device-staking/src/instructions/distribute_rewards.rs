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
use crate::state::{same_key, skip, BlockOutcome, Config, Device, InAccount, Tombstone};
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
    // checks both against the token accounts.
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

/// The batch's devices so far, for R20's duplicate check: a whole-key comparison is a `memcmp`
/// call on SBF, so each key's first eight bytes are compared first (the whole key only when they
/// match): a batch of n devices makes n(n-1)/2 comparisons.
struct SeenDevices<'info>(Vec<(u64, &'info Pubkey)>);

impl<'info> SeenDevices<'info> {
    /// Records `key`; `DuplicateDeviceInBatch` when the batch named it before.
    fn insert(&mut self, key: &'info Pubkey) -> Result<()> {
        let bytes = key.as_ref();
        let prefix = u64::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]);
        require!(!self.0.iter().any(|(p, k)| *p == prefix && *k == key), StakingError::DuplicateDeviceInBatch);
        self.0.push((prefix, key));
        Ok(())
    }
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
    let mut seen = SeenDevices(Vec::with_capacity(amounts.len()));
    let mut accounts = ctx.remaining_accounts.iter();
    for amount in amounts {
        let device_info = next(&mut accounts)?;
        let vault_info = next(&mut accounts)?;
        seen.insert(device_info.key)?;
        // a device or its tombstone: this program's account (as `AccountLoader` checks), read in
        // place after its discriminator
        require!(same_key(device_info.owner, &crate::ID), anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);
        let outcome = {
            let mut data = device_info.try_borrow_mut_data()?;
            if data.starts_with(Tombstone::DISCRIMINATOR) {
                None
            } else {
                let device = Device::in_account_mut(&mut data)?;
                require!(same_key(vault_info.key, &device.overflow_vault), StakingError::BatchAccountsMismatch);
                Some(device.pay_block(block_start, block_end, amount)?)
            }
        };
        let Some(outcome) = outcome else {
            emit!(RewardSkipped { device: *device_info.key, block_id, amount, reason: skip::CLOSED });
            continue;
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
