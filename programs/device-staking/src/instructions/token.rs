//! Token and account moves shared by the instructions: `transfer_checked` (SPL Token and
//! Token-2022 mints both work) built by hand, its data and four accounts sent through the C
//! interface (`super::cpi`: nothing copied or cloned), the System program's instructions too (no
//! bincode). The token program checks the mint, its decimals, the accounts' mint and authority.
//! `#[inline(always)]`: with this many arguments an out-of-line call would pass some on the
//! stack, which SBF forbids under upstream LLVM (see tools/sbf/check_stack_args.py).
use super::cpi::{Cpi, CpiAccount};
use crate::error::StakingError;
use crate::state::{same_key, Config};
use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, get_associated_token_address_with_program_id};

/// SPL Token's and Token-2022's `TransferChecked` instruction tag.
const TRANSFER_CHECKED: u8 = 12;
/// SPL Token's and Token-2022's `CloseAccount` instruction tag.
const CLOSE_ACCOUNT: u8 = 9;

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
    let accounts = [
        CpiAccount::writable(from),
        CpiAccount::readonly(&mint.info),
        CpiAccount::writable(to),
        CpiAccount::signer(authority, false),
    ];
    Cpi { program_id: token_program.key, accounts, data: &data }.invoke_signed(signer)
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
    let accounts = [CpiAccount::writable(account), CpiAccount::writable(destination), CpiAccount::signer(authority, false)];
    Cpi { program_id: token_program.key, accounts, data: &[CLOSE_ACCOUNT] }.invoke_signed_resizing(&[seeds])
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

/// The System program's instruction tags: a little-endian u32 in front of the fields.
const SYSTEM_CREATE_ACCOUNT: u32 = 0;
const SYSTEM_ASSIGN: u32 = 1;
const SYSTEM_TRANSFER: u32 = 2;
const SYSTEM_ALLOCATE: u32 = 8;

/// One System program instruction, built by hand like the token ones (no bincode).
struct SystemCall<'a, 'info> {
    /// The System program.
    system: &'a AccountInfo<'info>,
    /// Who pays lamports, signing (`create_account`, `transfer`), if anyone.
    payer: Option<&'a AccountInfo<'info>>,
    /// The account created, funded, allocated or assigned.
    account: &'a AccountInfo<'info>,
    /// Whether `account` signs (all but a transfer's recipient; a PDA through the seeds).
    account_signs: bool,
    /// The tag and the fields.
    data: &'a [u8],
}

/// Sends `call` to the System program, signed with `signer` when the account is a PDA (through
/// the Rust interface: a creation or allocation resizes the account).
#[inline(always)]
fn system_call(call: &SystemCall, signer: &[&[&[u8]]]) -> Result<()> {
    let account = CpiAccount { info: call.account, is_writable: true, is_signer: call.account_signs };
    match call.payer {
        Some(payer) => Cpi { program_id: call.system.key, accounts: [CpiAccount::signer(payer, true), account], data: call.data }
            .invoke_signed_resizing(signer),
        None => Cpi { program_id: call.system.key, accounts: [account], data: call.data }.invoke_signed_resizing(signer),
    }
}

/// A System instruction's data: `tag`, then `fields` (at most 48 bytes: `create_account`'s).
fn system_data(tag: u32, fields: &[&[u8]]) -> ([u8; 52], usize) {
    let mut data = [0u8; 52];
    data[..4].copy_from_slice(&tag.to_le_bytes());
    let mut at = 4;
    for field in fields {
        data[at..at + field.len()].copy_from_slice(field);
        at += field.len();
    }
    (data, at)
}

/// `payer` sends `lamports` to `to` (a System `transfer`).
fn system_transfer<'info>(
    system: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    lamports: u64,
) -> Result<()> {
    let (data, len) = system_data(SYSTEM_TRANSFER, &[&lamports.to_le_bytes()]);
    system_call(&SystemCall { system, payer: Some(payer), account: to, account_signs: false, data: &data[..len] }, &[])
}

