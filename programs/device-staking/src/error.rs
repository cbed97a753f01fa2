//! Every refusal of the program: one named code each, with a message a user understands (R51).
use anchor_lang::prelude::*;

#[error_code]
pub enum StakingError {
    /// Only the program's upgrade authority may initialize the config (R30).
    #[msg("Only the program's upgrade authority may initialize the config")]
    NotUpgradeAuthority,
    /// The program-data account given is not this program's.
    #[msg("The program-data account does not belong to this program")]
    WrongProgramData,
    /// The mint is not owned by SPL Token or Token-2022 (R30).
    #[msg("The mint must belong to SPL Token or Token-2022")]
    UnsupportedTokenProgram,
    /// The Token-2022 mint carries an extension the protocol refuses (R30).
    #[msg("The mint has a Token-2022 extension that is not allowed (fees, hooks, delegates, confidential, pausable, default state, non-transferable)")]
    ForbiddenMintExtension,
    /// A parameter is outside its hard bounds (R33).
    #[msg("A parameter is outside its allowed bounds")]
    ParamOutOfBounds,
    /// The signer is not the admin (R31-R33).
    #[msg("Only the admin may do this")]
    NotAdmin,
    /// The signer is not the pending admin (R31).
    #[msg("Only the proposed admin may accept the admin role")]
    NotPendingAdmin,
    /// The signer is not the oracle in force (R3, R7).
    #[msg("Only the oracle may do this")]
    NotOracle,
    /// The signer is not the reward authority in force (R20).
    #[msg("Only the reward authority may distribute rewards")]
    NotRewardAuthority,
    /// The signer is not the slash authority in force (R40, R41).
    #[msg("Only the slash authority may do this")]
    NotSlashAuthority,
    /// The signer is not the device's owner.
    #[msg("Only the device owner may do this")]
    NotDeviceOwner,
    /// The signer is not the position's co-staker.
    #[msg("Only the position's co-staker may do this")]
    NotCostaker,
    /// The token account given is not the treasury's.
    #[msg("The token account is not the treasury's")]
    NotTreasuryAccount,
    /// The action is paused (R32).
    #[msg("The program is paused for this action")]
    Paused,
    /// GPU count and multiplier must be at least 1 (R1).
    #[msg("GPU count and multiplier must be at least 1")]
    InvalidHardware,
    /// An amount must be greater than zero.
    #[msg("The amount must be greater than zero")]
    ZeroAmount,
    /// Arithmetic overflowed (R53).
    #[msg("Arithmetic overflow")]
    MathOverflow,
    /// The device is terminated (R7).
    #[msg("The device is terminated")]
    DeviceTerminated,
    /// The owner's stake is in its unstake cooldown; no restake or new offer until the ticket is withdrawn (R6, R15).
    #[msg("The device is unstaking: wait until the owner's ticket is withdrawn")]
    DeviceUnstaking,
    /// The device is hired: unstake is refused (R15).
    #[msg("The device is hired: it cannot be unstaked")]
    DeviceHired,
    /// An open offer exists: retract it first (R9, R15).
    #[msg("The device has an open offer: retract it first")]
    OpenOfferExists,
    /// The device already has a filled co-stake position (R9).
    #[msg("The device already has a co-staker")]
    PositionAlreadyFilled,
    /// The device does not meet its minimum stake, or would not with this offer (R9, R11).
    #[msg("The device's stake does not reach its minimum")]
    BelowMinimum,
    /// The co-stake would exceed max_costake_bps of the total stake (R9, R11, R12).
    #[msg("The co-stake would exceed the allowed share of the total stake")]
    CostakeCapExceeded,
    /// The reward share is zero or above max_reward_share_bps (R9).
    #[msg("The reward share must be above 0 and at most the allowed maximum")]
    InvalidRewardShare,
    /// The device tracks as many exiting positions as it can; wait for one to end its wait (R13).
    #[msg("Too many co-stakers are in their wait period on this device; try after the oldest wait ends")]
    TooManyExitingPositions,
    /// The offer is not open (R10, R11).
    #[msg("The offer is not open")]
    OfferNotOpen,
    /// The terms given do not match the offer (R11).
    #[msg("The offer's terms differ from the ones you accepted")]
    OfferTermsMismatch,
    /// The device owner cannot fill their own offer (R11).
    #[msg("The device owner cannot co-stake their own device")]
    OwnerCannotCostake,
    /// The co-staker already holds max_active_costakes positions (R11).
    #[msg("You already hold the maximum number of co-stake positions")]
    TooManyPositions,
    /// The position is not filled (R13).
    #[msg("The position is not an active co-stake")]
    PositionNotFilled,
    /// More than the overflow was asked for (R12).
    #[msg("The amount exceeds what can be withdrawn as overflow")]
    ExceedsOverflow,
    /// The owner has no stake to unstake (R15).
    #[msg("There is no stake to unstake")]
    NothingToUnstake,
    /// The accounts of the device's positions are missing or wrong (R15, R40).
    #[msg("The device's co-stake positions must be passed, in order")]
    PositionAccountsMismatch,
    /// The ticket or position is still locked (R14, R16).
    #[msg("Still locked: the unlock time has not been reached")]
    StillLocked,
    /// The position is still active or open: cancel it first (R16).
    #[msg("The position is not exiting: cancel it first")]
    PositionNotExiting,
    /// The device is on hold by the slash authority (R41).
    #[msg("The device is on hold pending a slashing decision")]
    DeviceOnHold,
    /// The hold is more than 7 days ahead or past the incident's 7 days (R41).
    #[msg("A hold may reach at most 7 days past the incident's first hold")]
    HoldTooLong,
    /// The device is not empty: stake, positions, tickets or rewards remain (R8).
    #[msg("The device still holds stake, positions, tickets or rewards")]
    DeviceNotEmpty,
    /// block_end is in the future, or block_start after block_end (R20).
    #[msg("The block's times are invalid (start after end, or end in the future)")]
    InvalidBlockTimes,
    /// block_id is not above the device's last paid block (R20).
    #[msg("This block was already paid for this device")]
    BlockAlreadyPaid,
    /// The same device appears twice in one batch (R20).
    #[msg("A device appears twice in the batch")]
    DuplicateDeviceInBatch,
    /// The remaining accounts of the batch do not match its entries (R20).
    #[msg("The batch's accounts do not match its entries")]
    BatchAccountsMismatch,
    /// The offer given is not the device's filled position, or one is missing (R20).
    #[msg("The offer given is not the device's filled position")]
    WrongRewardOffer,
    /// The slash cap of the 30-day window is used up (R40).
    #[msg("Nothing can be slashed: the 30-day slashing cap is reached or there is no principal")]
    NothingToSlash,
    /// There is no surplus to sweep (R52).
    #[msg("The vaults hold no surplus to sweep")]
    NoSurplus,
    /// There is no pending admin or role change.
    #[msg("There is no pending change to accept")]
    NoPendingChange,
    /// The account belongs to another device.
    #[msg("The account belongs to another device")]
    WrongDevice,
    /// The token account's mint is not the config's mint.
    #[msg("The token account's mint is not the staking mint")]
    WrongMint,
    /// Nothing to withdraw or claim.
    #[msg("There is nothing to claim")]
    NothingToClaim,
    /// The device's outstanding ticket was not passed, or another one was (R40 order).
    #[msg("The device's outstanding unstake ticket must be passed")]
    TicketRequired,
}
