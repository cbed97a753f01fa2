//! An offer: the owner's frozen terms (R9-R11) and, after a `release`, the escrow of its
//! position (R16). The position itself lives in the device's table while it is unwithdrawn.
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// Where an offer stands.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum OfferState {
    /// Waiting for a co-staker (R9).
    Open,
    /// Filled: its position is in the device's table (R11).
    Filled,
    /// Released: its position's tokens wait in the offer's escrow for the co-staker (R16).
    Released,
}

/// An offer PDA `["offer", device, seq]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Offer {
    /// The device this offer belongs to.
    pub device: Pubkey,
    /// Per-device sequence number (never reused).
    pub seq: u64,
    /// The PDA's bump.
    pub bump: u8,
    /// Who paid the rent (the device owner who offered); the rent returns there on close.
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
    /// Who paid the escrow's rent at `release` (R16); default until released.
    pub escrow_payer: Pubkey,
    /// Room for later versions.
    pub reserved: [u8; crate::constants::RESERVED_BYTES],
}

impl Offer {
    /// The seeds the offer PDA signs with (as its escrow's authority).
    pub fn signer_seeds<'a>(&'a self, seq_bytes: &'a [u8; 8]) -> [&'a [u8]; 4] {
        [crate::constants::OFFER_SEED, self.device.as_ref(), seq_bytes, core::slice::from_ref(&self.bump)]
    }

    /// R11: the co-staker's restated terms must match the frozen ones; the offer becomes filled.
    pub fn fill(&mut self, costaker: Pubkey, amount: u64, reward_share_bps: u16) -> Result<()> {
        require!(self.state == OfferState::Open, StakingError::OfferNotOpen);
        require!(self.amount == amount && self.reward_share_bps == reward_share_bps, StakingError::OfferTermsMismatch);
        self.state = OfferState::Filled;
        self.costaker = costaker;
        Ok(())
    }

    /// R16: the position's tokens moved into the escrow, whose rent `caller` paid.
    pub fn release(&mut self, caller: Pubkey) -> Result<()> {
        require!(self.state == OfferState::Filled, StakingError::PositionNotFound);
        self.state = OfferState::Released;
        self.escrow_payer = caller;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> Offer {
        Offer {
            device: Pubkey::new_unique(),
            seq: 0,
            bump: 255,
            payer: Pubkey::default(),
            state: OfferState::Open,
            amount: 8_000,
            reward_share_bps: 7_400,
            created_at: 0,
            costaker: Pubkey::default(),
            escrow_payer: Pubkey::default(),
            reserved: [0; crate::constants::RESERVED_BYTES],
        }
    }

    #[test]
    fn r11_terms_must_match_and_r16_release_follows_a_fill() {
        let mut o = open();
        let c = Pubkey::new_unique();
        assert!(o.release(c).is_err());
        assert!(o.fill(c, 8_000, 7_500).is_err());
        assert!(o.fill(c, 7_999, 7_400).is_err());
        o.fill(c, 8_000, 7_400).unwrap();
        assert!(o.fill(c, 8_000, 7_400).is_err());
        o.release(c).unwrap();
        assert_eq!((o.state, o.escrow_payer), (OfferState::Released, c));
    }
}