/// Creates the account `account` of `space` bytes, owned by `owner`, at a PDA signed by `seeds`,
/// `payer` paying its rent: one `create_account` for an empty address; lamports already sent to
/// the address are kept (no denial by a pre-funded address: top up, allocate, assign). The
/// System instructions are built by hand. Seven argument registers with the result's: inlined,
/// see the module docs.
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
    let space = (space as u64).to_le_bytes();
    if have == 0 {
        let (data, len) = system_data(SYSTEM_CREATE_ACCOUNT, &[&rent.to_le_bytes(), &space, owner.as_ref()]);
        let call = SystemCall { system, payer: Some(payer), account, account_signs: true, data: &data[..len] };
        return system_call(&call, signer);
    }
    let lack = rent.saturating_sub(have);
    if lack > 0 {
        system_transfer(system, payer, account, lack)?;
    }
    let (data, len) = system_data(SYSTEM_ALLOCATE, &[&space]);
    system_call(&SystemCall { system, payer: None, account, account_signs: true, data: &data[..len] }, signer)?;
    let (data, len) = system_data(SYSTEM_ASSIGN, &[owner.as_ref()]);
    system_call(&SystemCall { system, payer: None, account, account_signs: true, data: &data[..len] }, signer)
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

/// The fields of a token account this program reads, from the base layout that SPL Token and
/// Token-2022 accounts share (the mint at bytes 0..32, the owner at 32..64, the amount at 64..72,
/// the state at 108; a Token-2022 account with extensions has the account type 2 at byte 165).
/// No unpacking of the rest (Anchor's `InterfaceAccount` unpacks every extension): this program
/// needs these three, and the token program checks the whole account when tokens move.
pub struct TokenAccountBase {
    /// The token account's mint.
    pub mint: Pubkey,
    /// The wallet (or PDA) that owns the tokens.
    pub owner: Pubkey,
    /// Its balance in base units.
    pub amount: u64,
}

/// A token account's state byte: 0 uninitialized, 1 initialized, 2 frozen.
const TOKEN_ACCOUNT_STATE: usize = 108;
/// Token-2022's account type of a token account, after the base layout when extensions follow.
const ACCOUNT_TYPE_ACCOUNT: u8 = 2;

