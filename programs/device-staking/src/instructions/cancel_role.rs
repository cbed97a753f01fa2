//! R31: `cancel_role`: the admin in force cancels a pending role change.
use super::{emit_role_change, role_action, AdminOnly};
use crate::state::Role;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, role: Role) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let change = ctx.accounts.config.load_mut()?.cancel_role(role, now)?;
    emit_role_change(change, role_action::CANCELLED);
    Ok(())
}
