//! A co-staker's position, recorded in its device's table (R9-R16, R21, R40).
use super::slash_record::SlashRecord;
use crate::constants::POSITION_SLASH_RECORDS;
use anchor_lang::prelude::*;

/// Where a position stands at a given time.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum PositionState {
    /// Filled: the principal counts and earns (R11).
    Filled,
    /// Stopped, in its wait: the principal still counts until `wait_end` (R13).
    Exiting,
    /// Stopped, past its wait: withdrawable at `unlock_at` (R14, R15).
    Cooling,
    /// Withdrawable now (R16).
    Ripe,
}

/// One slot of a device's position table: a filled, exiting or cooling position. A free slot
/// has `costaker == Pubkey::default()`. A Pod layout inside the zero-copy `Device`: every field
/// 8-aligned, the padding explicit (its Borsh encoding has the same bytes).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, bytemuck::Pod, bytemuck::Zeroable,
)]
#[repr(C)]
pub struct Position {
    /// The offer's sequence number.
    pub seq: u64,
    /// The co-staker's wallet; `Pubkey::default()` for a free slot.
    pub costaker: Pubkey,
    /// Principal after slashing.
    pub principal: u64,
    /// Unclaimed rewards, in the device's overflow vault.
    pub rewards: u64,
    /// The co-staker's share of block rewards, in basis points (frozen at fill).
    pub reward_share_bps: u16,
    /// Padding to the next 8-byte field (always zero).
    pub _pad: [u8; 6],
    /// When it was filled (unix seconds).
    pub filled_at: i64,
    /// When it stopped earning: the co-staker's cancel or the owner's unstake; 0 while filled (R13, R15).
    pub stopped_at: i64,
    /// End of its wait: its principal counts until then (R4, R13); 0 while filled.
    pub wait_end: i64,
    /// When it may be withdrawn (R14-R16); 0 while filled.
    pub unlock_at: i64,
    /// Its slashes of the last 30 days, for its own cap (R40).
    pub slashes: [SlashRecord; POSITION_SLASH_RECORDS],
}

impl Position {
    /// Whether the slot holds a position.
    pub fn is_used(&self) -> bool {
        !super::is_zero_key(&self.costaker)
    }

    /// Whether it is filled and earning (not stopped).
    pub fn is_filled(&self) -> bool {
        self.is_used() && self.stopped_at == 0
    }

    /// R4: whether its principal counts at `t`: filled by then and, if stopped, still in its wait.
    pub fn counts_at(&self, t: i64) -> bool {
        self.is_used() && self.filled_at <= t && (self.stopped_at == 0 || t < self.wait_end)
    }

    /// R16: whether it may be withdrawn or released at `now`.
    pub fn is_ripe(&self, now: i64) -> bool {
        self.is_used() && self.stopped_at != 0 && now >= self.unlock_at
    }

    /// R21: whether it earned during the block `[start, end)`: filled at or before its start and
    /// not stopped before its end.
    pub fn earned(&self, start: i64, end: i64) -> bool {
        self.filled_at <= start && (self.stopped_at == 0 || self.stopped_at >= end)
    }

    /// Where it stands at `now`.
    pub fn state(&self, now: i64) -> PositionState {
        if self.stopped_at == 0 {
            PositionState::Filled
        } else if now < self.wait_end {
            PositionState::Exiting
        } else if now < self.unlock_at {
            PositionState::Cooling
        } else {
            PositionState::Ripe
        }
    }
}

/// A withdrawn or released position that a block paid later may still name (R21): its part of
/// such a block is not paid. A free record has `stopped_at == 0`. A Pod layout, as `Position`.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, bytemuck::Pod, bytemuck::Zeroable,
)]
#[repr(C)]
pub struct DepartedPosition {
    /// The offer's sequence number.
    pub seq: u64,
    /// Its reward share, in basis points.
    pub reward_share_bps: u16,
    /// Padding to the next 8-byte field (always zero).
    pub _pad: [u8; 6],
    /// When it was filled.
    pub filled_at: i64,
    /// When it stopped earning; 0 for a free record.
    pub stopped_at: i64,
}

impl DepartedPosition {
    /// R21: whether it earned during the block `[start, end)`.
    pub fn earned(&self, start: i64, end: i64) -> bool {
        self.stopped_at != 0 && self.filled_at <= start && self.stopped_at >= end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(filled_at: i64) -> Position {
        Position {
            seq: 3,
            costaker: Pubkey::new_unique(),
            principal: 10,
            reward_share_bps: 7_400,
            filled_at,
            ..Default::default()
        }
    }

    #[test]
    fn r4_r13_counts_until_the_wait_ends() {
        let mut p = position(100);
        assert!(!p.counts_at(99));
        assert!(p.counts_at(100));
        assert_eq!(p.state(1_000), PositionState::Filled);
        p.stopped_at = 200;
        p.wait_end = 300;
        p.unlock_at = 400;
        assert!(p.counts_at(299));
        assert!(!p.counts_at(300));
        assert_eq!(p.state(299), PositionState::Exiting);
        assert_eq!(p.state(300), PositionState::Cooling);
        assert!(!p.is_ripe(399));
        assert!(p.is_ripe(400));
        assert_eq!(p.state(400), PositionState::Ripe);
        assert!(!Position::default().counts_at(0));
    }

    #[test]
    fn r21_earned_by_block_times() {
        let mut p = position(100);
        assert!(p.earned(100, 200));
        assert!(!p.earned(99, 200));
        // stopped after the block ended: it still earned that block, however late it is paid
        p.stopped_at = 250;
        assert!(p.earned(100, 200));
        assert!(p.earned(200, 250));
        assert!(!p.earned(200, 251));
        let d = DepartedPosition { seq: 3, reward_share_bps: 7_400, filled_at: 100, stopped_at: 250, ..Default::default() };
        assert!(d.earned(100, 250));
        assert!(!d.earned(100, 251));
        assert!(!DepartedPosition::default().earned(0, 0));
    }
}
