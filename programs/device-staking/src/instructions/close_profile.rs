//! R18: `close_profile`: a co-staker closes their profile when it counts no positions; its rent
//! goes back to its payer. A later fill creates it again. Never paused (R17).
use crate::error::StakingError;
use crate::events::ProfileClosed;
use crate::state::CostakerProfile;
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CloseProfile<'info> {
    /// The co-staker.
    #[account(constraint = profile.load()?.wallet == wallet.key() @ anchor_lang::error::ErrorCode::ConstraintSeeds)]
    pub wallet: Signer<'info>,
    /// The profile; closed here.
    #[account(
        mut, close = payer,
        has_one = wallet @ StakingError::NotCostaker, has_one = payer,
    )]
    pub profile: AccountLoader<'info, CostakerProfile>,
    /// Who paid the profile's rent.
    /// CHECK: only receives lamports; checked against `profile.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

pub fn handler(ctx: Context<CloseProfile>) -> Result<()> {
    ctx.accounts.profile.load()?.require_closable()?;
    emit!(ProfileClosed { wallet: ctx.accounts.wallet.key() });
    Ok(())
}
