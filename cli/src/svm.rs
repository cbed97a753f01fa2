//! An embedded LiteSVM running the built program (`target/deploy/device_staking.so`, SBPF v3)
//! with SPL Token and the associated token program, for `demo`. The same set-up as the test
//! harness (`tests/src/lib.rs`), written out here so the CLI does not depend on the tests crate.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::{get_associated_token_address_with_program_id, spl_associated_token_account};
use anchor_spl::token_2022::spl_token_2022;
use device_staking_client::{decode, error_name, pda, PROGRAM_ID};
use litesvm::LiteSVM;
use solana_clock::Clock;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use spl_token_2022::extension::StateWithExtensions;
use spl_token_2022::state::{Account as TokenAccount, Mint};
use anchor_lang::solana_program::program_pack::Pack;
use std::path::{Path, PathBuf};

/// Lamports given to every keypair the demo funds (100 SOL).
const FUNDING: u64 = 100_000_000_000;

/// The program binary `demo` runs, relative to the workspace root.
pub const PROGRAM_SO: &str = "target/deploy/device_staking.so";

/// Where the program binary is: under the workspace root this binary was built from
/// (`CARGO_MANIFEST_DIR/..`), else under the current directory; the first of them that exists.
pub fn program_path() -> Result<PathBuf, String> {
    let candidates = [Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(PROGRAM_SO), PathBuf::from(PROGRAM_SO)];
    candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        format!(
            "the program binary is missing (looked for {} and ./{PROGRAM_SO}): build it first with `make build`",
            candidates[0].display()
        )
    })
}

/// A transaction the runtime refused.
#[derive(Debug)]
pub struct Refusal {
    /// The runtime's error.
    pub error: TransactionError,
    /// The custom error code, when an instruction failed with one.
    pub code: Option<u32>,
    /// Compute units consumed until the refusal.
    pub compute_units: u64,
    /// The program logs.
    pub logs: Vec<String>,
}

impl std::fmt::Display for Refusal {
    /// `Name (code): message` for a named program or Anchor error, else the runtime's error.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code.map(|c| (c, error_name(c))) {
            Some((code, Some((name, msg)))) => write!(f, "{name} ({code}): {msg}"),
            Some((code, None)) => write!(f, "custom error {code}: {:?}", self.error),
            None => write!(f, "{:?}", self.error),
        }
    }
}

/// The VM, and the funded fee payer that is also the authority of the mints it creates.
pub struct Svm {
    svm: LiteSVM,
    payer: Keypair,
}

