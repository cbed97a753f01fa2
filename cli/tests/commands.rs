//! The CLI's commands run as a user runs them (the built binary), against an embedded LiteSVM
//! kept in a file (`--url svm:PATH`). Every assertion reads the chain's state from that file
//! and decodes it with the program's own types: balances, accounts, and the program's error
//! names for refusals.
mod common;

use common::{cli, device_id, World, UNIT};
use device_staking_client::device_staking::state::{Config, Offer, OfferState, Tombstone};
use device_staking_client::pda;

/// R30: initialize creates the config once with the floors it is told; a second run with the
/// same values does nothing, with others it names the differences and sends nothing.
#[test]
fn r30_initialize_is_idempotent_and_names_what_differs() {
    let world = World::new("initialize");
    let first = world.initialize(&[]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let config: Config = world.decode(&pda::config().0);
    assert_eq!((config.params.cover_window_secs, config.params.cooldown_secs), (100, 200));
    assert_eq!((config.floors.cover_window_secs, config.floors.cooldown_secs, config.floors.role_change_delay_secs), (1, 1, 0));
    assert_eq!(config.params.base_stake_per_gpu, 200 * UNIT);
    assert_eq!(config.oracle.current, world.pubkey("oracle"));
    assert_eq!(config.admin.current, world.pubkey("deployer"));

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
    // windows of seconds are below the mainnet floors (the last --floors wins)
    let stderr = fresh.fails(
        "deployer",
        &[
            "operator",
            "initialize",
            "--mint",
            &fresh.mint.to_string(),
            "--oracle",
            &fresh.key_str("oracle"),
            "--reward-authority",
            &fresh.key_str("rewards"),
            "--slash-authority",
            &fresh.key_str("slasher"),
            "--treasury",
            &fresh.key_str("treasury"),
            "--set",
            "cooldown_secs=200",
        ],
    );
    assert!(stderr.contains("below the floors"), "{stderr}");
    assert!(fresh.data(&pda::config().0).is_none());
}

/// R30: the floors of seconds are for a chain on this machine only: refused for a cluster
/// before anything is read or sent.
#[test]
fn r30_local_floors_are_refused_for_a_cluster() {
    let key = std::env::temp_dir().join(format!("device-staking-cli-floors-{}.json", std::process::id()));
    solana_keypair::write_keypair_file(&solana_keypair::Keypair::new(), &key).unwrap();
    let key = key.display().to_string();
    let some = device_staking_client::PROGRAM_ID.to_string();
    let out = cli(&[
        "--url",
        "devnet",
        "-k",
        &key,
        "operator",
        "initialize",
        "--floors",
        "local",
        "--mint",
        &some,
        "--oracle",
        &some,
        "--reward-authority",
        &some,
        "--slash-authority",
        &some,
        "--treasury",
        &some,
    ]);
    std::fs::remove_file(&key).unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("only for a chain on this machine") && stderr.contains("api.devnet.solana.com"), "{stderr}");
}

