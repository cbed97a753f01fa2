//! R13: `cancel_costake(seq)`: the co-staker leaves at any time. The position stops earning at
//! once; its principal still counts for one cover window (none on a terminated device), then
//! cools down. Never paused (R17).
use crate::events::CostakeCancelled;
use crate::state::{Config, CostakerProfile, Device};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CancelCostake<'info> {
    /// The position's co-staker.
    pub costaker: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut)]
    pub device: AccountLoader<'info, Device>,
    /// The co-staker's profile.
    #[account(mut, constraint = profile.load()?.wallet == costaker.key() @ anchor_lang::error::ErrorCode::ConstraintSeeds)]
    pub profile: AccountLoader<'info, CostakerProfile>,
}

pub fn handler(ctx: Context<CancelCostake>, seq: u64) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let costaker = ctx.accounts.costaker.key();
    let position = ctx.accounts.device.load_mut()?.cancel(&env, seq, &costaker)?;
    ctx.accounts.profile.load_mut()?.drop_position();
    emit!(CostakeCancelled {
        device: ctx.accounts.device.key(),
        seq,
        costaker,
        principal: position.principal,
        wait_end: position.wait_end,
        unlock_at: position.unlock_at,
    });
    Ok(())
}
