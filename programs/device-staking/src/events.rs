//! Events: every state change emits one with its amounts and the resulting state (R50).
use crate::state::Params;
use anchor_lang::prelude::*;

/// The config was created (R30).
#[event]
pub struct Initialized {
    /// The admin.
    pub admin: Pubkey,
    /// The staking mint.
    pub mint: Pubkey,
    /// The mint's token program.
    pub token_program: Pubkey,
    /// The parameters in force.
    pub params: Params,
}

/// A new admin was proposed (R31).
#[event]
pub struct AdminProposed {
    /// The admin in force.
    pub admin: Pubkey,
    /// The proposed admin.
    pub pending_admin: Pubkey,
}

/// The proposed admin accepted (R31).
#[event]
pub struct AdminAccepted {
    /// The previous admin.
    pub previous: Pubkey,
    /// The new admin.
    pub admin: Pubkey,
}

/// A role change was proposed; it takes effect at `effective_at` (R31).
#[event]
pub struct RoleProposed {
    /// Which role (0 oracle, 1 reward authority, 2 slash authority, 3 treasury).
    pub role: u8,
    /// The key in force until then.
    pub current: Pubkey,
    /// The proposed key.
    pub pending: Pubkey,
    /// When it takes effect.
    pub effective_at: i64,
}

/// Pausable actions were paused or resumed (R32).
#[event]
pub struct PausedSet {
    /// Whether they are paused now.
    pub paused: bool,
}

/// Parameters changed (R33).
#[event]
pub struct ParamsUpdated {
    /// The parameters before.
    pub previous: Params,
    /// The parameters now.
    pub params: Params,
}

/// A device was registered (R3).
#[event]
pub struct DeviceRegistered {
    /// The device PDA.
    pub device: Pubkey,
    /// Its 32-byte id.
    pub device_id: [u8; 32],
    /// Its owner.
    pub owner: Pubkey,
    /// GPUs attested.
    pub gpu_count: u16,
    /// Multiplier attested, in basis points.
    pub multiplier_bps: u32,
    /// The minimum stake.
    pub min_required: u64,
}

/// The device's minimum changed (R2).
#[event]
pub struct MinimumChanged {
    /// The device PDA.
    pub device: Pubkey,
    /// GPUs now attested.
    pub gpu_count: u16,
    /// Multiplier now attested, in basis points.
    pub multiplier_bps: u32,
    /// The minimum before.
    pub previous_min: u64,
    /// The minimum now.
    pub min_required: u64,
    /// End of the grace keeping the previous minimum in force (0 if none).
    pub grace_end: i64,
}

/// The owner staked (R6).
#[event]
pub struct Staked {
    /// The device PDA.
    pub device: Pubkey,
    /// Amount added.
    pub amount: u64,
    /// The owner's stake now.
    pub owner_stake: u64,
    /// Counted stake now.
    pub counted_stake: u64,
    /// Whether the device is eligible now.
    pub eligible: bool,
}

/// An offer was created (R9).
#[event]
pub struct OfferCreated {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer PDA.
    pub offer: Pubkey,
    /// Its sequence number.
    pub seq: u64,
    /// Requested co-stake.
    pub amount: u64,
    /// Co-staker's reward share, in basis points.
    pub reward_share_bps: u16,
}

/// An open offer was retracted (R10).
#[event]
pub struct OfferRetracted {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer's sequence number.
    pub seq: u64,
}

/// A co-staker filled an offer (R11).
#[event]
pub struct OfferFilled {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker.
    pub costaker: Pubkey,
    /// Principal moved in.
    pub amount: u64,
    /// Co-staker's reward share, in basis points.
    pub reward_share_bps: u16,
    /// Counted stake now.
    pub counted_stake: u64,
    /// The co-staker's filled positions now.
    pub active_positions: u8,
}

/// The owner withdrew overflow (R12).
#[event]
pub struct OverflowWithdrawn {
    /// The device PDA.
    pub device: Pubkey,
    /// Paid from unclaimed rewards.
    pub from_rewards: u64,
    /// Paid from principal.
    pub from_principal: u64,
    /// The owner's stake now.
    pub owner_stake: u64,
    /// The owner's unclaimed rewards now.
    pub owner_rewards: u64,
}

