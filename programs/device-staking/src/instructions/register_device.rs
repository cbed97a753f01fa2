//! R3: `register_device`: co-signed by the owner (who pays) and the oracle, which attests the
//! hardware; records the minimum stake (R1) and creates both vaults.
use crate::constants::*;
use crate::error::StakingError;
use crate::events::DeviceRegistered;
use crate::state::{min_required, Config, Device};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
#[instruction(device_id: [u8; 32])]
pub struct RegisterDevice<'info> {
    /// The device owner; pays the rent of the device and its vaults.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The oracle in force, attesting the hardware.
    #[account(constraint = config.oracle.key_at(Clock::get()?.unix_timestamp) == oracle.key() @ StakingError::NotOracle)]
    pub oracle: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device PDA (a registered id fails here until `close_device`).
    #[account(init, payer = owner, space = 8 + Device::INIT_SPACE, seeds = [DEVICE_SEED, device_id.as_ref()], bump)]
    pub device: Box<Account<'info, Device>>,
    /// The stake vault (principal), owned by the device PDA.
    #[account(
        init, payer = owner, seeds = [STAKE_VAULT_SEED, device.key().as_ref()], bump,
        token::mint = mint, token::authority = device, token::token_program = token_program,
    )]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The overflow vault (rewards), owned by the device PDA.
    #[account(
        init, payer = owner, seeds = [OVERFLOW_VAULT_SEED, device.key().as_ref()], bump,
        token::mint = mint, token::authority = device, token::token_program = token_program,
    )]
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

pub fn handler(ctx: Context<RegisterDevice>, device_id: [u8; 32], gpu_count: u16, multiplier_bps: u32) -> Result<()> {
    let config = &ctx.accounts.config;
    config.require_not_paused()?;
    let min = min_required(gpu_count, multiplier_bps, config.params.base_stake_per_gpu)?;
    let owner = ctx.accounts.owner.key();
    ctx.accounts.device.set_inner(Device::new(
        device_id,
        owner,
        ctx.bumps.device,
        ctx.accounts.stake_vault.key(),
        ctx.accounts.overflow_vault.key(),
        gpu_count,
        multiplier_bps,
        min,
    ));
    emit!(DeviceRegistered {
        device: ctx.accounts.device.key(),
        device_id,
        owner,
        gpu_count,
        multiplier_bps,
        min_required: min,
    });
    Ok(())
}
