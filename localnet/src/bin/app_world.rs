//! `app_world`: seeds a running local validator for the web app (app/) and writes what it made
//! as one JSON file: `make app` (tools/app/serve.sh) and the browser tests (app/e2e/harness.ts).
//!
//! ```text
//! app_world --url URL --out FILE --state DIR [--authority FILE]
//! ```
//!
//! The validator must be fresh (no config yet): one of tools/localnet/start.sh, whose funded
//! wallet and program upgrade authority is `--authority` (default `authority.json` in
//! `LOCALNET_DIR`, else `.localnet/`). That wallet pays every set-up and is the mint authority;
//! it signs the deploy step as the upgrade authority. Every other wallet is a new keypair file in
//! `--state` (replaced on each run):
//!
//! | wallet | role | SOL | tokens |
//! |---|---|---|---|
//! | `admin` | the config's admin | 10 | 0 |
//! | `oracle` | co-signs registrations, hired status, termination | 10 | 0 |
//! | `rewardAuthority` | pays reward blocks (`operator distribute-rewards`) | 10 | 1,000,000 |
//! | `slashAuthority` | slashes | 10 | 0 |
//! | `treasury` | receives slashes (token account created, empty) | 1 | 0 |
//! | `owner` | two unstaked devices: 1 GPU x1 (minimum 200) and 8 GPUs x10 (minimum 16,000) | 10 | 50,000 |
//! | `costaker` | nothing yet | 10 | 20,000 |
//! | `owner2` | one device, 4 GPUs x2, staked at its minimum 1,600, with an open offer of 800 for 70% | 10 | 10,000 |
//!
//! The mint is a new SPL Token mint of 6 decimals; the config is made by migrations/deploy.sh
//! with migrations/params.localnet.toml (cover window 15 s, cooldown 30 s); registrations,
//! stake and offer go through the `device-staking` CLI (`DEVICE_STAKING_CLI`, else
//! target/debug/device-staking), as a user runs them.
//!
//! The JSON: `{ rpcUrl, programId, mint, decimals, params: { coverWindowSecs, cooldownSecs },
//! wallets: { NAME: { address, keypair } }, devices: [{ address, deviceId, deviceIdHex, owner,
//! ownerWallet, gpus, multiplierBps, minRequired, ownerStake, openOffer }] }` (amounts in base
//! units; `keypair` an absolute path; `openOffer` null or `{ address, amount, rewardShareBps }`).
//! It is written at the end, in one rename, so its presence means the chain was seeded.
use anchor_lang::prelude::Pubkey;
use device_staking_client::device_staking::state::{Config, Device, Offer, OfferState};
use device_staking_client::{pda, token, PROGRAM_ID};
use device_staking_localnet::{root, state_dir, Cast, Cli, Validator};
use serde_json::{json, Value};
use solana_signer::Signer;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The mint's decimals.
const DECIMALS: u8 = 6;
/// One token in base units.
const UNIT: u64 = 1_000_000;
/// One SOL in lamports.
const SOL: u64 = 1_000_000_000;
/// Wallets funded per set-up transaction (each adds a transfer, an account creation and a mint).
const WALLETS_PER_FUNDING_TX: usize = 4;

/// One wallet of the world: its name in the JSON, its file name, SOL and whole tokens.
struct WalletPlan {
    /// Its key under `wallets` in the JSON.
    name: &'static str,
    /// Lamports it gets.
    lamports: u64,
    /// Whole tokens it gets (an empty token account is created even for 0).
    tokens: u64,
}

/// The wallets made as new keypair files, in the order they are funded.
const WALLETS: [WalletPlan; 8] = [
    WalletPlan {
        name: "admin",
        lamports: 10 * SOL,
        tokens: 0,
    },
    WalletPlan {
        name: "oracle",
        lamports: 10 * SOL,
        tokens: 0,
    },
    WalletPlan {
        name: "rewardAuthority",
        lamports: 10 * SOL,
        tokens: 1_000_000,
    },
    WalletPlan {
        name: "slashAuthority",
        lamports: 10 * SOL,
        tokens: 0,
    },
    WalletPlan {
        name: "treasury",
        lamports: SOL,
        tokens: 0,
    },
    WalletPlan {
        name: "owner",
        lamports: 10 * SOL,
        tokens: 50_000,
    },
    WalletPlan {
        name: "costaker",
        lamports: 10 * SOL,
        tokens: 20_000,
    },
    WalletPlan {
        name: "owner2",
        lamports: 10 * SOL,
        tokens: 10_000,
    },
];

