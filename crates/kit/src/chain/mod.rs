//! What the commands need from a chain, behind one trait ([`Chain`]), with two backends: a
//! validator over RPC ([`rpc::RpcChain`]) and an embedded LiteSVM whose state is kept in a file
//! between runs ([`litesvm::LiteSvmChain`], for tests and trials without a validator); and, for
//! signing offline, a recording of a command's reads and a chain answered from it ([`recorded`]).
pub mod litesvm;
pub mod recorded;
pub mod rpc;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use device_staking_client::query::Memcmp;
use device_staking_client::{decode, error_name};
use solana_account::Account;
use solana_hash::Hash;
use solana_instruction_error::InstructionError;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

/// A transaction the chain accepted.
#[derive(Clone, Debug)]
pub struct Sent {
    /// Its first signature (base58).
    pub signature: String,
    /// Compute units it consumed, when the chain reports them.
    pub compute_units: Option<u64>,
    /// The program logs.
    pub logs: Vec<String>,
}

/// A transaction the runtime refused.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// The runtime's error.
    pub error: TransactionError,
    /// Compute units consumed until the refusal, when reported.
    pub compute_units: Option<u64>,
    /// The program logs.
    pub logs: Vec<String>,
}

impl Refusal {
    /// The custom error code, when an instruction failed with one.
    pub fn code(&self) -> Option<u32> {
        match self.error {
            TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(code),
            _ => None,
        }
    }

    /// The program whose instruction failed first (the innermost one of a CPI), from the logs'
    /// "Program ID failed: ..." line.
    pub fn failing_program(&self) -> Option<Pubkey> {
        self.logs.iter().find_map(|line| line.strip_prefix("Program ")?.split_once(" failed")?.0.parse().ok())
    }

    /// `(name, message)` of the error: the System or Token program's (or the associated token
    /// account program's) when the logs show one of them failed, else the program's or Anchor's.
    pub fn named(&self) -> Option<(&'static str, &'static str)> {
        let code = self.code()?;
        match self.failing_program() {
            Some(program) if program == anchor_lang::system_program::ID => system_error(code),
            Some(program) if program == anchor_spl::token::ID || program == anchor_spl::token_2022::ID => token_error(code),
            Some(program) if program == anchor_spl::associated_token::ID => match code {
                0 => Some(("InvalidOwner", "the associated token account's owner does not match the address it derives from")),
                _ => None,
            },
            _ => error_name(code),
        }
    }
}

/// `(name, message)` of a System program error code.
pub fn system_error(code: u32) -> Option<(&'static str, &'static str)> {
    Some(match code {
        0 => ("AccountAlreadyInUse", "an account with the same address already exists"),
        1 => ("ResultWithNegativeLamports", "insufficient funds: the account does not have enough SOL for this"),
        2 => ("InvalidProgramId", "cannot assign the account to this program id"),
        3 => ("InvalidAccountDataLength", "cannot allocate an account data of this length"),
        4 => ("MaxSeedLengthExceeded", "the seed is longer than 32 bytes"),
        5 => ("AddressWithSeedMismatch", "the address does not match the one derived from the seed"),
        6 => ("NonceNoRecentBlockhashes", "the nonce account has no recent blockhashes"),
        7 => ("NonceBlockhashNotExpired", "the stored nonce is still in the recent blockhashes"),
        8 => ("NonceUnexpectedBlockhashValue", "the nonce does not match the stored value"),
        _ => return None,
    })
}