/// R3-R16, R20-R21: a device through stake, offer, fill, a block, overflow, cancel, unstake and
/// the withdrawals, each read back from the chain.
#[test]
fn a_device_lives_through_stake_offer_fill_rewards_and_exits() {
    let world = World::new("lifecycle");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    let reg = world
        .json("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    assert_eq!(reg["min_required"]["base_units"], 16_000 * UNIT);
    assert_eq!(reg["revived"], false);
    let device_key = world.device_key();
    assert_eq!(world.device().owner, world.pubkey("owner"));

    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    assert_eq!(world.device().owner_stake, 16_000 * UNIT);
    assert_eq!(world.balance("owner"), 4_000 * UNIT);

    world.ok("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74%"]);
    let offer: Offer = world.decode(&pda::offer(&device_key, 0).0);
    assert_eq!((offer.state().unwrap(), offer.amount, offer.reward_share_bps), (OfferState::Open, 8_000 * UNIT, 7_400));

    let market = world.json("costaker", &["costaker", "offers"]);
    let listed = market["offers"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["device"], device_key.to_string());
    assert_eq!(listed[0]["gpu_count"], 8);
    assert_eq!(listed[0]["amount"]["base_units"], 8_000 * UNIT);
    assert_eq!(listed[0]["reward_share_bps"], 7_400);

    // stale terms are refused by the program
    assert_eq!(
        world.refused("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "75"]),
        "OfferTermsMismatch"
    );
    world.ok("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    assert_eq!(world.balance("costaker"), 0);
    assert_eq!(world.position(0).costaker, world.pubkey("costaker"));

    let status = world.json("owner", &["status", "gpu-1"]);
    assert_eq!(status["eligible"], true);
    assert_eq!(status["counted_stake"]["base_units"], 24_000 * UNIT);
    assert_eq!(status["positions"][0]["state"], "filled");
    assert_eq!(status["positions"][0]["costaker"], world.pubkey("costaker").to_string());
    // R40: half of the owner's stake is slashable for an incident now, and half of the position
    assert_eq!(status["owner_slash_allowance"]["base_units"], 8_000 * UNIT);
    assert_eq!(status["positions"][0]["slash_allowance"]["base_units"], 4_000 * UNIT);
    let text = world.ok("owner", &["status", "gpu-1"]);
    assert!(text.contains("eligible") && text.contains("24,000.000000") && text.contains("positions (1 of 8 slots)"), "{text}");
    let wallet = world.json("costaker", &["status"]);
    assert_eq!(wallet["positions"].as_array().unwrap().len(), 1);
    assert_eq!(wallet["active_positions"], 1);

    // one block: 74% to the position, the rest to the owner (R21)
    world.warp(3600);
    let csv = world.dir.join("rewards.csv");
    std::fs::write(&csv, "device,amount\ngpu-1,1000\n").unwrap();
    let block =
        ["operator", "distribute-rewards", "--csv", &csv.display().to_string(), "--block-id", "1", "--block-start", "1h ago"];
    let paid = world.json("rewards", &block);
    assert_eq!(paid["entries"][0]["credited"]["base_units"], 1_000 * UNIT);
    assert_eq!(
        (paid["entries"][0]["position_seq"].as_u64(), paid["entries"][0]["owner_part"]["base_units"].as_u64()),
        (Some(0), Some(260 * UNIT))
    );
    assert_eq!((world.device().owner_rewards, world.position(0).rewards), (260 * UNIT, 740 * UNIT));
    assert_eq!(world.balance("rewards"), 9_000 * UNIT);
    // R20: the same block again is skipped, with its reason, and pays nobody twice
    let again = world.json("rewards", &block);
    assert_eq!(again["entries"][0]["paid"], false);
    assert!(again["entries"][0]["skipped"].as_str().unwrap().contains("last block paid"), "{again}");
    assert_eq!(world.balance("rewards"), 9_000 * UNIT);

    // the whole overflow: 260 rewards + 8,000 principal above the minimum (R12)
    world.ok("owner", &["owner", "withdraw-overflow", "gpu-1"]);
    assert_eq!(world.balance("owner"), 12_260 * UNIT);
    assert_eq!(world.device().owner_stake, 8_000 * UNIT);
    assert_eq!(world.refused("owner", &["owner", "withdraw-overflow", "gpu-1", "1"]), "ExceedsOverflow");

    // R13: the co-staker cancels: wait 100 s, unlock 300 s
    let cancelled = world.json("costaker", &["costaker", "cancel", "gpu-1"]);
    assert_eq!(cancelled["seq"], 0);
    let position = world.position(0);
    assert_eq!(
        (position.stopped_at, position.wait_end, position.unlock_at),
        (world.clock(), world.clock() + 100, world.clock() + 300)
    );

    // R15: the owner's unstake ends the wait at once and unlocks no later than its ticket
    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    let device = world.device();
    assert_eq!(
        (device.ticket_principal, device.ticket_unlock_at, device.unstaked_at),
        (8_000 * UNIT, world.clock() + 200, world.clock())
    );
    assert!(world.data(&pda::ticket(&device_key, 0).0).is_some());
    assert_eq!((world.position(0).wait_end, world.position(0).unlock_at), (world.clock(), world.clock() + 200));
    assert_eq!(world.refused("stranger", &["owner", "withdraw", "gpu-1"]), "StillLocked");
    assert_eq!(world.refused("costaker", &["costaker", "withdraw", "gpu-1"]), "StillLocked");

    world.warp(200);
    // R16: anyone pays the owner's associated token account; only the staker may name another
    let stderr = world.fails("stranger", &["owner", "withdraw", "gpu-1", "--to", &world.token_account("stranger").to_string()]);
    assert!(stderr.contains("--to is for the staker"), "{stderr}");
    world.ok("stranger", &["owner", "withdraw", "gpu-1"]);
    assert_eq!(world.balance("owner"), 20_260 * UNIT);
    assert!(world.data(&pda::ticket(&device_key, 0).0).is_none());
    // the co-staker signs and names the account paid (here another wallet's, say an exchange's)
    world.ok("deployer", &["svm", "mint-to", &world.mint.to_string(), &world.key_str("stranger"), "0"]);
    let report = world.json("costaker", &["costaker", "withdraw", "gpu-1", "--to", &world.token_account("stranger").to_string()]);
    assert_eq!(report["withdrawals"][0]["destination"], world.token_account("stranger").to_string());
    assert_eq!((world.balance("stranger"), world.balance("costaker")), (8_740 * UNIT, 0));
    assert!(world.data(&pda::offer(&device_key, 0).0).is_none());
    let device = world.device();
    assert_eq!((device.principal_ledger().unwrap(), device.rewards_ledger().unwrap()), (0, 0));
    assert!(device.positions.iter().all(|p| !p.is_used()));
}

/// R3, R10: the oracle co-signs a registration into a file the owner alone completes; an open
/// offer is retracted.
#[test]
fn r3_registration_cosigned_by_the_oracle_in_a_file_and_offers_retracted() {
    let world = World::new("cosign");
    assert!(world.initialize(&[]).status.success());
    let file = world.dir.join("registration.json");
    let owner = world.pubkey("owner").to_string();
    let out = file.display().to_string();
    world.ok(
        "oracle",
        &[
            "operator",
            "cosign-registration",
            "gpu-1",
            "--owner",
            &owner,
            "--gpus",
            "4",
            "--multiplier-bps",
            "2500",
            "--out",
            &out,
        ],
    );
    // only the owner named in the file may complete it
    world.fails("stranger", &["owner", "register", "--cosigned", &out]);
    assert!(world.data(&pda::device(&device_id("gpu-1")).0).is_none());

    let report = world.json("owner", &["owner", "register", "--cosigned", &out]);
    let device = world.device();
    assert_eq!((device.gpu_count, device.multiplier_bps), (4, 2_500));
    assert_eq!(report["min_required"]["base_units"], 800 * UNIT);

    world.ok("owner", &["owner", "stake", "gpu-1", "800"]);
    world.ok("owner", &["owner", "offer", "create", "gpu-1", "400", "--share", "50"]);
    assert_eq!(world.device().open_offer(), Some(0));
    world.ok("owner", &["owner", "offer", "retract", "gpu-1"]);
    assert_eq!(world.device().open_offer(), None);
    assert!(world.data(&pda::offer(&pda::device(&device_id("gpu-1")).0, 0).0).is_none());
    // not the owner: refused by the program with its error name
    assert_eq!(world.refused("stranger", &["owner", "unstake", "gpu-1"]), "NotDeviceOwner");
    assert!(!world.device().is_unstaking());
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
    let report: serde_json::Value =
        serde_json::from_str(&stdout(&cli(&["--output", "json", "keygen", "-o", &path, "--force"]))).unwrap();
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

/// The demo on a state file: the chain path, windows of seconds under the local floors, a late
/// block credited after a cancel (R21), an escrow (R16), a tombstone (R8), balances that add up.
/// The keys of a JSON object in the order they were printed.
fn keys(report: &serde_json::Value) -> Vec<&str> {
    report.as_object().expect("an object").keys().map(String::as_str).collect()
}

/// `--output json` prints each report's fields in the order the command writes them (docs/cli.md),
/// `"ok"` first: byte for byte where nothing varies, key by key (nested objects too) elsewhere.
#[test]
fn json_reports_keep_their_fields_in_order() {
    let program = device_staking_client::PROGRAM_ID;
    assert_eq!(
        stdout(&cli(&["--output", "json", "address", "--program"])),
        format!("{{\"ok\":true,\"command\":\"address\",\"address\":\"{program}\",\"of\":\"program\"}}\n")
    );
    let (name, message) = device_staking_client::error_name(6000).unwrap();
    let (name, message) = (serde_json::to_string(name).unwrap(), serde_json::to_string(message).unwrap());
    assert_eq!(
        stdout(&cli(&["--output", "json", "explain-error", "6000"])),
        format!("{{\"code\":6000,\"name\":{name},\"message\":{message}}}\n")
    );
    let wallet = solana_keypair::Keypair::new();
    let wallet = solana_signer::Signer::pubkey(&wallet).to_string();
    let text = stdout(&cli(&["pda", "--device", "gpu-1", "--wallet", &wallet, "--count", "2"]));
    let labels: Vec<&str> = text.lines().map(|line| line.split_whitespace().next().unwrap()).collect();
    let pdas: serde_json::Value = serde_json::from_str(&stdout(&cli(&[
        "--output", "json", "pda", "--device", "gpu-1", "--wallet", &wallet, "--count", "2",
    ])))
    .unwrap();
    assert_eq!(keys(&pdas), labels);
    assert_eq!(labels[..4], ["program", "config", "program_data", "device"]);
    assert_eq!(labels[labels.len() - 2..], ["wallet", "costaker_profile"]);

    let world = World::new("json-order");
    assert!(world.initialize(&[]).status.success());
    let status = world.json("deployer", &["status", "--config"]);
    let order = |names: &str| names.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        keys(&status),
        order("ok command config mint roles paused floors params pending_params params_effective_at change_delay_secs now")
    );
    assert_eq!(keys(&status["roles"]), order("admin oracle reward_authority slash_authority treasury"));
    assert_eq!(keys(&status["roles"]["oracle"]), order("current pending effective_at accepted"));
    assert_eq!(keys(&status["floors"]), order("cover_window_secs cooldown_secs role_change_delay_secs"));
    let params = "base_stake_per_gpu cover_window_secs cooldown_secs max_costake_bps max_active_costakes max_reward_share_bps \
                  min_offer_bps max_slash_bps_per_30d max_hold_secs role_change_delay_secs";
    assert_eq!(keys(&status["params"]), order(params));
    assert_eq!(status["params"]["cooldown_secs"], 200);
}

#[test]
fn demo_plays_on_a_state_file_through_the_chain_path_and_reuses_its_own_config() {
    let world = World::new("demo");
    let deployer = world.key_str("deployer");
    world.ok("deployer", &["svm", "airdrop", &deployer, "--sol", "100"]);
    let start = world.clock();

    let first = world.json("deployer", &["demo"]);
    assert_eq!(
        (first["config"].as_str(), first["day_seconds"].as_i64(), first["balanced"].as_bool()),
        (Some("created"), Some(3), Some(true))
    );
    let config: Config = world.decode(&pda::config().0);
    assert_eq!((config.params.cover_window_secs, config.params.cooldown_secs), (21, 42), "windows of seconds: a day is 3 s");
    assert_eq!(config.floors.cooldown_secs, 1, "the local floors");
    assert_eq!(config.mint.to_string(), first["mint"].as_str().unwrap());
    let end_of = |name: &str, report: &serde_json::Value| {
        report["balances"].as_array().unwrap().iter().find(|b| b["account"] == name).unwrap()["end"].as_u64().unwrap()
    };
    assert_eq!(end_of("owner", &first), 18_560 * UNIT);
    assert_eq!(end_of("co-staker A", &first), 10_960 * UNIT);
    assert_eq!(end_of("co-staker B", &first), 9_480 * UNIT);
    assert_eq!(first["supply"], first["minted"]);
    let steps = first["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["result"].as_str().unwrap().contains("StillLocked")), "the early release is refused");
    let late = steps.iter().find(|s| s["action"].as_str().unwrap().contains("after A's cancel")).unwrap();
    assert!(late["result"].as_str().unwrap().contains("A 740.000000"), "{late}");
    assert!(steps.iter().any(|s| s["action"].as_str().unwrap().starts_with("withdraw_escrow")));
    assert_eq!(steps.last().unwrap()["day"], "d 25");
    // the Clock was moved, not waited for: 25 days of 3 s at least
    assert!(world.clock() >= start + 25 * 3);
    // the device ends closed: a tombstone that keeps its offer numbers
    let tombstone: Tombstone = world.decode(&first["device"].as_str().unwrap().parse().unwrap());
    assert_eq!(tombstone.next_offer_seq, 2);

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
