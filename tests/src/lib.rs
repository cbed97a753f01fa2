//! LiteSVM harness for the tests in `tests/`: runs the built SBF binaries of `device_staking`
//! (`target/deploy/*.so`) with SPL Token, Token-2022 and the ATA program, and records the compute
//! units of every transaction sent to the program.
//!
//! A test body usually runs once per binary through [`for_each_binary`]. Every [`TestEnv`] prints
//! the compute units it recorded as `CU <label> <binary> <units>` lines when dropped.
#![warn(missing_docs)]
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::{get_associated_token_address_with_program_id, spl_associated_token_account};
use anchor_spl::token_2022::spl_token_2022;
use device_staking_client::{error_name, PROGRAM_ID};
use device_staking_kit::chain::litesvm::{load_program, set_clock, set_upgrade_authority};
use device_staking_kit::deploy::{root, PROGRAM_SO, PROGRAM_V0_SO};
use litesvm::types::TransactionResult;
use litesvm::LiteSVM;
use solana_account::Account;
use solana_clock::Clock;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use spl_token_2022::extension::{transfer_fee, BaseStateWithExtensions, ExtensionType, StateWithExtensions};
use spl_token_2022::state::{Account as TokenAccount, Mint};
use std::path::PathBuf;

pub mod attack;
pub mod model;
pub mod world;

/// The client crate (PDAs, instruction builders, decoding), and through it the program crate.
pub use device_staking_client as client;
/// The kit (chains, roles, deployment, staging) the harness builds its worlds with.
pub use device_staking_kit as kit;

/// The SPL Token program id.
pub const SPL_TOKEN: Pubkey = anchor_spl::token::ID;
/// The Token-2022 program id.
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;
/// The Clock's unix time when a [`TestEnv`] starts.
pub const START_TIME: i64 = 1_750_000_000;
/// Lamports given to every keypair the harness funds (100 SOL).
pub const FUNDING: u64 = 100_000_000_000;
/// The floors a local deployment may use (protocol "Floors"): 1 s cover window, 1 s cooldown and
/// no role delay, so that tests may set short windows with `update_params` or at `initialize`.
pub use device_staking_kit::deploy::LOCAL_FLOORS;
/// The keys of the config's roles (the kit's cast): `initialize_args` names them with
/// [`LOCAL_FLOORS`], `initialize_args_with` with other floors.
pub use device_staking_kit::roles::Roles;

/// One of the two SBF builds of the program, as `tools/sbf/build.sh` writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    /// `target/deploy/device_staking.so`, SBPF v3.
    V3,
    /// `target/deploy/device_staking_v0.so`, SBPF v0.
    V0,
}

impl Binary {
    /// Both binaries, in the order tests run them.
    pub const ALL: [Binary; 2] = [Binary::V3, Binary::V0];

    /// The short name printed in CU lines: `v3` or `v0`.
    pub fn label(self) -> &'static str {
        match self {
            Binary::V3 => "v3",
            Binary::V0 => "v0",
        }
    }

    /// The binary's path, `<workspace>/target/deploy/<file>`.
    pub fn path(self) -> PathBuf {
        root().join(match self {
            Binary::V3 => PROGRAM_SO,
            Binary::V0 => PROGRAM_V0_SO,
        })
    }
}

/// A transaction that succeeded.
#[derive(Debug, Clone)]
pub struct TxOk {
    /// Compute units the whole transaction consumed.
    pub compute_units: u64,
    /// The program logs.
    pub logs: Vec<String>,
    /// The data the last program set with `set_return_data` (empty when none).
    pub return_data: Vec<u8>,
}

/// A transaction that failed.
#[derive(Debug, Clone)]
pub struct TxFail {
    /// The runtime's error.
    pub error: TransactionError,
    /// The custom error code, when an instruction failed with one.
    pub error_code: Option<u32>,
    /// The Anchor name of `error_code` (program or framework error), when it has one.
    pub error_name: Option<String>,
    /// Compute units consumed until the failure.
    pub compute_units: u64,
    /// The program logs.
    pub logs: Vec<String>,
}

