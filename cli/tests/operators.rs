//! The operators' commands (admin, oracle, reward and slash authorities) and the co-staker's
//! claim, run as the built binary against an embedded LiteSVM kept in a file. Each test checks
//! the chain's state afterwards (balances, flags, roles) and the program's error names for the
//! refusals (rules in docs/protocol.md).
mod common;

use common::{device_id, World, UNIT};
use device_staking_client::device_staking::state::{Config, Device, Offer, OfferState};
use device_staking_client::pda;

/// An initialized config (cover 100 s, cooldown 200 s) and the device `gpu-1` (8 GPUs x10,
/// minimum 16,000) with the owner's 16,000 staked.
fn staked_device() -> World {
    let world = World::new(&format!("operators-{}", std::thread::current().name().unwrap_or("test").replace("::", "-")));
    assert!(world.initialize(&[]).status.success());
    register(&world, "gpu-1", "8", "100000");
    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    world
}

/// Registers `id` for the owner, co-signed by the oracle.
fn register(world: &World, id: &str, gpus: &str, multiplier_bps: &str) {
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", id, "--gpus", gpus, "--multiplier-bps", multiplier_bps, "--oracle-keypair", &oracle]);
}

/// `staked_device` plus an offer of 8,000 for 74% filled by the co-staker.
fn device_with_costaker() -> World {
    let world = staked_device();
    world.ok("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]);
    world.ok("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    world
}

/// Pays one block of `amount` whole tokens to `gpu-1`, from the genesis to an hour later.
fn pay_block(world: &World, block_id: u64, amount: &str) -> serde_json::Value {
    world.ok("deployer", &["svm", "warp", "--by", "3600"]);
    let csv = world.dir.join(format!("block-{block_id}.csv"));
    std::fs::write(&csv, format!("gpu-1,{amount}\n")).unwrap();
    let start = (world.clock() - 3600).to_string();
    world.json("rewards", &["operator", "distribute-rewards", "--csv", &csv.display().to_string(), "--block-id", &block_id.to_string(), "--block-start", &start])
}

fn config(world: &World) -> Config {
    world.decode(&pda::config().0)
}

#[test]
fn slash_takes_owner_stake_to_the_treasury_within_the_30_day_cap() {
    let world = staked_device();
    let mint = world.mint.to_string();
    world.ok("deployer", &["svm", "mint-to", &mint, &world.key_str("treasury"), "0"]);

    // R40: only the slash authority
    assert_eq!(world.refused("stranger", &["operator", "slash", "gpu-1", "1000"]), "NotSlashAuthority");
    let report = world.json("slasher", &["operator", "slash", "gpu-1", "1000"]);
    assert_eq!(report["taken"]["base_units"], 1_000 * UNIT);
    assert_eq!(world.device().owner_stake, 15_000 * UNIT);
    assert_eq!(world.balance("treasury"), 1_000 * UNIT);

    // at most 50% of the principal in 30 days: of the 10,000 asked, 7,000 more are taken
    let report = world.json("slasher", &["operator", "slash", "gpu-1", "10000"]);
    assert_eq!(report["taken"]["base_units"], 7_000 * UNIT);
    assert_eq!(world.device().owner_stake, 8_000 * UNIT);
    assert_eq!(world.balance("treasury"), 8_000 * UNIT);
    assert_eq!(world.refused("slasher", &["operator", "slash", "gpu-1", "1"]), "NothingToSlash");
    assert_eq!(world.balance("treasury") + world.device().owner_stake, 16_000 * UNIT, "nothing created or lost");
}

#[test]
fn pause_stops_stake_offers_and_registrations_but_never_the_exits() {
    let world = device_with_costaker();
    assert_eq!(world.refused("stranger", &["operator", "pause"]), "NotAdmin");
    world.ok("deployer", &["operator", "pause"]);
    assert!(config(&world).paused);

    // R32: stake, create_offer and register_device are paused
    assert_eq!(world.refused("owner", &["owner", "stake", "gpu-1", "100"]), "Paused");
    let oracle = world.key_str("oracle");
    assert_eq!(world.refused("owner", &["owner", "register", "gpu-2", "--gpus", "1", "--multiplier-bps", "10000", "--oracle-keypair", &oracle]), "Paused");
    assert!(world.data(&pda::device(&device_id("gpu-2")).0).is_none());

    // R17: cancel, unstake and withdraw are never paused
    world.ok("costaker", &["costaker", "cancel", "gpu-1"]);
    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    assert!(world.device().unstaking);
    world.ok("deployer", &["svm", "warp", "--by", "200"]);
    world.ok("stranger", &["owner", "withdraw", "gpu-1"]);
    world.ok("stranger", &["costaker", "withdraw", "gpu-1", "--costaker", &world.key_str("costaker")]);
    assert_eq!((world.balance("owner"), world.balance("costaker")), (20_000 * UNIT, 8_000 * UNIT));
    assert!(config(&world).paused, "the exits did not lift the pause");

    world.ok("deployer", &["operator", "unpause"]);
    assert!(!config(&world).paused);
    world.ok("owner", &["owner", "stake", "gpu-1", "100"]);
    assert_eq!(world.device().owner_stake, 100 * UNIT);
}

#[test]
fn the_admin_role_moves_in_two_steps() {
    let world = World::new("admin");
    assert!(world.initialize(&[]).status.success());
    let (deployer, stranger) = (world.pubkey("deployer"), world.pubkey("stranger"));
    assert_eq!(world.refused("stranger", &["operator", "propose-admin", &stranger.to_string()]), "NotAdmin");

    let report = world.json("deployer", &["operator", "propose-admin", &world.key_str("stranger")]);
    assert_eq!(report["command"], "propose-admin");
    assert_eq!((config(&world).admin, config(&world).pending_admin), (deployer, stranger));
    // R31: only the proposed admin accepts; until then the admin stays
    assert_eq!(world.refused("owner", &["operator", "accept-admin"]), "NotPendingAdmin");
    world.ok("deployer", &["operator", "pause"]);

    world.ok("stranger", &["operator", "accept-admin"]);
    assert_eq!(config(&world).admin, stranger);
    assert_eq!(world.refused("deployer", &["operator", "unpause"]), "NotAdmin");
    world.ok("stranger", &["operator", "unpause"]);
    assert!(!config(&world).paused);
}

#[test]
fn a_proposed_oracle_takes_over_after_the_delay() {
    let world = World::new("propose-role");
    assert!(world.initialize(&["--set", "role_change_delay_secs=600"]).status.success());
    let (oracle, stranger) = (world.pubkey("oracle"), world.pubkey("stranger"));
    assert_eq!(world.refused("stranger", &["operator", "propose-role", "oracle", &stranger.to_string()]), "NotAdmin");

    let text = world.ok("deployer", &["operator", "propose-role", "oracle", &world.key_str("stranger")]);
    assert!(text.contains("in force in 10 min"), "{text}");
    let slot = config(&world).oracle;
    assert_eq!((slot.current, slot.pending, slot.effective_at), (oracle, stranger, world.clock() + 600));

    // R31: the old oracle until the delay ends, the new one after
    let new_oracle = world.key_str("stranger");
    let register = |id: &str, oracle: &str| world.run("owner", &["owner", "register", id, "--gpus", "1", "--multiplier-bps", "10000", "--oracle-keypair", oracle]);
    assert!(!register("gpu-new", &new_oracle).status.success());
    assert!(register("gpu-old", &world.key_str("oracle")).status.success());
    world.ok("deployer", &["svm", "warp", "--by", "600"]);
    assert_eq!(world.refused("owner", &["owner", "register", "gpu-late", "--gpus", "1", "--multiplier-bps", "10000", "--oracle-keypair", &world.key_str("oracle")]), "NotOracle");
    assert!(register("gpu-new", &new_oracle).status.success());
    assert!(world.data(&pda::device(&device_id("gpu-new")).0).is_some());
}

#[test]
fn a_hired_device_cannot_be_unstaked_until_marked_idle() {
    let world = staked_device();
    assert_eq!(world.refused("stranger", &["operator", "set-hired", "gpu-1"]), "NotOracle");
    world.ok("oracle", &["operator", "set-hired", "gpu-1"]);
    assert!(world.device().hired);

    // R15: refused while hired; the error is named on standard error (checked by `refused`)
    let out = world.run("owner", &["owner", "unstake", "gpu-1"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DeviceHired") && stderr.contains("cannot be unstaked"), "{stderr}");
    assert_eq!(world.refused("owner", &["owner", "unstake", "gpu-1"]), "DeviceHired");
    assert!(!world.device().unstaking);

    world.ok("oracle", &["operator", "set-hired", "gpu-1", "--idle"]);
    assert!(!world.device().hired);
    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    assert!(world.device().unstaking);
}

#[test]
fn a_terminated_device_earns_nothing_and_takes_no_offers_but_its_stake_can_leave() {
    let world = staked_device();
    world.ok("oracle", &["operator", "set-hired", "gpu-1"]);
    assert_eq!(world.refused("stranger", &["operator", "terminate", "gpu-1"]), "NotOracle");
    world.ok("oracle", &["operator", "terminate", "gpu-1"]);
    let device = world.device();
    assert!(device.terminated && !device.hired, "R7: terminate also clears hired");
    assert_eq!(device.owner_stake, 16_000 * UNIT, "nobody's stake is unstaked automatically");

    assert_eq!(world.refused("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]), "DeviceTerminated");
    // R20: an ineligible device is skipped: nothing moves, the block is recorded
    let paid = pay_block(&world, 1, "1000");
    assert_eq!((paid["entries"][0]["paid"].as_bool(), paid["entries"][0]["credited"]["base_units"].as_u64()), (Some(false), Some(0)));
    assert_eq!(world.balance("rewards"), 10_000 * UNIT);
    assert_eq!(world.device().last_block_id, 1);

    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    world.ok("deployer", &["svm", "warp", "--by", "200"]);
    world.ok("owner", &["owner", "withdraw", "gpu-1"]);
    assert_eq!(world.balance("owner"), 20_000 * UNIT);
}

#[test]
fn claim_pays_the_positions_rewards_and_then_has_nothing_left() {
    let world = device_with_costaker();
    pay_block(&world, 1, "1000");
    let offer: Offer = world.decode(&pda::offer(&pda::device(&device_id("gpu-1")).0, 0).0);
    assert_eq!((offer.state, offer.rewards), (OfferState::Filled, 740 * UNIT));

    // only the position's co-staker claims: another wallet has no position to name
    let stranger = world.run("stranger", &["costaker", "claim", "gpu-1", "--seq", "0"]);
    assert!(!stranger.status.success());
    assert!(String::from_utf8_lossy(&stranger.stderr).contains("has no position with rewards"));
    let report = world.json("costaker", &["costaker", "claim", "gpu-1"]);
    assert_eq!(report["amount"]["base_units"], 740 * UNIT);
    assert_eq!(world.balance("costaker"), 740 * UNIT);
    let offer: Offer = world.decode(&pda::offer(&pda::device(&device_id("gpu-1")).0, 0).0);
    assert_eq!((offer.rewards, offer.principal), (0, 8_000 * UNIT));
    assert_eq!(world.device().positions_rewards, 0);

    // nothing left: the CLI says so, and the program refuses a claim of the position by number
    let again = world.run("costaker", &["costaker", "claim", "gpu-1"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no position with rewards"));
    assert_eq!(world.refused("costaker", &["costaker", "claim", "gpu-1", "--seq", "0"]), "NothingToClaim");
}

#[test]
fn a_rewards_csv_larger_than_a_transaction_is_paid_in_several() {
    let world = World::new("rewards-batches");
    assert!(world.initialize(&[]).status.success());
    let ids: Vec<String> = (1..=7).map(|n| format!("gpu-{n}")).collect();
    for id in &ids {
        register(&world, id, "1", "10000");
        world.ok("owner", &["owner", "stake", id, "200"]);
    }
    world.ok("deployer", &["svm", "warp", "--by", "3600"]);
    let csv = world.dir.join("rewards.csv");
    let lines: Vec<String> = ids.iter().enumerate().map(|(i, id)| format!("{id},{}", 10 * (i + 1))).collect();
    std::fs::write(&csv, format!("device,amount\n# one line per device\n{}\n", lines.join("\n"))).unwrap();
    let start = (world.clock() - 3600).to_string();
    let report = world.json("rewards", &["operator", "distribute-rewards", "--csv", &csv.display().to_string(), "--block-id", "1", "--block-start", &start]);

    let transactions = report["transactions"].as_array().unwrap();
    assert!(transactions.len() >= 2, "7 devices do not fit one transaction: {report}");
    let entries = report["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 7);
    for (i, id) in ids.iter().enumerate() {
        let expected = 10 * (i as u64 + 1) * UNIT;
        let address = pda::device(&device_id(id)).0;
        let entry = entries.iter().find(|e| e["device"] == address.to_string()).unwrap();
        assert_eq!(entry["credited"]["base_units"], expected);
        let device: Device = world.decode(&address);
        assert_eq!((device.owner_rewards, device.last_block_id), (expected, 1));
    }
    assert_eq!(world.balance("rewards"), 10_000 * UNIT - 280 * UNIT);
}

/// The deploy step's check: `program --expect` passes for the binary the chain runs and fails,
/// naming the file, for another build.
#[test]
fn program_reports_the_deployment_and_checks_the_build() {
    let world = World::new("program");
    let v3 = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/deploy/device_staking.so");
    let v0 = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/deploy/device_staking_v0.so");
    let shown = world.json("stranger", &["program", "--expect", v3]);
    assert_eq!((shown["deployed"].as_bool(), shown["matches"].as_bool()), (Some(true), Some(true)));
    assert_eq!(shown["upgrade_authority"], world.pubkey("deployer").to_string());
    let other = world.run("stranger", &["program", "--expect", v0]);
    assert!(!other.status.success());
    assert!(String::from_utf8_lossy(&other.stderr).contains("is not"), "{}", String::from_utf8_lossy(&other.stderr));
}
