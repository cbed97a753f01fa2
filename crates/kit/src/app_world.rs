//! The app's world: seeds a running local validator for the web app (app/) and writes what it
//! made as one JSON file; the binary `app-world` of this crate runs it for `make app`
//! (tools/app/serve.sh) and the browser tests (app/e2e/harness.ts, through the validator test
//! crate's `app_world`). It is staged with the kit: an RPC [`Stage`] paid by the validator's
//! authority, the wallets as [`KeyFiles`], the local parameters of [`deploy::local_params`], and
//! [`deploy::initialize`].
//!
//! ```text
//! app-world --url URL --out FILE --state DIR [--authority FILE]
//! ```
//!
//! The validator must be fresh (no config yet): one of tools/localnet/start.sh, whose funded
//! wallet and program upgrade authority is `--authority` (default `authority.json` in
//! `LOCALNET_DIR`, else `.localnet/`). That wallet pays every set-up, is the mint authority, and
//! initializes the config as the upgrade authority. Every other wallet is a new keypair file in
//! `--state` (replaced on each run):
//!
//! | wallet | role | SOL | tokens |
//! |---|---|---|---|
//! | `admin` | the config's admin; has announced new parameters and a new oracle | 10 | 0 |
//! | `oracle` | co-signs registrations, hired status, termination | 10 | 0 |
//! | `nextOracle` | proposed as the next oracle, has not accepted | 1 | 0 |
//! | `rewardAuthority` | pays reward blocks (`operator distribute-rewards`) | 10 | 1,000,000 |
//! | `slashAuthority` | holds and slashes | 10 | 0 |
//! | `treasury` | receives slashes (token account created, empty) | 1 | 0 |
//! | `owner` | two unstaked devices: 1 GPU x1 (minimum 200) and 8 GPUs x10 (minimum 16,000, hired for an hour) | 10 | 50,000 |
//! | `costaker` | nothing yet | 10 | 20,000 |
//! | `owner2` | one device, 4 GPUs x2, staked at its minimum 1,600, with an open offer of 800 for 70% | 10 | 10,000 |
//!
//! The mint is a new SPL Token mint of 6 decimals. The config is initialized here (R30) with the
//! local floors (cover window 1 s, cooldown 1 s, role change delay 0 s) and the protocol's
//! default parameters with the values of migrations/params.localnet.toml (cover window 15 s,
//! cooldown 30 s, longest hold 15 s), except the admin's role change delay: one day, so that the
//! changes the admin then announces stay pending through a session (R34: they apply a day and a
//! second later). The announced changes: the highest reward share lowered to 90% and a new oracle
//! (`nextOracle`, which has not accepted). Registrations (co-signed by the oracle), stakes, the
//! offer and the hired mark are sent with the client crate's instruction builders.
//!
//! The JSON: `{ rpcUrl, programId, config, mint, decimals, params: { coverWindowSecs,
//! cooldownSecs }, announced: { paramsEffectiveAt, maxRewardShareBps, oracle, oracleEffectiveAt },
//! wallets: { NAME: { address, keypair } }, devices: [{ address, deviceId, deviceIdHex, owner,
//! ownerWallet, gpus, multiplierBps, minRequired, ownerStake, hiredUntil, openOffer }] }`
//! (amounts in base units; times in unix seconds; `keypair` an absolute path; `openOffer` null or
//! `{ address, amount, rewardShareBps }`). It is written at the end, in one rename, so its
//! presence means the chain was seeded.
use crate::chain::litesvm::hex;
use crate::chain::rpc::RpcChain;
use crate::chain::ComputeBudget;
use crate::deploy::{self, LOCAL_FLOORS};
use crate::roles::{KeyFiles, Roles};
use crate::stage::{device_id, Stage, DECIMALS, SOL, UNIT};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use device_staking_client::device_staking::state::{min_required, Config, Device, Offer, OfferState, Params, Role};
use device_staking_client::ix::{self, Mint};
use device_staking_client::{pda, PROGRAM_ID};
use serde_json::{json, Value};
use solana_commitment_config::CommitmentLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Wallets funded per set-up transaction (each adds a transfer, an account creation and a mint).
const WALLETS_PER_FUNDING_TX: usize = 4;
/// The admin's role change delay in this world: announced changes stay pending for a day (R34).
const ROLE_CHANGE_DELAY_SECS: i64 = 86_400;
/// The highest reward share the admin announces (basis points).
const ANNOUNCED_MAX_REWARD_SHARE_BPS: u16 = 9_000;

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
const WALLETS: [WalletPlan; 9] = [
    WalletPlan { name: "admin", lamports: 10 * SOL, tokens: 0 },
    WalletPlan { name: "oracle", lamports: 10 * SOL, tokens: 0 },
    WalletPlan { name: "nextOracle", lamports: SOL, tokens: 0 },
    WalletPlan { name: "rewardAuthority", lamports: 10 * SOL, tokens: 1_000_000 },
    WalletPlan { name: "slashAuthority", lamports: 10 * SOL, tokens: 0 },
    WalletPlan { name: "treasury", lamports: SOL, tokens: 0 },
    WalletPlan { name: "owner", lamports: 10 * SOL, tokens: 50_000 },
    WalletPlan { name: "costaker", lamports: 10 * SOL, tokens: 20_000 },
    WalletPlan { name: "owner2", lamports: 10 * SOL, tokens: 10_000 },
];

