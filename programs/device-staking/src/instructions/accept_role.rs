//! R31: `accept_role`: the proposed key proves control and accepts; it takes over at R34's time.
use super::{emit_role_change, role_action};
use crate::state::{Config, Role};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct AcceptRole<'info> {
    /// The proposed key.
    pub new_key: Signer<'info>,
    /// The config.
    #[account(mut)]
    pub config: AccountLoader<'info, Config>,
}

pub fn handler(ctx: Context<AcceptRole>, role: Role) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let change = ctx.accounts.config.load_mut()?.accept_role(role, &ctx.accounts.new_key.key(), now)?;
    emit_role_change(change, role_action::ACCEPTED);
    Ok(())
}
