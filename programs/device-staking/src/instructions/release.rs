//! R16: `release`: anyone moves a ripe position's principal and unclaimed rewards into an escrow
//! token account of its offer (the caller pays its rent and gets it back when the escrow is
//! emptied) and frees its slot, so no state of the co-staker's token accounts can pin a slot or
//! block the device's close. The co-staker later empties the escrow (`withdraw_escrow`).
use super::token::{create_pda_account, initialize_token_account, pay_out, TokenMint, TOKEN_ACCOUNT_SIZE};
use crate::constants::ESCROW_SEED;
use crate::error::StakingError;
use crate::events::PositionReleased;
use crate::state::{Config, Device, Offer};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[derive(Accounts)]
pub struct Release<'info> {
    /// Whoever sends it; pays the escrow's rent.
    #[account(mut)]
    pub caller: Signer<'info>,
    /// The config.
    pub config: AccountLoader<'info, Config>,
    /// The device.
    #[account(
        mut, has_one = stake_vault, has_one = overflow_vault,
        constraint = offer.load()?.device == device.key() @ anchor_lang::error::ErrorCode::ConstraintSeeds,
    )]
    pub device: AccountLoader<'info, Device>,
    /// The position's offer.
    #[account(mut)]
    pub offer: AccountLoader<'info, Offer>,
    /// The offer's escrow `["escrow", offer]`, created here: a token account of the mint owned by
    /// the offer PDA.
    /// CHECK: created by the handler with `create_account` signed by these seeds, which the runtime
    // grants only to the address they derive (`PrivilegeEscalation` otherwise; refused when it
    // exists); the offer records the bump. Any bump is safe: an offer is released once.
    #[account(mut)]
    pub escrow: UncheckedAccount<'info>,
    /// The device's stake vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub stake_vault: UncheckedAccount<'info>,
    /// The device's overflow vault.
    /// CHECK: the key the device recorded (`has_one`); the token program checks the account.
    #[account(mut)]
    pub overflow_vault: UncheckedAccount<'info>,
    /// The staking mint.
    /// CHECK: the config's mint (`address`); its decimals are the config's, and the token program
    // checks both against the token accounts.
    #[account(address = config.load()?.mint @ StakingError::WrongMint)]
    pub mint: UncheckedAccount<'info>,
    /// The mint's token program.
    #[account(address = config.load()?.token_program)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The system program.
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<Release>, escrow_bump: u8) -> Result<()> {
    let env = ctx.accounts.config.load()?.env(Clock::get()?.unix_timestamp);
    let caller = ctx.accounts.caller.key();
    let offer_key = ctx.accounts.offer.key();
    let escrow_seeds: [&[u8]; 3] = [ESCROW_SEED, offer_key.as_ref(), &[escrow_bump]];
    // the escrow first (as Anchor's `init` did): a second release finds it in use; signed by its
    // seeds, so only their address can be created
    let token_program = ctx.accounts.token_program.to_account_info();
    let to = ctx.accounts.escrow.to_account_info();
    let system = ctx.accounts.system_program.to_account_info();
    create_pda_account(
        &ctx.accounts.caller.to_account_info(),
        &to,
        &system,
        TOKEN_ACCOUNT_SIZE,
        token_program.key,
        &escrow_seeds,
    )?;
    initialize_token_account(&token_program, &to, &ctx.accounts.mint.to_account_info(), &offer_key)?;
    let seq = {
        let mut offer = ctx.accounts.offer.load_mut()?;
        offer.release(caller, escrow_bump)?;
        offer.seq
    };
    let (position, signer) = {
        let mut device = ctx.accounts.device.load_mut()?;
        (device.take_ripe_position(&env, seq)?, device.signer())
    };
    let authority = ctx.accounts.device.to_account_info();
    let seeds = signer.seeds();
    let mint = &TokenMint::of(&ctx.accounts.mint, &ctx.accounts.config)?;
    pay_out(&token_program, &ctx.accounts.stake_vault.to_account_info(), &to, &authority, &seeds, mint, position.principal)?;
    pay_out(&token_program, &ctx.accounts.overflow_vault.to_account_info(), &to, &authority, &seeds, mint, position.rewards)?;
    emit!(PositionReleased {
        device: ctx.accounts.device.key(),
        seq,
        costaker: position.costaker,
        principal: position.principal,
        rewards: position.rewards,
        caller,
    });
    Ok(())
}