/// One device of the world and what its owner (and the oracle) do with it.
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
    /// (basis points), or leaves the device unstaked.
    offer: Option<(u64, u16)>,
    /// The oracle marks it hired for this many seconds from now (R7), or not.
    hired_secs: Option<i64>,
}

/// The devices: the owner's two stay unstaked (the big one hired for an hour); owner2's is staked with an open offer.
const DEVICES: [DevicePlan; 3] = [
    DevicePlan { label: "owner-1gpu", owner: "owner", gpus: 1, multiplier_bps: 10_000, offer: None, hired_secs: None },
    DevicePlan { label: "owner-8gpu", owner: "owner", gpus: 8, multiplier_bps: 100_000, offer: None, hired_secs: Some(3_600) },
    DevicePlan {
        label: "owner2-4gpu",
        owner: "owner2",
        gpus: 4,
        multiplier_bps: 20_000,
        offer: Some((800, 7_000)),
        hired_secs: None,
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
const USAGE: &str = "usage: app-world --url URL --out FILE --state DIR [--authority FILE]";

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
            authority: absolute(&authority.unwrap_or_else(|| localnet_dir().join("authority.json"))),
        })
    }
}

/// The local validator's state folder: `LOCALNET_DIR` as tools/localnet/start.sh takes it,
/// default `.localnet/` in the workspace.
fn localnet_dir() -> PathBuf {
    std::env::var_os("LOCALNET_DIR").map(PathBuf::from).unwrap_or_else(|| deploy::root().join(".localnet"))
}

/// `path` made absolute against the current folder, so the JSON's paths work from anywhere.
fn absolute(path: &Path) -> PathBuf {
    std::env::current_dir().expect("the current folder").join(path)
}

/// The world's wallets: their keypair files in the state folder, and the validator's authority.
struct Wallets {
    /// `<name>.json` for every wallet of [`WALLETS`].
    files: KeyFiles,
    /// The validator's authority's keypair file.
    authority: PathBuf,
}

impl Wallets {
    /// Writes a new keypair file for every wallet of [`WALLETS`] into `dir`, replacing old ones.
    fn create(dir: &Path, authority: &Path) -> Self {
        let names: Vec<&str> = WALLETS.iter().map(|plan| plan.name).collect();
        let files = KeyFiles::create(dir, &names).unwrap_or_else(|e| panic!("{e}"));
        Self { files, authority: authority.to_path_buf() }
    }

    /// The keypair file of `name` (`authority` is the validator's).
    fn file(&self, name: &str) -> PathBuf {
        if name == "authority" {
            self.authority.clone()
        } else {
            self.files.file(name)
        }
    }

