//! R3: `register_device`: co-signed by the owner (who pays) and the oracle, which attests the
//! hardware; creates the device and both vaults. An id whose device was closed is revived from
//! its tombstone: its counters and last paid block carry on.
use super::token::{create_pda_account, resize_account};
use crate::constants::*;
use crate::error::StakingError;
use crate::events::DeviceRegistered;
use crate::state::{Config, Device, Registration, Tombstone, DEVICE_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

#[derive(Accounts)]
#[instruction(device_id: [u8; 32])]
pub struct RegisterDevice<'info> {
    /// The device owner; pays the rent of the device and its vaults.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The oracle in force, attesting the hardware.
    #[account(constraint = config.oracle.is(&oracle.key(), Clock::get()?.unix_timestamp) @ StakingError::NotOracle)]
    pub oracle: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device PDA: new, or a tombstone revived here.
    /// CHECK: the address is checked by the seeds; the handler creates it or checks the tombstone's owner and discriminator.
    #[account(
        mut, seeds = [DEVICE_SEED, device_id.as_ref()], bump,
        constraint = !holds_live_device(&device) @ StakingError::DeviceAlreadyRegistered,
    )]
    pub device: UncheckedAccount<'info>,
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
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    /// checks both against the token accounts.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

/// Whether `info` is a live (registered, not closed) device: checked before the vaults' creation,
/// so that registering a live id is refused by name.
fn holds_live_device(info: &AccountInfo) -> bool {
    *info.owner == crate::ID && info.try_borrow_data().is_ok_and(|data| data.starts_with(Device::DISCRIMINATOR))
}

/// The tombstone at `info`, if the account is one; fails on a live device.
fn existing_tombstone(info: &AccountInfo) -> Result<Option<Tombstone>> {
    if info.data_is_empty() {
        return Ok(None);
    }
    require_keys_eq!(*info.owner, crate::ID, StakingError::DeviceAlreadyRegistered);
    let data = info.try_borrow_data()?;
    require!(!data.starts_with(Device::DISCRIMINATOR), StakingError::DeviceAlreadyRegistered);
    Ok(Some(Tombstone::try_deserialize(&mut &data[..])?))
}

/// The hardware comes as one `[gpu_count, multiplier_bps]` array, which takes one argument register
/// (a pair would take two): out of line, no argument then goes on the stack, which SBF forbids
/// (tools/sbf/check_stack_args.py).
pub fn handler(ctx: Context<RegisterDevice>, device_id: [u8; 32], hardware: [u32; 2]) -> Result<()> {
    let [gpu_count, multiplier_bps] = hardware;
    let gpu_count = u16::try_from(gpu_count).map_err(|_| error!(StakingError::InvalidHardware))?;
    let config = &ctx.accounts.config;
    config.require_not_paused()?;
    let env = config.env(Clock::get()?.unix_timestamp);
    let info = ctx.accounts.device.to_account_info();
    let owner = ctx.accounts.owner.to_account_info();
    let system = ctx.accounts.system_program.to_account_info();
    let space = 8 + DEVICE_SIZE;
    let bump = ctx.bumps.device;
    let tombstone = existing_tombstone(&info)?;
    match tombstone {
        None => create_pda_account(&owner, &info, &system, space, &crate::ID, &[DEVICE_SEED, &device_id, &[bump]])?,
        Some(_) => resize_account(&info, &owner, &owner, &system, space)?,
    }
    let registration = Registration {
        device_id,
        owner: owner.key(),
        bump,
        stake_vault: ctx.accounts.stake_vault.key(),
        overflow_vault: ctx.accounts.overflow_vault.key(),
        gpu_count,
        multiplier_bps,
    };
    let min_required = {
        let mut data = info.try_borrow_mut_data()?;
        // a revived device starts from zeros: the tombstone's bytes were read above
        data.fill(0);
        data[..8].copy_from_slice(Device::DISCRIMINATOR);
        let device: &mut Device = bytemuck::from_bytes_mut(&mut data[8..space]);
        device.init(&registration, &env, tombstone.as_ref())?;
        device.min_required(&env)
    };
    emit!(DeviceRegistered {
        device: info.key(),
        device_id,
        owner: owner.key(),
        gpu_count,
        multiplier_bps,
        min_required,
        revived: tombstone.is_some(),
    });
    Ok(())
}
