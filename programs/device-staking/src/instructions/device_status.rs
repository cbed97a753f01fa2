//! R54: `device_status`: read-only; returns through return data the device's eligibility, the
//! reasons when not eligible, overflow per party and every pending unlock, so that wallets and
//! pages simulate it instead of re-implementing the rules.
//!
//! Remaining accounts: the device's position offers to report (read-only).
use crate::constants::{CONFIG_SEED, TICKET_SEED};
use crate::error::StakingError;
use crate::state::{Config, Device, Offer, OfferState, Ticket};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct DeviceStatusAccounts<'info> {
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    pub device: Box<Account<'info, Device>>,
    /// The owner's outstanding ticket, if any.
    #[account(seeds = [TICKET_SEED, device.key().as_ref(), &ticket.seq.to_le_bytes()], bump = ticket.bump)]
    pub ticket: Option<Box<Account<'info, Ticket>>>,
}

/// A position as `device_status` reports it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct PositionStatus {
    /// The offer's sequence number.
    pub seq: u64,
    /// Where it stands.
    pub state: OfferState,
    /// The co-staker.
    pub costaker: Pubkey,
    /// Principal after slashing.
    pub principal: u64,
    /// The co-staker's overflow: unclaimed rewards (R12).
    pub rewards: u64,
    /// Whether its principal counts now (R4).
    pub counts: bool,
    /// End of the wait (0 if not cancelled).
    pub wait_end: i64,
    /// When it may be withdrawn (0 while open or filled).
    pub unlock_at: i64,
}

/// The owner's ticket as `device_status` reports it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketStatus {
    /// Principal to return.
    pub amount: u64,
    /// When it may be withdrawn.
    pub unlock_at: i64,
}

/// What `device_status` returns.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct DeviceStatus {
    /// The clock it was computed at.
    pub now: i64,
    /// Whether the device earns block rewards now (R5).
    pub eligible: bool,
    /// Why not (flags of `state::ineligible`).
    pub ineligible_reasons: u8,
    /// Counted stake (R4).
    pub counted_stake: u64,
    /// The minimum in force (R2).
    pub min_in_force: u64,
    /// The minimum from the latest hardware.
    pub min_required: u64,
    /// End of the R2 grace (0 if none).
    pub grace_end: i64,
    /// The owner's stake.
    pub owner_stake: u64,
    /// The owner's total overflow: rewards plus principal overflow (R12).
    pub owner_overflow: u64,
    /// The principal part of it.
    pub owner_principal_overflow: u64,
    /// The owner's unclaimed rewards.
    pub owner_rewards: u64,
    /// The open offer's sequence number.
    pub open_offer: Option<u64>,
    /// Hold end (R41; 0 if never held).
    pub hold_until: i64,
    /// The owner's ticket, if given.
    pub ticket: Option<TicketStatus>,
    /// The positions given.
    pub positions: Vec<PositionStatus>,
}

pub fn handler<'info>(ctx: Context<'info, DeviceStatusAccounts<'info>>) -> Result<DeviceStatus> {
    let now = Clock::get()?.unix_timestamp;
    let max_costake_bps = ctx.accounts.config.params.max_costake_bps;
    let device = &ctx.accounts.device;
    let mut positions = Vec::with_capacity(ctx.remaining_accounts.len());
    for info in ctx.remaining_accounts.iter() {
        let offer: Account<Offer> = Account::try_from(info)?;
        require!(offer.device == device.key(), StakingError::WrongDevice);
        let counts = offer.state == OfferState::Filled
            || (offer.state == OfferState::Exiting && device.exiting.iter().any(|e| e.seq == offer.seq && e.counts_at(now)));
        positions.push(PositionStatus {
            seq: offer.seq,
            state: offer.state,
            costaker: offer.costaker,
            principal: offer.principal,
            rewards: offer.rewards,
            counts,
            wait_end: offer.wait_end,
            unlock_at: offer.unlock_at,
        });
    }
    let principal_overflow = if device.is_on_hold(now) { 0 } else { device.owner_principal_overflow(max_costake_bps) };
    Ok(DeviceStatus {
        now,
        eligible: device.is_eligible(now),
        ineligible_reasons: device.ineligibility(now),
        counted_stake: device.counted_stake(now),
        min_in_force: device.min_in_force(now),
        min_required: device.min_required,
        grace_end: device.grace_end,
        owner_stake: device.owner_stake,
        owner_overflow: device.owner_overflow(max_costake_bps, now),
        owner_principal_overflow: principal_overflow,
        owner_rewards: device.owner_rewards,
        open_offer: device.open_offer,
        hold_until: device.hold_until,
        ticket: ctx.accounts.ticket.as_ref().map(|t| TicketStatus { amount: t.amount, unlock_at: t.unlock_at }),
        positions,
    })
}
