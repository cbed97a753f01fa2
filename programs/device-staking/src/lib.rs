//! Staking on GPU devices with co-staking. `lib.rs` only dispatches: each instruction lives in
//! `instructions/<name>.rs`, the rules in `state/`. Rule ids (R1...) refer to docs/protocol.md.
#![allow(unexpected_cfgs)]
use anchor_lang::prelude::*;

// The SBF build's 128-bit helpers and memory functions (tools/sbf, crates/sbf).
#[cfg(target_os = "solana")]
use device_staking_sbf as _;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

use instructions::*;
use state::{Params, Role};

declare_id!("Cwc5d6dFVPJ7twW2ySKFB2SW3XNFybZbBA5ksb1Rka6e");

// The SBF build's entrypoint: Anchor's, with the program id as a constant (crates/sbf).
#[cfg(all(target_os = "solana", feature = "sbf-entrypoint"))]
device_staking_sbf::anchor_entrypoint!();

#[program]
pub mod device_staking {
    use super::*;

    /// R30: creates the config; only the program's upgrade authority may call it.
    pub fn initialize(ctx: Context<Initialize>, args: InitializeArgs) -> Result<()> {
        initialize::handler(ctx, args)
    }

    /// R31, R34: the admin proposes a key for a role; it accepts and takes effect at R34's time.
    pub fn propose_role(ctx: Context<AdminOnly>, role: Role, key: Pubkey) -> Result<()> {
        propose_role::handler(ctx, role, key)
    }

    /// R31: the proposed key accepts its role.
    pub fn accept_role(ctx: Context<AcceptRole>, role: Role) -> Result<()> {
        accept_role::handler(ctx, role)
    }

    /// R31: the admin cancels a pending role change.
    pub fn cancel_role(ctx: Context<AdminOnly>, role: Role) -> Result<()> {
        cancel_role::handler(ctx, role)
    }

    /// R34: the admin revokes the oracle, the reward authority or the slash authority at once.
    pub fn revoke_role(ctx: Context<AdminOnly>, role: Role) -> Result<()> {
        revoke_role::handler(ctx, role)
    }

