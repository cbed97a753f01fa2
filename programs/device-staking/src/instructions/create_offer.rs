//! R9: `create_offer`: the owner invites one co-staker for `amount` at a reward share. Pausable.
use crate::constants::*;
use crate::error::StakingError;
use crate::events::OfferCreated;
use crate::state::{Config, Device, Offer, OfferState};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct CreateOffer<'info> {
    /// The device owner; pays the offer's rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: Box<Account<'info, Device>>,
    /// The offer PDA, at the device's next sequence number.
    #[account(
        init, payer = owner, space = 8 + Offer::INIT_SPACE,
        seeds = [OFFER_SEED, device.key().as_ref(), &device.next_offer_seq.to_le_bytes()], bump,
    )]
    pub offer: Box<Account<'info, Offer>>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<CreateOffer>, amount: u64, reward_share_bps: u16) -> Result<()> {
    let env = ctx.accounts.config.env(Clock::get()?.unix_timestamp);
    let device = &mut ctx.accounts.device;
    let seq = device.create_offer(&env, amount, reward_share_bps)?;
    ctx.accounts.offer.set_inner(Offer {
        device: device.key(),
        seq,
        bump: ctx.bumps.offer,
        payer: ctx.accounts.owner.key(),
        state: OfferState::Open,
        amount,
        reward_share_bps,
        created_at: env.now,
        costaker: Pubkey::default(),
        escrow_payer: Pubkey::default(),
        reserved: [0; RESERVED_BYTES],
    });
    emit!(OfferCreated { device: device.key(), offer: ctx.accounts.offer.key(), seq, amount, reward_share_bps });
    Ok(())
}
