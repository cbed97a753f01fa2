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
    /// Every slot of the device's position table is taken (R9, Accounts).
    #[msg("The device's position table is full: a position must be withdrawn or released first")]
    NoFreePositionSlot,
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
    /// The ticket or position is still locked (R14, R16).
    #[msg("Still locked: the unlock time has not been reached")]
    StillLocked,
    /// The position is still active or open: cancel it first (R16).
    #[msg("The position is not exiting: cancel it first")]
    PositionNotExiting,
    /// The device is on hold by the slash authority (R41).
    #[msg("The device is on hold pending a slashing decision")]
    DeviceOnHold,
    /// The hold ends in the past or reaches past max_hold_secs from the incident's first hold (R41).
    #[msg("A hold must end in the future and at most max_hold_secs past the incident's first hold")]
    HoldTooLong,
    /// The device is not empty: stake, positions, tickets or rewards remain (R8).
    #[msg("The device still holds stake, positions, tickets or rewards")]
    DeviceNotEmpty,
    /// block_end is in the future, or block_start after block_end (R20).
    #[msg("The block's times are invalid (start after end, or end in the future)")]
    InvalidBlockTimes,
    /// The same device appears twice in one batch (R20).
    #[msg("A device appears twice in the batch")]
    DuplicateDeviceInBatch,
    /// The remaining accounts of the batch do not match its entries (R20).
    #[msg("The batch's accounts do not match its entries")]
    BatchAccountsMismatch,
    /// The slash cap of the 30-day window is used up (R40).
    #[msg("Nothing can be slashed: the 30-day slashing cap is reached or there is no principal")]
    NothingToSlash,
    /// There is no surplus to sweep (R52).
    #[msg("The vaults hold no surplus to sweep")]
    NoSurplus,
    /// There is no pending role, parameter or ownership change.
    #[msg("There is no pending change")]
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
    /// A floor is outside the parameter's hard bounds (R30).
    #[msg("A floor is outside its allowed bounds")]
    FloorOutOfBounds,
    /// A role cannot be given to the default (empty) key; revoke it instead (R31, R34).
    #[msg("A role cannot be given to the empty key")]
    InvalidRoleKey,
    /// The signer is not the proposed key (R19, R31).
    #[msg("Only the proposed key may accept")]
    NotPendingKey,
    /// Only the oracle, the reward authority and the slash authority can be revoked (R34).
    #[msg("This role cannot be revoked, only replaced")]
    RoleNotRevocable,
    /// The new slash cap is not lower than the one in force (R34).
    #[msg("The new slash cap must be lower than the one in force")]
    NotATightening,
    /// The device's table has no position with this sequence number (it was withdrawn, released or never filled).
    #[msg("The device has no such co-stake position")]
    PositionNotFound,
    /// The offer is below min_offer_bps of the device's minimum (R9).
    #[msg("The offer is below the smallest allowed share of the device's minimum")]
    OfferTooSmall,
    /// While paused, staking is allowed only up to what covers a running wait or grace (R6).
    #[msg("The program is paused: you may stake only what covers a running wait or grace")]
    StakeExceedsCover,
    /// The hired-until time is in the past or more than 30 days ahead (R7).
    #[msg("Hired until must be in the future and at most 30 days ahead (or 0 to clear)")]
    InvalidHiredUntil,
    /// The owner has no outstanding ticket (R16).
    #[msg("There is no unstake ticket to withdraw")]
    NoTicket,
    /// The incident time is in the future, more than 30 days ago, or after a running hold's start (R40).
    #[msg("The incident must lie within the last 30 days and not after a running hold's start")]
    IncidentOutOfRange,
    /// A new hold incident may start only 30 days after the previous one started (R41).
    #[msg("A new hold incident may start only 30 days after the previous one")]
    HoldIncidentTooSoon,
    /// The proposed owner is the current owner or the empty key (R19).
    #[msg("The new owner must be another wallet")]
    InvalidNewOwner,
    /// The proposed owner holds a position of this device (R19).
    #[msg("The new owner holds a co-stake position of this device")]
    NewOwnerHoldsPosition,
    /// The transfer proposal lapsed after 7 days (R19).
    #[msg("The transfer proposal has lapsed")]
    TransferExpired,
    /// The profile still counts filled positions (R18).
    #[msg("The profile still counts active positions")]
    ProfileHasPositions,
    /// A live device with this id exists (R3).
    #[msg("A device with this id is already registered")]
    DeviceAlreadyRegistered,
    /// Withdrawn by someone else, the recipient must be the staker's associated token account (R16).
    #[msg("Only the staker may choose the receiving account; others pay the staker's associated token account")]
    WrongRecipient,
    /// The offer was not released into an escrow (R16).
    #[msg("The offer has no escrow to withdraw from")]
    NotReleased,
    /// The filled position's co-staker's profile must be passed to unstake (R15).
    #[msg("The profile of the device's co-staker must be passed")]
    ProfileRequired,
}
