//! Token moves shared by the instructions: `transfer_checked` through the token interface, so
//! SPL Token and Token-2022 mints both work. `#[inline(always)]`: with six arguments and a
//! result pointer, an out-of-line call would pass arguments on the stack, which SBF forbids
//! under upstream LLVM (see tools/sbf/check_stack_args.py).
use crate::state::Device;
use anchor_lang::prelude::*;
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
    let accounts = TransferChecked {
        from: from.clone(),
        mint: mint.to_account_info(),
        to: to.clone(),
        authority: authority.clone(),
    };
    token_interface::transfer_checked(CpiContext::new(token_program.key(), accounts), amount, mint.decimals)
}

/// Moves `amount` out of one of `device`'s vaults, signed by the device PDA. No-op for 0.
#[inline(always)]
pub fn pay_out<'info>(
    token_program: &AccountInfo<'info>,
    vault: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    device: &Account<'info, Device>,
    mint: &InterfaceAccount<'info, Mint>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let seeds = device.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let accounts = TransferChecked {
        from: vault.clone(),
        mint: mint.to_account_info(),
        to: to.clone(),
        authority: device.to_account_info(),
    };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.key(), accounts, signer),
        amount,
        mint.decimals,
    )
}

/// Closes one of `device`'s (empty) vaults, sending its rent to `destination`.
pub fn close_vault<'info>(
    token_program: &AccountInfo<'info>,
    vault: &AccountInfo<'info>,
    destination: &AccountInfo<'info>,
    device: &Account<'info, Device>,
) -> Result<()> {
    let seeds = device.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let accounts = CloseAccount {
        account: vault.clone(),
        destination: destination.clone(),
        authority: device.to_account_info(),
    };
    token_interface::close_account(CpiContext::new_with_signer(token_program.key(), accounts, signer))
}
