//! PDA seeds, parameter defaults and their hard bounds (protocol "Parameters").

/// Seed of the global config PDA: `["config"]`.
pub const CONFIG_SEED: &[u8] = b"config";
/// The config PDA's canonical bump under this program's id (a unit test checks it against
/// `find_program_address`): `initialize` creates the config at that one address, with no search.
pub const CONFIG_BUMP: u8 = 255;
/// Seed prefix of a device PDA: `["device", device_id]`.
pub const DEVICE_SEED: &[u8] = b"device";
/// Seed prefix of a device's stake vault (principal): `["stake_vault", device]`.
pub const STAKE_VAULT_SEED: &[u8] = b"stake_vault";
/// Seed prefix of a device's overflow vault (rewards): `["overflow_vault", device]`.
pub const OVERFLOW_VAULT_SEED: &[u8] = b"overflow_vault";
/// Seed prefix of an offer / co-stake position: `["offer", device, seq]`.
pub const OFFER_SEED: &[u8] = b"offer";
/// Seed prefix of an owner's unstake ticket: `["ticket", device, ticket_seq]`.
pub const TICKET_SEED: &[u8] = b"ticket";
/// Seed prefix of a co-staker's profile: `["costaker", wallet]`.
pub const COSTAKER_SEED: &[u8] = b"costaker";
/// Seed prefix of a released position's escrow token account: `["escrow", offer]` (R16).
pub const ESCROW_SEED: &[u8] = b"escrow";

/// Basis points in one whole.
pub const BPS: u64 = 10_000;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Default per-GPU base of the minimum stake, in whole tokens (scaled by the mint's decimals).
pub const DEFAULT_BASE_STAKE_PER_GPU_TOKENS: u64 = 200;
/// Default cover window: 7 days.
pub const DEFAULT_COVER_WINDOW_SECS: i64 = 7 * DAY;
/// Default unstake cooldown: 14 days.
pub const DEFAULT_COOLDOWN_SECS: i64 = 14 * DAY;
/// Default cap of co-stake as a share of total stake.
pub const DEFAULT_MAX_COSTAKE_BPS: u16 = 5_000;
/// Default number of filled positions one co-staker wallet may hold.
pub const DEFAULT_MAX_ACTIVE_COSTAKES: u8 = 2;
/// Default upper bound of an offer's reward share.
pub const DEFAULT_MAX_REWARD_SHARE_BPS: u16 = 10_000;
/// Default cap of slashing per 30 days, as a share of the device's principal.
pub const DEFAULT_MAX_SLASH_BPS_PER_30D: u16 = 5_000;
/// Default delay before a proposed role change takes effect: 7 days (R34 may lengthen it).
pub const DEFAULT_ROLE_CHANGE_DELAY_SECS: i64 = 7 * DAY;
/// Default smallest offer, as a share of the device's minimum (R9).
pub const DEFAULT_MIN_OFFER_BPS: u16 = 100;
/// Default longest hold incident: 7 days (R41).
pub const DEFAULT_MAX_HOLD_SECS: i64 = 7 * DAY;

/// Hard upper bound of `cover_window_secs` (its floor is fixed at initialize): 14 d.
pub const MAX_COVER_WINDOW_SECS: i64 = 14 * DAY;
/// Hard upper bound of `cooldown_secs` (its floor is fixed at initialize): 30 d.
pub const MAX_COOLDOWN_SECS: i64 = 30 * DAY;
/// Hard upper bound of `role_change_delay_secs` (its floor is fixed at initialize): 30 d.
pub const MAX_ROLE_CHANGE_DELAY_SECS: i64 = 30 * DAY;
/// Hard bounds of `max_costake_bps`: 1 .. 5,000.
pub const MAX_COSTAKE_BPS_BOUNDS: (u16, u16) = (1, 5_000);
/// Hard bounds of `min_offer_bps`: 1 .. 5,000.
pub const MIN_OFFER_BPS_BOUNDS: (u16, u16) = (1, 5_000);
/// Hard bounds of `max_hold_secs`: 1 s .. 7 d.
pub const MAX_HOLD_BOUNDS: (i64, i64) = (1, 7 * DAY);
/// Length of the slashing window, of the incident spacing of holds and of an incident's reach back (R40, R41).
pub const SLASH_WINDOW_SECS: i64 = 30 * DAY;
/// Longest a device may be marked hired ahead (R7).
pub const MAX_HIRED_SECS: i64 = 30 * DAY;
/// How long a proposed device transfer may be accepted (R19).
pub const TRANSFER_WINDOW_SECS: i64 = 7 * DAY;
/// Slots of a device's position table: filled, exiting and cooling positions (R9, Accounts).
pub const MAX_POSITIONS: usize = 8;
/// Withdrawn or released positions a device remembers while a late block may still name them (R21).
pub const DEPARTED_RECORDS: usize = 4;
/// Slashes remembered for the owner's stake's rolling cap (R40).
pub const OWNER_SLASH_RECORDS: usize = 4;
/// Slashes remembered per position for its rolling cap (R40).
pub const POSITION_SLASH_RECORDS: usize = 2;
/// Reserved bytes at the end of every account, for later versions.
pub const RESERVED_BYTES: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;

    #[test]
    fn the_config_bump_is_the_canonical_one_under_the_program_id() {
        assert_eq!(Pubkey::find_program_address(&[CONFIG_SEED], &crate::ID).1, CONFIG_BUMP);
    }
}
