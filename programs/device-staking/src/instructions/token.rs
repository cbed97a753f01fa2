//! Token and account moves shared by the instructions: `transfer_checked` (SPL Token and
//! Token-2022 mints both work), built by hand: its ten bytes of data and four account metas go
//! straight to the runtime's invoke (no Anchor CPI context, no copy of the instruction). The
//! token program checks the mint, its decimals, the accounts' mint and the authority.
//! `#[inline(always)]`: with this many arguments an out-of-line call would pass some on the
//! stack, which SBF forbids under upstream LLVM (see tools/sbf/check_stack_args.py).
use crate::error::StakingError;
use crate::state::Config;
use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::invoke_signed_unchecked;
use anchor_lang::system_program;
use anchor_spl::associated_token::{self, get_associated_token_address_with_program_id};
use anchor_spl::token_interface::{self, CloseAccount};

/// SPL Token's and Token-2022's `TransferChecked` instruction tag.
const TRANSFER_CHECKED: u8 = 12;

/// The staking mint as a transfer takes it: its account and its decimals, recorded in the config
/// at `initialize` (a mint cannot change its decimals; one that can be closed and re-created is
/// refused there).
pub struct TokenMint<'info> {
    /// The mint's account (the config's mint, checked by `address`).
    pub info: AccountInfo<'info>,
    /// Its decimals.
    pub decimals: u8,
}

impl<'info> TokenMint<'info> {
    /// The config's mint, passed as `mint`; its decimals read from the zero-copy config.
    pub fn of(mint: &impl ToAccountInfo<'info>, config: &AccountLoader<'info, Config>) -> Result<Self> {
        Ok(Self { info: mint.to_account_info(), decimals: config.load()?.mint_decimals })
    }
}

/// One `transfer_checked`: `amount` from `from` to `to`, signed by `authority`.
struct Transfer<'a, 'info> {
    /// The mint's token program.
    token_program: &'a AccountInfo<'info>,
    /// The paying token account.
    from: &'a AccountInfo<'info>,
    /// The receiving token account.
    to: &'a AccountInfo<'info>,
    /// The paying account's owner (a signer, or a PDA signing with the seeds).
    authority: &'a AccountInfo<'info>,
    /// The mint and its decimals.
    mint: &'a TokenMint<'info>,
    /// Base units to move.
    amount: u64,
}

/// Sends `transfer` to the token program, signed with `signer` when the authority is a PDA.
/// Nothing of these accounts is borrowed by the caller during the call. Out of line with two
/// arguments (three registers and the result's), so that the runtime call inside takes its
/// arguments in registers (SBF forbids stack-passed ones, see the module docs).
#[inline(never)]
fn transfer_checked(transfer: &Transfer, signer: &[&[&[u8]]]) -> Result<()> {
    let Transfer { token_program, from, to, authority, mint, amount } = *transfer;
    let mut data = [0u8; 10];
    data[0] = TRANSFER_CHECKED;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    data[9] = mint.decimals;
    let instruction = Instruction {
        program_id: *token_program.key,
        accounts: vec![
            AccountMeta::new(*from.key, false),
            AccountMeta::new_readonly(*mint.info.key, false),
            AccountMeta::new(*to.key, false),
            AccountMeta::new_readonly(*authority.key, true),
        ],
        data: data.to_vec(),
    };
    let infos = [from.clone(), mint.info.clone(), to.clone(), authority.clone()];
    invoke_signed_unchecked(&instruction, &infos, signer).map_err(Into::into)
}

/// Moves `amount` from a user's token account, signed by its owner. No-op for 0.
#[inline(always)]
pub fn pay_in<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    mint: &TokenMint<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    transfer_checked(&Transfer { token_program, from, to, authority, mint, amount }, &[])
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
    mint: &TokenMint<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    transfer_checked(&Transfer { token_program, from, to, authority, mint, amount }, &[seeds])
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

/// Creates the account `account` of `space` bytes, owned by `owner`, at a PDA signed by `seeds`,
/// `payer` paying its rent: one `create_account` for an empty address; lamports already sent to
/// the address are kept (no denial by a pre-funded address: top up, allocate, assign). Eight
/// argument registers (the seeds are two, the result's one): inlined, see the module docs.
#[inline(always)]
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let signer: &[&[&[u8]]] = &[seeds];
    let rent = Rent::get()?.minimum_balance(space);
    let have = account.lamports();
    if have == 0 {
        let accounts = system_program::CreateAccount { from: payer.clone(), to: account.clone() };
        return system_program::create_account(
            CpiContext::new_with_signer(system.key(), accounts, signer),
            rent,
            space as u64,
            owner,
        );
    }
    let lack = rent.saturating_sub(have);
    if lack > 0 {
        let accounts = system_program::Transfer { from: payer.clone(), to: account.clone() };
        system_program::transfer(CpiContext::new(system.key(), accounts), lack)?;
    }
    let accounts = system_program::Allocate { account_to_allocate: account.clone() };
    system_program::allocate(CpiContext::new_with_signer(system.key(), accounts, signer), space as u64)?;
    let accounts = system_program::Assign { account_to_assign: account.clone() };
    system_program::assign(CpiContext::new_with_signer(system.key(), accounts, signer), owner)
}

/// The address of this program's PDA with `seeds` (the bump last), proved with one
/// `create_program_address` instead of a bump search: refused as `ConstraintSeeds` when it is not
/// `expected` (or the bump gives no address).
pub fn require_pda(seeds: &[&[u8]], expected: &Pubkey) -> Result<()> {
    let address =
        Pubkey::create_program_address(seeds, &crate::ID).map_err(|_| error!(anchor_lang::error::ErrorCode::ConstraintSeeds))?;
    require_keys_eq!(address, *expected, anchor_lang::error::ErrorCode::ConstraintSeeds);
    Ok(())
}

/// SPL Token's and Token-2022's `InitializeAccount3` instruction tag.
const INITIALIZE_ACCOUNT3: u8 = 18;

/// The size of a token account without extensions: every mint `initialize` accepts needs no
/// account extension (those that would, transfer fees, hooks, non-transferable and pausable
/// mints, confidential transfers, are refused there), under SPL Token and Token-2022 alike.
pub const TOKEN_ACCOUNT_SIZE: usize = 165;

/// Makes the new empty account `account` (owned by the token program, [`TOKEN_ACCOUNT_SIZE`]
/// bytes) a token account of `mint` owned by `authority`: `InitializeAccount3` built by hand.
pub fn initialize_token_account<'info>(
    token_program: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &Pubkey,
) -> Result<()> {
    let mut data = [0u8; 33];
    data[0] = INITIALIZE_ACCOUNT3;
    data[1..].copy_from_slice(authority.as_ref());
    let instruction = Instruction {
        program_id: *token_program.key,
        accounts: vec![AccountMeta::new(*account.key, false), AccountMeta::new_readonly(*mint.key, false)],
        data: data.to_vec(),
    };
    invoke_signed_unchecked(&instruction, &[account.clone(), mint.clone()], &[]).map_err(Into::into)
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