/// The outcome of [`TestEnv::send`].
pub type TxResult = Result<TxOk, TxFail>;

/// Asserts that `result` failed with the Anchor error named `name` (e.g. `"NotUpgradeAuthority"`
/// or `"AccountOwnedByWrongProgram"`), printing the logs otherwise; returns the failure.
pub fn assert_err<'a>(result: &'a TxResult, name: &str) -> &'a TxFail {
    match result {
        Ok(ok) => panic!("expected {name}, but the transaction succeeded; logs:\n{}", ok.logs.join("\n")),
        Err(fail) => {
            assert_eq!(
                fail.error_name.as_deref(),
                Some(name),
                "expected {name}, got {:?}; logs:\n{}",
                fail.error,
                fail.logs.join("\n")
            );
            fail
        }
    }
}

/// The name of a failure: the Anchor name of its error code, else the token program's or system
/// program's refusal as named by its log (`InsufficientFunds`, `AccountAlreadyInUse`), else the
/// runtime's error.
pub fn refusal_name(fail: &TxFail) -> String {
    if let Some(name) = &fail.error_name {
        return name.clone();
    }
    let logged = |text: &str| fail.logs.iter().any(|l| l.contains(text));
    if logged("insufficient funds") {
        "InsufficientFunds".into()
    } else if logged("already in use") {
        "AccountAlreadyInUse".into()
    } else {
        format!("{:?}", fail.error)
    }
}

/// The events of type `T` a transaction emitted (Anchor's `Program data: <base64>` log lines), in
/// order (R50).
pub fn events<T: anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(ok: &TxOk) -> Vec<T> {
    use anchor_lang::__private::base64::{engine::general_purpose::STANDARD, Engine};
    ok.logs
        .iter()
        .filter_map(|line| line.strip_prefix("Program data: "))
        .filter_map(|data| STANDARD.decode(data).ok())
        .filter(|bytes| bytes.starts_with(T::DISCRIMINATOR))
        .map(|bytes| T::deserialize(&mut &bytes[T::DISCRIMINATOR.len()..]).expect("the event decodes"))
        .collect()
}

/// Asserts that `result` succeeded, printing the error and logs otherwise; returns the success.
pub fn assert_ok(result: &TxResult) -> &TxOk {
    match result {
        Ok(ok) => ok,
        Err(fail) => panic!("transaction failed with {:?} ({:?}); logs:\n{}", fail.error, fail.error_name, fail.logs.join("\n")),
    }
}

/// A LiteSVM with the program deployed, an upgrade authority set, and a funded fee payer that is
/// also the authority of every mint the harness creates.
pub struct TestEnv {
    /// The VM; use it directly for anything the helpers do not cover.
    pub svm: LiteSVM,
    /// The binary deployed.
    pub binary: Binary,
    payer: Keypair,
    upgrade_authority: Keypair,
    cu: Vec<(String, u64)>,
    recording: bool,
}

impl TestEnv {
    /// Deploys `binary` through the upgradeable loader, makes a fresh funded keypair its upgrade
    /// authority, and sets the Clock to [`START_TIME`]. Panics when the binary was not built.
    pub fn new(binary: Binary) -> Self {
        let upgrade_authority = Keypair::new();
        let mut svm = LiteSVM::new();
        load_program(&mut svm, &binary.path(), Some(upgrade_authority.pubkey())).unwrap_or_else(|e| panic!("{e}"));
        let mut env = Self { svm, binary, payer: Keypair::new(), upgrade_authority, cu: Vec::new(), recording: true };
        env.fund(&env.payer.pubkey());
        env.fund(&env.upgrade_authority.pubkey());
        env.warp_to(START_TIME);
        env
    }

    /// The program's upgrade authority (a copy of the keypair, to sign with).
    pub fn upgrade_authority(&self) -> Keypair {
        self.upgrade_authority.insecure_clone()
    }

