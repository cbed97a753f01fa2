//! R33, R34: `update_params`: the admin proposes a full parameter set within the bounds and the
//! floors; it applies at R34's time. Deadlines already recorded in accounts are unchanged.
use super::AdminOnly;
use crate::events::ParamsProposed;
use crate::state::Params;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, params: Params) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let mut config = ctx.accounts.config.load_mut()?;
    let effective_at = config.propose_params(params, now)?;
    emit!(ParamsProposed { current: config.params_at(now), pending: params, effective_at });
    Ok(())
}
