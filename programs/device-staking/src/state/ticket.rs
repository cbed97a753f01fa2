//! The owner's unstake ticket (R15, R16): its figures live on the device (so that slashing and
//! `device_status` need no ticket account); the account holds its rent until it is withdrawn.
use anchor_lang::prelude::*;

/// A ticket PDA `["ticket", device, ticket_seq]`: a zero-copy account (Pod layout, explicit
/// padding).
#[account(zero_copy)]
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
    /// Padding to the next 8-byte boundary (always zero).
    pub _pad0: [u8; 7],
    /// Room for later versions.
    pub reserved: [u8; 32],
}

/// The stored size of a `Ticket` (without its 8-byte discriminator); no implicit padding, so its
/// Borsh description (`INIT_SPACE`, the IDL) has the same bytes.
pub const TICKET_SIZE: usize = 112;
const _: () = assert!(core::mem::size_of::<Ticket>() == TICKET_SIZE);
const _: () = assert!(core::mem::align_of::<Ticket>() == 8);
const _: () = assert!(Ticket::INIT_SPACE == TICKET_SIZE);

impl Ticket {
    /// R15: the ticket numbered `seq` of `device`, whose rent `payer` paid.
    pub fn new(device: Pubkey, seq: u64, payer: Pubkey, bump: u8) -> Self {
        Self { device, seq, payer, bump, _pad0: [0; 7], reserved: [0; 32] }
    }
}
