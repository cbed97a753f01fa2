//! The full lifecycle on solana-test-validator, through the CLI over RPC, with the deploy step
//! of migrations/ (`--local`: the floors of seconds) and windows of seconds
//! (migrations/params.localnet.toml): the clock cannot be moved on a validator, so the test waits
//! for the real deadlines.
use device_staking_client::device_staking::state::{Config, Device, Floors, Offer, OfferState, PositionState, Ticket, Tombstone};
use device_staking_client::pda;
use device_staking_kit::stage::{device_id, SOL, UNIT};
use device_staking_localnet::{root, Cast, Cli, Validator};
use std::process::{Command, Output};
use std::time::Instant;

/// Runs migrations/deploy.sh with `extra` arguments against the validator's URL; returns its
/// exit status and combined output.
fn run_deploy(v: &Validator, cast: &Cast, mint: &str, extra: &[&str]) -> (Output, String) {
    let out = Command::new(root().join("migrations/deploy.sh"))
        .args(["--url", &v.url, "-k", &v.authority_file.display().to_string(), "--mint", mint])
        .args(["--params", &root().join("migrations/params.localnet.toml").display().to_string()])
        .args(["--oracle", &cast.file("oracle"), "--reward-authority", &cast.file("rewards")])
        .args(["--slash-authority", &cast.file("slasher"), "--treasury", &cast.pubkey("treasury").to_string()])
        .args(extra)
        .output()
        .expect("run migrations/deploy.sh");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("$ migrations/deploy.sh {} -> {}\n{text}", extra.join(" "), out.status);
    (out, text)
}

/// The deploy step for a local validator; it must succeed.
fn deploy(v: &Validator, cast: &Cast, mint: &str) -> String {
    let (out, text) = run_deploy(v, cast, mint, &["--local"]);
    assert!(out.status.success(), "migrations/deploy.sh --local failed");
    text
}

/// The deploy step refuses the floors of seconds unless told the deployment is local, and
/// `--local` for a URL that is not this machine; neither creates a config.
fn floors_of_seconds_need_a_local_deployment(v: &Validator, cast: &Cast, mint: &str) {
    let (out, text) = run_deploy(v, cast, mint, &[]);
    assert!(!out.status.success(), "params of seconds with the floors of a cluster must be refused:\n{text}");
    assert!(text.contains("mainnet floors") && text.contains("ParamOutOfBounds"), "refused for the floors:\n{text}");
    let remote = Command::new(root().join("migrations/deploy.sh"))
        .args(["--local", "--url", "http://10.0.0.1:8899", "--mint", mint])
        .output()
        .expect("run migrations/deploy.sh");
    assert!(!remote.status.success(), "--local must be refused for a remote URL");
    assert!(String::from_utf8_lossy(&remote.stderr).contains("only for a validator on this machine"));
    assert!(v.decode::<Config>(&pda::config().0).is_none(), "no config after refused deploy steps");
}

