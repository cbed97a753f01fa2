//! Staking on GPU devices with co-staking. `lib.rs` only dispatches: each instruction lives in
//! `instructions/<name>.rs`, the rules in `state/`. Rule ids (R1...) refer to docs/protocol.md.
#![allow(unexpected_cfgs)]
#![cfg_attr(target_os = "solana", feature(asm_experimental_arch))]
use anchor_lang::prelude::*;

#[cfg(target_os = "solana")]
mod sbf_builtins;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;
use state::{Params, Role};

declare_id!("Cwc5d6dFVPJ7twW2ySKFB2SW3XNFybZbBA5ksb1Rka6e");

#[cfg(all(target_os = "solana", feature = "sbf-entrypoint"))]
mod sbf_entrypoint;

#[program]
pub mod device_staking {
    use super::*;

    /// R30: creates the config; only the program's upgrade authority may call it.
    pub fn initialize(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
        initialize::handler(ctx, args)
    }

    /// R31: the admin proposes a successor.
    pub fn propose_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
        propose_admin::handler(ctx, new_admin)
    }

    /// R31: the proposed admin accepts.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        accept_admin::handler(ctx)
    }

    /// R31: the admin proposes a new oracle, reward/slash authority or treasury (delayed).
    pub fn propose_role(ctx: Context<AdminOnly>, role: Role, key: Pubkey) -> Result<()> {
        propose_role::handler(ctx, role, key)
    }

    /// R32: pauses or resumes stake, create_offer, fill_offer and register_device.
    pub fn set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
        set_paused::handler(ctx, paused)
    }

    /// R33: new parameters within their bounds.
    pub fn update_params(ctx: Context<AdminOnly>, params: Params) -> Result<()> {
        update_params::handler(ctx, params)
    }

    /// R3: registers a device, co-signed by its owner and the oracle.
    pub fn register_device(ctx: Context<RegisterDevice>, device_id: [u8; 32], gpu_count: u16, multiplier_bps: u32) -> Result<()> {
        register_device::handler(ctx, device_id, gpu_count, multiplier_bps)
    }

    /// R2: the oracle attests new hardware.
    pub fn update_hardware(ctx: Context<OracleDevice>, gpu_count: u16, multiplier_bps: u32) -> Result<()> {
        update_hardware::handler(ctx, gpu_count, multiplier_bps)
    }

    /// R2: anyone recomputes a device's minimum after the base changed.
    pub fn refresh_min(ctx: Context<RefreshMin>) -> Result<()> {
        refresh_min::handler(ctx)
    }

    /// R7: the oracle marks a device hired or idle.
    pub fn set_hired(ctx: Context<OracleDevice>, hired: bool) -> Result<()> {
        set_hired::handler(ctx, hired)
    }

    /// R7: the oracle terminates a device (final).
    pub fn terminate(ctx: Context<OracleDevice>) -> Result<()> {
        terminate::handler(ctx)
    }

    /// R6: the owner stakes more.
    pub fn stake(ctx: Context<Stake>, amount: u64) -> Result<()> {
        stake::handler(ctx, amount)
    }

    /// R9: the owner offers a co-stake.
    pub fn create_offer(ctx: Context<CreateOffer>, amount: u64, reward_share_bps: u16) -> Result<()> {
        create_offer::handler(ctx, amount, reward_share_bps)
    }

    /// R10: the owner retracts an open offer.
    pub fn retract_offer(ctx: Context<RetractOffer>) -> Result<()> {
        retract_offer::handler(ctx)
    }

    /// R11: a co-staker fills an offer on the terms they restate.
    pub fn fill_offer(ctx: Context<FillOffer>, seq: u64, amount: u64, reward_share_bps: u16) -> Result<()> {
        fill_offer::handler(ctx, seq, amount, reward_share_bps)
    }

    /// R12: the owner withdraws overflow (rewards, then principal above the minimum).
    pub fn withdraw_overflow(ctx: Context<WithdrawOverflow>, amount: u64) -> Result<()> {
        withdraw_overflow::handler(ctx, amount)
    }

    /// R12: a co-staker claims a position's rewards.
    pub fn claim_rewards(ctx: Context<ClaimRewards>) -> Result<()> {
        claim_rewards::handler(ctx)
    }

    /// R13: a co-staker cancels; the wait and cooldown start.
    pub fn cancel_costake(ctx: Context<CancelCostake>) -> Result<()> {
        cancel_costake::handler(ctx)
    }

    /// R15: the owner unstakes everything; positions are unstaked with it.
    pub fn unstake<'info>(ctx: Context<'info, Unstake<'info>>) -> Result<()> {
        unstake::handler(ctx)
    }

    /// R16: anyone pays out a ripe ticket to the owner.
    pub fn withdraw_ticket(ctx: Context<WithdrawTicket>) -> Result<()> {
        withdraw_ticket::handler(ctx)
    }

    /// R16: anyone pays out a ripe position to its co-staker.
    pub fn withdraw_position(ctx: Context<WithdrawPosition>) -> Result<()> {
        withdraw_position::handler(ctx)
    }

    /// R20, R21: the reward authority pays one block into many devices.
    pub fn distribute_rewards<'info>(
        ctx: Context<'info, DistributeRewards<'info>>,
        block_id: u64,
        block_start: i64,
        block_end: i64,
        entries: Vec<RewardEntry>,
    ) -> Result<()> {
        distribute_rewards::handler(ctx, block_id, block_start, block_end, entries)
    }

    /// R40: the slash authority slashes principal to the treasury.
    pub fn slash<'info>(ctx: Context<'info, Slash<'info>>, amount: u64) -> Result<()> {
        slash::handler(ctx, amount)
    }

    /// R41: the slash authority holds the owner's principal exits.
    pub fn hold(ctx: Context<Hold>, until: i64) -> Result<()> {
        hold::handler(ctx, until)
    }

    /// R52: the admin sweeps donated surplus to the treasury.
    pub fn sweep_surplus(ctx: Context<SweepSurplus>) -> Result<()> {
        sweep_surplus::handler(ctx)
    }

    /// R8: the owner closes an empty device.
    pub fn close_device(ctx: Context<CloseDevice>) -> Result<()> {
        close_device::handler(ctx)
    }

    /// R54: read-only status through return data.
    pub fn device_status<'info>(ctx: Context<'info, DeviceStatusAccounts<'info>>) -> Result<DeviceStatus> {
        device_status::handler(ctx)
    }
}
