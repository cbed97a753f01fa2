//! An offer: the owner's frozen terms (R9-R11) and, after a `release`, the escrow of its
//! position (R16). The position itself lives in the device's table while it is unwithdrawn.
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// Where an offer stands (stored as a `u8` in [`Offer::state`]; read it with [`Offer::state`]).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum OfferState {
    /// Waiting for a co-staker (R9).
    Open,
    /// Filled: its position is in the device's table (R11).
    Filled,
    /// Released: its position's tokens wait in the offer's escrow for the co-staker (R16).
    Released,
}

impl OfferState {
    /// The state stored as `byte`, or `None` for a byte no offer holds.
    pub fn from_u8(byte: u8) -> Option<Self> {
        match byte {
            0 => Some(Self::Open),
            1 => Some(Self::Filled),
            2 => Some(Self::Released),
            _ => None,
        }
    }
}

/// An offer PDA `["offer", device, seq]`: a zero-copy account (Pod layout read in place), every
/// 8-byte field 8-aligned, explicit padding, the state as a `u8` (see [`Offer::state`]).
#[account(zero_copy)]
#[derive(InitSpace, Debug)]
pub struct Offer {
    /// The device this offer belongs to.
    pub device: Pubkey,
    /// Per-device sequence number (never reused).
    pub seq: u64,
    /// Who paid the rent (the device owner who offered); the rent returns there on close.
    pub payer: Pubkey,
    /// Requested co-stake (frozen terms).
    pub amount: u64,
    /// When the offer was created.
    pub created_at: i64,
    /// The co-staker's wallet (default until filled).
    pub costaker: Pubkey,
    /// Who paid the escrow's rent at `release` (R16); default until released.
    pub escrow_payer: Pubkey,
    /// Co-staker's share of block rewards, in basis points (frozen terms).
    pub reward_share_bps: u16,
    /// The PDA's bump.
    pub bump: u8,
    /// Where the offer stands: an [`OfferState`] as `u8` (0 open, 1 filled, 2 released).
    pub state: u8,
    /// The escrow PDA's bump `["escrow", offer]`, recorded at `release` (0 before).
    pub escrow_bump: u8,
    /// Padding to the next 8-byte field (always zero).
    pub _pad0: [u8; 3],
    /// Room for later versions.
    pub reserved: [u8; crate::constants::RESERVED_BYTES],
}

/// The stored size of an `Offer` (without its 8-byte discriminator); the Pod layout has no
/// implicit padding, so its Borsh description (`INIT_SPACE`, the IDL) has the same bytes.
pub const OFFER_SIZE: usize = 224;
const _: () = assert!(core::mem::size_of::<Offer>() == OFFER_SIZE);
const _: () = assert!(core::mem::align_of::<Offer>() == 8);
const _: () = assert!(Offer::INIT_SPACE == OFFER_SIZE);

/// What an offer PDA signs with (`["offer", device, seq, bump]`), copied out of the account so
/// that its data is not borrowed during the token program's CPI.
#[derive(Clone, Copy, Debug)]
pub struct OfferSigner {
    /// The offer's device.
    pub device: Pubkey,
    /// The offer's sequence number, little-endian.
    pub seq: [u8; 8],
    /// The offer PDA's bump.
    pub bump: [u8; 1],
}

impl OfferSigner {
    /// The seeds the offer PDA signs with (as its escrow's authority).
    pub fn seeds(&self) -> [&[u8]; 4] {
        [crate::constants::OFFER_SEED, self.device.as_ref(), &self.seq, &self.bump]
    }
}

impl Offer {
    /// A new open offer of `device` with these frozen terms (R9). (Seven arguments: inlined, an
    /// out-of-line call would pass some on the SBF stack.)
    #[inline(always)]
    pub fn open(device: Pubkey, seq: u64, bump: u8, payer: Pubkey, amount: u64, reward_share_bps: u16, now: i64) -> Self {
        let mut offer: Self = bytemuck::Zeroable::zeroed();
        offer.device = device;
        offer.seq = seq;
        offer.bump = bump;
        offer.payer = payer;
        offer.state = OfferState::Open as u8;
        offer.amount = amount;
        offer.reward_share_bps = reward_share_bps;
        offer.created_at = now;
        offer
    }

    /// Where the offer stands; a byte no offer holds is refused (`AccountDidNotDeserialize`).
    pub fn state(&self) -> Result<OfferState> {
        OfferState::from_u8(self.state).ok_or_else(|| error!(anchor_lang::error::ErrorCode::AccountDidNotDeserialize))
    }

    /// Whether the offer stands in `state`.
    pub fn is(&self, state: OfferState) -> bool {
        self.state == state as u8
    }

    /// What the offer PDA signs with, copied out of the account.
    pub fn signer(&self) -> OfferSigner {
        OfferSigner { device: self.device, seq: self.seq.to_le_bytes(), bump: [self.bump] }
    }

    /// R11: the co-staker's restated terms must match the frozen ones; the offer becomes filled.
    pub fn fill(&mut self, costaker: Pubkey, amount: u64, reward_share_bps: u16) -> Result<()> {
        require!(self.is(OfferState::Open), StakingError::OfferNotOpen);
        require!(self.amount == amount && self.reward_share_bps == reward_share_bps, StakingError::OfferTermsMismatch);
        self.state = OfferState::Filled as u8;
        self.costaker = costaker;
        Ok(())
    }

    /// R16: the position's tokens moved into the escrow (PDA bump `escrow_bump`), whose rent
    /// `caller` paid.
    pub fn release(&mut self, caller: Pubkey, escrow_bump: u8) -> Result<()> {
        require!(self.is(OfferState::Filled), StakingError::PositionNotFound);
        self.state = OfferState::Released as u8;
        self.escrow_payer = caller;
        self.escrow_bump = escrow_bump;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> Offer {
        Offer::open(Pubkey::new_unique(), 0, 255, Pubkey::default(), 8_000, 7_400, 0)
    }

    #[test]
    fn r11_terms_must_match_and_r16_release_follows_a_fill() {
        let mut o = open();
        assert_eq!(o.state().unwrap(), OfferState::Open);
        let c = Pubkey::new_unique();
        assert!(o.release(c, 254).is_err());
        assert!(o.fill(c, 8_000, 7_500).is_err());
        assert!(o.fill(c, 7_999, 7_400).is_err());
        o.fill(c, 8_000, 7_400).unwrap();
        assert!(o.fill(c, 8_000, 7_400).is_err());
        o.release(c, 254).unwrap();
        assert_eq!((o.state().unwrap(), o.escrow_payer, o.escrow_bump), (OfferState::Released, c, 254));
    }

    #[test]
    fn an_unknown_state_byte_is_refused() {
        let mut o = open();
        o.state = 3;
        assert!(o.state().is_err());
        assert!(o.fill(Pubkey::new_unique(), 8_000, 7_400).is_err());
        assert_eq!(OfferState::from_u8(2), Some(OfferState::Released));
    }
}
