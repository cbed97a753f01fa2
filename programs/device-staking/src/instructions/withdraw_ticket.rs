//! R16: `withdraw_ticket`: anyone pays a ripe ticket's principal to the owner's associated token
//! account (created at the caller's cost if missing) and closes the ticket, returning its rent to
//! its payer. The owner may stake again afterwards. Never paused (R17); waits out a hold (R41).
use super::token::pay_out;
use crate::constants::{CONFIG_SEED, TICKET_SEED};
use crate::error::StakingError;
use crate::events::TicketWithdrawn;
use crate::state::{sub, Config, Device, Ticket};
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct WithdrawTicket<'info> {
    /// Whoever sends it; pays for the owner's token account if it is missing.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = owner, has_one = stake_vault)]
    pub device: Box<Account<'info, Device>>,
    /// The ripe ticket; closed here.
    #[account(
        mut, close = payer,
        seeds = [TICKET_SEED, device.key().as_ref(), &ticket.seq.to_le_bytes()], bump = ticket.bump,
        has_one = payer, has_one = owner,
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    /// The device owner, who receives the principal.
    /// CHECK: checked against `device.owner` and `ticket.owner`.
    pub owner: UncheckedAccount<'info>,
    /// The owner's associated token account.
    #[account(
        init_if_needed, payer = caller,
        associated_token::mint = mint, associated_token::authority = owner, associated_token::token_program = token_program,
    )]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The device's stake vault.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Who paid the ticket's rent.
    /// CHECK: only receives lamports; checked against `ticket.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<WithdrawTicket>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let ticket = &ctx.accounts.ticket;
    require!(ticket.is_ripe(now), StakingError::StillLocked);
    let device = &mut ctx.accounts.device;
    require!(!device.is_on_hold(now), StakingError::DeviceOnHold);
    device.ticket_principal = sub(device.ticket_principal, ticket.amount)?;
    device.unstaking = false;
    pay_out(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.owner_token.to_account_info(),
        device,
        &ctx.accounts.mint,
        ticket.amount,
    )?;
    emit!(TicketWithdrawn { device: device.key(), seq: ticket.seq, owner: ticket.owner, amount: ticket.amount });
    Ok(())
}
