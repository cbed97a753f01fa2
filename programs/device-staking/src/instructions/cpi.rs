//! Cross-program invocations through the runtime's C interface (`sol_invoke_signed_c`): the
//! instruction's account metas and account infos are built on the stack and point at the
//! caller's own accounts, so nothing is allocated, copied or cloned. The Rust interface
//! (`invoke_signed_unchecked`) takes an owned `Instruction` (a vector of metas with copied keys,
//! the data copied) and owned `AccountInfo`s (each clone bumps two reference counts): about 300 CU
//! of a token transfer's 1.4k were spent there (measured with `sol_log_compute_units`). Both
//! interfaces cost the same in the runtime (the 946 CU invoke charge). Host builds, which never
//! invoke, fall back to `invoke_signed_unchecked`.
//!
//! As with `invoke_signed_unchecked`, the caller must not hold a borrow of these accounts' data
//! or lamports during the call: the callee's changes are written straight into them.
//!
//! The C interface does not update a Rust `AccountInfo`'s data length (the Rust interface
//! rewrites the slice's length after the call), so [`Cpi::invoke_signed`] is only for callees that
//! resize no account (token transfers, `InitializeAccount3`); [`Cpi::invoke_signed_resizing`]
//! takes the Rust interface for those that may (the System program's creation and allocation, a
//! token account's close).
use anchor_lang::prelude::*;

/// One account of an invocation.
#[derive(Clone, Copy)]
pub struct CpiAccount<'a, 'info> {
    /// The account (its key, lamports, data and owner are what the runtime reads).
    pub info: &'a AccountInfo<'info>,
    /// Whether the callee may write it.
    pub is_writable: bool,
    /// Whether it signs (a PDA signs through the seeds given to [`Cpi::invoke_signed`]).
    pub is_signer: bool,
}

impl<'a, 'info> CpiAccount<'a, 'info> {
    /// A writable account that does not sign.
    pub fn writable(info: &'a AccountInfo<'info>) -> Self {
        Self { info, is_writable: true, is_signer: false }
    }

    /// A read-only account that does not sign.
    pub fn readonly(info: &'a AccountInfo<'info>) -> Self {
        Self { info, is_writable: false, is_signer: false }
    }

    /// A signing account, writable or not.
    pub fn signer(info: &'a AccountInfo<'info>, is_writable: bool) -> Self {
        Self { info, is_writable, is_signer: true }
    }
}

/// An instruction for another program: its `N` accounts (in the callee's order) and its data.
pub struct Cpi<'a, 'info, const N: usize> {
    /// The program invoked.
    pub program_id: &'a Pubkey,
    /// Its accounts.
    pub accounts: [CpiAccount<'a, 'info>; N],
    /// Its instruction data.
    pub data: &'a [u8],
}

/// The runtime's C layout of an account meta (`SolAccountMeta`).
#[cfg(target_os = "solana")]
#[repr(C)]
struct CAccountMeta {
    pubkey: *const Pubkey,
    is_writable: bool,
    is_signer: bool,
}

/// The runtime's C layout of an instruction (`SolInstruction`).
#[cfg(target_os = "solana")]
#[repr(C)]
struct CInstruction {
    program_id: *const Pubkey,
    accounts: *const CAccountMeta,
    account_len: u64,
    data: *const u8,
    data_len: u64,
}

/// The runtime's C layout of an account info (`SolAccountInfo`).
#[cfg(target_os = "solana")]
#[repr(C)]
struct CAccountInfo {
    key: *const Pubkey,
    lamports: *mut u64,
    data_len: u64,
    data: *mut u8,
    owner: *const Pubkey,
    rent_epoch: u64,
    is_signer: bool,
    is_writable: bool,
    executable: bool,
}

#[cfg(target_os = "solana")]
extern "C" {
    /// The runtime's invoke through the C interface; the signers' seeds are `&[&[&[u8]]]` (a
    /// slice of slices of byte slices, each a pointer and a length, as the runtime reads them).
    fn sol_invoke_signed_c(
        instruction: *const CInstruction,
        account_infos: *const CAccountInfo,
        account_infos_len: u64,
        signers_seeds: *const u8,
        signers_seeds_len: u64,
    ) -> u64;
}

impl<const N: usize> Cpi<'_, '_, N> {
    /// Invokes the instruction through the C interface, signed with `signer` when a PDA signs;
    /// for callees that resize no account (module docs). Out of line with two arguments (three
    /// registers and the result's): nothing is passed on the SBF stack.
    #[inline(never)]
    pub fn invoke_signed(&self, signer: &[&[&[u8]]]) -> Result<()> {
        #[cfg(not(target_os = "solana"))]
        return self.invoke_signed_resizing(signer);
        #[cfg(target_os = "solana")]
        {
            let metas: [CAccountMeta; N] = core::array::from_fn(|i| {
                let account = &self.accounts[i];
                CAccountMeta { pubkey: account.info.key, is_writable: account.is_writable, is_signer: account.is_signer }
            });
            let infos: [CAccountInfo; N] = core::array::from_fn(|i| {
                let info = self.accounts[i].info;
                // SAFETY: the pointers inside the RefCells are the runtime's own account memory,
                // valid for the whole instruction; no borrow is held across the call (module docs).
                let (lamports, data) = unsafe { (&mut **info.lamports.as_ptr() as *mut u64, &mut **info.data.as_ptr()) };
                CAccountInfo {
                    key: info.key,
                    lamports,
                    data_len: data.len() as u64,
                    data: data.as_mut_ptr(),
                    owner: info.owner,
                    rent_epoch: 0, // no longer kept by accounts (the runtime ignores it)
                    is_signer: info.is_signer,
                    is_writable: info.is_writable,
                    executable: info.executable,
                }
            });
            let instruction = CInstruction {
                program_id: self.program_id,
                accounts: metas.as_ptr(),
                account_len: N as u64,
                data: self.data.as_ptr(),
                data_len: self.data.len() as u64,
            };
            // SAFETY: every pointer refers to memory that outlives the call; the layouts are the
            // runtime's C ones.
            let result = unsafe {
                sol_invoke_signed_c(&instruction, infos.as_ptr(), N as u64, signer.as_ptr() as *const u8, signer.len() as u64)
            };
            match result {
                0 => Ok(()),
                code => Err(anchor_lang::solana_program::program_error::ProgramError::from(code).into()),
            }
        }
    }

    /// Invokes the instruction through the Rust interface (`invoke_signed_unchecked`: the
    /// instruction and the account infos copied), which keeps the account infos' data lengths
    /// right when the callee resizes an account.
    #[inline(never)]
    pub fn invoke_signed_resizing(&self, signer: &[&[&[u8]]]) -> Result<()> {
        use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
        let metas =
            self.accounts.iter().map(|a| AccountMeta { pubkey: *a.info.key, is_writable: a.is_writable, is_signer: a.is_signer });
        let instruction = Instruction { program_id: *self.program_id, accounts: metas.collect(), data: self.data.to_vec() };
        let infos: Vec<AccountInfo> = self.accounts.iter().map(|a| a.info.clone()).collect();
        anchor_lang::solana_program::program::invoke_signed_unchecked(&instruction, &infos, signer).map_err(Into::into)
    }
}