    /// The fee payer of every transaction, and the mint authority of the harness's mints.
    pub fn payer(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// Rewrites the upgrade authority recorded in the program-data account (none: the program
    /// is immutable).
    pub fn set_upgrade_authority(&mut self, authority: Option<Pubkey>) {
        set_upgrade_authority(&mut self.svm, authority).unwrap_or_else(|e| panic!("{e}"));
    }

    /// Adds [`FUNDING`] lamports to `address`.
    pub fn fund(&mut self, address: &Pubkey) {
        self.svm.airdrop(address, FUNDING).expect("airdrop");
    }

    /// A new keypair holding [`FUNDING`] lamports.
    pub fn funded_keypair(&mut self) -> Keypair {
        let keypair = Keypair::new();
        self.fund(&keypair.pubkey());
        keypair
    }

    /// New funded keys for every role.
    pub fn roles(&mut self) -> Roles {
        let roles = Roles::new();
        for key in roles.all() {
            self.fund(&key.pubkey());
        }
        roles
    }

    // ---- transactions ----

    /// Sends `ixs` in one transaction paid by the payer and signed by `signers`, and records its
    /// compute units under the program instructions it ran (see [`TestEnv::cu_records`]).
    pub fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let result = self.execute(ixs, signers);
        let logs = match &result {
            Ok(ok) => &ok.logs,
            Err(fail) => &fail.logs,
        };
        if let Some(label) = self.recording.then(|| program_instructions(logs)).flatten() {
            self.record(label, &result);
        }
        result
    }

    /// Simulates `ixs` as [`TestEnv::send`] would send them, without changing any account.
    pub fn simulate(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let tx = self.transaction(ixs, signers);
        to_result(self.svm.simulate_transaction(tx).map(|info| info.meta))
    }

    /// Like [`TestEnv::send`], recorded under `label` instead of the instruction names.
    pub fn send_as(&mut self, label: &str, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let result = self.execute(ixs, signers);
        self.record(label.to_string(), &result);
        result
    }

    /// The `(label, compute units)` of every transaction [`TestEnv::send`] recorded, in order. A
    /// failed one is labelled `label(ErrorName)`, or `label(failed)` without an Anchor name.
    pub fn cu_records(&self) -> &[(String, u64)] {
        &self.cu
    }

    /// Prints the recorded compute units as `CU <label> <binary> <units>` lines (done on drop).
    pub fn print_cu(&self) {
        for (label, units) in &self.cu {
            println!("CU {label} {} {units}", self.binary.label());
        }
    }

    /// Turns the recording of compute units on or off (on by default). A run of a million
    /// transactions turns it off so that memory and the CU lines printed on drop stay bounded.
    pub fn set_cu_recording(&mut self, on: bool) {
        self.recording = on;
    }

    fn record(&mut self, label: String, result: &TxResult) {
        if !self.recording {
            return;
        }
        let entry = match result {
            Ok(ok) => (label, ok.compute_units),
            Err(fail) => (format!("{label}({})", fail.error_name.as_deref().unwrap_or("failed")), fail.compute_units),
        };
        self.cu.push(entry);
    }

    /// Sends without recording. A fresh blockhash per transaction keeps identical transactions
    /// (e.g. a repeated refused call) from being rejected as already processed.
    fn execute(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let tx = self.transaction(ixs, signers);
        to_result(self.svm.send_transaction(tx))
    }

    /// `ixs` paid by the payer and signed by `signers`, under a fresh blockhash.
    fn transaction(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Transaction {
        self.svm.expire_blockhash();
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied().filter(|s| s.pubkey() != self.payer.pubkey()));
        let mut tx = Transaction::new_with_payer(ixs, Some(&self.payer.pubkey()));
        tx.try_sign(&all, self.svm.latest_blockhash())
            .unwrap_or_else(|e| panic!("the signers do not match the transaction's signers: {e}"));
        tx
    }

    /// Runs `ixs` (setup, not measured), panicking with the logs if they fail.
    fn setup(&mut self, ixs: &[Instruction], signers: &[&Keypair]) {
        let result = self.execute(ixs, signers);
        assert_ok(&result);
    }

    // ---- clock ----

    /// The Clock's unix time.
    pub fn now(&self) -> i64 {
        self.svm.get_sysvar::<Clock>().unix_timestamp
    }

