//! Token and account moves shared by the instructions: `transfer_checked` through the token
//! interface, so SPL Token and Token-2022 mints both work. `#[inline(always)]`: with this many
//! arguments an out-of-line call would pass some on the stack, which SBF forbids under upstream
//! LLVM (see tools/sbf/check_stack_args.py).
use crate::error::StakingError;
use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::associated_token::{self, get_associated_token_address_with_program_id};
use anchor_spl::token_interface::{self, CloseAccount, Mint, TransferChecked};

/// Moves `amount` from a user's token account, signed by its owner. No-op for 0.
#[inline(always)]
pub fn pay_in<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    mint: &InterfaceAccount<'info, Mint>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let accounts = TransferChecked { from: from.clone(), mint: mint.to_account_info(), to: to.clone(), authority: authority.clone() };
    token_interface::transfer_checked(CpiContext::new(token_program.key(), accounts), amount, mint.decimals)
}

/// Moves `amount` out of a program-owned token account, signed by its PDA `authority` with
/// `seeds`. No-op for 0.
#[inline(always)]
pub fn pay_out<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
    mint: &InterfaceAccount<'info, Mint>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let signer: &[&[&[u8]]] = &[seeds];
    let accounts = TransferChecked { from: from.clone(), mint: mint.to_account_info(), to: to.clone(), authority: authority.clone() };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.key(), accounts, signer),
        amount,
        mint.decimals,
    )
}

/// Closes an empty program-owned token account, signed by its PDA `authority`; rent to `destination`.
/// Seven argument registers (the seeds are two, the result's one): inlined, see the module docs.
#[inline(always)]
pub fn close_token_account<'info>(
    token_program: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    destination: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
) -> Result<()> {
    let signer: &[&[&[u8]]] = &[seeds];
    let accounts = CloseAccount { account: account.clone(), destination: destination.clone(), authority: authority.clone() };
    token_interface::close_account(CpiContext::new_with_signer(token_program.key(), accounts, signer))
}

/// The accounts of a payment to a staker (R16): signed by the staker, any token account of the
/// mint they name; sent by anyone else, the staker's associated token account, created at the
/// caller's cost when missing.
pub struct Recipient<'a, 'info> {
    /// Whoever sends the transaction (pays for a missing associated token account).
    pub caller: &'a AccountInfo<'info>,
    /// The staker who receives.
    pub staker: &'a AccountInfo<'info>,
    /// The token account that receives.
    pub destination: &'a AccountInfo<'info>,
    /// The staking mint.
    pub mint: &'a AccountInfo<'info>,
    /// The mint's token program.
    pub token_program: &'a AccountInfo<'info>,
    /// The associated token program.
    pub associated_token_program: &'a AccountInfo<'info>,
    /// The system program.
    pub system_program: &'a AccountInfo<'info>,
}

impl Recipient<'_, '_> {
    /// R16: checks the destination and creates the staker's associated token account when a
    /// third party pays and it is missing. The token program checks the destination's mint.
    pub fn prepare(&self) -> Result<()> {
        if self.caller.key == self.staker.key && self.caller.is_signer {
            return Ok(());
        }
        let ata = get_associated_token_address_with_program_id(self.staker.key, self.mint.key, self.token_program.key);
        require_keys_eq!(*self.destination.key, ata, StakingError::WrongRecipient);
        if self.destination.data_is_empty() {
            let accounts = associated_token::Create {
                payer: self.caller.clone(),
                associated_token: self.destination.clone(),
                authority: self.staker.clone(),
                mint: self.mint.clone(),
                system_program: self.system_program.clone(),
                token_program: self.token_program.clone(),
            };
            associated_token::create_idempotent(CpiContext::new(self.associated_token_program.key(), accounts))?;
        }
        Ok(())
    }
}

/// Creates the program-owned account `account` of `space` bytes at a PDA signed by `seeds`,
/// `payer` paying its rent; lamports already sent to the address are kept (no denial by a
/// pre-funded address). Seven argument registers (the seeds are two, the result's one): inlined,
/// see the module docs.
#[inline(always)]
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    seeds: &[&[u8]],
) -> Result<()> {
    let signer: &[&[&[u8]]] = &[seeds];
    let rent = Rent::get()?.minimum_balance(space);
    let lack = rent.saturating_sub(account.lamports());
    if lack > 0 {
        let accounts = system_program::Transfer { from: payer.clone(), to: account.clone() };
        system_program::transfer(CpiContext::new(system.key(), accounts), lack)?;
    }
    let accounts = system_program::Allocate { account_to_allocate: account.clone() };
    system_program::allocate(CpiContext::new_with_signer(system.key(), accounts, signer), space as u64)?;
    let accounts = system_program::Assign { account_to_assign: account.clone() };
    system_program::assign(CpiContext::new_with_signer(system.key(), accounts, signer), &crate::ID)
}

/// Resizes the program-owned `account` to `space` bytes: a growth is paid by `payer`, the rent a
/// shrink frees goes to `refund`. Six argument registers with the result's: inlined, see the
/// module docs.
#[inline(always)]
pub fn resize_account<'info>(
    account: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    refund: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let have = account.lamports();
    if have < rent {
        let accounts = system_program::Transfer { from: payer.clone(), to: account.clone() };
        system_program::transfer(CpiContext::new(system.key(), accounts), rent - have)?;
    }
    account.resize(space)?;
    if have > rent {
        **account.try_borrow_mut_lamports()? -= have - rent;
        **refund.try_borrow_mut_lamports()? += have - rent;
    }
    Ok(())
}