/// One device of the world and what its owner does with it.
struct DevicePlan {
    /// Its id: a text of at most 32 bytes, padded with zeros.
    label: &'static str,
    /// Its owner's wallet name.
    owner: &'static str,
    /// GPUs the oracle attests.
    gpus: u16,
    /// Earning multiplier in basis points (10,000 = x1).
    multiplier_bps: u32,
    /// The owner stakes the minimum and opens an offer of this many whole tokens at this share
    /// (`owner offer create --share`), or leaves the device unstaked.
    offer: Option<(u64, &'static str)>,
}

/// The devices: the owner's two stay unstaked; owner2's is staked with an open offer.
const DEVICES: [DevicePlan; 3] = [
    DevicePlan {
        label: "owner-1gpu",
        owner: "owner",
        gpus: 1,
        multiplier_bps: 10_000,
        offer: None,
    },
    DevicePlan {
        label: "owner-8gpu",
        owner: "owner",
        gpus: 8,
        multiplier_bps: 100_000,
        offer: None,
    },
    DevicePlan {
        label: "owner2-4gpu",
        owner: "owner2",
        gpus: 4,
        multiplier_bps: 20_000,
        offer: Some((800, "70%")),
    },
];

/// The command line.
struct Args {
    /// The validator's RPC URL.
    url: String,
    /// Where the JSON goes.
    out: PathBuf,
    /// Where the keypair files go.
    state: PathBuf,
    /// The validator's funded wallet and upgrade authority.
    authority: PathBuf,
}

/// How to call it, shown on a usage error.
const USAGE: &str = "usage: app_world --url URL --out FILE --state DIR [--authority FILE]";

impl Args {
    /// Parses `--url`, `--out`, `--state` (all required) and `--authority`.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let (mut url, mut out, mut state, mut authority) = (None, None, None, None);
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--url" => url = Some(value),
                "--out" => out = Some(PathBuf::from(value)),
                "--state" => state = Some(PathBuf::from(value)),
                "--authority" => authority = Some(PathBuf::from(value)),
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(Self {
            url: url.ok_or("--url is required")?,
            out: absolute(&out.ok_or("--out is required")?),
            state: absolute(&state.ok_or("--state is required")?),
            authority: absolute(&authority.unwrap_or_else(|| state_dir().join("authority.json"))),
        })
    }
}

/// `path` made absolute against the current folder, so the JSON's paths work from anywhere.
fn absolute(path: &Path) -> PathBuf {
    std::env::current_dir()
        .expect("the current folder")
        .join(path)
}

