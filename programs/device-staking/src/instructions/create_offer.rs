//! R9: `create_offer`: the owner invites one co-staker for `amount` at a reward share. Pausable.
use super::token::create_pda_account;
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
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: AccountLoader<'info, Device>,
    /// The offer PDA `["offer", device, seq]` at the device's next sequence number; created here.
    /// CHECK: the handler derives the address from the device's `next_offer_seq` (ConstraintSeeds
    /// otherwise) and creates the account there (refused when it exists).
    #[account(mut)]
    pub offer: UncheckedAccount<'info>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<CreateOffer>, amount: u64, reward_share_bps: u16) -> Result<()> {
    let env = ctx.accounts.config.env(Clock::get()?.unix_timestamp);
    let device = ctx.accounts.device.key();
    // the address first (as Anchor's seeds check did): the offer PDA at the next sequence number
    let seq_bytes = ctx.accounts.device.load()?.next_offer_seq.to_le_bytes();
    let (address, bump) = Pubkey::find_program_address(&[OFFER_SEED, device.as_ref(), &seq_bytes], &crate::ID);
    require_keys_eq!(address, ctx.accounts.offer.key(), anchor_lang::error::ErrorCode::ConstraintSeeds);
    let seq = ctx.accounts.device.load_mut()?.create_offer(&env, amount, reward_share_bps)?;
    let info = ctx.accounts.offer.to_account_info();
    let space = 8 + Offer::INIT_SPACE;
    create_pda_account(
        &ctx.accounts.owner.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        space,
        &[OFFER_SEED, device.as_ref(), &seq_bytes, &[bump]],
    )?;
    let offer = Offer {
        device,
        seq,
        bump,
        payer: ctx.accounts.owner.key(),
        state: OfferState::Open,
        amount,
        reward_share_bps,
        created_at: env.now,
        costaker: Pubkey::default(),
        escrow_payer: Pubkey::default(),
        reserved: [0; RESERVED_BYTES],
    };
    offer.try_serialize(&mut &mut info.try_borrow_mut_data()?[..])?;
    emit!(OfferCreated { device, offer: address, seq, amount, reward_share_bps });
    Ok(())
}
