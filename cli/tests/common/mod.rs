//! What the CLI tests share: a chain kept in a state file with the program deployed, the
//! keypair files of a cast of wallets (the kit's [`KeyFiles`]), a mint, and ways to run the
//! built binary against them and read the state back with the program's own types.
#![allow(dead_code)] // each test binary uses its own part
use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
use device_staking_client::device_staking::state::{Device, Position};
use device_staking_client::{decode, ix, pda};
use device_staking_kit::roles::KeyFiles;
use device_staking_kit::{deploy, token};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

/// One token in base units (the tests' mint has the kit's 6 decimals), and a device id from a
/// text label (padded with zeros).
#[allow(unused_imports)] // each test binary uses its own part
pub use device_staking_kit::stage::{device_id, UNIT};
/// The Clock of a new state file (`svm init`'s default).
pub const GENESIS: i64 = 1_750_000_000;

/// A state file, the keypair files of the cast, and the mint.
pub struct World {
    /// The test's own folder (removed when the world is dropped).
    pub dir: PathBuf,
    /// The LiteSVM state file (`--url svm:PATH`).
    pub state: PathBuf,
    /// The staking mint (6 decimals; the deployer is its mint authority).
    pub mint: Pubkey,
    /// The keypair files of the cast, in `dir`.
    keys: KeyFiles,
}

/// Runs the built CLI with `args` as they are.
pub fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_device-staking")).args(args).output().expect("run the CLI")
}

/// The program binary must exist: the commands deploy it into the LiteSVM.
pub fn require_program() {
    deploy::program_path().unwrap_or_else(|e| panic!("{e}"));
}

