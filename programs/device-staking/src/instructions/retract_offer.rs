//! R10: `retract_offer`: the owner closes an open offer; its rent returns to its payer.
use crate::error::StakingError;
use crate::events::OfferRetracted;
use crate::state::{Device, Offer};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct RetractOffer<'info> {
    /// The device owner.
    pub owner: Signer<'info>,
    /// The device.
    #[account(
        mut, has_one = owner @ StakingError::NotDeviceOwner,
        constraint = offer.load()?.device == device.key() @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub device: AccountLoader<'info, Device>,
    /// The open offer.
    #[account(
        mut, close = payer,
        has_one = payer,
    )]
    pub offer: AccountLoader<'info, Offer>,
    /// Who paid the offer's rent.
    /// CHECK: only receives lamports; checked against `offer.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

pub fn handler(ctx: Context<RetractOffer>) -> Result<()> {
    let seq = ctx.accounts.offer.load()?.seq;
    ctx.accounts.device.load_mut()?.retract_offer(seq)?;
    emit!(OfferRetracted { device: ctx.accounts.device.key(), seq });
    Ok(())
}
