//! R13: `cancel_costake`: the co-staker leaves at any time. The position stops earning at once,
//! its principal still counts for one cover window (the owner's time to cover), then cools down.
//! Never paused (R17).
use crate::constants::{CONFIG_SEED, COSTAKER_SEED, OFFER_SEED};
use crate::error::StakingError;
use crate::events::CostakeCancelled;
use crate::state::{Config, CostakerProfile, Device, Offer};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CancelCostake<'info> {
    /// The position's co-staker.
    pub costaker: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut)]
    pub device: Box<Account<'info, Device>>,
    /// The filled position.
    #[account(
        mut,
        seeds = [OFFER_SEED, device.key().as_ref(), &offer.seq.to_le_bytes()], bump = offer.bump,
        has_one = costaker @ StakingError::NotCostaker,
    )]
    pub offer: Box<Account<'info, Offer>>,
    /// The co-staker's profile.
    #[account(mut, seeds = [COSTAKER_SEED, costaker.key().as_ref()], bump = profile.bump)]
    pub profile: Box<Account<'info, CostakerProfile>>,
}

pub fn handler(ctx: Context<CancelCostake>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let params = ctx.accounts.config.params;
    let offer = &mut ctx.accounts.offer;
    offer.cancel(now, params.cover_window_secs, params.cooldown_secs)?;
    let device = &mut ctx.accounts.device;
    let filled = device.begin_exit(offer.wait_end, now)?;
    require!(filled.seq == offer.seq, StakingError::PositionAccountsMismatch);
    ctx.accounts.profile.drop_position();
    emit!(CostakeCancelled {
        device: device.key(),
        seq: offer.seq,
        costaker: offer.costaker,
        principal: offer.principal,
        wait_end: offer.wait_end,
        unlock_at: offer.unlock_at,
    });
    Ok(())
}