impl World {
    /// A new chain with the program, a 6-decimal mint, and funded wallets for `names`.
    pub fn new(test: &str) -> Self {
        require_program();
        let dir = std::env::temp_dir().join(format!("device-staking-cli-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let state = dir.join("chain.json");
        let names = ["deployer", "owner", "oracle", "costaker", "rewards", "slasher", "treasury", "mint", "stranger"];
        let keys = KeyFiles::create(&dir, &names).unwrap();
        let mut world = Self { dir, state, mint: Pubkey::default(), keys };
        world.ok("deployer", &["svm", "init"]);
        let funded: Vec<String> = ["deployer", "owner", "oracle", "costaker", "rewards", "slasher", "stranger"]
            .iter()
            .map(|n| world.key_str(n))
            .collect();
        let mut airdrop = vec!["svm", "airdrop"];
        airdrop.extend(funded.iter().map(String::as_str));
        world.ok("deployer", &airdrop);
        world.ok("deployer", &["svm", "create-mint", "--decimals", "6", "--mint-keypair", &world.key_str("mint")]);
        world.mint = world.pubkey("mint");
        let mint = world.mint.to_string();
        for (name, amount) in [("owner", "20000"), ("costaker", "8000"), ("rewards", "10000")] {
            world.ok("deployer", &["svm", "mint-to", &mint, &world.key_str(name), amount]);
        }
        world
    }

    /// The keypair file of the wallet `name`.
    pub fn key(&self, name: &str) -> PathBuf {
        self.keys.file(name)
    }

    /// The keypair file of the wallet `name`, as an argument.
    pub fn key_str(&self, name: &str) -> String {
        self.keys.arg(name)
    }

    /// The public key of the wallet `name`.
    pub fn pubkey(&self, name: &str) -> Pubkey {
        self.keys.pubkey(name)
    }

    /// Runs the CLI signed by `signer`'s keypair.
    pub fn run(&self, signer: &str, args: &[&str]) -> Output {
        let url = format!("svm:{}", self.state.display());
        let keypair = self.key_str(signer);
        let mut all = vec!["--url", url.as_str(), "-k", keypair.as_str()];
        all.extend_from_slice(args);
        cli(&all)
    }

    /// Runs the CLI and requires success; its standard output.
    pub fn ok(&self, signer: &str, args: &[&str]) -> String {
        let out = self.run(signer, args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        stdout
    }

    /// Runs the CLI with `--output json` and requires success; the JSON object.
    pub fn json(&self, signer: &str, args: &[&str]) -> Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let stdout = self.ok(signer, &all);
        assert_eq!(stdout.lines().count(), 1, "one JSON object: {stdout}");
        serde_json::from_str(&stdout).unwrap()
    }

    /// Runs the CLI with `--output json`, requires a refusal that changed nothing on the chain
    /// (the state file is the same byte for byte), and returns the program error's name.
    pub fn refused(&self, signer: &str, args: &[&str]) -> String {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let before = std::fs::read_to_string(&self.state).unwrap();
        let out = self.run(signer, &all);
        assert_eq!(std::fs::read_to_string(&self.state).unwrap(), before, "{args:?} was refused but changed the chain");
        assert!(!out.status.success(), "{args:?} should have been refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["ok"], false);
        let name = report["program_error"]["name"].as_str().unwrap_or_default().to_string();
        assert!(stderr.contains(&name) && !name.is_empty(), "the error names the program error: {stderr}");
        assert!(!stderr.contains("0x"), "no hex code: {stderr}");
        name
    }

    /// The raw account data at `address` in the state file, if the account exists.
    pub fn data(&self, address: &Pubkey) -> Option<Vec<u8>> {
        let state: Value = serde_json::from_str(&std::fs::read_to_string(&self.state).unwrap()).unwrap();
        let account = state["accounts"].as_array().unwrap().iter().find(|a| a["address"] == address.to_string())?;
        let hex = account["data"].as_str().unwrap();
        Some((0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect())
    }

    /// The program account of type `T` at `address` (panics when there is none).
    pub fn decode<T: AccountDeserialize>(&self, address: &Pubkey) -> T {
        decode::account(&self.data(address).unwrap_or_else(|| panic!("no account at {address}"))).unwrap()
    }

    /// The wallet `name`'s balance in its associated token account, in base units.
    pub fn balance(&self, name: &str) -> u64 {
        self.token_balance(&self.token_account(name))
    }

    /// The Clock's unix time.
    pub fn clock(&self) -> i64 {
        let state: Value = serde_json::from_str(&std::fs::read_to_string(&self.state).unwrap()).unwrap();
        state["unix_timestamp"].as_i64().unwrap()
    }

    /// Runs the CLI, requires it to fail before sending anything (the chain unchanged) and
    /// returns its standard error.
    pub fn fails(&self, signer: &str, args: &[&str]) -> String {
        let before = std::fs::read_to_string(&self.state).unwrap();
        let out = self.run(signer, args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{args:?} should have failed");
        assert_eq!(std::fs::read_to_string(&self.state).unwrap(), before, "{args:?} failed but changed the chain");
        stderr
    }

    /// `operator initialize` with the local floors and short windows (cover 100 s, cooldown
    /// 200 s, holds of at most 100 s, no role change delay of its own: R34 makes changes wait
    /// 301 s) plus `extra`.
    pub fn initialize(&self, extra: &[&str]) -> Output {
        let mint = self.mint.to_string();
        let (oracle, rewards, slasher, treasury) =
            (self.key_str("oracle"), self.key_str("rewards"), self.key_str("slasher"), self.pubkey("treasury").to_string());
        let mut args = vec![
            "operator",
            "initialize",
            "--mint",
            &mint,
            "--oracle",
            &oracle,
            "--reward-authority",
            &rewards,
            "--slash-authority",
            &slasher,
            "--treasury",
            &treasury,
            "--floors",
            "local",
            "--set",
            "cover_window_secs=100",
            "--set",
            "cooldown_secs=200",
            "--set",
            "max_hold_secs=100",
            "--set",
            "role_change_delay_secs=0",
        ];
        args.extend_from_slice(extra);
        self.run("deployer", &args)
    }

    /// The device `gpu-1`.
    pub fn device(&self) -> Device {
        self.decode(&pda::device(&device_id("gpu-1")).0)
    }

    /// The address of the device `gpu-1`.
    pub fn device_key(&self) -> Pubkey {
        pda::device(&device_id("gpu-1")).0
    }

    /// Position `seq` in the table of `gpu-1`.
    pub fn position(&self, seq: u64) -> Position {
        *self.device().position(seq).unwrap_or_else(|_| panic!("no position #{seq} in the table"))
    }

    /// The associated token account of the wallet `name`.
    pub fn token_account(&self, name: &str) -> Pubkey {
        ix::associated_token(&self.pubkey(name), &ix::Mint { mint: self.mint, token_program: anchor_spl::token::ID })
    }

    /// The balance of the token account at `address`, in base units (0 when there is none).
    pub fn token_balance(&self, address: &Pubkey) -> u64 {
        token::amount(self.data(address).as_deref())
    }

    /// Moves the Clock forward by `secs`.
    pub fn warp(&self, secs: i64) {
        self.ok("deployer", &["svm", "warp", "--by", &secs.to_string()]);
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
