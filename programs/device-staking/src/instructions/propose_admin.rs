//! R31: `propose_admin`: the admin names a successor, who must accept.
use super::AdminOnly;
use crate::events::AdminProposed;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.pending_admin = new_admin;
    emit!(AdminProposed { admin: config.admin, pending_admin: new_admin });
    Ok(())
}
