//! R32: `set_paused`: pauses register_device, create_offer, fill_offer and stake (except to
//! cover, R6), at once; exits are never paused (R17).
use super::AdminOnly;
use crate::events::PausedSet;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
    ctx.accounts.config.load_mut()?.set_paused(paused);
    emit!(PausedSet { paused });
    Ok(())
}