    /// Sets the Clock's unix time to `unix_ts`, moves to the next slot and expires the blockhash.
    pub fn warp_to(&mut self, unix_ts: i64) {
        set_clock(&mut self.svm, unix_ts);
    }

    /// Moves the Clock `secs` seconds forward (see [`TestEnv::warp_to`]).
    pub fn advance(&mut self, secs: i64) {
        self.warp_to(self.now() + secs);
    }

    // ---- accounts ----

    /// The accounts at `addresses` (`None` where there is none), to compare before and after a
    /// refused transaction.
    pub fn snapshot(&self, addresses: &[Pubkey]) -> Vec<Option<Account>> {
        addresses.iter().map(|a| self.svm.get_account(a)).collect()
    }

    /// The account at `address`; panics when there is none.
    pub fn account(&self, address: &Pubkey) -> Account {
        self.svm.get_account(address).unwrap_or_else(|| panic!("no account at {address}"))
    }

    /// The program account of type `T` at `address`, decoded with its discriminator checked.
    pub fn decode<T: anchor_lang::AccountDeserialize>(&self, address: &Pubkey) -> T {
        client::decode::account(&self.account(address).data)
            .unwrap_or_else(|e| panic!("cannot decode the account at {address}: {e}"))
    }

    // ---- tokens ----

    /// Creates a mint of `token_program` with `decimals`, the payer as mint authority, no freeze
    /// authority, and the Token-2022 `extensions` given (NonTransferable, PermanentDelegate,
    /// MintCloseAuthority, TransferFeeConfig, TransferHook, Pausable, DefaultAccountState,
    /// ConfidentialTransferMint or MetadataPointer; authorities are the payer).
    pub fn create_mint(&mut self, token_program: Pubkey, decimals: u8, extensions: &[ExtensionType]) -> Pubkey {
        self.create_mint_with(token_program, decimals, extensions, None)
    }

    /// [`TestEnv::create_mint`] with `freeze_authority`.
    pub fn create_mint_with(
        &mut self,
        token_program: Pubkey,
        decimals: u8,
        extensions: &[ExtensionType],
        freeze_authority: Option<Pubkey>,
    ) -> Pubkey {
        assert!(extensions.is_empty() || token_program == TOKEN_2022, "extensions need Token-2022");
        let mint = Keypair::new();
        let (key, authority) = (mint.pubkey(), self.payer.pubkey());
        let space = ExtensionType::try_calculate_account_len::<Mint>(extensions).expect("mint length");
        let mut ixs = vec![self.create_account_ix(&key, space, &token_program)];
        for extension in extensions {
            ixs.push(extension_init_ix(*extension, &key, &authority));
        }
        let freeze = freeze_authority.as_ref();
        ixs.push(spl_token_2022::instruction::initialize_mint2(&token_program, &key, &authority, freeze, decimals).unwrap());
        self.setup(&ixs, &[&mint]);
        key
    }

    /// Creates `owner`'s associated token account of `mint` (of the mint's token program).
    pub fn create_ata(&mut self, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        let token_program = self.account(mint).owner;
        let ix = spl_associated_token_account::instruction::create_associated_token_account(
            &self.payer.pubkey(),
            owner,
            mint,
            &token_program,
        );
        self.setup(&[ix], &[]);
        get_associated_token_address_with_program_id(owner, mint, &token_program)
    }

    /// Creates a token account of `mint` owned by `owner` at a new address, sized for the
    /// account extensions the mint requires.
    pub fn create_token_account(&mut self, owner: &Pubkey, mint: &Pubkey) -> Pubkey {
        let mint_account = self.account(mint);
        let mint_extensions =
            StateWithExtensions::<Mint>::unpack(&mint_account.data).and_then(|m| m.get_extension_types()).expect("a mint");
        let required = ExtensionType::get_required_init_account_extensions(&mint_extensions);
        let space = ExtensionType::try_calculate_account_len::<TokenAccount>(&required).expect("account length");
        let account = Keypair::new();
        let key = account.pubkey();
        let token_program = mint_account.owner;
        // InitializeAccount3 sets up the required extensions itself, given the room.
        let ixs = [
            self.create_account_ix(&key, space, &token_program),
            spl_token_2022::instruction::initialize_account3(&token_program, &key, mint, owner).unwrap(),
        ];
        self.setup(&ixs, &[&account]);
        key
    }

