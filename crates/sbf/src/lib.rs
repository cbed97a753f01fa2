//! The pieces an Anchor program needs when `tools/sbf/build.sh` builds it with upstream LLVM
//! instead of Solana's platform-tools (see `tools/sbf`):
//! - [`builtins`] (SBF only): the 128-bit multiply and divide helpers with LLVM's calling
//!   convention, and the memory functions LLVM calls, forwarded to the runtime's syscalls. A
//!   program links them with `use device_staking_sbf as _;`.
//! - [`anchor_entrypoint!`]: Anchor's entrypoint with the program id passed as a constant (no
//!   argument left on the SBF stack).
//!
//! On any other target the crate holds only the macro.
#![no_std]
#![cfg_attr(target_os = "solana", feature(asm_experimental_arch))]

#[cfg(target_os = "solana")]
pub mod builtins;

/// The entrypoint of the SBF build, for the program crate's root (with `crate::ID` from
/// `declare_id!` and `crate::entry` from `#[program]`). It is Anchor's, except that after checking
/// the program id it hands Anchor the id as a constant. Anchor's per-instruction entry functions
/// take six arguments (the program id, two slices and a result pointer); upstream LLVM passes a
/// sixth argument on the stack, which SBF forbids. With the id constant, the optimizer drops that
/// argument; `tools/sbf/check_stack_args.py` verifies no stack-passed argument is left.
#[macro_export]
#[allow(clippy::crate_in_macro_def)] // `crate` is meant to be the calling program's crate (its ID and entry)
macro_rules! anchor_entrypoint {
    () => {
        /// The SBF build's entrypoint (see `device_staking_sbf::anchor_entrypoint`).
        mod sbf_entrypoint {
            use ::anchor_lang::solana_program::account_info::AccountInfo;
            use ::anchor_lang::solana_program::entrypoint::ProgramResult;
            use ::anchor_lang::solana_program::program_error::ProgramError;
            ::anchor_lang::solana_program::entrypoint!(process);

            fn process<'info>(
                program_id: &::anchor_lang::prelude::Pubkey,
                accounts: &'info [AccountInfo<'info>],
                data: &'info [u8],
            ) -> ProgramResult {
                if *program_id != crate::ID {
                    return Err(ProgramError::IncorrectProgramId);
                }
                crate::entry(&crate::ID, accounts, data)
            }
        }
    };
}