    /// The keypair of `name`.
    fn keypair(&self, name: &str) -> Keypair {
        crate::roles::read_keypair(&self.file(name)).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The address of `name`.
    fn pubkey(&self, name: &str) -> Pubkey {
        self.keypair(name).pubkey()
    }

    /// The config's roles: `admin`, `oracle`, `rewardAuthority`, `slashAuthority`, `treasury`.
    fn roles(&self) -> Roles {
        Roles::from_keys(["admin", "oracle", "rewardAuthority", "slashAuthority", "treasury"].map(|name| self.keypair(name)))
    }

    /// `{ address, keypair }` of `name`.
    fn json(&self, name: &str) -> Value {
        json!({ "address": self.pubkey(name).to_string(), "keypair": self.file(name).display().to_string() })
    }
}

/// Initializes the config (R30) as the upgrade authority with the roles of `wallets`, the local
/// floors and `params`.
fn initialize(stage: &mut Stage, wallets: &Wallets, mint: &Mint, params: Params) {
    let authority = stage.payer().insecure_clone();
    let args = wallets.roles().initialize_args_with(LOCAL_FLOORS, Some(params));
    deploy::initialize(stage, &authority, mint, args).unwrap_or_else(|e| panic!("initialize: {e}"));
}

/// Sends `instructions` paid by the authority and signed also by `signers`; panics on a refusal.
fn send(stage: &mut Stage, instructions: &[Instruction], signers: &[&Keypair]) {
    stage.send(instructions, signers).unwrap_or_else(|e| panic!("set-up transaction: {e}"));
}

/// R31, R33, R34: the admin announces a parameter change (the highest reward share lowered) and a
/// new oracle (`nextOracle`, which does not accept), so the app has pending changes to show.
fn announce_changes(stage: &mut Stage, wallets: &Wallets, params: Params) {
    let admin = wallets.keypair("admin");
    let lowered = Params { max_reward_share_bps: ANNOUNCED_MAX_REWARD_SHARE_BPS, ..params };
    send(
        stage,
        &[
            ix::update_params(admin.pubkey(), lowered),
            ix::propose_role(admin.pubkey(), Role::Oracle, wallets.pubkey("nextOracle")),
        ],
        &[&admin],
    );
}

/// Funds every wallet of [`WALLETS`] with its SOL and tokens, a few wallets per transaction.
fn fund(stage: &mut Stage, wallets: &Wallets, mint: &Mint) {
    for chunk in WALLETS.chunks(WALLETS_PER_FUNDING_TX) {
        let instructions: Vec<Instruction> = chunk
            .iter()
            .flat_map(|plan| {
                stage.funding_instructions(&wallets.pubkey(plan.name), plan.lamports, mint, Some(plan.tokens * UNIT))
            })
            .collect();
        send(stage, &instructions, &[]);
    }
}

/// Registers every device of [`DEVICES`] (co-signed by the oracle), stakes and offers or marks it
/// hired where planned; returns each device's JSON entry, read back from the chain.
fn devices(stage: &mut Stage, wallets: &Wallets, mint: &Mint, params: &Params) -> Vec<Value> {
    let oracle = wallets.keypair("oracle");
    DEVICES
        .iter()
        .map(|plan| {
            let owner = wallets.keypair(plan.owner);
            let id = device_id(plan.label);
            let address = pda::device(&id).0;
            let minimum = min_required(plan.gpus, plan.multiplier_bps, params.base_stake_per_gpu).expect("the minimum");
            let mut instructions: Vec<Instruction> =
                vec![ix::register_device(owner.pubkey(), oracle.pubkey(), id, plan.gpus, plan.multiplier_bps, mint)];
            if let Some((amount, share_bps)) = plan.offer {
                let owner_token = ix::associated_token(&owner.pubkey(), mint);
                instructions.push(ix::stake(owner.pubkey(), address, owner_token, minimum, mint));
                instructions.push(ix::create_offer(owner.pubkey(), address, 0, amount * UNIT, share_bps));
            }
            if let Some(secs) = plan.hired_secs {
                instructions.push(ix::set_hired(oracle.pubkey(), address, stage.now().expect("read the Clock") + secs));
            }
            send(stage, &instructions, &[&owner, &oracle]);
            let device: Device = stage.decode(&address).unwrap_or_else(|e| panic!("device {}: {e}", plan.label));
            let open_offer = device.open_offer().map(|seq| {
                let offer_address = pda::offer(&address, seq).0;
                let offer: Offer = stage.decode(&offer_address).expect("the open offer, read back");
                assert_eq!(offer.state().unwrap(), OfferState::Open, "offer #{seq} of {} should be open", plan.label);
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
                "minRequired": minimum,
                "ownerStake": device.owner_stake,
                "hiredUntil": device.hired_until,
                "openOffer": open_offer,
            })
        })
        .collect()
}

/// Seeds the validator of `args` and writes the JSON; panics with the failing step's message.
fn seed(args: &Args) {
    let started = Instant::now();
    let authority = crate::roles::read_keypair(&args.authority).unwrap_or_else(|e| panic!("{e}"));
    let chain = RpcChain::new(&args.url, CommitmentLevel::Confirmed, ComputeBudget::default());
    let mut stage = Stage::new(Box::new(chain), authority);
    let config_address = pda::config().0;
    let existing = stage.chain().account(&config_address).unwrap_or_else(|e| panic!("read the config at {}: {e}", args.url));
    assert!(
        existing.is_none(),
        "the chain at {} already has a config ({config_address}); app-world seeds a fresh validator only: restart it (tools/localnet/start.sh resets the ledger)",
        args.url
    );
    let wallets = Wallets::create(&args.state, &args.authority);
    let token_program = anchor_spl::token::ID;
    let mint =
        Mint { mint: stage.create_mint(&Keypair::new(), &token_program, DECIMALS).expect("create the mint"), token_program };
    fund(&mut stage, &wallets, &mint);
    let local = deploy::local_params(DECIMALS).unwrap_or_else(|e| panic!("{e}"));
    let params = Params { role_change_delay_secs: ROLE_CHANGE_DELAY_SECS, ..local };
    initialize(&mut stage, &wallets, &mint, params);
    let devices = devices(&mut stage, &wallets, &mint, &params);
    announce_changes(&mut stage, &wallets, params);
    let config: Config = stage.decode(&config_address).expect("the config after initialize");

    let mut named = serde_json::Map::new();
    for name in WALLETS.iter().map(|w| w.name).chain(["authority"]) {
        named.insert(name.to_string(), wallets.json(name));
    }
    let world = json!({
        "rpcUrl": args.url,
        "programId": PROGRAM_ID.to_string(),
        "config": config_address.to_string(),
        "mint": mint.mint.to_string(),
        "decimals": DECIMALS,
        "params": { "coverWindowSecs": config.params.cover_window_secs, "cooldownSecs": config.params.cooldown_secs },
        "announced": {
            "paramsEffectiveAt": config.params_effective_at,
            "maxRewardShareBps": config.pending_params.max_reward_share_bps,
            "oracle": config.oracle.pending.to_string(),
            "oracleEffectiveAt": config.oracle.effective_at,
        },
        "wallets": named,
        "devices": devices,
    });

    if let Some(parent) = args.out.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    let partial = args.out.with_extension("json.partial");
    std::fs::write(&partial, serde_json::to_string_pretty(&world).expect("JSON") + "\n")
        .unwrap_or_else(|e| panic!("write {}: {e}", partial.display()));
    std::fs::rename(&partial, &args.out)
        .unwrap_or_else(|e| panic!("rename {} to {}: {e}", partial.display(), args.out.display()));
    eprintln!("[app-world] seeded {} in {:.1} s: {}", args.url, started.elapsed().as_secs_f64(), args.out.display());
}

/// Seeds the validator of the command line's `--url`; exit code 2 on a usage error.
pub fn main() -> ExitCode {
    match Args::parse(std::env::args().skip(1)) {
        Ok(args) => {
            seed(&args);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("app-world: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
