//! R34: `revoke_role`: the admin sets the oracle, the reward authority or the slash authority to
//! none at once (a pending grant is cancelled; holds and hired marks set before no longer count).
use super::{emit_role_change, role_action, AdminOnly};
use crate::state::Role;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, role: Role) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let change = ctx.accounts.config.load_mut()?.revoke_role(role, now)?;
    emit_role_change(change, role_action::REVOKED);
    Ok(())
}
