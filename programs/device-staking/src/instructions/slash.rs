//! R40: `slash`: the slash authority takes up to `amount` of principal, in order: the owner's
//! stake, the owner's unripe ticket, then the positions given (filled, exiting, cooling), capped
//! at `max_slash_bps_per_30d` of the device's principal per 30-day window. Tokens go to the treasury.
//!
//! Remaining accounts: the device's position offers to slash, in the order to take from (writable).
use super::token::pay_out;
use crate::constants::{CONFIG_SEED, TICKET_SEED};
use crate::error::StakingError;
use crate::events::Slashed;
use crate::state::{sub, Config, Device, Offer, OfferState, Ticket};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[derive(Accounts)]
pub struct Slash<'info> {
    /// The slash authority in force.
    #[account(constraint = config.slash_authority.key_at(Clock::get()?.unix_timestamp) == slash_authority.key() @ StakingError::NotSlashAuthority)]
    pub slash_authority: Signer<'info>,
    /// The config.
    #[account(seeds = [CONFIG_SEED], bump = config.bump)]
    pub config: Box<Account<'info, Config>>,
    /// The device.
    #[account(mut, has_one = stake_vault)]
    pub device: Box<Account<'info, Device>>,
    /// The device's stake vault.
    #[account(mut)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The owner's outstanding ticket, if any.
    #[account(mut, seeds = [TICKET_SEED, device.key().as_ref(), &ticket.seq.to_le_bytes()], bump = ticket.bump)]
    pub ticket: Option<Box<Account<'info, Ticket>>>,
    /// The treasury's token account.
    #[account(
        mut, token::mint = mint, token::token_program = token_program,
        constraint = treasury_token.owner == config.treasury.key_at(Clock::get()?.unix_timestamp) @ StakingError::NotTreasuryAccount,
    )]
    pub treasury_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The staking mint.
    #[account(address = config.mint @ StakingError::WrongMint)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The mint's token program.
    #[account(address = config.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler<'info>(ctx: Context<'info, Slash<'info>>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let now = Clock::get()?.unix_timestamp;
    let max_bps = ctx.accounts.config.params.max_slash_bps_per_30d;
    let device = &mut ctx.accounts.device;
    let allowance = device.slash_allowance(now, max_bps)?;
    let mut left = amount.min(allowance);
    require!(left > 0, StakingError::NothingToSlash);

    let from_owner_stake = left.min(device.owner_stake);
    device.owner_stake -= from_owner_stake;
    left -= from_owner_stake;

    // R40 order: while the owner's ticket is outstanding it must be given, so that it is
    // slashed before any position.
    if device.unstaking {
        let outstanding = device.next_ticket_seq.checked_sub(1);
        require!(
            ctx.accounts.ticket.as_ref().map(|t| t.seq) == outstanding,
            StakingError::TicketRequired
        );
    }
    let mut from_ticket = 0;
    if let Some(ticket) = ctx.accounts.ticket.as_mut() {
        if !ticket.is_ripe(now) {
            from_ticket = left.min(ticket.amount);
            ticket.amount -= from_ticket;
            device.ticket_principal = sub(device.ticket_principal, from_ticket)?;
            left -= from_ticket;
        }
    }

    let mut from_positions = 0;
    let device_key = device.key();
    for info in ctx.remaining_accounts.iter() {
        if left == 0 {
            break;
        }
        require!(info.is_writable, StakingError::PositionAccountsMismatch);
        let mut offer: Account<Offer> = Account::try_from(info)?;
        require!(offer.device == device_key && offer.state != OfferState::Open, StakingError::PositionAccountsMismatch);
        let take = left.min(offer.principal);
        offer.principal -= take;
        device.slash_position_mirror(offer.seq, take)?;
        offer.exit(&crate::ID)?;
        from_positions += take;
        left -= take;
    }

    let taken = from_owner_stake + from_ticket + from_positions;
    require!(taken > 0, StakingError::NothingToSlash);
    device.record_slash(now, taken)?;
    pay_out(
        &ctx.accounts.token_program.to_account_info(),
        &ctx.accounts.stake_vault.to_account_info(),
        &ctx.accounts.treasury_token.to_account_info(),
        device,
        &ctx.accounts.mint,
        taken,
    )?;
    emit!(Slashed {
        device: device_key,
        requested: amount,
        from_owner_stake,
        from_ticket,
        from_positions,
        cap_left: allowance - taken,
    });
    Ok(())
}
