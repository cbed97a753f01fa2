//! R15: `unstake`: the owner's whole stake goes into a ticket unlocking after the cooldown; it
//! stops counting at once. Refused while hired or with an open offer. Every position in the
//! device's table is re-capped (no wait; unlock no later than the ticket's); the filled one stops
//! earning and its co-staker's profile count drops. Never paused (R17).
use super::token::create_pda_account;
use crate::constants::*;
use crate::error::StakingError;
use crate::events::Unstaked;
use crate::state::{Config, CostakerProfile, Device, Ticket};
use anchor_lang::prelude::*;

#[derive(Accounts)]
pub struct Unstake<'info> {
    /// The device owner; pays the ticket's rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The config.
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: AccountLoader<'info, Device>,
    /// The ticket PDA `["ticket", device, seq]` at the device's next ticket number; created here.
    /// CHECK: the handler derives the address from the device's `next_ticket_seq` (ConstraintSeeds
    /// otherwise) and creates the account there (refused when it exists).
    #[account(mut)]
    pub ticket: UncheckedAccount<'info>,
    /// The filled position's co-staker's profile; required when the device has a filled position.
    #[account(mut)]
    pub profile: Option<Box<Account<'info, CostakerProfile>>>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Unstake>) -> Result<()> {
    let env = ctx.accounts.config.env(Clock::get()?.unix_timestamp);
    let device = ctx.accounts.device.key();
    // the address first (as Anchor's seeds check did): the ticket PDA at the next ticket number
    let seq_bytes = ctx.accounts.device.load()?.next_ticket_seq.to_le_bytes();
    let (address, bump) = Pubkey::find_program_address(&[TICKET_SEED, device.as_ref(), &seq_bytes], &crate::ID);
    require_keys_eq!(address, ctx.accounts.ticket.key(), anchor_lang::error::ErrorCode::ConstraintSeeds);
    let out = ctx.accounts.device.load_mut()?.unstake(&env)?;
    if let Some((_, costaker)) = out.stopped {
        let profile = ctx.accounts.profile.as_mut().ok_or_else(|| error!(StakingError::ProfileRequired))?;
        require_keys_eq!(profile.wallet, costaker, StakingError::ProfileRequired);
        profile.drop_position();
    }
    let info = ctx.accounts.ticket.to_account_info();
    create_pda_account(
        &ctx.accounts.owner.to_account_info(),
        &info,
        &ctx.accounts.system_program.to_account_info(),
        8 + Ticket::INIT_SPACE,
        &[TICKET_SEED, device.as_ref(), &seq_bytes, &[bump]],
    )?;
    let ticket = Ticket { device, seq: out.ticket_seq, payer: ctx.accounts.owner.key(), bump, reserved: [0; 32] };
    ticket.try_serialize(&mut &mut info.try_borrow_mut_data()?[..])?;
    emit!(Unstaked {
        device,
        ticket_seq: out.ticket_seq,
        amount: out.amount,
        unlock_at: out.unlock_at,
        stopped_seq: out.stopped.map(|s| s.0),
        positions_recapped: out.positions_recapped,
    });
    Ok(())
}
