//! The owner's unstake ticket (R15, R16).
use anchor_lang::prelude::*;

/// A ticket PDA `["ticket", device, ticket_seq]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Ticket {
    /// The device whose owner unstaked.
    pub device: Pubkey,
    /// Per-device ticket sequence number (never reused).
    pub seq: u64,
    /// The owner who receives the principal.
    pub owner: Pubkey,
    /// Principal to pay at unlock (after slashing).
    pub amount: u64,
    /// When it unstaked.
    pub created_at: i64,
    /// When it may be withdrawn.
    pub unlock_at: i64,
    /// Who paid the rent; it returns there on close.
    pub payer: Pubkey,
    /// The PDA's bump.
    pub bump: u8,
    /// Room for later versions.
    pub reserved: [u8; crate::constants::RESERVED_BYTES],
}

impl Ticket {
    /// Whether the ticket may be withdrawn at `now` (R16).
    pub fn is_ripe(&self, now: i64) -> bool {
        now >= self.unlock_at
    }
}