    /// Mints `amount` base units of `mint` to the token account `to`.
    pub fn mint_to(&mut self, mint: &Pubkey, to: &Pubkey, amount: u64) {
        let token_program = self.account(mint).owner;
        let authority = self.payer.pubkey();
        let ix = spl_token_2022::instruction::mint_to(&token_program, mint, to, &authority, &[], amount).unwrap();
        self.setup(&[ix], &[]);
    }

    /// The balance of the token account `account` (SPL Token or Token-2022).
    pub fn token_balance(&self, account: &Pubkey) -> u64 {
        let data = self.account(account).data;
        StateWithExtensions::<TokenAccount>::unpack(&data).expect("a token account").base.amount
    }

    fn create_account_ix(&self, address: &Pubkey, space: usize, owner: &Pubkey) -> Instruction {
        let lamports = self.svm.minimum_balance_for_rent_exemption(space);
        system_instruction::create_account(&self.payer.pubkey(), address, lamports, space as u64, owner)
    }
}

/// Replaces the account `old` of `ix` by `new` (same signer and writable flags), to send an
/// instruction with a substituted account. Panics when `ix` does not list `old`.
pub fn replace_account(ix: &mut Instruction, old: &Pubkey, new: Pubkey) {
    let meta = ix.accounts.iter_mut().find(|m| m.pubkey == *old).unwrap_or_else(|| panic!("{old} is not listed"));
    meta.pubkey = new;
}

impl Drop for TestEnv {
    /// Prints the recorded compute units (also when a test fails part-way), and names the binary
    /// a failing test ran on (the panic message itself does not).
    fn drop(&mut self) {
        self.print_cu();
        if std::thread::panicking() {
            eprintln!("(the failure above ran on the {} binary, {})", self.binary.label(), self.binary.path().display());
        }
    }
}

/// Runs `body` on a fresh [`TestEnv`] of each [`Binary`]; each prints its CU lines when dropped.
pub fn for_each_binary(mut body: impl FnMut(&mut TestEnv)) {
    for binary in Binary::ALL {
        body(&mut TestEnv::new(binary));
    }
}

/// The Token-2022 instruction that sets up `extension` on a mint before `InitializeMint2`.
fn extension_init_ix(extension: ExtensionType, mint: &Pubkey, authority: &Pubkey) -> Instruction {
    let program = &TOKEN_2022;
    match extension {
        ExtensionType::NonTransferable => spl_token_2022::instruction::initialize_non_transferable_mint(program, mint),
        ExtensionType::PermanentDelegate => spl_token_2022::instruction::initialize_permanent_delegate(program, mint, authority),
        ExtensionType::MintCloseAuthority => {
            spl_token_2022::instruction::initialize_mint_close_authority(program, mint, Some(authority))
        }
        ExtensionType::TransferHook => {
            spl_token_2022::extension::transfer_hook::instruction::initialize(program, mint, Some(*authority), Some(PROGRAM_ID))
        }
        ExtensionType::MetadataPointer => {
            spl_token_2022::extension::metadata_pointer::instruction::initialize(program, mint, Some(*authority), Some(*mint))
        }
        ExtensionType::Pausable => spl_token_2022::extension::pausable::instruction::initialize(program, mint, authority),
        ExtensionType::DefaultAccountState => {
            spl_token_2022::extension::default_account_state::instruction::initialize_default_account_state(
                program,
                mint,
                &spl_token_2022::state::AccountState::Initialized,
            )
        }
        ExtensionType::ConfidentialTransferMint => {
            spl_token_2022::extension::confidential_transfer::instruction::initialize_mint(
                program,
                mint,
                Some(*authority),
                true,
                None,
            )
        }
        ExtensionType::TransferFeeConfig => transfer_fee::instruction::initialize_transfer_fee_config(
            program,
            mint,
            Some(authority),
            Some(authority),
            100,
            u64::MAX,
        ),
        other => panic!("the harness cannot set up the mint extension {other:?}"),
    }
    .expect("extension instruction")
}

