//! The owner's unstake ticket (R15, R16): its figures live on the device (so that slashing and
//! `device_status` need no ticket account); the account holds its rent until it is withdrawn.
use anchor_lang::prelude::*;

/// A ticket PDA `["ticket", device, ticket_seq]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Ticket {
    /// The device whose owner unstaked.
    pub device: Pubkey,
    /// Per-device ticket sequence number (never reused).
    pub seq: u64,
    /// Who paid the rent; it returns there on close.
    pub payer: Pubkey,
    /// The PDA's bump.
    pub bump: u8,
    /// Room for later versions.
    pub reserved: [u8; 32],
}
