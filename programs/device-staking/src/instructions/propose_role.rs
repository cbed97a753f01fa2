//! R31: `propose_role`: a new oracle, reward authority, slash authority or treasury takes effect
//! after `role_change_delay_secs`, by time alone.
use super::AdminOnly;
use crate::events::RoleProposed;
use crate::state::Role;
use anchor_lang::prelude::*;

pub fn handler(ctx: Context<AdminOnly>, role: Role, key: Pubkey) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let config = &mut ctx.accounts.config;
    let delay = config.params.role_change_delay_secs;
    let slot = config.role_slot_mut(role);
    slot.propose(key, now, delay)?;
    emit!(RoleProposed { role: role as u8, current: slot.current, pending: slot.pending, effective_at: slot.effective_at });
    Ok(())
}