/// Rules: R1 R3 R5 R6 R7 R8 R9 R10 R12 R13 R14 R15 R16 R18 R20 R21 R30 R52 on a real validator:
/// the deploy step with local floors, register with a co-signed file, stake, offer, fill,
/// rewards (a replayed block pays nobody twice), overflow, cancel with the wait and the owner's
/// cover, unstake with the cooldown, withdrawals (the ticket by a stranger, to the owner's
/// account), the close into a tombstone and the profile's close; refusals shown by name.
#[test]
fn a_device_lives_its_whole_life_on_the_validator() {
    let started = Instant::now();
    let v = Validator::start();
    let cli = Cli::new(&v.url);
    let cast = Cast::new(&["owner", "oracle", "costaker", "rewards", "slasher", "treasury", "stranger"]);
    let mint = v.create_mint(6);
    let token = |name: &str| v.balance(&cast.pubkey(name), &mint);
    for (name, tokens) in
        [("owner", 20_000), ("costaker", 8_000), ("rewards", 10_000), ("oracle", 0), ("stranger", 0), ("slasher", 0)]
    {
        v.fund(&cast.pubkey(name), SOL, &mint, tokens * UNIT);
    }
    let minted = 38_000 * UNIT;

    // the deploy step: the program the validator runs is our build; the config from the files,
    // with the floors of a local deployment only when told so (R30, protocol "Floors")
    floors_of_seconds_need_a_local_deployment(&v, &cast, &mint.to_string());
    let first = deploy(&v, &cast, &mint.to_string());
    let config: Config = v.decode(&pda::config().0).expect("config created");
    assert_eq!(config.floors, Floors { cover_window_secs: 1, cooldown_secs: 1, role_change_delay_secs: 0 });
    assert_eq!((config.params.cover_window_secs, config.params.cooldown_secs, config.params.max_hold_secs), (15, 30, 15));
    assert_eq!(config.oracle.current, cast.pubkey("oracle"));
    // idempotent: a second run changes nothing and succeeds
    let second = deploy(&v, &cast, &mint.to_string());
    assert_ne!(first, second, "the second run should report the config as already there");
    let again: Config = v.decode(&pda::config().0).unwrap();
    assert_eq!(
        (again.params, again.floors, again.oracle, again.admin),
        (config.params, config.floors, config.oracle, config.admin)
    );

    // registration co-signed by the oracle through a file (R3)
    let owner_key = cast.pubkey("owner").to_string();
    let cosigned = cast.path("registration.json");
    cli.ok(
        &cast.file("oracle"),
        &[
            "operator",
            "cosign-registration",
            "gpu-1",
            "--owner",
            &owner_key,
            "--gpus",
            "8",
            "--multiplier-bps",
            "100000",
            "--out",
            &cosigned,
        ],
    );
    assert!(
        !cli.run(&cast.file("stranger"), &["owner", "register", "--cosigned", &cosigned]).status.success(),
        "only the owner named by the oracle may register"
    );
    cli.ok(&cast.file("owner"), &["owner", "register", "--cosigned", &cosigned]);
    let device_key = pda::device(&device_id("gpu-1")).0;
    let device: Device = v.decode(&device_key).unwrap();
    assert_eq!(device.min_required(&config.env(v.clock())), 16_000 * UNIT);

    let owner = cast.file("owner");
    let costaker = cast.file("costaker");
    cli.ok(&owner, &["owner", "stake", "gpu-1", "16000"]);
    cli.ok(&owner, &["owner", "offer", "create", "gpu-1", "8000", "--share", "74%"]);
    cli.refused(&owner, &["owner", "unstake", "gpu-1"], "OpenOfferExists");
    let market = cli.ok(&costaker, &["costaker", "offers"]);
    assert_eq!(market["offers"][0]["device"], device_key.to_string());
    cli.ok(&costaker, &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    assert_eq!(token("costaker"), 0);

    // one block of rewards from the fill on: 74% to the position, the rest to the owner (R20, R21)
    let device: Device = v.decode(&device_key).unwrap();
    let position = *device.filled_position().expect("the filled position");
    assert_eq!((position.seq, position.principal), (0, 8_000 * UNIT));
    assert_eq!(v.decode::<Offer>(&pda::offer(&device_key, 0).0).unwrap().state().unwrap(), OfferState::Filled);
    v.wait_until(position.filled_at + 2, "a block that starts at the fill");
    let csv = cast.path("rewards.csv");
    std::fs::write(&csv, "device,amount\ngpu-1,1000\n").unwrap();
    let block_start = position.filled_at.to_string();
    let block_end = (position.filled_at + 2).to_string();
    let block = [
        "operator",
        "distribute-rewards",
        "--csv",
        &csv,
        "--block-id",
        "1",
        "--block-start",
        &block_start,
        "--block-end",
        &block_end,
    ];
    cli.ok(&cast.file("rewards"), &block);
    let device: Device = v.decode(&device_key).unwrap();
    assert_eq!((device.owner_rewards, device.position(0).unwrap().rewards), (260 * UNIT, 740 * UNIT));
    // the same block again: the entry is skipped and nothing moves (R20)
    cli.ok(&cast.file("rewards"), &block);
    let replayed: Device = v.decode(&device_key).unwrap();
    assert_eq!((replayed.owner_rewards, replayed.position(0).unwrap().rewards), (260 * UNIT, 740 * UNIT));
    assert_eq!(token("rewards"), 9_000 * UNIT, "a replayed block pays nobody");

    // the owner takes the overflow: 8,000 of principal and the 260 of rewards (R12)
    cli.ok(&owner, &["owner", "withdraw-overflow", "gpu-1"]);
    assert_eq!(token("owner"), 12_260 * UNIT);
    cli.refused(&owner, &["owner", "withdraw-overflow", "gpu-1", "1"], "ExceedsOverflow");

    // a device hired for an hour cannot be unstaken (R7)
    cli.ok(&cast.file("oracle"), &["operator", "set-hired", "gpu-1", "--until", "1h"]);
    cli.refused(&owner, &["owner", "unstake", "gpu-1"], "DeviceHired");
    cli.ok(&cast.file("oracle"), &["operator", "set-hired", "gpu-1", "--clear"]);

    // the co-staker leaves: the wait starts, the position still counts; the owner covers (R13)
    cli.ok(&costaker, &["costaker", "cancel", "gpu-1"]);
    let device: Device = v.decode(&device_key).unwrap();
    assert_eq!(device.position(0).unwrap().state(v.clock()), PositionState::Exiting);
    cli.refused(&costaker, &["costaker", "withdraw", "gpu-1"], "StillLocked");
    cli.ok(&owner, &["owner", "stake", "gpu-1", "8000"]);
    let status = cli.ok(&owner, &["status", "gpu-1"]);
    assert_eq!(status["eligible"], true, "covered in time: {status}");
    cli.ok(&costaker, &["costaker", "claim", "gpu-1"]);
    assert_eq!(token("costaker"), 740 * UNIT);

    // the owner unstakes: a ticket with the cooldown; the co-staker's unlock comes no later (R15)
    cli.ok(&owner, &["owner", "unstake", "gpu-1"]);
    let device: Device = v.decode(&device_key).unwrap();
    assert!(device.is_unstaking());
    assert_eq!(device.ticket_principal, 16_000 * UNIT);
    assert!(v.decode::<Ticket>(&pda::ticket(&device_key, device.ticket_seq).0).is_some(), "the ticket account");
    let position = *device.position(0).unwrap();
    assert!(position.unlock_at <= device.ticket_unlock_at);
    cli.refused(&cast.file("stranger"), &["owner", "withdraw", "gpu-1"], "StillLocked");
    cli.refused(&owner, &["owner", "stake", "gpu-1", "1"], "DeviceUnstaking");
    v.wait_until(device.ticket_unlock_at.max(position.unlock_at), "the cooldowns");

    // anyone may withdraw the ripe ticket: it pays the owner's associated token account (R16)
    cli.ok(&cast.file("stranger"), &["owner", "withdraw", "gpu-1"]);
    cli.ok(&costaker, &["costaker", "withdraw", "gpu-1"]);
    assert!(v.decode::<Ticket>(&pda::ticket(&device_key, device.ticket_seq).0).is_none(), "the ticket is closed");
    assert!(v.decode::<Offer>(&pda::offer(&device_key, 0).0).is_none(), "the position's offer is closed");

    // nothing lost (R52): every token is back in a wallet, the vaults are empty
    assert_eq!(token("owner"), 20_260 * UNIT);
    assert_eq!(token("costaker"), 8_740 * UNIT);
    assert_eq!(token("rewards"), 9_000 * UNIT);
    let device: Device = v.decode(&device_key).unwrap();
    for vault in [device.stake_vault, device.overflow_vault] {
        assert_eq!(v.balance_at(&vault), 0);
    }
    assert_eq!(token("owner") + token("costaker") + token("rewards"), minted);

    // the empty device closes into a tombstone and its vaults are gone (R8); the co-staker's
    // profile, counting no position, closes too (R18)
    cli.ok(&owner, &["owner", "close", "gpu-1"]);
    let tombstone: Tombstone = v.decode(&device_key).expect("the device is a tombstone");
    assert_eq!((tombstone.next_offer_seq, tombstone.next_ticket_seq), (1, 1));
    assert_eq!(v.account_data(&[device.stake_vault, device.overflow_vault]), [None, None]);
    cli.ok(&costaker, &["costaker", "close-profile"]);
    assert_eq!(v.account_data(&[pda::costaker(&cast.pubkey("costaker")).0]), [None]);
    assert_eq!(token("owner") + token("costaker") + token("rewards"), minted);
    eprintln!("[localnet] lifecycle on the validator in {:.1} s", started.elapsed().as_secs_f64());
}
