//! R31, R34: `propose_role`: the admin proposes a new admin, oracle, reward authority, slash
//! authority or treasury; the key accepts, and it takes effect at R34's time at the earliest.
//! A newer proposal for the role replaces the older one.
use super::AdminOnly;
use crate::events::RoleChanged;
use crate::state::{Role, RoleChange};
use anchor_lang::prelude::*;

/// `RoleChanged.action` values.
pub mod role_action {
    /// A key was proposed.
    pub const PROPOSED: u8 = 0;
    /// The proposed key accepted.
    pub const ACCEPTED: u8 = 1;
    /// The admin cancelled the proposal.
    pub const CANCELLED: u8 = 2;
    /// The admin revoked the role.
    pub const REVOKED: u8 = 3;
}

/// Emits the event of a role change.
pub fn emit_role_change(change: RoleChange, action: u8) {
    emit!(RoleChanged {
        role: change.role as u8,
        action,
        current: change.slot.current,
        pending: change.slot.pending,
        effective_at: change.slot.effective_at,
        accepted: change.slot.is_accepted(),
    });
}

pub fn handler(ctx: Context<AdminOnly>, role: Role, key: Pubkey) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let change = ctx.accounts.config.load_mut()?.propose_role(role, key, now)?;
    emit_role_change(change, role_action::PROPOSED);
    Ok(())
}
