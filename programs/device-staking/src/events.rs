//! Events: every state change emits one with its amounts and the resulting state (R50).
use crate::state::{Floors, Params};
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
    /// The floors of the protection windows (never lowered).
    pub floors: Floors,
    /// The parameters in force.
    pub params: Params,
}

/// A role change was proposed, accepted or cancelled; the slot as it stands now (R31, R34).
#[event]
pub struct RoleChanged {
    /// Which role (0 admin, 1 oracle, 2 reward authority, 3 slash authority, 4 treasury).
    pub role: u8,
    /// What happened: 0 proposed, 1 accepted, 2 cancelled, 3 revoked.
    pub action: u8,
    /// The key in force until the pending one takes over (default: none).
    pub current: Pubkey,
    /// The proposed key (default: none).
    pub pending: Pubkey,
    /// The earliest time the proposed key takes over (0: none pending).
    pub effective_at: i64,
    /// Whether the proposed key has accepted.
    pub accepted: bool,
}

/// Pausable actions were paused or resumed (R32).
#[event]
pub struct PausedSet {
    /// Whether they are paused now.
    pub paused: bool,
}

/// A parameter set was proposed; it applies at `effective_at` (R33, R34).
#[event]
pub struct ParamsProposed {
    /// The parameters in force now.
    pub current: Params,
    /// The proposed parameters.
    pub pending: Params,
    /// When they apply.
    pub effective_at: i64,
}

/// The pending parameter set was cancelled (R31).
#[event]
pub struct ParamsCancelled {
    /// The parameters in force.
    pub current: Params,
}

/// The slash cap was lowered at once (R34).
#[event]
pub struct SlashCapLowered {
    /// The cap in force now, in basis points.
    pub max_slash_bps_per_30d: u16,
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
    /// Whether a closed device's tombstone was revived (R3).
    pub revived: bool,
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
    /// The filled position it stopped, if any.
    pub stopped_seq: Option<u64>,
    /// Positions whose wait or unlock it brought forward (R15).
    pub positions_recapped: u8,
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
    /// Hired until then (0: not hired).
    pub hired_until: i64,
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
    /// The part of the position that earned during the block (R21).
    pub position_part: u64,
    /// That position's sequence number, if one earned.
    pub position_seq: Option<u64>,
    /// Whether that position had been withdrawn or released: its part was not paid (R21).
    pub position_left: bool,
    /// Tokens moved into the overflow vault.
    pub transferred: u64,
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
    /// Why (`state::skip`).
    pub reason: u8,
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
    /// From each position.
    pub from_positions: Vec<PositionSlash>,
    /// Everything taken, moved to the treasury.
    pub total: u64,
    /// The incident the slash is for.
    pub incident_at: i64,
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

/// One position's part of a slash (R40).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PositionSlash {
    /// The position's sequence number.
    pub seq: u64,
    /// Tokens taken from it.
    pub amount: u64,
}

/// A ripe position's tokens moved into its offer's escrow; its slot is free (R16).
#[event]
pub struct PositionReleased {
    /// The device PDA.
    pub device: Pubkey,
    /// The position's sequence number.
    pub seq: u64,
    /// The co-staker, who withdraws from the escrow.
    pub costaker: Pubkey,
    /// Principal moved.
    pub principal: u64,
    /// Unclaimed rewards moved.
    pub rewards: u64,
    /// Who paid the escrow's rent.
    pub caller: Pubkey,
}

/// A co-staker emptied a released position's escrow (R16).
#[event]
pub struct EscrowWithdrawn {
    /// The device PDA the offer belongs to.
    pub device: Pubkey,
    /// The position's sequence number.
    pub seq: u64,
    /// The co-staker.
    pub costaker: Pubkey,
    /// Tokens paid.
    pub amount: u64,
}

/// A co-staker closed their profile (R18).
#[event]
pub struct ProfileClosed {
    /// The co-staker's wallet.
    pub wallet: Pubkey,
}

/// The owner proposed a new owner (R19).
#[event]
pub struct TransferProposed {
    /// The device PDA.
    pub device: Pubkey,
    /// The owner.
    pub owner: Pubkey,
    /// The proposed owner.
    pub new_owner: Pubkey,
    /// The proposal lapses then.
    pub expires_at: i64,
}

/// The owner cancelled a proposed transfer (R19).
#[event]
pub struct TransferCancelled {
    /// The device PDA.
    pub device: Pubkey,
}

/// The proposed owner accepted the device (R19).
#[event]
pub struct DeviceTransferred {
    /// The device PDA.
    pub device: Pubkey,
    /// The previous owner.
    pub previous_owner: Pubkey,
    /// The new owner.
    pub owner: Pubkey,
}
