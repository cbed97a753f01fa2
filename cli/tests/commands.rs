//! The CLI's commands run as a user runs them (the built binary), against an embedded LiteSVM
//! kept in a file (`--url svm:PATH`). Every assertion reads the chain's state from that file
//! and decodes it with the program's own types: balances, accounts, and the program's error
//! names for refusals.
mod common;

use common::{cli, device_id, World, GENESIS, UNIT};
use device_staking_client::device_staking::state::{Config, Offer, OfferState, Ticket};
use device_staking_client::pda;

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

/// A fresh folder for a test that needs no chain.
fn scratch(test: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("device-staking-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn keygen_writes_a_solana_keypair_file_and_never_overwrites_without_force() {
    use solana_signer::Signer;
    let dir = scratch("keygen");
    let file = dir.join("wallets/authority.json");
    let path = file.display().to_string();

    let printed = stdout(&cli(&["keygen", "--outfile", &path]));
    let keypair = solana_keypair::read_keypair_file(&file).unwrap();
    assert_eq!(printed, format!("{}\n", keypair.pubkey()), "standard output is the public key alone");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // a second keygen to the same file is refused and leaves it as it was
    let before = std::fs::read(&file).unwrap();
    let again = cli(&["keygen", "--outfile", &path]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read(&file).unwrap(), before);

    // --force replaces it; --output json reports the new key
    let report: serde_json::Value = serde_json::from_str(&stdout(&cli(&["--output", "json", "keygen", "-o", &path, "--force"]))).unwrap();
    let replaced = solana_keypair::read_keypair_file(&file).unwrap();
    assert_ne!(replaced.pubkey(), keypair.pubkey());
    assert_eq!(report["ok"], true);
    assert_eq!(report["pubkey"], replaced.pubkey().to_string());
    assert_eq!(report["outfile"], path);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn address_prints_a_keypairs_public_key_or_the_program_id() {
    use solana_signer::Signer;
    let dir = scratch("address");
    let file = dir.join("id.json");
    let path = file.display().to_string();
    let keypair = solana_keypair::Keypair::new();
    solana_keypair::write_keypair_file(&keypair, &file).unwrap();

    assert_eq!(stdout(&cli(&["address", "-k", &path])), format!("{}\n", keypair.pubkey()));
    assert_eq!(stdout(&cli(&["address", "--program"])), format!("{}\n", device_staking_client::PROGRAM_ID));
    let report: serde_json::Value = serde_json::from_str(&stdout(&cli(&["address", "-k", &path, "--output", "json"]))).unwrap();
    assert_eq!((report["ok"].as_bool(), report["address"].as_str()), (Some(true), Some(keypair.pubkey().to_string().as_str())));
    let report: serde_json::Value = serde_json::from_str(&stdout(&cli(&["--output", "json", "address", "--program"]))).unwrap();
    assert_eq!(report["address"], device_staking_client::PROGRAM_ID.to_string());
    assert_eq!(report["of"], "program");

    // a file that is not a keypair is an error, not an address
    std::fs::write(&file, "[1,2,3]").unwrap();
    let bad = cli(&["address", "-k", &path]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a keypair file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_plays_on_a_state_file_through_the_chain_path_and_reuses_its_own_config() {
    let world = World::new("demo");
    let deployer = world.key_str("deployer");
    world.ok("deployer", &["svm", "airdrop", &deployer, "--sol", "100"]);
    let start = world.clock();

    let first = world.json("deployer", &["demo"]);
    assert_eq!((first["config"].as_str(), first["day_seconds"].as_i64(), first["balanced"].as_bool()), (Some("created"), Some(3), Some(true)));
    let config: Config = world.decode(&pda::config().0);
    assert_eq!((config.params.cover_window_secs, config.params.cooldown_secs), (21, 42), "windows of seconds: a day is 3 s");
    assert_eq!(config.mint.to_string(), first["mint"].as_str().unwrap());
    let end_of = |name: &str, report: &serde_json::Value| {
        report["balances"].as_array().unwrap().iter().find(|b| b["account"] == name).unwrap()["end"].as_u64().unwrap()
    };
    assert_eq!(end_of("owner", &first), 18_560 * UNIT);
    assert_eq!(end_of("co-staker A", &first), 10_960 * UNIT);
    assert_eq!(end_of("co-staker B", &first), 9_480 * UNIT);
    assert_eq!(first["supply"], first["minted"]);
    let steps = first["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["result"].as_str().unwrap().contains("StillLocked")), "the early withdrawal is refused");
    assert_eq!(steps.last().unwrap()["day"], "d 25");
    // the Clock was moved, not waited for: 25 days of 3 s at least
    assert!(world.clock() >= start + 25 * 3);
    let device: device_staking_client::device_staking::state::Device = world.decode(&first["device"].as_str().unwrap().parse().unwrap());
    assert_eq!((device.principal_ledger().unwrap(), device.rewards_ledger().unwrap()), (0, 0));

    // a second run on the same chain reuses the config, with a new device and new wallets
    let second = world.json("deployer", &["demo"]);
    assert_eq!((second["config"].as_str(), second["balanced"].as_bool()), (Some("reused"), Some(true)));
    assert_eq!(second["mint"], first["mint"]);
    assert_ne!(second["device"], first["device"]);
    assert_eq!(second["supply"].as_u64(), Some(2 * first["minted"].as_u64().unwrap()));

    // another wallet cannot use that config: it says why, exits non-zero and sends nothing
    let before = std::fs::read_to_string(&world.state).unwrap();
    let stranger = world.run("stranger", &["demo"]);
    assert!(!stranger.status.success());
    let stderr = String::from_utf8_lossy(&stranger.stderr);
    assert!(stderr.contains("oracle: on chain") && stderr.contains("mint authority"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&world.state).unwrap(), before);
}
