//! The four cases of Anchor's published compute-unit bench that measure Anchor itself: an
//! instruction taking one `Signer`, one `Account` of an empty type, one `init` of such an
//! account, and one `InterfaceAccount<TokenAccount>`. Built by `tools/sbf/build.sh` like the
//! real program (see `bench/build-minimal.sh`), it measures what the registry-only toolchain
//! costs against Solana's platform-tools; `bench/src/bin/minimal.rs` runs it.
//!
//! The SBF pieces are the real program's (`crates/sbf`: the 128-bit helpers, the memory
//! functions and the entrypoint).
#![allow(unexpected_cfgs)]
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

#[cfg(target_os = "solana")]
use device_staking_sbf as _;

#[cfg(all(target_os = "solana", feature = "mem-loops"))]
mod mem_loops;

declare_id!("HuiUi4WFrVF3mwndyeqobPVXDfRf25h1QyvKqyurULuK");

// The SBF build's entrypoint: the real program's.
#[cfg(all(target_os = "solana", feature = "sbf-entrypoint"))]
device_staking_sbf::anchor_entrypoint!();

#[program]
pub mod anchor_minimal {
    use super::*;

    /// Anchor's `signer1`: one `Signer`.
    pub fn signer1(_ctx: Context<Signer1>) -> Result<()> {
        Ok(())
    }

    /// Anchor's `accountEmpty1`: one `Account` of a type without fields.
    pub fn account_empty1(_ctx: Context<AccountEmpty1>) -> Result<()> {
        Ok(())
    }

    /// Anchor's `accountEmptyInit1`: creates one such account (8 bytes, at a keypair address).
    pub fn account_empty_init1(_ctx: Context<AccountEmptyInit1>) -> Result<()> {
        Ok(())
    }

    /// Anchor's `interfaceAccountToken1`: one `InterfaceAccount<TokenAccount>`.
    pub fn interface_account_token1(_ctx: Context<InterfaceAccountToken1>) -> Result<()> {
        Ok(())
    }
}

/// An account type without fields: the 8-byte discriminator only.
#[account]
pub struct Empty {}

/// The accounts of `signer1`.
#[derive(Accounts)]
pub struct Signer1<'info> {
    /// Any signer.
    pub account1: Signer<'info>,
}

/// The accounts of `account_empty1`.
#[derive(Accounts)]
pub struct AccountEmpty1<'info> {
    /// An `Empty` account of this program.
    pub account1: Account<'info, Empty>,
}

/// The accounts of `account_empty_init1`.
#[derive(Accounts)]
pub struct AccountEmptyInit1<'info> {
    /// Pays the rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The system program.
    pub system_program: Program<'info, System>,
    /// The account created.
    #[account(init, payer = payer, space = 8)]
    pub account1: Account<'info, Empty>,
}

/// The accounts of `interface_account_token1`.
#[derive(Accounts)]
pub struct InterfaceAccountToken1<'info> {
    /// A token account of SPL Token or Token-2022.
    pub account1: InterfaceAccount<'info, TokenAccount>,
}
