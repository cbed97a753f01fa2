//! R33: `update_params`: new parameters within their hard bounds. Deadlines already recorded in
//! devices, offers and tickets are untouched: they were stored as timestamps.
use super::AdminOnly;
use crate::events::ParamsUpdated;
use crate::state::Params;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, params: Params) -> Result<()> {
    params.validate()?;
    let config = &mut ctx.accounts.config;
    let previous = config.params;
    config.params = params;
    emit!(ParamsUpdated { previous, params });
    Ok(())
}