    /// R32: pauses or resumes register_device, create_offer, fill_offer and stake.
    pub fn set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
        set_paused::handler(ctx, paused)
    }

    /// R33, R34: proposes new parameters; they apply at R34's time.
    pub fn update_params(ctx: Context<AdminOnly>, params: Params) -> Result<()> {
        update_params::handler(ctx, params)
    }

    /// R31: the admin cancels pending parameters.
    pub fn cancel_params(ctx: Context<AdminOnly>) -> Result<()> {
        cancel_params::handler(ctx)
    }

    /// R34: lowers the slash cap at once.
    pub fn lower_slash_cap(ctx: Context<AdminOnly>, max_slash_bps_per_30d: u16) -> Result<()> {
        lower_slash_cap::handler(ctx, max_slash_bps_per_30d)
    }

    /// R3: registers (or revives) a device, co-signed by its owner and the oracle. `vault_bumps`
    /// are the new stake and overflow vaults' bumps (their addresses are recorded, not searched).
    pub fn register_device(
        ctx: Context<RegisterDevice>,
        device_id: [u8; 32],
        gpu_count: u16,
        multiplier_bps: u32,
        vault_bumps: [u8; 2],
    ) -> Result<()> {
        register_device::handler(ctx, &RegisterArgs { device_id, gpu_count, multiplier_bps, vault_bumps })
    }

    /// R2: the oracle attests new hardware.
    pub fn update_hardware(ctx: Context<OracleDevice>, gpu_count: u16, multiplier_bps: u32) -> Result<()> {
        update_hardware::handler(ctx, gpu_count, multiplier_bps)
    }

    /// R7: the oracle marks a device hired until a time (0 clears it).
    pub fn set_hired(ctx: Context<OracleDevice>, until: i64) -> Result<()> {
        set_hired::handler(ctx, until)
    }

    /// R7: the oracle terminates a device (final).
    pub fn terminate(ctx: Context<OracleDevice>) -> Result<()> {
        terminate::handler(ctx)
    }

    /// R6: the owner stakes more.
    pub fn stake(ctx: Context<Stake>, amount: u64) -> Result<()> {
        stake::handler(ctx, amount)
    }

    /// R9: the owner offers a co-stake; `bump` is the new offer PDA's (proved, not searched).
    pub fn create_offer(ctx: Context<CreateOffer>, amount: u64, reward_share_bps: u16, bump: u8) -> Result<()> {
        create_offer::handler(ctx, amount, reward_share_bps, bump)
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
    pub fn claim_rewards(ctx: Context<ClaimRewards>, seq: u64) -> Result<()> {
        claim_rewards::handler(ctx, seq)
    }

    /// R13: a co-staker cancels; the wait and cooldown start.
    pub fn cancel_costake(ctx: Context<CancelCostake>, seq: u64) -> Result<()> {
        cancel_costake::handler(ctx, seq)
    }

    /// R15: the owner unstakes everything; every position is re-capped. `ticket_bump` is the new
    /// ticket PDA's (proved, not searched).
    pub fn unstake(ctx: Context<Unstake>, ticket_bump: u8) -> Result<()> {
        unstake::handler(ctx, ticket_bump)
    }

    /// R16: pays out a ripe ticket to the owner.
    pub fn withdraw_ticket(ctx: Context<WithdrawTicket>) -> Result<()> {
        withdraw_ticket::handler(ctx)
    }

    /// R16: pays out a ripe position to its co-staker.
    pub fn withdraw_position(ctx: Context<WithdrawPosition>) -> Result<()> {
        withdraw_position::handler(ctx)
    }

    /// R16: anyone moves a ripe position into its offer's escrow, freeing its slot. `escrow_bump`
    /// is the new escrow PDA's (proved, not searched, and recorded in the offer).
    pub fn release(ctx: Context<Release>, escrow_bump: u8) -> Result<()> {
        release::handler(ctx, escrow_bump)
    }

    /// R16: the co-staker empties a released position's escrow.
    pub fn withdraw_escrow(ctx: Context<WithdrawEscrow>) -> Result<()> {
        withdraw_escrow::handler(ctx)
    }

    /// R20, R21: the reward authority pays one block into many devices.
    pub fn distribute_rewards<'info>(
        ctx: Context<'info, DistributeRewards<'info>>,
        block_id: u64,
        block_start: i64,
        block_end: i64,
        amounts: Vec<u64>,
    ) -> Result<()> {
        distribute_rewards::handler(ctx, block_id, block_start, block_end, amounts)
    }

    /// R40: the slash authority slashes principal for an incident to the treasury.
    pub fn slash(ctx: Context<Slash>, amount: u64, incident_at: i64) -> Result<()> {
        slash::handler(ctx, amount, incident_at)
    }

    /// R41: the slash authority holds the owner's principal exits.
    pub fn hold(ctx: Context<Hold>, until: i64) -> Result<()> {
        hold::handler(ctx, until)
    }

    /// R52: the admin sweeps donated surplus to the treasury.
    pub fn sweep_surplus(ctx: Context<SweepSurplus>) -> Result<()> {
        sweep_surplus::handler(ctx)
    }

    /// R8: the owner closes an empty device into a tombstone.
    pub fn close_device(ctx: Context<CloseDevice>) -> Result<()> {
        close_device::handler(ctx)
    }

    /// R18: a co-staker closes a profile that counts no positions.
    pub fn close_profile(ctx: Context<CloseProfile>) -> Result<()> {
        close_profile::handler(ctx)
    }

    /// R19: the owner proposes a new owner wallet.
    pub fn transfer_device(ctx: Context<OwnerDevice>, new_owner: Pubkey) -> Result<()> {
        transfer_device::handler(ctx, new_owner)
    }

    /// R19: the owner cancels a proposed transfer.
    pub fn cancel_transfer(ctx: Context<OwnerDevice>) -> Result<()> {
        transfer_device::cancel_handler(ctx)
    }

    /// R19: the proposed wallet accepts the device.
    pub fn accept_device(ctx: Context<AcceptDevice>) -> Result<()> {
        accept_device::handler(ctx)
    }

    /// R54: read-only status through return data.
    pub fn device_status(ctx: Context<DeviceStatusAccounts>) -> Result<DeviceStatus> {
        device_status::handler(ctx)
    }
}
