//! R15: `unstake`: the owner's whole stake goes into a ticket unlocking after the cooldown; it
//! stops counting at once. Refused while hired or with an open offer. The filled position and
//! the exits still in their wait are unstaked with it (unlock = min(theirs, the ticket's), no
//! wait). Never paused (R17).
//!
//! Remaining accounts, in order: the filled position's offer and its co-staker's profile (if the
//! device has a filled position), then the offers of the exits in their wait, in the order of
//! `Device::positions_to_unstake` — all writable.
use crate::constants::*;
use crate::error::StakingError;
use crate::events::{PositionUnstaked, Unstaked};
use crate::state::{add, add_secs, Config, CostakerProfile, Device, Offer, Ticket};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct Unstake<'info> {
    /// The device owner; pays the ticket's rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: Box<Account<'info, Device>>,
    /// The ticket PDA, at the device's next ticket number.
    #[account(
        init, payer = owner, space = 8 + Ticket::INIT_SPACE,
        seeds = [TICKET_SEED, device.key().as_ref(), &device.next_ticket_seq.to_le_bytes()], bump,
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

/// Loads the writable program account at `info` as `T`.
fn load<'info, T: AccountSerialize + AccountDeserialize + Owner + Clone>(info: &'info AccountInfo<'info>) -> Result<Account<'info, T>> {
    require!(info.is_writable, StakingError::PositionAccountsMismatch);
    Account::try_from(info)
}

pub fn handler<'info>(ctx: Context<'info, Unstake<'info>>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let cooldown = ctx.accounts.config.params.cooldown_secs;
    let device = &mut ctx.accounts.device;
    require!(!device.unstaking, StakingError::DeviceUnstaking);
    require!(!device.hired, StakingError::DeviceHired);
    require!(device.open_offer.is_none(), StakingError::OpenOfferExists);
    require!(device.owner_stake > 0, StakingError::NothingToUnstake);
    let unlock_at = add_secs(now, cooldown)?;
    let device_key = device.key();

    let seqs = device.positions_to_unstake(now);
    let mut remaining = ctx.remaining_accounts.iter();
    for (i, seq) in seqs.iter().enumerate() {
        let info = remaining.next().ok_or_else(|| error!(StakingError::PositionAccountsMismatch))?;
        let mut offer: Account<Offer> = load(info)?;
        require!(offer.device == device_key && offer.seq == *seq, StakingError::PositionAccountsMismatch);
        if i == 0 && device.filled.is_some() {
            let profile_info = remaining.next().ok_or_else(|| error!(StakingError::PositionAccountsMismatch))?;
            let mut profile: Account<CostakerProfile> = load(profile_info)?;
            require!(profile.wallet == offer.costaker, StakingError::PositionAccountsMismatch);
            profile.drop_position();
            profile.exit(&crate::ID)?;
        }
        offer.unstake_with_owner(unlock_at);
        offer.exit(&crate::ID)?;
        emit!(PositionUnstaked { device: device_key, seq: *seq, costaker: offer.costaker, unlock_at: offer.unlock_at });
    }
    require!(remaining.next().is_none(), StakingError::PositionAccountsMismatch);

    device.filled = None;
    device.exiting = Default::default();
    let amount = device.owner_stake;
    device.owner_stake = 0;
    device.ticket_principal = add(device.ticket_principal, amount)?;
    device.unstaking = true;
    let ticket_seq = device.next_ticket_seq;
    device.next_ticket_seq = ticket_seq.checked_add(1).ok_or_else(|| error!(StakingError::MathOverflow))?;
    ctx.accounts.ticket.set_inner(Ticket {
        device: device_key,
        seq: ticket_seq,
        owner: device.owner,
        amount,
        created_at: now,
        unlock_at,
        payer: ctx.accounts.owner.key(),
        bump: ctx.bumps.ticket,
        reserved: [0; RESERVED_BYTES],
    });
    emit!(Unstaked { device: device_key, ticket_seq, amount, unlock_at, positions_unstaked: seqs.len() as u8 });
    Ok(())
}