impl Svm {
    /// Deploys the program at `path` and makes `upgrade_authority` its upgrade authority
    /// (`initialize` requires it, R30); the Clock starts at `start` (unix seconds).
    pub fn new(path: &Path, upgrade_authority: &Pubkey, start: i64) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut svm = LiteSVM::new();
        svm.add_program(PROGRAM_ID, &bytes).map_err(|e| format!("cannot load {}: {e:?}", path.display()))?;
        let mut this = Self { svm, payer: Keypair::new_from_array([12; 32]) };
        this.fund(&this.payer.pubkey());
        this.set_upgrade_authority(upgrade_authority)?;
        this.warp_to(start);
        Ok(this)
    }

    /// Writes `authority` into the program-data account. LiteSVM deploys with none; the layout
    /// is `u32` tag 3, `u64` slot, `Option<Pubkey>` (1-byte tag + 32 bytes).
    fn set_upgrade_authority(&mut self, authority: &Pubkey) -> Result<(), String> {
        let address = pda::program_data(&PROGRAM_ID).0;
        let mut account = self.svm.get_account(&address).ok_or("no program-data account")?;
        if account.data.get(..4) != Some(&3u32.to_le_bytes()[..]) || account.data.len() < 45 {
            return Err("the program-data account is not a ProgramData account".into());
        }
        account.data[12] = 1;
        account.data[13..45].copy_from_slice(authority.as_ref());
        self.svm.set_account(address, account).map_err(|e| format!("cannot set program-data: {e:?}"))
    }

    /// Adds 100 SOL to `address`.
    pub fn fund(&mut self, address: &Pubkey) {
        self.svm.airdrop(address, FUNDING).expect("airdrop");
    }

    /// Sends `ixs` in one transaction paid by the payer and signed by `signers`; the compute
    /// units it consumed. A fresh blockhash per transaction lets identical ones through.
    pub fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<u64, Refusal> {
        self.svm.expire_blockhash();
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied().filter(|s| s.pubkey() != self.payer.pubkey()));
        let mut tx = Transaction::new_with_payer(ixs, Some(&self.payer.pubkey()));
        if let Err(e) = tx.try_sign(&all, self.svm.latest_blockhash()) {
            panic!("the demo's signers do not match its transaction: {e}");
        }
        match self.svm.send_transaction(tx) {
            Ok(meta) => Ok(meta.compute_units_consumed),
            Err(failed) => Err(Refusal {
                code: match failed.err {
                    TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(code),
                    _ => None,
                },
                error: failed.err,
                compute_units: failed.meta.compute_units_consumed,
                logs: failed.meta.logs,
            }),
        }
    }

    /// The Clock's unix time.
    pub fn now(&self) -> i64 {
        self.svm.get_sysvar::<Clock>().unix_timestamp
    }

    /// Sets the Clock's unix time to `unix_ts` and moves to the next slot.
    pub fn warp_to(&mut self, unix_ts: i64) {
        let mut clock = self.svm.get_sysvar::<Clock>();
        clock.unix_timestamp = unix_ts;
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
        self.svm.expire_blockhash();
    }

    /// The program account of type `T` at `address`.
    pub fn decode<T: AccountDeserialize>(&self, address: &Pubkey) -> Result<T, String> {
        let account = self.svm.get_account(address).ok_or_else(|| format!("no account at {address}"))?;
        decode::account(&account.data).map_err(|e| format!("cannot decode the account at {address}: {e}"))
    }

    /// Whether an account exists at `address`.
    pub fn exists(&self, address: &Pubkey) -> bool {
        self.svm.get_account(address).is_some_and(|a| a.lamports > 0)
    }

    /// Creates the mint `mint` of `token_program` with `decimals`, the payer as mint authority.
    pub fn create_mint(&mut self, mint: &Keypair, token_program: &Pubkey, decimals: u8) -> Result<Pubkey, Refusal> {
        let key = mint.pubkey();
        let ixs = [
            self.create_account_ix(&key, Mint::LEN, token_program),
            spl_token_2022::instruction::initialize_mint2(token_program, &key, &self.payer.pubkey(), None, decimals)
                .expect("initialize_mint2"),
        ];
        self.send(&ixs, &[mint]).map(|_| key)
    }

    /// Creates `owner`'s associated token account of `mint` (a mint of `token_program`).
    pub fn create_ata(&mut self, owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Result<Pubkey, Refusal> {
        let ix = spl_associated_token_account::instruction::create_associated_token_account(
            &self.payer.pubkey(),
            owner,
            mint,
            token_program,
        );
        self.send(&[ix], &[]).map(|_| get_associated_token_address_with_program_id(owner, mint, token_program))
    }

    /// Mints `amount` base units of `mint` (a mint of `token_program`) to the token account `to`.
    pub fn mint_to(&mut self, mint: &Pubkey, token_program: &Pubkey, to: &Pubkey, amount: u64) -> Result<(), Refusal> {
        let ix = spl_token_2022::instruction::mint_to(token_program, mint, to, &self.payer.pubkey(), &[], amount)
            .expect("mint_to");
        self.send(&[ix], &[]).map(|_| ())
    }

    /// The balance of the token account at `address`; 0 when there is none (e.g. closed).
    pub fn token_balance(&self, address: &Pubkey) -> u64 {
        self.svm
            .get_account(address)
            .and_then(|a| StateWithExtensions::<TokenAccount>::unpack(&a.data).ok().map(|s| s.base.amount))
            .unwrap_or(0)
    }

    /// The supply of `mint`.
    pub fn supply(&self, mint: &Pubkey) -> u64 {
        self.svm
            .get_account(mint)
            .and_then(|a| StateWithExtensions::<Mint>::unpack(&a.data).ok().map(|s| s.base.supply))
            .unwrap_or(0)
    }

    fn create_account_ix(&self, address: &Pubkey, space: usize, owner: &Pubkey) -> Instruction {
        let lamports = self.svm.minimum_balance_for_rent_exemption(space);
        system_instruction::create_account(&self.payer.pubkey(), address, lamports, space as u64, owner)
    }
}