/// `(name, message)` of an SPL Token (or Token-2022) program error code.
pub fn token_error(code: u32) -> Option<(&'static str, &'static str)> {
    Some(match code {
        0 => ("NotRentExempt", "the account is not rent-exempt"),
        1 => ("InsufficientFunds", "insufficient funds: the token account holds fewer tokens than this moves"),
        2 => ("InvalidMint", "the mint is invalid"),
        3 => ("MintMismatch", "the account is not an account of this mint"),
        4 => ("OwnerMismatch", "the token account's owner did not sign (or is not the owner given)"),
        5 => ("FixedSupply", "the mint's supply is fixed"),
        6 => ("AlreadyInUse", "the account is already in use"),
        7 => ("InvalidNumberOfProvidedSigners", "invalid number of provided signers"),
        8 => ("InvalidNumberOfRequiredSigners", "invalid number of required signers"),
        9 => ("UninitializedState", "the token account is not initialized"),
        10 => ("NativeNotSupported", "not supported for native (wrapped SOL) accounts"),
        11 => ("NonNativeHasBalance", "a non-native account can be closed only when its balance is zero"),
        12 => ("InvalidInstruction", "invalid instruction"),
        13 => ("InvalidState", "the account's state is invalid for this operation"),
        14 => ("Overflow", "the amount overflows"),
        15 => ("AuthorityTypeNotSupported", "this authority type is not supported for this account"),
        16 => ("MintCannotFreeze", "this mint cannot freeze accounts"),
        17 => ("AccountFrozen", "the token account is frozen"),
        18 => ("MintDecimalsMismatch", "the decimals given do not match the mint's"),
        19 => ("NonNativeNotSupported", "not supported for non-native accounts"),
        _ => return None,
    })
}

impl std::fmt::Display for Refusal {
    /// `Name (code): message` for a named program or Anchor error, else the runtime's error.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.code(), self.named()) {
            (Some(code), Some((name, msg))) => write!(f, "{name} ({code}): {msg}"),
            (Some(code), None) => write!(f, "custom error {code}: {:?}", self.error),
            _ => write!(f, "{:?}", self.error),
        }
    }
}

/// Why sending failed: the runtime refused the transaction, or it could not be sent at all.
#[derive(Debug)]
pub enum SendError {
    /// The runtime (or the program) refused it.
    Refused(Refusal),
    /// It never reached a verdict: connection, timeout, signing.
    Failed(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Refused(refusal) => refusal.fmt(f),
            SendError::Failed(message) => f.write_str(message),
        }
    }
}

/// The fee settings of `--with-compute-unit-price` and `--with-compute-unit-limit`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ComputeBudget {
    /// The price per compute unit in micro-lamports; `None`: from the recent prioritization fees
    /// of the accounts the transaction writes (0 on a quiet cluster).
    pub unit_price: Option<u64>,
    /// The compute-unit limit; `None`: the simulation's units plus a margin.
    pub unit_limit: Option<u32>,
}

/// The most compute units a transaction may ask for.
pub const MAX_COMPUTE_UNITS: u32 = 1_400_000;

/// The compute-unit limit a transaction built without a simulation gets (`--blockhash`,
/// `--sign-only`, `--dump-transaction-message`): every side of an offline signing builds the same
/// message, so nothing may depend on what a node answers.
pub const OFFLINE_COMPUTE_UNITS: u32 = 400_000;

/// The limit for a simulation that consumed `units`: 10% more plus 1,000 units, at most
/// [`MAX_COMPUTE_UNITS`] (the state may change a little between the simulation and the slot).
pub fn limit_with_margin(units: u64) -> u32 {
    let with_margin = units.saturating_add(units / 10).saturating_add(1_000);
    u32::try_from(with_margin).unwrap_or(MAX_COMPUTE_UNITS).min(MAX_COMPUTE_UNITS)
}

/// The two ComputeBudget instructions that go first in a transaction: its limit and its price.
pub fn budget_instructions(unit_limit: u32, unit_price: u64) -> Vec<Instruction> {
    use solana_compute_budget_interface::ComputeBudgetInstruction;
    vec![
        ComputeBudgetInstruction::set_compute_unit_limit(unit_limit),
        ComputeBudgetInstruction::set_compute_unit_price(unit_price),
    ]
}

