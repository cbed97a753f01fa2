//! R31: `cancel_params`: the admin in force cancels a pending parameter set.
use super::AdminOnly;
use crate::events::ParamsCancelled;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut config = ctx.accounts.config.load_mut()?;
    config.cancel_params(now)?;
    emit!(ParamsCancelled { current: config.params_at(now) });
    Ok(())
}
