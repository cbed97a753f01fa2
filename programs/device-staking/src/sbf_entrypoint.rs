//! The entrypoint of the SBF build. It is Anchor's, except that after checking the program id
//! it hands Anchor the id as a constant. Anchor's per-instruction entry functions take six
//! arguments (the program id, two slices and a result pointer); upstream LLVM passes a sixth
//! argument on the stack, which SBF forbids. With the id constant, the optimizer drops that
//! argument; `tools/sbf/check_stack_args.py` verifies no stack-passed argument is left.
//! Only `crate::ID` and `crate::entry` are used, so other programs built the same way include
//! this file with `#[path]` (bench/programs/minimal does).
use anchor_lang::solana_program::{account_info::AccountInfo, entrypoint::ProgramResult, program_error::ProgramError};
anchor_lang::solana_program::entrypoint!(process);

fn process<'info>(
    program_id: &anchor_lang::prelude::Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> ProgramResult {
    if *program_id != crate::ID {
        return Err(ProgramError::IncorrectProgramId);
    }
    crate::entry(&crate::ID, accounts, data)
}