/// What the commands need from a chain.
pub trait Chain {
    /// The account at `address`, if it exists.
    fn account(&self, address: &Pubkey) -> Result<Option<Account>, String>;
    /// The program's accounts whose data pass every filter (address and data).
    fn program_accounts(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, Vec<u8>)>, String>;
    /// The Clock sysvar's unix time.
    fn unix_time(&self) -> Result<i64, String>;
    /// A recent blockhash to sign with.
    fn latest_blockhash(&self) -> Result<Hash, String>;
    /// Sends a fully signed transaction and waits for its verdict.
    fn send_transaction(&mut self, transaction: &Transaction) -> Result<Sent, SendError>;
    /// Lamports that make an account of `space` bytes rent-exempt.
    fn minimum_balance(&self, space: usize) -> Result<u64, String>;

    /// Moves the Clock forward to `unix_ts` when this chain can (an embedded LiteSVM) and says
    /// whether it did. A validator cannot: there, time has to pass.
    fn warp_clock(&mut self, _unix_ts: i64) -> Result<bool, String> {
        Ok(false)
    }

    /// Sends `instructions` in one transaction paid by `payer` and signed by `payer` and `signers`
    /// (over RPC: with a compute-unit limit and price, re-sent until it lands or its blockhash
    /// expires; on an embedded LiteSVM: as they are).
    fn send(&mut self, instructions: &[Instruction], payer: &dyn Signer, signers: &[&dyn Signer]) -> Result<Sent, SendError> {
        let blockhash = self.latest_blockhash().map_err(SendError::Failed)?;
        let transaction = signed(instructions, payer, signers, blockhash)?;
        self.send_transaction(&transaction)
    }
}

/// `instructions` in one transaction paid by `payer`, signed by `payer` and `signers` (a signer
/// named twice signs once) with `blockhash`.
pub fn signed(
    instructions: &[Instruction],
    payer: &dyn Signer,
    signers: &[&dyn Signer],
    blockhash: Hash,
) -> Result<Transaction, SendError> {
    let mut all: Vec<&dyn Signer> = vec![payer];
    for signer in signers {
        if all.iter().all(|s| s.pubkey() != signer.pubkey()) {
            all.push(*signer);
        }
    }
    let mut transaction = Transaction::new_with_payer(instructions, Some(&payer.pubkey()));
    transaction.try_sign(&all, blockhash).map_err(|e| SendError::Failed(format!("cannot sign: {e}")))?;
    Ok(transaction)
}

/// The decoding helpers for any chain, also through `dyn Chain`.
pub trait ChainExt {
    /// The program account of type `T` at `address`, `None` when there is no account.
    fn find<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<Option<T>, String>;
    /// The program account of type `T` at `address`; an error naming `what` when missing.
    fn fetch<T: AccountDeserialize>(&self, address: &Pubkey, what: &str) -> Result<T, String>;
    /// Every program account of type `T` passing `filters`, decoded, with its address.
    fn list<T: AccountDeserialize>(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, T)>, String>;
}

impl ChainExt for dyn Chain + '_ {
    fn find<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<Option<T>, String> {
        match self.account(address)? {
            Some(account) if account.lamports > 0 => decode::account(&account.data)
                .map(Some)
                .map_err(|e| format!("the account at {address} is not the expected program account: {e}")),
            _ => Ok(None),
        }
    }

    fn fetch<T: AccountDeserialize>(&self, address: &Pubkey, what: &str) -> Result<T, String> {
        self.find(address)?.ok_or_else(|| format!("no {what} at {address}"))
    }

    fn list<T: AccountDeserialize>(&self, filters: &[Memcmp]) -> Result<Vec<(Pubkey, T)>, String> {
        self.program_accounts(filters)?
            .into_iter()
            .map(|(address, data)| {
                decode::account(&data).map(|decoded| (address, decoded)).map_err(|e| format!("cannot decode {address}: {e}"))
            })
            .collect()
    }
}