/// A device id: `label`'s bytes padded with zeros to 32.
fn device_id(label: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    id[..label.len()].copy_from_slice(label.as_bytes());
    id
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The world's wallets: their keypair files in the state folder, and the validator's authority.
struct Wallets {
    /// `<name>.json` for every wallet of [`WALLETS`].
    cast: Cast,
    /// The validator's authority's keypair file.
    authority: PathBuf,
}

impl Wallets {
    /// Writes a new keypair file for every wallet of [`WALLETS`] into `dir`, replacing old ones.
    fn create(dir: &Path, authority: &Path) -> Self {
        let names: Vec<&str> = WALLETS.iter().map(|plan| plan.name).collect();
        Self { cast: Cast::create(dir, &names), authority: authority.to_path_buf() }
    }

    /// The keypair file of `name` (`authority` is the validator's).
    fn file(&self, name: &str) -> PathBuf {
        if name == "authority" {
            self.authority.clone()
        } else {
            PathBuf::from(self.cast.file(name))
        }
    }

    /// The keypair file of `name` as a CLI argument.
    fn arg(&self, name: &str) -> String {
        self.file(name).display().to_string()
    }

    /// The address of `name`.
    fn pubkey(&self, name: &str) -> Pubkey {
        let file = self.file(name);
        solana_keypair::read_keypair_file(&file)
            .unwrap_or_else(|e| panic!("read {}: {e}", file.display()))
            .pubkey()
    }

    /// `{ address, keypair }` of `name`.
    fn json(&self, name: &str) -> Value {
        json!({ "address": self.pubkey(name).to_string(), "keypair": self.arg(name) })
    }
}

/// Runs migrations/deploy.sh as the validator's authority with the roles of `wallets` and the
/// localnet parameters; panics with its output when it fails.
fn deploy(v: &Validator, cli: &Cli, wallets: &Wallets, mint: &Pubkey) {
    let out = Command::new(root().join("migrations/deploy.sh"))
        .env("DEVICE_STAKING_CLI", cli.binary())
        .args([
            "--url",
            &v.url,
            "-k",
            &v.authority_file.display().to_string(),
            "--mint",
            &mint.to_string(),
        ])
        .args([
            "--params",
            &root()
                .join("migrations/params.localnet.toml")
                .display()
                .to_string(),
        ])
        .args([
            "--admin",
            &wallets.arg("admin"),
            "--oracle",
            &wallets.arg("oracle"),
        ])
        .args([
            "--reward-authority",
            &wallets.arg("rewardAuthority"),
            "--slash-authority",
            &wallets.arg("slashAuthority"),
        ])
        .args(["--treasury", &wallets.pubkey("treasury").to_string()])
        .output()
        .expect("run migrations/deploy.sh");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("$ migrations/deploy.sh -> {}\n{text}", out.status);
    assert!(out.status.success(), "migrations/deploy.sh failed:\n{text}");
}

/// Funds every wallet of [`WALLETS`] with its SOL and tokens, a few wallets per transaction.
fn fund(v: &Validator, wallets: &Wallets, mint: &Pubkey) {
    for chunk in WALLETS.chunks(WALLETS_PER_FUNDING_TX) {
        let mut instructions = Vec::new();
        for plan in chunk {
            let wallet = wallets.pubkey(plan.name);
            instructions.extend(v.funding_instructions(
                &wallet,
                plan.lamports,
                mint,
                plan.tokens * UNIT,
            ));
            if plan.tokens == 0 {
                instructions.push(token::create_associated_account(
                    &v.authority.pubkey(),
                    &wallet,
                    mint,
                    &anchor_spl::token::ID,
                ));
            }
        }
        v.send(&instructions, &[]);
    }
}

/// Registers, and stakes and offers where planned, every device of [`DEVICES`] through the CLI;
/// returns each device's JSON entry, read back from the chain.
fn devices(v: &Validator, cli: &Cli, wallets: &Wallets) -> Vec<Value> {
    let oracle = wallets.arg("oracle");
    DEVICES
        .iter()
        .map(|plan| {
            let owner = wallets.arg(plan.owner);
            let (gpus, multiplier) = (plan.gpus.to_string(), plan.multiplier_bps.to_string());
            cli.ok(&owner, &["owner", "register", plan.label, "--gpus", &gpus, "--multiplier-bps", &multiplier, "--oracle-keypair", &oracle]);
            let id = device_id(plan.label);
            let address = pda::device(&id).0;
            let registered: Device = v.decode(&address).unwrap_or_else(|| panic!("device {} not found after its registration", plan.label));
            if let Some((amount, share)) = plan.offer {
                let minimum = (registered.min_required / UNIT).to_string();
                cli.ok(&owner, &["owner", "stake", plan.label, &minimum]);
                cli.ok(&owner, &["owner", "offer", "create", plan.label, &amount.to_string(), "--share", share]);
            }
            let device: Device = v.decode(&address).expect("the device, read back");
            let open_offer = device.open_offer.map(|seq| {
                let offer_address = pda::offer(&address, seq).0;
                let offer: Offer = v.decode(&offer_address).expect("the open offer, read back");
                assert_eq!(offer.state, OfferState::Open, "offer #{seq} of {} should be open", plan.label);
                json!({ "address": offer_address.to_string(), "amount": offer.amount, "rewardShareBps": offer.reward_share_bps })
            });
            json!({
                "address": address.to_string(),
                "deviceId": plan.label,
                "deviceIdHex": hex(&id),
                "owner": device.owner.to_string(),
                "ownerWallet": plan.owner,
                "gpus": device.gpu_count,
                "multiplierBps": device.multiplier_bps,
                "minRequired": device.min_required,
                "ownerStake": device.owner_stake,
                "openOffer": open_offer,
            })
        })
        .collect()
}

/// Seeds the validator of `args` and writes the JSON; panics with the failing step's message.
fn seed(args: &Args) {
    let started = Instant::now();
    let v = Validator::attach(&args.url, &args.authority);
    let config_address = pda::config().0;
    let existing = v
        .rpc
        .get_account_with_commitment(&config_address, v.rpc.commitment())
        .unwrap_or_else(|e| panic!("read the config at {}: {e}", args.url))
        .value;
    assert!(
        existing.is_none(),
        "the chain at {} already has a config ({config_address}); app_world seeds a fresh validator only: restart it (tools/localnet/start.sh resets the ledger)",
        args.url
    );
    let cli = Cli::new(&args.url);
    let wallets = Wallets::create(&args.state, &args.authority);
    let mint = v.create_mint(DECIMALS);
    fund(&v, &wallets, &mint);
    deploy(&v, &cli, &wallets, &mint);
    let config: Config = v
        .decode(&config_address)
        .expect("the config after the deploy step");
    let devices = devices(&v, &cli, &wallets);

    let mut named = serde_json::Map::new();
    for name in WALLETS.iter().map(|w| w.name).chain(["authority"]) {
        named.insert(name.to_string(), wallets.json(name));
    }
    let world = json!({
        "rpcUrl": args.url,
        "programId": PROGRAM_ID.to_string(),
        "mint": mint.to_string(),
        "decimals": DECIMALS,
        "params": { "coverWindowSecs": config.params.cover_window_secs, "cooldownSecs": config.params.cooldown_secs },
        "wallets": named,
        "devices": devices,
    });

    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    let partial = args.out.with_extension("json.partial");
    std::fs::write(
        &partial,
        serde_json::to_string_pretty(&world).expect("JSON") + "\n",
    )
    .unwrap_or_else(|e| panic!("write {}: {e}", partial.display()));
    std::fs::rename(&partial, &args.out).unwrap_or_else(|e| {
        panic!(
            "rename {} to {}: {e}",
            partial.display(),
            args.out.display()
        )
    });
    eprintln!(
        "[app_world] seeded {} in {:.1} s: {}",
        args.url,
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
}

/// Seeds the validator of the command line's `--url`; exit code 2 on a usage error.
fn main() -> ExitCode {
    match Args::parse(std::env::args().skip(1)) {
        Ok(args) => {
            seed(&args);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("app_world: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
