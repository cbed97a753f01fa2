//! A co-staker wallet's profile: counts its filled positions (R11, R18).
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// A co-staker profile PDA `["costaker", wallet]`: a zero-copy account (Pod layout of byte
/// fields only: no padding, the same bytes as its Borsh description).
#[account(zero_copy)]
#[derive(InitSpace, Debug)]
pub struct CostakerProfile {
    /// The co-staker's wallet.
    pub wallet: Pubkey,
    /// Filled positions held now (cancelled and cooling ones are not counted).
    pub active_positions: u8,
    /// The PDA's bump.
    pub bump: u8,
    /// Who paid the rent; it returns there at `close_profile` (R18).
    pub payer: Pubkey,
    /// Room for later versions.
    pub reserved: [u8; 32],
}

/// The stored size of a `CostakerProfile` (without its 8-byte discriminator).
pub const COSTAKER_PROFILE_SIZE: usize = 98;
const _: () = assert!(core::mem::size_of::<CostakerProfile>() == COSTAKER_PROFILE_SIZE);
const _: () = assert!(CostakerProfile::INIT_SPACE == COSTAKER_PROFILE_SIZE);

impl CostakerProfile {
    /// A new profile of `wallet`, whose rent `payer` paid, counting no position yet.
    pub fn new(wallet: Pubkey, bump: u8, payer: Pubkey) -> Self {
        Self { wallet, active_positions: 0, bump, payer, reserved: [0; 32] }
    }

    /// R11: takes one more filled position, within `max_active_costakes`.
    pub fn add_position(&mut self, max_active_costakes: u8) -> Result<()> {
        require!(self.active_positions < max_active_costakes, StakingError::TooManyPositions);
        self.active_positions += 1;
        Ok(())
    }

    /// R13, R15: a filled position stopped being active.
    pub fn drop_position(&mut self) {
        self.active_positions = self.active_positions.saturating_sub(1);
    }

    /// R18: the profile may close when it counts no positions.
    pub fn require_closable(&self) -> Result<()> {
        require!(self.active_positions == 0, StakingError::ProfileHasPositions);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_r18_at_most_max_active_positions_and_close_when_none() {
        let mut p = CostakerProfile::new(Pubkey::default(), 0, Pubkey::default());
        p.require_closable().unwrap();
        p.add_position(2).unwrap();
        p.add_position(2).unwrap();
        assert!(p.add_position(2).is_err());
        assert!(p.require_closable().is_err());
        p.drop_position();
        p.add_position(2).unwrap();
    }
}
