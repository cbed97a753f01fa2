//! An offer and, once filled, the co-staker's position (R9-R16, R21).
use super::math::*;
use crate::constants::BPS;
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// Where an offer / position stands.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum OfferState {
    /// Waiting for a co-staker (R9).
    Open,
    /// Filled: the principal counts and earns (R11).
    Filled,
    /// Cancelled by the co-staker: counts until `wait_end`, withdrawable at `unlock_at` (R13).
    Exiting,
    /// Unstaked with the owner: withdrawable at `unlock_at` (R15).
    Cooling,
}

/// An offer PDA `["offer", device, seq]`, holding the co-staker's position once filled.
#[account]
#[derive(InitSpace, Debug)]
pub struct Offer {
    /// The device this offer belongs to.
    pub device: Pubkey,
    /// Per-device sequence number (never reused).
    pub seq: u64,
    /// The PDA's bump.
    pub bump: u8,
    /// Who paid the rent (the device owner); the rent returns there on close.
    pub payer: Pubkey,
    /// Where the offer stands.
    pub state: OfferState,
    /// Requested co-stake (frozen terms).
    pub amount: u64,
    /// Co-staker's share of block rewards, in basis points (frozen terms).
    pub reward_share_bps: u16,
    /// When the offer was created.
    pub created_at: i64,
    /// The co-staker's wallet (default until filled).
    pub costaker: Pubkey,
    /// The position's principal after slashing (0 until filled).
    pub principal: u64,
    /// The position's unclaimed rewards.
    pub rewards: u64,
    /// When it was filled (0 until then).
    pub filled_at: i64,
    /// When the co-staker cancelled (0 if not).
    pub cancelled_at: i64,
    /// End of the wait: the principal counts until then (R13); 0 if not cancelled.
    pub wait_end: i64,
    /// When the principal and rewards may be withdrawn (R14, R15); 0 while open or filled.
    pub unlock_at: i64,
    /// Room for later versions.
    pub reserved: [u8; crate::constants::RESERVED_BYTES],
}

impl Offer {
    /// R11: the co-staker's restated terms must match the frozen ones.
    pub fn check_terms(&self, amount: u64, reward_share_bps: u16) -> Result<()> {
        require!(self.state == OfferState::Open, StakingError::OfferNotOpen);
        require!(
            self.amount == amount && self.reward_share_bps == reward_share_bps,
            StakingError::OfferTermsMismatch
        );
        Ok(())
    }

    /// R13: cancels a filled position at `now`, recording its wait and unlock.
    pub fn cancel(&mut self, now: i64, cover_window_secs: i64, cooldown_secs: i64) -> Result<()> {
        require!(self.state == OfferState::Filled, StakingError::PositionNotFilled);
        self.state = OfferState::Exiting;
        self.cancelled_at = now;
        self.wait_end = add_secs(now, cover_window_secs)?;
        self.unlock_at = add_secs(self.wait_end, cooldown_secs)?;
        Ok(())
    }

    /// R15: unstakes the position with its owner: unlock = min(recorded unlock, owner's unlock).
    pub fn unstake_with_owner(&mut self, owner_unlock: i64) {
        self.unlock_at = match self.state {
            OfferState::Exiting => self.unlock_at.min(owner_unlock),
            _ => owner_unlock,
        };
        self.state = OfferState::Cooling;
    }

    /// R14-R16: fails unless the position may be withdrawn at `now`.
    pub fn require_ripe(&self, now: i64) -> Result<()> {
        require!(
            matches!(self.state, OfferState::Exiting | OfferState::Cooling),
            StakingError::PositionNotExiting
        );
        require!(now >= self.unlock_at, StakingError::StillLocked);
        Ok(())
    }

    /// R21: the position's share of a block's `amount`: floor(amount * share / 10,000) when it
    /// was filled at or before `block_start` and not cancelled before `block_end`; else 0.
    pub fn reward_share(&self, amount: u64, block_start: i64, block_end: i64) -> u64 {
        let earning = self.principal > 0
            && self.filled_at <= block_start
            && (self.cancelled_at == 0 || self.cancelled_at >= block_end);
        if earning {
            bps_floor(amount, self.reward_share_bps.min(BPS as u16))
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(principal: u64, filled_at: i64) -> Offer {
        Offer {
            device: Pubkey::new_unique(),
            seq: 0,
            bump: 255,
            payer: Pubkey::default(),
            state: OfferState::Filled,
            amount: principal,
            reward_share_bps: 7_400,
            created_at: 0,
            costaker: Pubkey::new_unique(),
            principal,
            rewards: 0,
            filled_at,
            cancelled_at: 0,
            wait_end: 0,
            unlock_at: 0,
            reserved: [0; crate::constants::RESERVED_BYTES],
        }
    }

    #[test]
    fn r11_terms_must_match() {
        let mut o = filled(8_000, 0);
        assert!(o.check_terms(8_000, 7_400).is_err()); // not open
        o.state = OfferState::Open;
        o.check_terms(8_000, 7_400).unwrap();
        assert!(o.check_terms(8_000, 7_500).is_err());
        assert!(o.check_terms(7_999, 7_400).is_err());
    }

    #[test]
    fn r13_r14_cancel_records_wait_and_unlock() {
        let mut o = filled(8_000, 0);
        o.cancel(1_000, 7, 14).unwrap();
        assert_eq!((o.wait_end, o.unlock_at), (1_007, 1_021));
        assert!(o.require_ripe(1_020).is_err());
        o.require_ripe(1_021).unwrap();
        assert!(o.cancel(1_000, 7, 14).is_err());
    }

    #[test]
    fn r15_owner_unstake_never_delays_an_exit() {
        let mut exiting = filled(1, 0);
        exiting.cancel(0, 7, 14).unwrap();
        exiting.unstake_with_owner(100);
        assert_eq!(exiting.unlock_at, 21);
        let mut active = filled(1, 0);
        active.unstake_with_owner(100);
        assert_eq!((active.state, active.unlock_at), (OfferState::Cooling, 100));
    }

    #[test]
    fn r21_share_by_block_times() {
        let mut o = filled(8_000, 100);
        assert_eq!(o.reward_share(1_001, 100, 200), 740); // floor(740.74)
        assert_eq!(o.reward_share(1_000, 99, 200), 0); // filled after block start
        o.cancelled_at = 150;
        assert_eq!(o.reward_share(1_000, 100, 200), 0); // cancelled within the block
        assert_eq!(o.reward_share(1_000, 100, 150), 740);
        o.principal = 0;
        assert_eq!(o.reward_share(1_000, 100, 150), 0);
    }
}
