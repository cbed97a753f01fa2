//! Integration tests on a local solana-test-validator.
//!
//! [`Validator::start`] runs `tools/localnet/start.sh --background` (a fresh ledger, the built
//! program loaded as an upgradeable program whose upgrade authority is `authority.json` in the
//! state folder, [`state_dir`]) and stops it when dropped, also when a test panics;
//! [`Validator::attach`] uses one that is already running and leaves it running. [`Cli`] runs
//! the `device-staking` binary over RPC as a user would; [`Validator`]'s helpers set up mints
//! and wallets with the client crate and read balances back from the chain. [`concurrent`]
//! sends many transactions at once and confirms them in bulk (the load run, `src/bin/load.rs`).
pub mod concurrent;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
use anchor_spl::token_2022::spl_token_2022::state::Account as TokenAccount;
use device_staking_client::token;
use serde_json::Value;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::{read_keypair_file, write_keypair_file, Keypair};
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

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
        let authority = read_keypair_file(authority_file)
            .unwrap_or_else(|e| panic!("read the authority's keypair {}: {e}", authority_file.display()));
        let rpc = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
        Self { url: url.to_string(), authority, authority_file: authority_file.to_path_buf(), rpc, stop_on_drop: false }
    }

    /// Sends `instructions` paid by the authority and signed also by `signers`; panics on failure.
    pub fn send(&self, instructions: &[Instruction], signers: &[&Keypair]) {
        let mut all: Vec<&Keypair> = vec![&self.authority];
        all.extend_from_slice(signers);
        let blockhash = self.rpc.get_latest_blockhash().expect("blockhash");
        let tx = Transaction::new_signed_with_payer(instructions, Some(&self.authority.pubkey()), &all, blockhash);
        self.rpc.send_and_confirm_transaction(&tx).expect("set-up transaction");
    }

    /// A new SPL Token mint of `decimals` decimals whose mint authority is the validator's authority.
    pub fn create_mint(&self, decimals: u8) -> Pubkey {
        let mint = Keypair::new();
        let rent = self.rpc.get_minimum_balance_for_rent_exemption(token::MINT_SIZE).expect("rent");
        let payer = self.authority.pubkey();
        self.send(&token::create_mint(&payer, &mint.pubkey(), &anchor_spl::token::ID, decimals, &payer, rent), &[&mint]);
        mint.pubkey()
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
        let payer = self.authority.pubkey();
        let mut ixs = vec![system_instruction::transfer(&payer, wallet, lamports)];
        if tokens > 0 {
            let ata = get_associated_token_address_with_program_id(wallet, mint, &anchor_spl::token::ID);
            ixs.push(token::create_associated_account(&payer, wallet, mint, &anchor_spl::token::ID));
            ixs.push(token::mint_to(&anchor_spl::token::ID, mint, &ata, &payer, tokens));
        }
        ixs
    }

    /// The balance of `wallet`'s associated token account of `mint` (0 when it has none).
    pub fn balance(&self, wallet: &Pubkey, mint: &Pubkey) -> u64 {
        self.balance_at(&get_associated_token_address_with_program_id(wallet, mint, &anchor_spl::token::ID))
    }

    /// The balance of the token account at `address` (0 when there is none).
    pub fn balance_at(&self, address: &Pubkey) -> u64 {
        let account = self.rpc.get_account_with_commitment(address, CommitmentConfig::confirmed()).expect("read account").value;
        token_amount(account.map(|a| a.data).as_deref())
    }

    /// The balances of the token accounts at `addresses`, in their order (0 where there is none),
    /// read in as few RPC calls as the node allows.
    pub fn balances_at(&self, addresses: &[Pubkey]) -> Vec<u64> {
        self.account_data(addresses).iter().map(|data| token_amount(data.as_deref())).collect()
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

/// The amount of a token account's data (SPL Token or Token-2022); 0 for no account.
fn token_amount(data: Option<&[u8]>) -> u64 {
    data.and_then(|d| StateWithExtensions::<TokenAccount>::unpack(d).ok().map(|s| s.base.amount)).unwrap_or(0)
}

impl Drop for Validator {
    fn drop(&mut self) {
        if self.stop_on_drop {
            let _ = Command::new(root().join("tools/localnet/stop.sh")).status();
        }
    }
}

/// Keypair files of the test's cast in a fresh folder.
pub struct Cast {
    dir: PathBuf,
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
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        for name in names {
            let file = dir.join(format!("{name}.json"));
            write_keypair_file(&Keypair::new(), &file).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
        }
        Self { dir: dir.to_path_buf() }
    }

    /// The keypair file of `name`.
    pub fn file(&self, name: &str) -> String {
        self.dir.join(format!("{name}.json")).display().to_string()
    }

    /// The pubkey of `name`.
    pub fn pubkey(&self, name: &str) -> Pubkey {
        read_keypair_file(self.file(name)).unwrap().pubkey()
    }

    /// A file in the cast's folder.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
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
        let data = self.rpc.get_account_data(&anchor_lang::solana_program::clock::sysvar::ID).expect("read the Clock");
        // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp
        i64::from_le_bytes(data[32..40].try_into().unwrap())
    }

    /// Waits until the Clock reaches `deadline`, printing what it waits for.
    pub fn wait_until(&self, deadline: i64, what: &str) {
        let started = std::time::Instant::now();
        eprintln!("[localnet] waiting {} s of the Clock for {what}", (deadline - self.clock()).max(0));
        while self.clock() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(400));
            assert!(started.elapsed().as_secs() < 300, "the Clock did not reach {deadline} within 300 s");
        }
    }

    /// The program account at `address`, decoded; `None` when there is none.
    pub fn decode<T: anchor_lang::AccountDeserialize>(&self, address: &Pubkey) -> Option<T> {
        let account = self.rpc.get_account_with_commitment(address, CommitmentConfig::confirmed()).expect("read account").value?;
        Some(T::try_deserialize(&mut account.data.as_slice()).expect("decode account"))
    }

    /// The program accounts at `addresses`, decoded, in their order; `None` where there is none.
    pub fn decode_all<T: anchor_lang::AccountDeserialize>(&self, addresses: &[Pubkey]) -> Vec<Option<T>> {
        self.account_data(addresses)
            .into_iter()
            .map(|data| data.map(|d| T::try_deserialize(&mut d.as_slice()).expect("decode account")))
            .collect()
    }
}
