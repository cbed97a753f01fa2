//! R15: `unstake`: the owner's whole stake goes into a ticket unlocking after the cooldown; it
//! stops counting at once. Refused while hired or with an open offer. Every position in the
//! device's table is re-capped (no wait; unlock no later than the ticket's); the filled one stops
//! earning and its co-staker's profile count drops. Never paused (R17).
use super::token::{create_pda_account, require_pda};
use crate::constants::*;
use crate::error::StakingError;
use crate::events::Unstaked;
use crate::state::{Config, CostakerProfile, Device, Ticket, TICKET_SIZE};
use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

#[derive(Accounts)]
pub struct Unstake<'info> {
    /// The device owner; pays the ticket's rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: AccountLoader<'info, Device>,
    /// The ticket PDA `["ticket", device, seq]` at the device's next ticket number; created here.
    /// CHECK: the handler proves the address from the device's `next_ticket_seq` and the given
    // bump with one `create_program_address` (ConstraintSeeds otherwise) and creates the account
    // there (refused when it exists). Any bump is safe: the number is consumed here, so no second
    // ticket of that device and number can ever be created.
    #[account(mut)]
    pub ticket: UncheckedAccount<'info>,
    /// The filled position's co-staker's profile; required when the device has a filled position.
    #[account(mut)]
    pub profile: Option<AccountLoader<'info, CostakerProfile>>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Unstake>, ticket_bump: u8) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let device = ctx.accounts.device.key();
    // the address first (as Anchor's seeds check did): the ticket PDA at the next ticket number
    let seq_bytes = ctx.accounts.device.load()?.next_ticket_seq.to_le_bytes();
    let seeds: [&[u8]; 4] = [TICKET_SEED, device.as_ref(), &seq_bytes, &[ticket_bump]];
    require_pda(&seeds, ctx.accounts.ticket.key)?;
    let out = ctx.accounts.device.load_mut()?.unstake(&env)?;
    if let Some((_, costaker)) = out.stopped {
        let loader = ctx.accounts.profile.as_ref().ok_or_else(|| error!(StakingError::ProfileRequired))?;
        let mut profile = loader.load_mut()?;
        require_keys_eq!(profile.wallet, costaker, StakingError::ProfileRequired);
        profile.drop_position();
    }
    let info = ctx.accounts.ticket.to_account_info();
    let owner = ctx.accounts.owner.to_account_info();
    let space = 8 + TICKET_SIZE;
    create_pda_account(&owner, &info, &ctx.accounts.system_program.to_account_info(), space, &crate::ID, &seeds)?;
    let ticket = Ticket::new(device, out.ticket_seq, owner.key(), ticket_bump);
    let mut data = info.try_borrow_mut_data()?;
    data[..8].copy_from_slice(Ticket::DISCRIMINATOR);
    data[8..space].copy_from_slice(bytemuck::bytes_of(&ticket));
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