/// A co-staker claimed a position's rewards (R12).
#[event]
pub struct RewardsClaimed {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker.
    pub costaker: Pubkey,
    /// Amount paid.
    pub amount: u64,
}

/// A co-staker cancelled (R13).
#[event]
pub struct CostakeCancelled {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker.
    pub costaker: Pubkey,
    /// Principal leaving.
    pub principal: u64,
    /// Until then it still counts; the owner's time to cover.
    pub wait_end: i64,
    /// When it may be withdrawn.
    pub unlock_at: i64,
}

/// The owner unstaked (R15).
#[event]
pub struct Unstaked {
    /// The device PDA.
    pub device: Pubkey,
    /// The ticket's sequence number.
    pub ticket_seq: u64,
    /// Principal in the ticket.
    pub amount: u64,
    /// When the ticket unlocks.
    pub unlock_at: i64,
    /// Positions unstaked with the owner.
    pub positions_unstaked: u8,
}

/// A position was unstaked together with its device's owner (R15).
#[event]
pub struct PositionUnstaked {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker.
    pub costaker: Pubkey,
    /// When it unlocks now.
    pub unlock_at: i64,
}

/// A ticket was withdrawn (R16).
#[event]
pub struct TicketWithdrawn {
    /// The device PDA.
    pub device: Pubkey,
    /// The ticket's sequence number.
    pub seq: u64,
    /// The owner paid.
    pub owner: Pubkey,
    /// Principal paid.
    pub amount: u64,
}

/// A position was withdrawn (R16).
#[event]
pub struct PositionWithdrawn {
    /// The device PDA.
    pub device: Pubkey,
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker paid.
    pub costaker: Pubkey,
    /// Principal paid.
    pub principal: u64,
    /// Rewards paid.
    pub rewards: u64,
}

/// The oracle set the hired status (R7).
#[event]
pub struct HiredSet {
    /// The device PDA.
    pub device: Pubkey,
    /// Whether it is hired now.
    pub hired: bool,
}

/// The oracle terminated the device (R7).
#[event]
pub struct DeviceTerminated {
    /// The device PDA.
    pub device: Pubkey,
}

/// A device was closed (R8).
#[event]
pub struct DeviceClosed {
    /// The device PDA.
    pub device: Pubkey,
    /// Donated tokens swept to the treasury on the way out.
    pub swept: u64,
}

/// A block's reward was paid into a device (R20, R21).
#[event]
pub struct RewardPaid {
    /// The device PDA.
    pub device: Pubkey,
    /// The block.
    pub block_id: u64,
    /// The whole amount.
    pub amount: u64,
    /// The owner's part.
    pub owner_part: u64,
    /// The co-staker's part.
    pub costaker_part: u64,
    /// The filled position's sequence number, if any.
    pub offer_seq: Option<u64>,
}

/// A device was skipped because it is not eligible (R20).
#[event]
pub struct RewardSkipped {
    /// The device PDA.
    pub device: Pubkey,
    /// The block.
    pub block_id: u64,
    /// The amount not paid.
    pub amount: u64,
    /// Why (flags of `state::ineligible`).
    pub reasons: u8,
}

/// A device was slashed (R40).
#[event]
pub struct Slashed {
    /// The device PDA.
    pub device: Pubkey,
    /// Asked for.
    pub requested: u64,
    /// Taken from the owner's stake.
    pub from_owner_stake: u64,
    /// Taken from the owner's ticket.
    pub from_ticket: u64,
    /// Taken from positions, in the order given.
    pub from_positions: u64,
    /// Left of the 30-day cap.
    pub cap_left: u64,
}

/// A device was held (R41).
#[event]
pub struct DeviceHeld {
    /// The device PDA.
    pub device: Pubkey,
    /// Held until.
    pub until: i64,
    /// First hold of the incident.
    pub incident_start: i64,
}

/// Donated surplus was swept to the treasury (R52).
#[event]
pub struct SurplusSwept {
    /// The device PDA.
    pub device: Pubkey,
    /// From the stake vault.
    pub from_stake_vault: u64,
    /// From the overflow vault.
    pub from_overflow_vault: u64,
}
