//! R3: `register_device`: co-signed by the owner (who pays) and the oracle, which attests the
//! hardware; creates the device and both vaults. An id whose device was closed is revived from
//! its tombstone: its counters and last paid block carry on. The vaults are created at the bumps
//! the client passes (no search: the device records their addresses, and every later use checks
//! them), each with one `create_account` and the token program's `InitializeAccount3`.
use super::token::{create_pda_account, initialize_token_account, resize_account, TOKEN_ACCOUNT_SIZE};
use crate::constants::*;
use crate::error::StakingError;
use crate::events::DeviceRegistered;
use crate::state::{Config, Device, InAccount, Registration, Tombstone, DEVICE_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
#[instruction(device_id: [u8; 32])]
pub struct RegisterDevice<'info> {
    /// The device owner; pays the rent of the device and its vaults.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The oracle in force, attesting the hardware.
    #[account(constraint = config.load()?.oracle.is(&oracle.key(), Clock::get()?.unix_timestamp) @ StakingError::NotOracle)]
    pub oracle: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device PDA: new, or a tombstone revived here.
    /// CHECK: the address is checked by the seeds; the handler creates it or checks the tombstone's owner and discriminator.
    #[account(
        mut, seeds = [DEVICE_SEED, device_id.as_ref()], bump,
        constraint = !holds_live_device(&device) @ StakingError::DeviceAlreadyRegistered,
    )]
    pub device: UncheckedAccount<'info>,
    /// The stake vault (principal) `["stake_vault", device, vault_bumps[0]]`, created here: a
    /// token account of the config's mint owned by the device PDA.
    /// CHECK: created by the handler with `create_account` signed by these seeds, which the runtime
    // grants only to the address they derive (refused otherwise, and when the address is in use);
    // the device records the address, and every later use checks it (`has_one`).
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The overflow vault (rewards) `["overflow_vault", device, vault_bumps[1]]`, created here.
    /// CHECK: as `stake_vault`.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
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
    Ok(Some(*Tombstone::in_account(&data)?))
}

/// Creates both vaults at `["stake_vault" | "overflow_vault", device, bump]`: `create_account` of
/// [`TOKEN_ACCOUNT_SIZE`] bytes owned by the config's token program, signed by the vault's seeds
/// (so only that address can be created), then `InitializeAccount3` with the config's mint and
/// the device PDA as the owner.
#[inline(never)]
fn create_vaults(ctx: &Context<RegisterDevice>, vault_bumps: [u8; 2]) -> Result<()> {
    let accounts = &ctx.accounts;
    let device = accounts.device.key();
    let owner = accounts.owner.to_account_info();
    let system = accounts.system_program.to_account_info();
    let token_program = accounts.token_program.to_account_info();
    let mint = accounts.mint.to_account_info();
    let vaults = [
        (&accounts.stake_vault, STAKE_VAULT_SEED, vault_bumps[0]),
        (&accounts.overflow_vault, OVERFLOW_VAULT_SEED, vault_bumps[1]),
    ];
    for (vault, seed, bump) in vaults {
        let vault = vault.to_account_info();
        create_pda_account(&owner, &vault, &system, TOKEN_ACCOUNT_SIZE, token_program.key, &[seed, device.as_ref(), &[bump]])?;
        initialize_token_account(&token_program, &vault, &mint, &device)?;
    }
    Ok(())
}

/// `register_device`'s arguments, gathered behind one reference: with the context and the
/// result's, separate arguments would pass one on the SBF stack, which SBF forbids
/// (tools/sbf/check_stack_args.py).
#[derive(Clone, Copy, Debug)]
pub struct RegisterArgs {
    /// The device's 32-byte id.
    pub device_id: [u8; 32],
    /// GPUs attested by the oracle.
    pub gpu_count: u16,
    /// Earning multiplier attested by the oracle, in basis points.
    pub multiplier_bps: u32,
    /// The new stake and overflow vaults' bumps.
    pub vault_bumps: [u8; 2],
}

pub fn handler(ctx: Context<RegisterDevice>, args: &RegisterArgs) -> Result<()> {
    let RegisterArgs { device_id, gpu_count, multiplier_bps, vault_bumps } = *args;
    let env = {
        let config = ctx.accounts.config.load()?;
        config.require_not_paused()?;
        config.env(Clock::get()?.unix_timestamp)
    };
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
    create_vaults(&ctx, vault_bumps)?;
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
