//! The operators' commands (admin, oracle, reward and slash authorities) and the co-staker's
//! claim, run as the built binary against an embedded LiteSVM kept in a file. Each test checks
//! the chain's state afterwards (balances, flags, roles) and the program's error names for the
//! refusals, which change nothing (rules in docs/protocol.md).
mod common;

use common::{device_id, World, UNIT};
use device_staking_client::device_staking::state::{Config, Device};
use device_staking_client::pda;

/// An initialized config (cover 100 s, cooldown 200 s, holds up to 100 s, changes wait 301 s)
/// and the device `gpu-1` (8 GPUs x10, minimum 16,000) with the owner's 16,000 staked.
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
    world
        .ok("owner", &["owner", "register", id, "--gpus", gpus, "--multiplier-bps", multiplier_bps, "--oracle-keypair", &oracle]);
}

/// `staked_device` plus an offer of 8,000 for 74% filled by the co-staker.
fn device_with_costaker() -> World {
    let world = staked_device();
    world.ok("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]);
    world.ok("costaker", &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    world
}

/// Pays one block of `amount` whole tokens to `gpu-1`, from an hour ago to now (an hour later).
fn pay_block(world: &World, block_id: u64, amount: &str) -> serde_json::Value {
    world.warp(3600);
    let csv = world.dir.join(format!("block-{block_id}.csv"));
    std::fs::write(&csv, format!("gpu-1,{amount}\n")).unwrap();
    world.json(
        "rewards",
        &[
            "operator",
            "distribute-rewards",
            "--csv",
            &csv.display().to_string(),
            "--block-id",
            &block_id.to_string(),
            "--block-start",
            "1h ago",
        ],
    )
}

fn config(world: &World) -> Config {
    world.decode(&pda::config().0)
}

/// R40: the owner's stake is slashed to the treasury's associated token account (created by the
/// program), for an incident in the last 30 days, within the rolling 30-day cap.
#[test]
fn r40_slash_takes_owner_stake_to_the_treasury_within_the_30_day_cap() {
    let world = staked_device();
    assert!(world.data(&world.token_account("treasury")).is_none());
    assert_eq!(world.refused("stranger", &["operator", "slash", "gpu-1", "1000"]), "NotSlashAuthority");
    assert_eq!(
        world.refused("slasher", &["operator", "slash", "gpu-1", "1000", "--incident-at", "31d ago"]),
        "IncidentOutOfRange"
    );
    let report = world.json("slasher", &["operator", "slash", "gpu-1", "1000", "--incident-at", "2h ago"]);
    assert_eq!(
        (report["taken"]["base_units"].as_u64(), report["from_owner_stake"]["base_units"].as_u64()),
        (Some(1_000 * UNIT), Some(1_000 * UNIT))
    );
    assert_eq!(report["incident_at"].as_i64(), Some(world.clock() - 7_200));
    assert_eq!(world.device().owner_stake, 15_000 * UNIT);
    assert_eq!(world.balance("treasury"), 1_000 * UNIT);

    // at most 50% of the principal in 30 days: of the 10,000 asked, 7,000 more are taken
    let report = world.json("slasher", &["operator", "slash", "gpu-1", "10000"]);
    assert_eq!(report["taken"]["base_units"], 7_000 * UNIT);
    assert_eq!(world.device().owner_stake, 8_000 * UNIT);
    assert_eq!(world.balance("treasury"), 8_000 * UNIT);
    assert_eq!(world.refused("slasher", &["operator", "slash", "gpu-1", "1"]), "NothingToSlash");
    assert_eq!(world.balance("treasury") + world.device().owner_stake, 16_000 * UNIT, "nothing created or lost");
    let status = world.json("owner", &["status", "gpu-1"]);
    assert_eq!(status["owner_slash_allowance"]["base_units"], 0);
}

/// R41: a hold freezes the owner's principal overflow until its end, at most max_hold_secs
/// (100 s here) past the incident's first hold; a new incident waits 30 days.
#[test]
fn r41_hold_freezes_principal_overflow_for_a_bounded_time() {
    let world = staked_device();
    world.ok("owner", &["owner", "stake", "gpu-1", "1000"]);
    assert_eq!(world.refused("stranger", &["operator", "hold", "gpu-1", "--until", "1min"]), "NotSlashAuthority");
    assert_eq!(world.refused("slasher", &["operator", "hold", "gpu-1", "--until", "101s"]), "HoldTooLong");
    let report = world.json("slasher", &["operator", "hold", "gpu-1", "--until", "60s"]);
    assert_eq!((report["until"].as_i64(), report["incident_start"].as_i64()), (Some(world.clock() + 60), Some(world.clock())));
    let status = world.json("owner", &["status", "gpu-1"]);
    assert_eq!((status["held"].as_bool(), status["owner_principal_overflow"]["base_units"].as_u64()), (Some(true), Some(0)));
    assert_eq!(world.refused("owner", &["owner", "withdraw-overflow", "gpu-1", "1000"]), "DeviceOnHold");

    // the same incident may be extended up to 100 s after its start, not beyond
    world.warp(30);
    world.ok("slasher", &["operator", "hold", "gpu-1", "--until", "70s"]);
    assert_eq!(world.device().hold_until, world.clock() + 70);
    assert_eq!(world.refused("slasher", &["operator", "hold", "gpu-1", "--until", "71s"]), "HoldTooLong");
    world.warp(70);
    world.ok("owner", &["owner", "withdraw-overflow", "gpu-1", "1000"]);
    assert_eq!(world.balance("owner"), 4_000 * UNIT);
    assert_eq!(world.refused("slasher", &["operator", "hold", "gpu-1", "--until", "10s"]), "HoldIncidentTooSoon");
}

/// R32, R17: pause stops stake, offers and registrations but never the exits.
#[test]
fn r32_pause_stops_stake_offers_and_registrations_but_never_the_exits() {
    let world = device_with_costaker();
    assert_eq!(world.refused("stranger", &["operator", "pause"]), "NotAdmin");
    world.ok("deployer", &["operator", "pause"]);
    assert!(config(&world).is_paused());

    assert_eq!(world.refused("owner", &["owner", "stake", "gpu-1", "100"]), "Paused");
    let oracle = world.key_str("oracle");
    assert_eq!(
        world.refused(
            "owner",
            &["owner", "register", "gpu-2", "--gpus", "1", "--multiplier-bps", "10000", "--oracle-keypair", &oracle]
        ),
        "Paused"
    );
    assert!(world.data(&pda::device(&device_id("gpu-2")).0).is_none());

    // R17: cancel, unstake and withdraw are never paused
    world.ok("costaker", &["costaker", "cancel", "gpu-1"]);
    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    assert!(world.device().is_unstaking());
    world.warp(200);
    world.ok("stranger", &["owner", "withdraw", "gpu-1"]);
    world.ok("stranger", &["costaker", "withdraw", "gpu-1", "--costaker", &world.key_str("costaker")]);
    assert_eq!((world.balance("owner"), world.balance("costaker")), (20_000 * UNIT, 8_000 * UNIT));
    assert!(config(&world).is_paused(), "the exits did not lift the pause");

    world.ok("deployer", &["operator", "unpause"]);
    assert!(!config(&world).is_paused());
    world.ok("owner", &["owner", "stake", "gpu-1", "100"]);
    assert_eq!(world.device().owner_stake, 100 * UNIT);
}

/// R31, R34: the admin role moves when the proposed key accepts and R34's time has come; the
/// admin in force may cancel a pending change until then.
#[test]
fn r31_the_admin_role_moves_after_acceptance_and_the_delay() {
    let world = World::new("admin");
    assert!(world.initialize(&[]).status.success());
    let (deployer, stranger) = (world.pubkey("deployer"), world.pubkey("stranger"));
    assert_eq!(world.refused("stranger", &["operator", "propose-role", "admin", &stranger.to_string()]), "NotAdmin");

    let report = world.json("deployer", &["operator", "propose-role", "admin", &world.key_str("stranger")]);
    assert_eq!(report["command"], "propose-role");
    // R34: cover 100 + cooldown 200 and cooldown 200 + hold 100, plus one second
    assert_eq!(report["effective_at"].as_i64(), Some(world.clock() + 301));
    let slot = config(&world).admin;
    assert_eq!((slot.current, slot.pending, slot.is_accepted()), (deployer, stranger, false));
    let shown = world.json("stranger", &["status", "--config"]);
    assert_eq!(shown["roles"]["admin"]["pending"], stranger.to_string());
    assert_eq!(shown["roles"]["admin"]["effective_at"].as_i64(), Some(world.clock() + 301));

    // only the proposed key accepts; the admin in force may cancel; nothing pending: NoPendingChange
    assert_eq!(world.refused("owner", &["operator", "accept-role", "admin"]), "NotPendingKey");
    world.ok("deployer", &["operator", "cancel-role", "admin"]);
    assert_eq!(config(&world).admin.pending, Default::default());
    assert_eq!(world.refused("stranger", &["operator", "accept-role", "admin"]), "NoPendingChange");
    assert_eq!(world.refused("deployer", &["operator", "cancel-role", "admin"]), "NoPendingChange");

    world.ok("deployer", &["operator", "propose-role", "admin", &stranger.to_string()]);
    let text = world.ok("stranger", &["operator", "accept-role", "admin"]);
    assert!(text.contains("accepted the role of admin"), "{text}");
    assert!(config(&world).admin.is_accepted());
    // until R34's time the old admin is in force
    world.warp(300);
    world.ok("deployer", &["operator", "pause"]);
    assert_eq!(world.refused("stranger", &["operator", "unpause"]), "NotAdmin");
    world.warp(1);
    assert_eq!(world.refused("deployer", &["operator", "unpause"]), "NotAdmin");
    world.ok("stranger", &["operator", "unpause"]);
    assert!(!config(&world).is_paused());
    assert_eq!(config(&world).admin.key_at(world.clock()), stranger);
}

/// R31, R34: a proposed oracle takes over only once it accepted and the delay passed; a revoked
/// oracle is at once nobody (R34), and the admin and the treasury are never revoked.
#[test]
fn r31_r34_a_proposed_oracle_takes_over_and_a_revoked_one_at_once_is_nobody() {
    let world = World::new("propose-role");
    assert!(world.initialize(&[]).status.success());
    let (oracle, stranger) = (world.pubkey("oracle"), world.pubkey("stranger"));
    let text = world.ok("deployer", &["operator", "propose-role", "oracle", &world.key_str("stranger")]);
    assert!(text.contains("accept-role oracle"), "{text}");
    let slot = config(&world).oracle;
    assert_eq!((slot.current, slot.pending, slot.effective_at), (oracle, stranger, world.clock() + 301));

    let register = |id: &str, oracle: &str| {
        world.run("owner", &["owner", "register", id, "--gpus", "1", "--multiplier-bps", "10000", "--oracle-keypair", oracle])
    };
    let new_oracle = world.key_str("stranger");
    // not accepted: after the delay the old oracle is still in force
    world.warp(301);
    assert!(!register("gpu-new", &new_oracle).status.success());
    assert!(register("gpu-old", &world.key_str("oracle")).status.success());
    // accepted after the delay: in force at once
    world.ok("stranger", &["operator", "accept-role", "oracle"]);
    assert_eq!(
        world.refused(
            "owner",
            &[
                "owner",
                "register",
                "gpu-late",
                "--gpus",
                "1",
                "--multiplier-bps",
                "10000",
                "--oracle-keypair",
                &world.key_str("oracle")
            ]
        ),
        "NotOracle"
    );
    assert!(register("gpu-new", &new_oracle).status.success());
    assert!(world.data(&pda::device(&device_id("gpu-new")).0).is_some());

    // R34: revoked at once; a role nobody holds refuses everyone
    assert_eq!(world.refused("stranger", &["operator", "revoke-role", "oracle"]), "NotAdmin");
    world.ok("deployer", &["operator", "revoke-role", "oracle"]);
    assert_eq!(
        world.refused(
            "owner",
            &["owner", "register", "gpu-3", "--gpus", "1", "--multiplier-bps", "10000", "--oracle-keypair", &new_oracle]
        ),
        "NotOracle"
    );
    let shown = world.json("deployer", &["status", "--config"]);
    assert_eq!(shown["roles"]["oracle"]["current"], serde_json::Value::Null);
    assert_eq!(world.refused("deployer", &["operator", "revoke-role", "admin"]), "RoleNotRevocable");
    assert_eq!(world.refused("deployer", &["operator", "revoke-role", "treasury"]), "RoleNotRevocable");
}

/// R33, R34: new parameters are a proposal applying at R34's time, cancellable until then;
/// lowering the slash cap is immediate, also in the pending set.
#[test]
fn r33_r34_parameters_apply_at_the_announced_time_and_the_slash_cap_drops_at_once() {
    let world = World::new("params");
    assert!(world.initialize(&[]).status.success());
    assert_eq!(world.refused("stranger", &["operator", "update-params", "--set", "cooldown_secs=250"]), "NotAdmin");
    // below the floors or out of bounds: refused before sending
    let stderr = world.fails("deployer", &["operator", "update-params", "--set", "max_costake_bps=9000"]);
    assert!(stderr.contains("out of the program's bounds"), "{stderr}");

    let report = world.json("deployer", &["operator", "update-params", "--set", "cooldown_secs=250"]);
    assert_eq!(report["effective_at"].as_i64(), Some(world.clock() + 301));
    assert_eq!(report["params"]["cooldown_secs"], 250);
    let shown = world.json("deployer", &["status", "--config"]);
    assert_eq!(
        (shown["params"]["cooldown_secs"].as_i64(), shown["pending_params"]["cooldown_secs"].as_i64()),
        (Some(200), Some(250))
    );
    assert!(world.ok("deployer", &["status", "--config"]).contains("pending parameters apply"));
    world.warp(300);
    assert_eq!(config(&world).params_at(world.clock()).cooldown_secs, 200);
    world.warp(1);
    assert_eq!(config(&world).params_at(world.clock()).cooldown_secs, 250);
    assert_eq!(world.json("deployer", &["status", "--config"])["pending_params"], serde_json::Value::Null);

    // a proposal is cancelled by the admin; then there is nothing to cancel
    world.ok("deployer", &["operator", "update-params", "--set", "min_offer_bps=200"]);
    world.ok("deployer", &["operator", "cancel-params"]);
    assert_eq!(world.refused("deployer", &["operator", "cancel-params"]), "NoPendingChange");

    // R34: a tightening is immediate, and lowers a pending set too
    world.ok("deployer", &["operator", "update-params", "--set", "max_slash_bps_per_30d=4000"]);
    world.ok("deployer", &["operator", "lower-slash-cap", "25%"]);
    let config = config(&world);
    assert_eq!(
        (config.params_at(world.clock()).max_slash_bps_per_30d, config.pending_params.max_slash_bps_per_30d),
        (2_500, 2_500)
    );
    assert_eq!(world.refused("deployer", &["operator", "lower-slash-cap", "3000"]), "NotATightening");
    assert_eq!(world.refused("stranger", &["operator", "lower-slash-cap", "100"]), "NotAdmin");
}

/// R7, R15: a device hired until a time cannot be unstaked until then or until cleared; the
/// oracle may mark it at most 30 days ahead.
#[test]
fn r7_r15_a_hired_device_cannot_be_unstaked_until_cleared() {
    let world = staked_device();
    assert_eq!(world.refused("stranger", &["operator", "set-hired", "gpu-1", "--until", "1d"]), "NotOracle");
    assert_eq!(world.refused("oracle", &["operator", "set-hired", "gpu-1", "--until", "31d"]), "InvalidHiredUntil");
    let report = world.json("oracle", &["operator", "set-hired", "gpu-1", "--until", "1d"]);
    assert_eq!(report["hired_until"].as_i64(), Some(world.clock() + 86_400));
    assert_eq!(world.device().hired_until, world.clock() + 86_400);
    assert_eq!(world.json("owner", &["status", "gpu-1"])["hired"], true);

    // R15: refused while hired; the error is named on standard error
    let out = world.run("owner", &["owner", "unstake", "gpu-1"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DeviceHired"), "{stderr}");
    assert_eq!(world.refused("owner", &["owner", "unstake", "gpu-1"]), "DeviceHired");

    world.ok("oracle", &["operator", "set-hired", "gpu-1", "--clear"]);
    assert_eq!(world.device().hired_until, 0);
    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    assert!(world.device().is_unstaking());
}

/// R7, R20: a terminated device takes no offers and its blocks are skipped (nothing moves, the
/// block's end is recorded), but its stake can leave.
#[test]
fn r7_r20_a_terminated_device_earns_nothing_and_takes_no_offers_but_its_stake_can_leave() {
    let world = staked_device();
    world.ok("oracle", &["operator", "set-hired", "gpu-1", "--until", "10d"]);
    assert_eq!(world.refused("stranger", &["operator", "terminate", "gpu-1"]), "NotOracle");
    world.warp(60);
    world.ok("oracle", &["operator", "terminate", "gpu-1"]);
    let device = world.device();
    assert!(device.is_terminated() && device.hired_until == 0, "R7: terminate also clears hired");
    assert_eq!(device.owner_stake, 16_000 * UNIT, "nobody's stake is unstaked automatically");

    assert_eq!(world.refused("owner", &["owner", "offer", "create", "gpu-1", "8000", "--share", "74"]), "DeviceTerminated");
    let paid = pay_block(&world, 1, "1000");
    assert_eq!(
        (paid["entries"][0]["paid"].as_bool(), paid["entries"][0]["credited"]["base_units"].as_u64()),
        (Some(false), Some(0))
    );
    assert!(paid["entries"][0]["skipped"].as_str().unwrap().contains("terminated"), "{paid}");
    assert_eq!(world.balance("rewards"), 10_000 * UNIT);
    assert_eq!(world.device().last_paid_end, world.clock());

    world.ok("owner", &["owner", "unstake", "gpu-1"]);
    world.warp(200);
    world.ok("owner", &["owner", "withdraw", "gpu-1"]);
    assert_eq!(world.balance("owner"), 20_000 * UNIT);
}

/// R2: the oracle attests new hardware; a higher minimum on a device that met the previous one
/// waits one cover window (100 s).
#[test]
fn r2_update_hardware_raises_the_minimum_after_a_grace() {
    let world = staked_device();
    assert_eq!(
        world.refused("stranger", &["operator", "update-hardware", "gpu-1", "--gpus", "9", "--multiplier-bps", "100000"]),
        "NotOracle"
    );
    let report = world.json("oracle", &["operator", "update-hardware", "gpu-1", "--gpus", "9", "--multiplier-bps", "100000"]);
    assert_eq!(
        (report["previous_min"]["base_units"].as_u64(), report["min_required"]["base_units"].as_u64()),
        (Some(16_000 * UNIT), Some(18_000 * UNIT))
    );
    assert_eq!(report["grace_end"].as_i64(), Some(world.clock() + 100));
    let status = world.json("owner", &["status", "gpu-1"]);
    assert_eq!((status["min_in_force"]["base_units"].as_u64(), status["eligible"].as_bool()), (Some(16_000 * UNIT), Some(true)));
    world.warp(100);
    let status = world.json("owner", &["status", "gpu-1"]);
    assert_eq!((status["min_in_force"]["base_units"].as_u64(), status["eligible"].as_bool()), (Some(18_000 * UNIT), Some(false)));
    assert_eq!(world.device().gpu_count, 9);
}

/// R52: tokens donated to a vault are surplus the admin sweeps to the treasury, and only that.
#[test]
fn r52_sweep_surplus_moves_only_donations_to_the_treasury() {
    let world = staked_device();
    let vault = pda::stake_vault(&world.device_key()).0;
    assert_eq!(world.refused("deployer", &["operator", "sweep-surplus", "gpu-1"]), "NoSurplus");
    world.ok("deployer", &["svm", "mint-to", &world.mint.to_string(), &vault.to_string(), "5"]);
    assert_eq!(world.token_balance(&vault), 16_005 * UNIT);
    assert_eq!(world.refused("stranger", &["operator", "sweep-surplus", "gpu-1"]), "NotAdmin");
    let report = world.json("deployer", &["operator", "sweep-surplus", "gpu-1"]);
    assert_eq!(report["from_stake_vault"]["base_units"], 5 * UNIT);
    assert_eq!((world.balance("treasury"), world.token_balance(&vault)), (5 * UNIT, 16_000 * UNIT));
    assert_eq!(world.device().owner_stake, 16_000 * UNIT);
}

/// R12: a co-staker claims a position's rewards; then there is nothing left to claim.
#[test]
fn r12_claim_pays_the_positions_rewards_and_then_has_nothing_left() {
    let world = device_with_costaker();
    pay_block(&world, 1, "1000");
    assert_eq!(world.position(0).rewards, 740 * UNIT);

    // only the position's co-staker claims: another wallet has no position to name
    let stderr = world.fails("stranger", &["costaker", "claim", "gpu-1", "--seq", "0"]);
    assert!(stderr.contains("has no position with rewards"), "{stderr}");
    let report = world.json("costaker", &["costaker", "claim", "gpu-1"]);
    assert_eq!(report["amount"]["base_units"], 740 * UNIT);
    assert_eq!(world.balance("costaker"), 740 * UNIT);
    assert_eq!((world.position(0).rewards, world.position(0).principal), (0, 8_000 * UNIT));

    // nothing left: the CLI says so, and the program refuses a claim of the position by number
    let stderr = world.fails("costaker", &["costaker", "claim", "gpu-1"]);
    assert!(stderr.contains("no position with rewards"), "{stderr}");
    assert_eq!(world.refused("costaker", &["costaker", "claim", "gpu-1", "--seq", "0"]), "NothingToClaim");
}

/// R20, R23: a rewards file larger than a transaction is paid in several, each device credited once.
#[test]
fn r20_a_rewards_csv_larger_than_a_transaction_is_paid_in_several() {
    let world = World::new("rewards-batches");
    assert!(world.initialize(&[]).status.success());
    let ids: Vec<String> = (1..=7).map(|n| format!("gpu-{n}")).collect();
    for id in &ids {
        register(&world, id, "1", "10000");
        world.ok("owner", &["owner", "stake", id, "200"]);
    }
    world.warp(3600);
    let csv = world.dir.join("rewards.csv");
    let lines: Vec<String> = ids.iter().enumerate().map(|(i, id)| format!("{id},{}", 10 * (i + 1))).collect();
    std::fs::write(&csv, format!("device,amount\n# one line per device\n{}\n", lines.join("\n"))).unwrap();
    let report = world.json(
        "rewards",
        &[
            "operator",
            "distribute-rewards",
            "--csv",
            &csv.display().to_string(),
            "--block-id",
            "1",
            "--block-start",
            "1h ago",
            "--per-transaction",
            "3",
        ],
    );

    let transactions = report["transactions"].as_array().unwrap();
    assert_eq!(transactions.len(), 3, "7 devices, 3 a transaction: {report}");
    let entries = report["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 7);
    for (i, id) in ids.iter().enumerate() {
        let expected = 10 * (i as u64 + 1) * UNIT;
        let address = pda::device(&device_id(id)).0;
        let entry = entries.iter().find(|e| e["device"] == address.to_string()).unwrap();
        assert_eq!(entry["credited"]["base_units"], expected);
        let device: Device = world.decode(&address);
        assert_eq!((device.owner_rewards, device.last_paid_end), (expected, world.clock()));
    }
    assert_eq!(world.balance("rewards"), 10_000 * UNIT - 280 * UNIT);

    // the same device twice is refused before sending
    std::fs::write(&csv, "gpu-1,1\ngpu-1,2\n").unwrap();
    let stderr = world.fails(
        "rewards",
        &["operator", "distribute-rewards", "--csv", &csv.display().to_string(), "--block-id", "2", "--block-start", "1h ago"],
    );
    assert!(stderr.contains("listed twice"), "{stderr}");
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
