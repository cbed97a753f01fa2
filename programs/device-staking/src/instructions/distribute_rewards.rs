//! R20, R21: `distribute_rewards`: the reward authority pays one block's rewards into many
//! devices' overflow vaults, split between the owner and the filled position by its share.
//! An ineligible device is skipped (nothing moves) but records the block.
//!
//! Remaining accounts, per entry in order: the device (writable), its overflow vault
//! (writable), and, when `with_offer`, its filled position's offer (writable).
use super::token::pay_in;
use crate::constants::CONFIG_SEED;
use crate::error::StakingError;
use crate::events::{RewardPaid, RewardSkipped};
use crate::state::{add, Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// One device's part of a block.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct RewardEntry {
    /// Tokens for this device.
    pub amount: u64,
    /// Whether the device's filled position's offer follows the vault in the accounts.
    pub with_offer: bool,
}

#[derive(Accounts)]
pub struct DistributeRewards<'info> {
    /// The reward authority in force.
    #[account(constraint = config.reward_authority.key_at(Clock::get()?.unix_timestamp) == reward_authority.key() @ StakingError::NotRewardAuthority)]
    pub reward_authority: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The reward authority's token account paying the rewards.
    #[account(mut, token::mint = mint, token::authority = reward_authority, token::token_program = token_program)]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

fn next<'info>(it: &mut core::slice::Iter<'info, AccountInfo<'info>>) -> Result<&'info AccountInfo<'info>> {
    let info = it.next().ok_or_else(|| error!(StakingError::BatchAccountsMismatch))?;
    require!(info.is_writable, StakingError::BatchAccountsMismatch);
    Ok(info)
}

pub fn handler<'info>(
    ctx: Context<'info, DistributeRewards<'info>>,
    block_id: u64,
    block_start: i64,
    block_end: i64,
    entries: Vec<RewardEntry>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(block_start <= block_end && block_end <= now, StakingError::InvalidBlockTimes);
    let token_program = ctx.accounts.token_program.to_account_info();
    let source = ctx.accounts.source.to_account_info();
    let authority = ctx.accounts.reward_authority.to_account_info();
    let mut seen: Vec<Pubkey> = Vec::with_capacity(entries.len());
    let mut accounts = ctx.remaining_accounts.iter();

    for entry in entries {
        let device_info = next(&mut accounts)?;
        require!(!seen.contains(device_info.key), StakingError::DuplicateDeviceInBatch);
        seen.push(*device_info.key);
        let mut device: Account<Device> = Account::try_from(device_info)?;
        let vault_info = next(&mut accounts)?;
        require_keys_eq!(*vault_info.key, device.overflow_vault, StakingError::BatchAccountsMismatch);
        let mut offer: Option<Account<Offer>> = if entry.with_offer { Some(Account::try_from(next(&mut accounts)?)?) } else { None };
        match (&offer, device.filled) {
            (Some(o), Some(f)) => require!(o.device == device.key() && o.seq == f.seq, StakingError::WrongRewardOffer),
            (None, None) => {}
            _ => return err!(StakingError::WrongRewardOffer),
        }
        require!(!device.has_block || block_id > device.last_block_id, StakingError::BlockAlreadyPaid);
        device.last_block_id = block_id;
        device.has_block = true;

        let reasons = device.ineligibility(now);
        if reasons != 0 || entry.amount == 0 {
            emit!(RewardSkipped { device: device.key(), block_id, amount: entry.amount, reasons });
        } else {
            let costaker_part = offer.as_ref().map_or(0, |o| o.reward_share(entry.amount, block_start, block_end));
            let owner_part = entry.amount - costaker_part;
            device.owner_rewards = add(device.owner_rewards, owner_part)?;
            if let Some(o) = offer.as_mut() {
                o.rewards = add(o.rewards, costaker_part)?;
                device.positions_rewards = add(device.positions_rewards, costaker_part)?;
                o.exit(&crate::ID)?;
            }
            pay_in(&token_program, &source, vault_info, &authority, &ctx.accounts.mint, entry.amount)?;
            emit!(RewardPaid {
                device: device.key(),
                block_id,
                amount: entry.amount,
                owner_part,
                costaker_part,
                offer_seq: offer.as_ref().map(|o| o.seq),
            });
        }
        device.exit(&crate::ID)?;
    }
    require!(accounts.next().is_none(), StakingError::BatchAccountsMismatch);
    Ok(())
}
