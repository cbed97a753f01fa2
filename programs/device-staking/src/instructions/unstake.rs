//! R15: `unstake`: the owner's whole stake goes into a ticket unlocking after the cooldown; it
//! stops counting at once. Refused while hired or with an open offer. Every position in the
//! device's table is re-capped (no wait; unlock no later than the ticket's); the filled one stops
//! earning and its co-staker's profile count drops. Never paused (R17).
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
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner @ StakingError::NotDeviceOwner)]
    pub device: Box<Account<'info, Device>>,
    /// The ticket PDA, at the device's next ticket number.
    #[account(
        init, payer = owner, space = 8 + Ticket::INIT_SPACE,
        seeds = [TICKET_SEED, device.key().as_ref(), &device.next_ticket_seq.to_le_bytes()], bump,
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    /// The filled position's co-staker's profile; required when the device has a filled position.
    #[account(mut, seeds = [COSTAKER_SEED, profile.wallet.as_ref()], bump = profile.bump)]
    pub profile: Option<Box<Account<'info, CostakerProfile>>>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Unstake>) -> Result<()> {
    let env = ctx.accounts.config.env(Clock::get()?.unix_timestamp);
    let device = &mut ctx.accounts.device;
    let out = device.unstake(&env)?;
    if let Some((_, costaker)) = out.stopped {
        let profile = ctx.accounts.profile.as_mut().ok_or_else(|| error!(StakingError::ProfileRequired))?;
        require_keys_eq!(profile.wallet, costaker, StakingError::ProfileRequired);
        profile.drop_position();
    }
    ctx.accounts.ticket.set_inner(Ticket {
        device: device.key(),
        seq: out.ticket_seq,
        payer: ctx.accounts.owner.key(),
        bump: ctx.bumps.ticket,
        reserved: [0; 32],
    });
    emit!(Unstaked {
        device: device.key(),
        ticket_seq: out.ticket_seq,
        amount: out.amount,
        unlock_at: out.unlock_at,
        stopped_seq: out.stopped.map(|s| s.0),
        positions_recapped: out.positions_recapped,
    });
    Ok(())
}
