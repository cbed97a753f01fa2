//! The CLI's commands run as a user runs them (the built binary), against an embedded LiteSVM
//! kept in a file (`--url svm:PATH`). Every assertion reads the chain's state from that file
//! and decodes it with the program's own types: balances, accounts, and the program's error
//! names for refusals.
use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
use anchor_spl::token_2022::spl_token_2022::state::Account as TokenAccount;
use device_staking_client::device_staking::state::{Config, Device, Offer, OfferState, Ticket};
use device_staking_client::{decode, ix, pda};
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One token is a million base units (the tests' mint has 6 decimals).
const UNIT: u64 = 1_000_000;
/// The Clock of a new state file (`svm init`'s default).
const GENESIS: i64 = 1_750_000_000;

/// A state file, the keypair files of the cast, and the mint.
struct World {
    dir: PathBuf,
    state: PathBuf,
    mint: Pubkey,
}

/// The program binary must exist: the commands deploy it into the LiteSVM.
fn require_program() {
    let so = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/device_staking.so");
    assert!(so.is_file(), "{} is missing: run make build first", so.display());
}

impl World {
    /// A new chain with the program, a 6-decimal mint, and funded wallets for `names`.
    fn new(test: &str) -> Self {
        require_program();
        let dir = std::env::temp_dir().join(format!("device-staking-cli-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let state = dir.join("chain.json");
        let mut world = Self { dir, state, mint: Pubkey::default() };
        for name in ["deployer", "owner", "oracle", "costaker", "rewards", "slasher", "treasury", "mint", "stranger"] {
            let keypair = Keypair::new();
            let bytes: Vec<String> = keypair.to_bytes().iter().map(|b| b.to_string()).collect();
            std::fs::write(world.key(name), format!("[{}]", bytes.join(","))).unwrap();
        }
        world.ok("deployer", &["svm", "init"]);
        for name in ["deployer", "owner", "oracle", "costaker", "rewards", "slasher", "stranger"] {
            world.ok("deployer", &["svm", "airdrop", &world.key_str(name)]);
        }
        world.ok("deployer", &["svm", "create-mint", "--decimals", "6", "--mint-keypair", &world.key_str("mint")]);
        world.mint = world.pubkey("mint");
        let mint = world.mint.to_string();
        for (name, amount) in [("owner", "20000"), ("costaker", "8000"), ("rewards", "10000")] {
            world.ok("deployer", &["svm", "mint-to", &mint, &world.key_str(name), amount]);
        }
        world
    }

    fn key(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    fn key_str(&self, name: &str) -> String {
        self.key(name).display().to_string()
    }

    fn pubkey(&self, name: &str) -> Pubkey {
        let text = std::fs::read_to_string(self.key(name)).unwrap();
        let bytes: Vec<u8> = text.trim_matches(['[', ']']).split(',').map(|n| n.parse().unwrap()).collect();
        Keypair::try_from(bytes.as_slice()).unwrap().pubkey()
    }

    /// Runs the CLI signed by `signer`'s keypair.
    fn run(&self, signer: &str, args: &[&str]) -> Output {
        let url = format!("svm:{}", self.state.display());
        Command::new(env!("CARGO_BIN_EXE_device-staking"))
            .args(["--url", &url, "-k", &self.key_str(signer)])
            .args(args)
            .output()
            .expect("run the CLI")
    }

    /// Runs the CLI and requires success; its standard output.
    fn ok(&self, signer: &str, args: &[&str]) -> String {
        let out = self.run(signer, args);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        stdout
    }

    /// Runs the CLI with `--output json` and requires success; the JSON object.
    fn json(&self, signer: &str, args: &[&str]) -> Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let stdout = self.ok(signer, &all);
        assert_eq!(stdout.lines().count(), 1, "one JSON object: {stdout}");
        serde_json::from_str(&stdout).unwrap()
    }

    /// Runs the CLI with `--output json`, requires a refusal, and returns the program error's name.
    fn refused(&self, signer: &str, args: &[&str]) -> String {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        let out = self.run(signer, &all);
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
    fn data(&self, address: &Pubkey) -> Option<Vec<u8>> {
        let state: Value = serde_json::from_str(&std::fs::read_to_string(&self.state).unwrap()).unwrap();
        let account = state["accounts"].as_array().unwrap().iter().find(|a| a["address"] == address.to_string())?;
        let hex = account["data"].as_str().unwrap();
        Some((0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect())
    }

    fn decode<T: AccountDeserialize>(&self, address: &Pubkey) -> T {
        decode::account(&self.data(address).unwrap_or_else(|| panic!("no account at {address}"))).unwrap()
    }

    /// The wallet `name`'s balance in its associated token account, in base units.
    fn balance(&self, name: &str) -> u64 {
        let mint = ix::Mint { mint: self.mint, token_program: anchor_spl::token::ID };
        self.data(&ix::associated_token(&self.pubkey(name), &mint))
            .map_or(0, |d| StateWithExtensions::<TokenAccount>::unpack(&d).unwrap().base.amount)
    }

    fn clock(&self) -> i64 {
        let state: Value = serde_json::from_str(&std::fs::read_to_string(&self.state).unwrap()).unwrap();
        state["unix_timestamp"].as_i64().unwrap()
    }

    /// `operator initialize` with short windows (cover 100 s, cooldown 200 s) plus `extra`.
    fn initialize(&self, extra: &[&str]) -> Output {
        let mint = self.mint.to_string();
        let (oracle, rewards, slasher, treasury) = (self.key_str("oracle"), self.key_str("rewards"), self.key_str("slasher"), self.pubkey("treasury").to_string());
        let mut args = vec![
            "operator", "initialize", "--mint", &mint, "--oracle", &oracle, "--reward-authority", &rewards, "--slash-authority", &slasher,
            "--treasury", &treasury, "--set", "cover_window_secs=100", "--set", "cooldown_secs=200",
        ];
        args.extend_from_slice(extra);
        self.run("deployer", &args)
    }

    fn device(&self) -> Device {
        self.decode(&pda::device(&device_id("gpu-1")).0)
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn device_id(text: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    id[..text.len()].copy_from_slice(text.as_bytes());
    id
}

#[test]
fn initialize_is_idempotent_and_names_what_differs() {
    let world = World::new("initialize");
    let first = world.initialize(&[]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let config: Config = world.decode(&pda::config().0);
    assert_eq!((config.params.cover_window_secs, config.params.cooldown_secs), (100, 200));
    assert_eq!(config.params.base_stake_per_gpu, 200 * UNIT);
    assert_eq!(config.oracle.current, world.pubkey("oracle"));
    assert_eq!(config.admin, world.pubkey("deployer"));

    let again = world.initialize(&[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already exists with these values"));

    let differs = world.initialize(&["--set", "cooldown_secs=300"]);
    assert!(!differs.status.success());
    let stderr = String::from_utf8_lossy(&differs.stderr);
    assert!(stderr.contains("cooldown_secs: on chain 200, wanted 300"), "{stderr}");
    let config: Config = world.decode(&pda::config().0);
    assert_eq!(config.params.cooldown_secs, 200);

    // out of the program's bounds: refused before sending
    let fresh = World::new("initialize-bounds");
    let bad = fresh.initialize(&["--set", "max_costake_bps=9000"]);
    assert!(!bad.status.success());
    assert!(fresh.data(&pda::config().0).is_none());
}

#[test]
fn a_device_lives_through_stake_offer_fill_rewards_and_exits() {
    let world = World::new("lifecycle");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    let reg = world.json("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    assert_eq!(reg["min_required"]["base_units"], 16_000 * UNIT);
    let device_key = pda::device(&device_id("gpu-1")).0;
    assert_eq!(world.device().owner, world.pubkey("owner"));

    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    assert_eq!(world.device().owner_stake, 16_000 * UNIT);
    assert_eq!(world.balance("owner"), 4_000 * UNIT);

    world.ok("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74%"]);
    let offer: Offer = world.decode(&pda::offer(&device_key, 0).0);
    assert_eq!((offer.state, offer.amount, offer.reward_share_bps), (OfferState::Open, 8_000 * UNIT, 7_400));

    let market = world.json("costaker", &["costaker", "offers"]);
    let listed = market["offers"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["device"], device_key.to_string());
    assert_eq!(listed[0]["gpu_count"], 8);
    assert_eq!(listed[0]["amount"]["base_units"], 8_000 * UNIT);
    assert_eq!(listed[0]["reward_share_bps"], 7_400);

    // stale terms are refused by the program
    assert_eq!(world.refused("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "75"]), "OfferTermsMismatch");
    world.ok("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    assert_eq!(world.balance("costaker"), 0);
    let device = world.device();
    assert_eq!(device.filled.map(|f| f.costaker), Some(world.pubkey("costaker")));

    let status = world.json("owner", &["status", "gpu-1"]);
    assert_eq!(status["eligible"], true);
    assert_eq!(status["counted_stake"]["base_units"], 24_000 * UNIT);
    let text = world.ok("owner", &["status", "gpu-1"]);
    assert!(text.contains("eligible") && text.contains("24,000.000000"), "{text}");
    let wallet = world.json("costaker", &["status"]);
    assert_eq!(wallet["positions"].as_array().unwrap().len(), 1);

    // one block: 74% to the position, the rest to the owner
    world.ok("deployer", &["svm", "warp", "--by", "3600"]);
    let csv = world.dir.join("rewards.csv");
    std::fs::write(&csv, "device,amount\ngpu-1,1000\n").unwrap();
    let paid = world.json("rewards", &["operator", "distribute-rewards", "--csv", &csv.display().to_string(), "--block-id", "1", "--block-start", &GENESIS.to_string()]);
    assert_eq!(paid["entries"][0]["credited"]["base_units"], 1_000 * UNIT);
    let device = world.device();
    assert_eq!((device.owner_rewards, device.positions_rewards), (260 * UNIT, 740 * UNIT));
    assert_eq!(world.balance("rewards"), 9_000 * UNIT);
    // the same block again is refused
    assert_eq!(
        world.refused("rewards", &["operator", "distribute-rewards", "--csv", &csv.display().to_string(), "--block-id", "1", "--block-start", &GENESIS.to_string()]),
        "BlockAlreadyPaid"
    );

    // the whole overflow: 260 rewards + 8,000 principal above the minimum
    world.ok("owner", &["owner", "withdraw-overflow", "gpu-1"]);
    assert_eq!(world.balance("owner"), 12_260 * UNIT);
    assert_eq!(world.device().owner_stake, 8_000 * UNIT);
    assert_eq!(world.refused("owner", &["owner", "withdraw-overflow", "gpu-1", "1"]), "ExceedsOverflow");

    world.ok("costaker", &["costaker", "cancel", "gpu-1"]);
    let offer: Offer = world.decode(&pda::offer(&device_key, 0).0);
    assert_eq!(offer.state, OfferState::Exiting);
    assert_eq!(offer.unlock_at, world.clock() + 300);

    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    let ticket: Ticket = world.decode(&pda::ticket(&device_key, 0).0);
    assert_eq!((ticket.amount, ticket.unlock_at), (8_000 * UNIT, world.clock() + 200));
    assert!(world.device().unstaking);
    assert_eq!(world.refused("stranger", &["owner", "withdraw", "gpu-1"]), "StillLocked");
    assert_eq!(world.refused("costaker", &["costaker", "withdraw", "gpu-1"]), "StillLocked");

    world.ok("deployer", &["svm", "warp", "--by", "200"]);
    world.ok("stranger", &["owner", "withdraw", "gpu-1"]);
    assert_eq!(world.balance("owner"), 20_260 * UNIT);
    assert!(world.data(&pda::ticket(&device_key, 0).0).is_none());
    world.ok("costaker", &["costaker", "withdraw", "gpu-1"]);
    assert_eq!(world.balance("costaker"), 8_740 * UNIT);
    assert!(world.data(&pda::offer(&device_key, 0).0).is_none());
    let device = world.device();
    assert_eq!((device.principal_ledger().unwrap(), device.rewards_ledger().unwrap()), (0, 0));
}

#[test]
fn registration_cosigned_by_the_oracle_in_a_file_and_offers_retracted() {
    let world = World::new("cosign");
    assert!(world.initialize(&[]).status.success());
    let file = world.dir.join("registration.json");
    let owner = world.pubkey("owner").to_string();
    let out = file.display().to_string();
    world.ok("oracle", &["operator", "cosign-registration", "gpu-1", "--owner", &owner, "--gpus", "4", "--multiplier-bps", "2500", "--out", &out]);
    // only the owner named in the file may complete it
    let stranger = world.run("stranger", &["owner", "register", "--cosigned", &out]);
    assert!(!stranger.status.success());
    assert!(world.data(&pda::device(&device_id("gpu-1")).0).is_none());

    world.ok("owner", &["owner", "register", "--cosigned", &out]);
    let device = world.device();
    assert_eq!((device.gpu_count, device.multiplier_bps, device.min_required), (4, 2_500, 800 * UNIT));

    world.ok("owner", &["owner", "stake", "gpu-1", "800"]);
    world.ok("owner", &["owner", "offer", "create", "gpu-1", "400", "--share", "50"]);
    assert_eq!(world.device().open_offer, Some(0));
    world.ok("owner", &["owner", "offer", "retract", "gpu-1"]);
    assert_eq!(world.device().open_offer, None);
    assert!(world.data(&pda::offer(&pda::device(&device_id("gpu-1")).0, 0).0).is_none());
    // not the owner: refused by the program with its error name
    assert_eq!(world.refused("stranger", &["owner", "unstake", "gpu-1"]), "NotDeviceOwner");
    assert!(!world.device().unstaking);
}