/// The snake_case names of the program's top-level instructions in `logs` (from Anchor's
/// `Instruction: Name` line), joined by `+`; `unknown` for one that logged no name; `None` when
/// the transaction did not call the program.
fn program_instructions(logs: &[String]) -> Option<String> {
    let invoke = format!("Program {PROGRAM_ID} invoke [1]");
    let names: Vec<String> = logs
        .iter()
        .enumerate()
        .filter(|(_, line)| **line == invoke)
        .map(|(i, _)| {
            logs.get(i + 1)
                .and_then(|next| next.strip_prefix("Program log: Instruction: "))
                .map_or_else(|| "unknown".to_string(), snake_case)
        })
        .collect();
    (!names.is_empty()).then(|| names.join("+"))
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn to_result(result: TransactionResult) -> TxResult {
    match result {
        Ok(meta) => Ok(TxOk { compute_units: meta.compute_units_consumed, logs: meta.logs, return_data: meta.return_data.data }),
        Err(failed) => {
            let error_code = match failed.err {
                TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(code),
                _ => None,
            };
            Err(TxFail {
                error_name: error_code.and_then(error_name).map(|(name, _)| name.to_string()),
                error: failed.err,
                error_code,
                compute_units: failed.meta.compute_units_consumed,
                logs: failed.meta.logs,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use device_staking_client::pda;

    #[test]
    fn instruction_labels_come_from_the_programs_top_level_logs() {
        let logs: Vec<String> = [
            format!("Program {PROGRAM_ID} invoke [1]"),
            "Program log: Instruction: Initialize".into(),
            format!("Program {TOKEN_2022} invoke [2]"),
            "Program log: Instruction: MintTo".into(),
            format!("Program {PROGRAM_ID} invoke [1]"),
            "Program log: Instruction: UpdateParams".into(),
            format!("Program {PROGRAM_ID} invoke [1]"),
            "Program log: something else".into(),
        ]
        .into();
        assert_eq!(program_instructions(&logs).as_deref(), Some("initialize+update_params+unknown"));
        assert_eq!(program_instructions(&logs[2..4]), None);
    }

    #[test]
    fn the_upgrade_authority_is_written_into_program_data() {
        let mut env = TestEnv::new(Binary::V3);
        let data = env.account(&pda::program_data(&PROGRAM_ID).0).data;
        assert_eq!((data[12], &data[13..45]), (1, env.upgrade_authority.pubkey().as_ref()));
        env.set_upgrade_authority(None);
        let data = env.account(&pda::program_data(&PROGRAM_ID).0).data;
        assert_eq!((data[12], &data[13..45]), (0, Pubkey::default().as_ref()));
    }

    #[test]
    fn clock_moves_only_when_told() {
        let mut env = TestEnv::new(Binary::V3);
        assert_eq!(env.now(), START_TIME);
        let slot = env.svm.get_sysvar::<Clock>().slot;
        env.advance(3_600);
        assert_eq!(env.now(), START_TIME + 3_600);
        assert_eq!(env.svm.get_sysvar::<Clock>().slot, slot + 1);
        env.warp_to(START_TIME);
        assert_eq!(env.now(), START_TIME);
    }

    #[test]
    fn token_helpers_mint_to_atas_and_plain_accounts_of_both_programs() {
        let mut env = TestEnv::new(Binary::V3);
        let owner = Pubkey::new_unique();
        let cases = [(SPL_TOKEN, vec![]), (TOKEN_2022, vec![]), (TOKEN_2022, vec![ExtensionType::NonTransferable])];
        for (program, extensions) in cases {
            let mint = env.create_mint(program, 6, &extensions);
            assert_eq!(env.account(&mint).owner, program);
            let ata = env.create_ata(&owner, &mint);
            let other = env.create_token_account(&owner, &mint);
            env.mint_to(&mint, &ata, 5);
            env.mint_to(&mint, &other, 7);
            assert_eq!((env.token_balance(&ata), env.token_balance(&other)), (5, 7), "{program} {extensions:?}");
        }
    }
}
