//! R54: `device_status`: read-only; returns through return data the device's eligibility and
//! the reasons when not, overflow per party, the position table with every pending unlock, hired
//! and hold status, and the slash allowance left for an incident now, so that wallets and pages
//! simulate it instead of re-implementing the rules. It takes no position accounts.
use crate::state::{Config, Device, Env, PositionState};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct DeviceStatusAccounts<'info> {
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    pub device: AccountLoader<'info, Device>,
}

/// A position of the table as `device_status` reports it (62 bytes).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct PositionStatus {
    /// The offer's sequence number.
    pub seq: u64,
    /// Where it stands now.
    pub state: PositionState,
    /// Principal after slashing.
    pub principal: u64,
    /// The co-staker's overflow: unclaimed rewards (R12).
    pub rewards: u64,
    /// Its reward share, in basis points.
    pub reward_share_bps: u16,
    /// Whether its principal counts now (R4).
    pub counts: bool,
    /// End of the wait (0 while filled).
    pub wait_end: i64,
    /// When it may be withdrawn (0 while filled).
    pub unlock_at: i64,
    /// What a slash for an incident now could still take from it (R40).
    pub slash_allowance: u64,
}

/// The owner's ticket as `device_status` reports it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketStatus {
    /// The ticket's sequence number.
    pub seq: u64,
    /// Principal to return.
    pub amount: u64,
    /// When it may be withdrawn.
    pub unlock_at: i64,
    /// Whether a hold keeps it now (R41).
    pub held: bool,
}

/// What `device_status` returns (at most 8 positions: under 700 bytes of the 1,024 of return data).
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
    /// The minimum from the hardware and the base in force (R1).
    pub min_required: u64,
    /// End of the R2 grace (0 if none).
    pub grace_end: i64,
    /// The owner's stake.
    pub owner_stake: u64,
    /// The owner's total overflow: rewards plus principal overflow (R12).
    pub owner_overflow: u64,
    /// The principal part of it (0 while held).
    pub owner_principal_overflow: u64,
    /// The owner's unclaimed rewards.
    pub owner_rewards: u64,
    /// The open offer's sequence number.
    pub open_offer: Option<u64>,
    /// Whether the device counts as hired now (R7).
    pub hired: bool,
    /// Hired until (0 if not).
    pub hired_until: i64,
    /// Whether a hold runs now (R41).
    pub held: bool,
    /// The running or last hold's end (0 if never held).
    pub hold_until: i64,
    /// Start of the running or last hold incident.
    pub hold_incident_start: i64,
    /// What a slash for an incident now could still take from the owner's stake (R40).
    pub owner_slash_allowance: u64,
    /// The owner's ticket, if the owner is unstaking.
    pub ticket: Option<TicketStatus>,
    /// The position table.
    pub positions: Vec<PositionStatus>,
}

/// R54: the status of `device` at `env`.
pub fn status(device: &Device, env: &Env) -> DeviceStatus {
    let now = env.now;
    let positions = device
        .positions
        .iter()
        .filter(|p| p.is_used())
        .map(|p| PositionStatus {
            seq: p.seq,
            state: p.state(now),
            principal: p.principal,
            rewards: p.rewards,
            reward_share_bps: p.reward_share_bps,
            counts: p.counts_at(now),
            wait_end: p.wait_end,
            unlock_at: p.unlock_at,
            slash_allowance: Device::position_slash_allowance(p, env),
        })
        .collect();
    DeviceStatus {
        now,
        eligible: device.is_eligible(env),
        ineligible_reasons: device.ineligibility(env),
        counted_stake: device.counted_stake(now),
        min_in_force: device.min_in_force(env),
        min_required: device.min_required(env),
        grace_end: device.grace_end,
        owner_stake: device.owner_stake,
        owner_overflow: device.owner_overflow(env),
        owner_principal_overflow: device.owner_principal_overflow(env),
        owner_rewards: device.owner_rewards,
        open_offer: device.open_offer(),
        hired: device.is_hired(env),
        hired_until: device.hired_until,
        held: device.is_held(env),
        hold_until: device.hold_until,
        hold_incident_start: device.hold_incident_start,
        owner_slash_allowance: device.owner_slash_allowance(env),
        ticket: device.is_unstaking().then(|| TicketStatus {
            seq: device.ticket_seq,
            amount: device.ticket_principal,
            unlock_at: device.ticket_unlock_at,
            held: device.is_ticket_held(env),
        }),
        positions,
    }
}

pub fn handler(ctx: Context<DeviceStatusAccounts>) -> Result<DeviceStatus> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let device = ctx.accounts.device.load()?;
    Ok(status(&device, &env))
}