impl TokenAccountBase {
    /// Reads `account` as an initialized token account of the token program `token_program`
    /// holding `mint`. Refused with the names Anchor's `InterfaceAccount` and `token::mint` use:
    /// `AccountNotInitialized` (no account there, too short, not a token account, or
    /// uninitialized), `AccountOwnedByWrongProgram` (another owner), `ConstraintTokenMint`
    /// (another mint).
    pub fn read(account: &AccountInfo, token_program: &Pubkey, mint: &Pubkey) -> Result<Self> {
        use anchor_lang::error::ErrorCode as AnchorError;
        require!(!same_key(account.owner, &system_program::ID) || account.lamports() > 0, AnchorError::AccountNotInitialized);
        require!(same_key(account.owner, token_program), AnchorError::AccountOwnedByWrongProgram);
        let data = account.try_borrow_data()?;
        let is_account = match data.len() {
            TOKEN_ACCOUNT_SIZE => true,
            n if n > TOKEN_ACCOUNT_SIZE => data[TOKEN_ACCOUNT_SIZE] == ACCOUNT_TYPE_ACCOUNT,
            _ => false,
        };
        require!(is_account && data[TOKEN_ACCOUNT_STATE] != 0, AnchorError::AccountNotInitialized);
        let key = |at: usize| Pubkey::new_from_array(data[at..at + 32].try_into().expect("32 bytes"));
        let base = Self { mint: key(0), owner: key(32), amount: u64::from_le_bytes(data[64..72].try_into().expect("8 bytes")) };
        require!(same_key(&base.mint, mint), AnchorError::ConstraintTokenMint);
        Ok(base)
    }
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
    let accounts = [CpiAccount::writable(account), CpiAccount::readonly(mint)];
    Cpi { program_id: token_program.key, accounts, data: &data }.invoke_signed(&[])
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
        system_transfer(system, payer, account, rent - have)?;
    }
    account.resize(space)?;
    if have > rent {
        **account.try_borrow_mut_lamports()? -= have - rent;
        **refund.try_borrow_mut_lamports()? += have - rent;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::{token::ID as SPL_TOKEN, token_2022::ID as TOKEN_2022};

    /// A token account's bytes: `len` bytes, the base fields set, the state byte `state`.
    fn token_account(len: usize, mint: &Pubkey, owner: &Pubkey, amount: u64, state: u8) -> Vec<u8> {
        let mut data = vec![0u8; len];
        data[..32].copy_from_slice(mint.as_ref());
        data[32..64].copy_from_slice(owner.as_ref());
        data[64..72].copy_from_slice(&amount.to_le_bytes());
        data[TOKEN_ACCOUNT_STATE] = state;
        data
    }

    /// `TokenAccountBase::read` of `data` owned by `program`, as a refusal's name or the fields.
    fn read(
        mut data: Vec<u8>,
        program: &Pubkey,
        token_program: &Pubkey,
        mint: &Pubkey,
    ) -> std::result::Result<(Pubkey, Pubkey, u64), String> {
        // lamports as an account has them: none where no account is
        let (key, mut lamports) = (Pubkey::new_unique(), !data.is_empty() as u64);
        let info = AccountInfo::new(&key, false, true, &mut lamports, &mut data, program, false);
        match TokenAccountBase::read(&info, token_program, mint) {
            Ok(base) => Ok((base.mint, base.owner, base.amount)),
            Err(Error::AnchorError(e)) => Err(e.error_name.clone()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn a_token_account_is_read_from_its_base_bytes_under_both_programs() {
        let (mint, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
        let plain = token_account(TOKEN_ACCOUNT_SIZE, &mint, &owner, 7, 1);
        assert_eq!(read(plain.clone(), &SPL_TOKEN, &SPL_TOKEN, &mint), Ok((mint, owner, 7)));
        assert_eq!(read(plain, &TOKEN_2022, &TOKEN_2022, &mint), Ok((mint, owner, 7)));
        // frozen still reads (the token program refuses to move it)
        assert_eq!(
            read(token_account(TOKEN_ACCOUNT_SIZE, &mint, &owner, 9, 2), &SPL_TOKEN, &SPL_TOKEN, &mint),
            Ok((mint, owner, 9))
        );
        // Token-2022 with extensions: the account type after the base says "account"
        let mut extended = token_account(TOKEN_ACCOUNT_SIZE + 10, &mint, &owner, 3, 1);
        extended[TOKEN_ACCOUNT_SIZE] = ACCOUNT_TYPE_ACCOUNT;
        assert_eq!(read(extended, &TOKEN_2022, &TOKEN_2022, &mint), Ok((mint, owner, 3)));
    }

    #[test]
    fn anything_but_an_initialized_token_account_of_the_mint_and_program_is_refused_by_name() {
        let (mint, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
        let good = token_account(TOKEN_ACCOUNT_SIZE, &mint, &owner, 7, 1);
        let refused = |data: Vec<u8>, program: &Pubkey, expected: &str| {
            assert_eq!(read(data, program, &SPL_TOKEN, &mint), Err(expected.to_string()));
        };
        refused(good.clone(), &TOKEN_2022, "AccountOwnedByWrongProgram");
        refused(good.clone(), &crate::ID, "AccountOwnedByWrongProgram");
        refused(good.clone(), &system_program::ID, "AccountOwnedByWrongProgram");
        refused(token_account(TOKEN_ACCOUNT_SIZE, &mint, &owner, 7, 0), &SPL_TOKEN, "AccountNotInitialized");
        refused(good[..TOKEN_ACCOUNT_SIZE - 1].to_vec(), &SPL_TOKEN, "AccountNotInitialized");
        refused(vec![], &SPL_TOKEN, "AccountNotInitialized");
        // no account at the address (the system program's, without lamports)
        assert_eq!(read(vec![], &system_program::ID, &SPL_TOKEN, &mint), Err("AccountNotInitialized".to_string()));
        // a Token-2022 mint with extensions is longer than an account, with account type 1
        let mut mint_like = token_account(TOKEN_ACCOUNT_SIZE + 10, &mint, &owner, 7, 1);
        mint_like[TOKEN_ACCOUNT_SIZE] = 1;
        refused(mint_like, &SPL_TOKEN, "AccountNotInitialized");
        refused(token_account(TOKEN_ACCOUNT_SIZE, &Pubkey::new_unique(), &owner, 7, 1), &SPL_TOKEN, "ConstraintTokenMint");
    }
}
