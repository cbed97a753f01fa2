//! Integration tests on a local solana-test-validator.
//!
//! [`Validator::start`] runs `tools/localnet/start.sh --background` (a fresh ledger, the built
//! program loaded as an upgradeable program whose upgrade authority is `authority.json` in the
//! state folder, [`state_dir`]) and stops it when dropped, also when a test panics;
//! [`Validator::attach`] uses one that is already running and leaves it running. [`Cli`] runs
//! the `device-staking` binary over RPC as a user would; [`Validator`]'s helpers set up mints
//! and wallets through the kit's [`Stage`] on its RPC chain and read balances back from the
//! chain; [`Cast`] is the kit's keypair files in the state folder. [`concurrent`]
//! sends many transactions at once and confirms them in bulk (the load run, `src/bin/load.rs`).
pub mod concurrent;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::ix::{self, Mint};
use device_staking_kit::chain::rpc::RpcChain;
use device_staking_kit::chain::{ChainExt, ComputeBudget};
use device_staking_kit::roles::{read_keypair, KeyFiles};
use device_staking_kit::stage::Stage;
use device_staking_kit::token;
use serde_json::Value;
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_keypair::Keypair;
use solana_rpc_client::rpc_client::RpcClient;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use device_staking_kit::deploy::root;

/// The validator's state folder (ledger, log, PID file, `authority.json`): `LOCALNET_DIR` as
/// tools/localnet/start.sh takes it, default `.localnet/` in the workspace.
pub fn state_dir() -> PathBuf {
    std::env::var_os("LOCALNET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join(".localnet"))
}

/// A running local validator; dropping it stops the validator when [`Validator::start`] started it.
pub struct Validator {
    /// Its RPC URL (127.0.0.1 only).
    pub url: String,
    /// The program's upgrade authority, funded at genesis: pays for every set-up.
    pub authority: Keypair,
    /// The authority's keypair file.
    pub authority_file: PathBuf,
    /// An RPC client at `confirmed`.
    pub rpc: RpcClient,
    /// Whether dropping it runs tools/localnet/stop.sh (only for the validator this value started).
    stop_on_drop: bool,
}

impl Validator {
    /// Starts a validator with a fresh ledger and waits until it answers.
    pub fn start() -> Self {
        let started = std::time::Instant::now();
        let status = Command::new(root().join("tools/localnet/start.sh")).arg("--background").status().expect("run start.sh");
        assert!(status.success(), "tools/localnet/start.sh failed (see {})", state_dir().join("validator.log").display());
        eprintln!("[localnet] validator up in {:.1} s", started.elapsed().as_secs_f64());
        let port = std::env::var("LOCALNET_RPC_PORT").unwrap_or_else(|_| "8899".into());
        let mut validator = Self::attach(&format!("http://127.0.0.1:{port}"), &state_dir().join("authority.json"));
        validator.stop_on_drop = true;
        validator
    }

    /// A validator that already runs at `url`, with `authority_file` the keypair of its funded
    /// wallet (the program's upgrade authority for one of tools/localnet/start.sh); it keeps
    /// running when the value is dropped.
    pub fn attach(url: &str, authority_file: &Path) -> Self {
        let authority = read_keypair(authority_file).unwrap_or_else(|e| panic!("{e}"));
        let rpc = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
        Self { url: url.to_string(), authority, authority_file: authority_file.to_path_buf(), rpc, stop_on_drop: false }
    }

    /// The kit's stage on this validator (RPC at `confirmed`), paid by the authority.
    pub fn stage(&self) -> Stage {
        let chain = RpcChain::new(&self.url, CommitmentLevel::Confirmed, ComputeBudget::default());
        Stage::new(Box::new(chain), self.authority.insecure_clone())
    }

    /// Sends `instructions` paid by the authority and signed also by `signers`; panics on failure.
    pub fn send(&self, instructions: &[Instruction], signers: &[&Keypair]) {
        self.stage().send(instructions, signers).unwrap_or_else(|e| panic!("set-up transaction: {e}"));
    }

    /// A new SPL Token mint of `decimals` decimals whose mint authority is the validator's authority.
    pub fn create_mint(&self, decimals: u8) -> Pubkey {
        self.stage()
            .create_mint(&Keypair::new(), &anchor_spl::token::ID, decimals)
            .unwrap_or_else(|e| panic!("create a mint: {e}"))
    }

    /// Gives `wallet` `lamports` and, when `tokens` > 0, that many base units of `mint` in its
    /// associated token account.
    pub fn fund(&self, wallet: &Pubkey, lamports: u64, mint: &Pubkey, tokens: u64) {
        self.send(&self.funding_instructions(wallet, lamports, mint, tokens), &[]);
    }

    /// The instructions of [`Validator::fund`], paid and signed by the authority (who is the
    /// mint authority of [`Validator::create_mint`]'s mints): several wallets' fit in one
    /// transaction.
    pub fn funding_instructions(&self, wallet: &Pubkey, lamports: u64, mint: &Pubkey, tokens: u64) -> Vec<Instruction> {
        let mint = Mint { mint: *mint, token_program: anchor_spl::token::ID };
        self.stage().funding_instructions(wallet, lamports, &mint, (tokens > 0).then_some(tokens))
    }

    /// The balance of `wallet`'s associated token account of `mint` (0 when it has none).
    pub fn balance(&self, wallet: &Pubkey, mint: &Pubkey) -> u64 {
        self.balance_at(&ix::associated_token(wallet, &Mint { mint: *mint, token_program: anchor_spl::token::ID }))
    }

    /// The balance of the token account at `address` (0 when there is none).
    pub fn balance_at(&self, address: &Pubkey) -> u64 {
        token::balance(self.stage().chain(), address).expect("read account")
    }

    /// The balances of the token accounts at `addresses`, in their order (0 where there is none),
    /// read in as few RPC calls as the node allows.
    pub fn balances_at(&self, addresses: &[Pubkey]) -> Vec<u64> {
        self.account_data(addresses).iter().map(|data| token::amount(data.as_deref())).collect()
    }

    /// The data of the accounts at `addresses`, in their order (`None` where there is none), at
    /// `confirmed`, by `getMultipleAccounts` of at most 100 addresses each.
    pub fn account_data(&self, addresses: &[Pubkey]) -> Vec<Option<Vec<u8>>> {
        let mut found = Vec::with_capacity(addresses.len());
        for chunk in addresses.chunks(MAX_ACCOUNTS_PER_READ) {
            let accounts = self
                .rpc
                .get_multiple_accounts_with_commitment(chunk, CommitmentConfig::confirmed())
                .expect("read accounts")
                .value;
            found.extend(accounts.into_iter().map(|a| a.map(|a| a.data)));
        }
        found
    }
}

/// Most addresses one `getMultipleAccounts` call may ask for.
const MAX_ACCOUNTS_PER_READ: usize = 100;

impl Drop for Validator {
    fn drop(&mut self) {
        if self.stop_on_drop {
            let _ = Command::new(root().join("tools/localnet/stop.sh")).status();
        }
    }
}

/// Keypair files of the test's cast in a fresh folder (the kit's [`KeyFiles`]).
pub struct Cast {
    files: KeyFiles,
}

impl Cast {
    /// A folder of new keypairs, one per name.
    pub fn new(names: &[&str]) -> Self {
        let dir = state_dir().join(format!("cast-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Self::create(&dir, names)
    }

    /// New keypairs `<name>.json` in `dir` (created if missing), replacing files of those names.
    pub fn create(dir: &Path, names: &[&str]) -> Self {
        Self { files: KeyFiles::create(dir, names).unwrap_or_else(|e| panic!("{e}")) }
    }

    /// The keypair file of `name`.
    pub fn file(&self, name: &str) -> String {
        self.files.arg(name)
    }

    /// The pubkey of `name`.
    pub fn pubkey(&self, name: &str) -> Pubkey {
        self.files.pubkey(name)
    }

    /// The keypair of `name`.
    pub fn keypair(&self, name: &str) -> Keypair {
        self.files.keypair(name)
    }

    /// A file in the cast's folder.
    pub fn path(&self, name: &str) -> String {
        self.files.path(name)
    }
}

/// The `device-staking` binary, run over RPC.
pub struct Cli {
    binary: PathBuf,
    url: String,
}

impl Cli {
    /// The CLI binary of `DEVICE_STAKING_CLI` (the Makefile builds it with tools/cli.sh and sets
    /// it), else target/debug/device-staking, pointed at `url`.
    pub fn new(url: &str) -> Self {
        let binary = std::env::var_os("DEVICE_STAKING_CLI")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target/debug/device-staking"));
        assert!(binary.is_file(), "{} is missing: build the CLI first (tools/cli.sh)", binary.display());
        Self { binary, url: url.to_string() }
    }

    /// The binary it runs (for scripts that take `DEVICE_STAKING_CLI`).
    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// Runs the CLI signed by the keypair file `signer`, in text mode as a person sees it.
    pub fn run(&self, signer: &str, args: &[&str]) -> Output {
        let out = Command::new(&self.binary)
            .args(["--url", &self.url, "-k", signer, "--commitment", "confirmed"])
            .args(args)
            .output()
            .expect("run device-staking");
        eprintln!(
            "$ device-staking {} -> {}\n{}{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs a command that must succeed and returns its `--output json` document.
    pub fn ok(&self, signer: &str, args: &[&str]) -> Value {
        let mut with_json = vec!["--output", "json"];
        with_json.extend_from_slice(args);
        let out = self.run(signer, &with_json);
        assert!(out.status.success(), "`device-staking {}` failed", args.join(" "));
        serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
    }

    /// Runs a command that the program must refuse with `error` and checks that the text shown to
    /// the user names the error (never a hex code).
    pub fn refused(&self, signer: &str, args: &[&str], error: &str) {
        let out = self.run(signer, args);
        let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!out.status.success(), "`device-staking {}` should have been refused", args.join(" "));
        assert!(shown.contains(error), "`device-staking {}` should name {error}; it printed:\n{shown}", args.join(" "));
        assert!(!shown.contains("0x17"), "a hex error code was shown:\n{shown}");
    }
}

impl Validator {
    /// The Clock sysvar's unix time (what the program compares deadlines with).
    pub fn clock(&self) -> i64 {
        self.stage().now().expect("read the Clock")
    }

    /// Waits until the Clock reaches `deadline`, printing what it waits for.
    pub fn wait_until(&self, deadline: i64, what: &str) {
        eprintln!("[localnet] waiting {} s of the Clock for {what}", (deadline - self.clock()).max(0));
        self.stage().wait_until(deadline, what).expect("read the Clock");
    }

    /// The program account at `address`, decoded; `None` when there is none.
    pub fn decode<T: anchor_lang::AccountDeserialize>(&self, address: &Pubkey) -> Option<T> {
        self.stage().chain().find(address).expect("read and decode the account")
    }

    /// The program accounts at `addresses`, decoded, in their order; `None` where there is none.
    pub fn decode_all<T: anchor_lang::AccountDeserialize>(&self, addresses: &[Pubkey]) -> Vec<Option<T>> {
        self.account_data(addresses)
            .into_iter()
            .map(|data| data.map(|d| device_staking_client::decode::account(&d).expect("decode account")))
            .collect()
    }
}
