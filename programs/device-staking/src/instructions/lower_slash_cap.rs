//! R34: `lower_slash_cap`: a tightening applies at once: max_slash_bps_per_30d goes down, in
//! force and in a pending parameter set.
use super::AdminOnly;
use crate::events::SlashCapLowered;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, max_slash_bps_per_30d: u16) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let max_slash_bps_per_30d = ctx.accounts.config.load_mut()?.lower_slash_cap(max_slash_bps_per_30d, now)?;
    emit!(SlashCapLowered { max_slash_bps_per_30d });
    Ok(())
}
