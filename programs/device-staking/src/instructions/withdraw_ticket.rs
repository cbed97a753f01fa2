//! R16: `withdraw_ticket`: pays a ripe ticket's principal to the owner and closes the ticket,
//! returning its rent to its payer. Signed by the owner, to any token account of the mint they
//! name; sent by anyone else, to the owner's associated token account (created at the caller's
//! cost if missing). The owner may stake again afterwards. Never paused (R17); a hold that began
//! before the ticket was ripe makes it wait (R41).
use super::token::{pay_out, Recipient, TokenMint};
use crate::error::StakingError;
use crate::events::TicketWithdrawn;
use crate::state::{Config, Device, Ticket};
use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
pub struct WithdrawTicket<'info> {
    /// Whoever sends it; pays for the owner's associated token account if it is missing.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(mut, has_one = owner, has_one = stake_vault)]
    pub device: AccountLoader<'info, Device>,
    /// The outstanding ticket; closed here.
    #[account(
        mut, close = payer,
        constraint = ticket.load()?.device == device.key() && ticket.load()?.seq == device.load()?.ticket_seq @ anchor_lang::error::ErrorCode::ConstraintSeeds,
        has_one = payer,
    )]
    pub ticket: AccountLoader<'info, Ticket>,
    /// The device owner, who receives the principal.
    /// CHECK: checked against `device.owner`.
    pub owner: UncheckedAccount<'info>,
    /// The receiving token account: the owner's choice when the owner signs, else their associated token account.
    /// CHECK: checked by `Recipient::prepare`; the token program checks its mint.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// Who paid the ticket's rent.
    /// CHECK: only receives lamports; checked against `ticket.payer`.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<WithdrawTicket>) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let a = &ctx.accounts;
    Recipient {
        caller: &a.caller.to_account_info(),
        staker: &a.owner.to_account_info(),
        destination: &a.destination.to_account_info(),
        mint: &a.mint.to_account_info(),
        token_program: &a.token_program.to_account_info(),
        associated_token_program: &a.associated_token_program.to_account_info(),
        system_program: &a.system_program.to_account_info(),
    }
    .prepare()?;
    let (seq, amount, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        let (seq, amount) = device.withdraw_ticket(&env)?;
        (seq, amount, device.signer())
    };
    pay_out(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.destination.to_account_info(),
        &ctx.accounts.device.to_account_info(),
        &signer.seeds(),
        &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?,
        amount,
    )?;
    emit!(TicketWithdrawn { device: ctx.accounts.device.key(), seq, owner: ctx.accounts.owner.key(), amount });
    Ok(())
}
