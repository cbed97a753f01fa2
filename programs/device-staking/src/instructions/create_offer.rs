//! R9: `create_offer`: the owner invites one co-staker for `amount` at a reward share. Pausable.
use super::token::{create_pda_account, require_pda};
use crate::constants::*;
use crate::error::StakingError;
use crate::events::OfferCreated;
use crate::state::{Config, Device, Offer, OFFER_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

#[derive(Accounts)]
pub struct CreateOffer<'info> {
    /// The device owner; pays the offer's rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: AccountLoader<'info, Device>,
    /// The offer PDA `["offer", device, seq]` at the device's next sequence number; created here.
    /// CHECK: the handler proves the address from the device's `next_offer_seq` and the given
    // bump with one `create_program_address` (ConstraintSeeds otherwise) and creates the account
    // there (refused when it exists). Any bump is safe: the number is consumed here, so no
    // second offer of that device and number can ever be created.
    #[account(mut)]
    pub offer: UncheckedAccount<'info>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<CreateOffer>, amount: u64, reward_share_bps: u16, bump: u8) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let device = ctx.accounts.device.key();
    // the address first (as Anchor's seeds check did): the offer PDA at the next sequence number
    let seq_bytes = ctx.accounts.device.load()?.next_offer_seq.to_le_bytes();
    let seeds: [&[u8]; 4] = [OFFER_SEED, device.as_ref(), &seq_bytes, &[bump]];
    require_pda(&seeds, ctx.accounts.offer.key)?;
    let seq = ctx.accounts.device.load_mut()?.create_offer(&env, amount, reward_share_bps)?;
    let info = ctx.accounts.offer.to_account_info();
    let space = 8 + OFFER_SIZE;
    let owner = ctx.accounts.owner.to_account_info();
    create_pda_account(&owner, &info, &ctx.accounts.system_program.to_account_info(), space, &crate::ID, &seeds)?;
    let offer = Offer::open(device, seq, bump, owner.key(), amount, reward_share_bps, env.now);
    let mut data = info.try_borrow_mut_data()?;
    data[..8].copy_from_slice(Offer::DISCRIMINATOR);
    data[8..space].copy_from_slice(bytemuck::bytes_of(&offer));
    emit!(OfferCreated { device, offer: info.key(), seq, amount, reward_share_bps });
    Ok(())
}
