//! The full lifecycle on solana-test-validator, through the CLI over RPC, with the deploy step
//! of migrations/ and windows of seconds (migrations/params.localnet.toml): the clock cannot be
//! moved on a validator, so the test waits for the real deadlines.
use device_staking_client::device_staking::state::{Config, Device, Offer, OfferState, Ticket};
use device_staking_client::pda;
use device_staking_localnet::{root, Cast, Cli, Validator};
use std::process::Command;
use std::time::Instant;

/// One token: the test mint has 6 decimals.
const UNIT: u64 = 1_000_000;
/// One SOL.
const SOL: u64 = 1_000_000_000;

fn device_id(text: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    id[..text.len()].copy_from_slice(text.as_bytes());
    id
}

/// Runs migrations/deploy.sh against the validator; returns its combined output.
fn deploy(v: &Validator, cast: &Cast, mint: &str) -> String {
    let out = Command::new(root().join("migrations/deploy.sh"))
        .args(["--url", &v.url, "-k", &v.authority_file.display().to_string(), "--mint", mint])
        .args(["--params", &root().join("migrations/params.localnet.toml").display().to_string()])
        .args(["--oracle", &cast.file("oracle"), "--reward-authority", &cast.file("rewards")])
        .args(["--slash-authority", &cast.file("slasher"), "--treasury", &cast.pubkey("treasury").to_string()])
        .output()
        .expect("run migrations/deploy.sh");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    eprintln!("$ migrations/deploy.sh -> {}\n{text}", out.status);
    assert!(out.status.success(), "migrations/deploy.sh failed");
    text
}

/// Rules: R1 R3 R5 R6 R7 R9 R10 R12 R13 R14 R15 R20 R30 R52 on a real validator: register with a
/// co-signed file, stake, offer, fill, rewards, overflow, cancel with the wait and the owner's
/// cover, unstake with the cooldown, withdrawals; refusals shown by name.
#[test]
fn a_device_lives_its_whole_life_on_the_validator() {
    let started = Instant::now();
    let v = Validator::start();
    let cli = Cli::new(&v.url);
    let cast = Cast::new(&["owner", "oracle", "costaker", "rewards", "slasher", "treasury", "stranger"]);
    let mint = v.create_mint(6);
    let token = |name: &str| v.balance(&cast.pubkey(name), &mint);
    for (name, tokens) in [("owner", 20_000), ("costaker", 8_000), ("rewards", 10_000), ("oracle", 0), ("stranger", 0), ("slasher", 0)] {
        v.fund(&cast.pubkey(name), SOL, &mint, tokens * UNIT);
    }
    let minted = 38_000 * UNIT;

    // the deploy step: the program the validator runs is our build; the config from the files
    let first = deploy(&v, &cast, &mint.to_string());
    let config: Config = v.decode(&pda::config().0).expect("config created");
    assert_eq!((config.params.cover_window_secs, config.params.cooldown_secs), (15, 30));
    assert_eq!(config.oracle.current, cast.pubkey("oracle"));
    // idempotent: a second run changes nothing and succeeds
    let second = deploy(&v, &cast, &mint.to_string());
    assert_ne!(first, second, "the second run should report the config as already there");
    let again: Config = v.decode(&pda::config().0).unwrap();
    assert_eq!((again.params, again.oracle, again.admin), (config.params, config.oracle, config.admin));

    // registration co-signed by the oracle through a file (R3)
    let owner_key = cast.pubkey("owner").to_string();
    let cosigned = cast.path("registration.json");
    cli.ok(&cast.file("oracle"), &["operator", "cosign-registration", "gpu-1", "--owner", &owner_key, "--gpus", "8", "--multiplier-bps", "100000", "--out", &cosigned]);
    assert!(!cli.run(&cast.file("stranger"), &["owner", "register", "--cosigned", &cosigned]).status.success(), "only the owner named by the oracle may register");
    cli.ok(&cast.file("owner"), &["owner", "register", "--cosigned", &cosigned]);
    let device_key = pda::device(&device_id("gpu-1")).0;
    let device: Device = v.decode(&device_key).unwrap();
    assert_eq!(device.min_required, 16_000 * UNIT);

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
    let filled: Offer = v.decode(&pda::offer(&device_key, 0).0).unwrap();
    assert_eq!(filled.state, OfferState::Filled);
    v.wait_until(filled.filled_at + 2, "a block that starts at the fill");
    let csv = cast.path("rewards.csv");
    std::fs::write(&csv, "device,amount\ngpu-1,1000\n").unwrap();
    let block_start = filled.filled_at.to_string();
    cli.ok(&cast.file("rewards"), &["operator", "distribute-rewards", "--csv", &csv, "--block-id", "1", "--block-start", &block_start]);
    let device: Device = v.decode(&device_key).unwrap();
    assert_eq!((device.owner_rewards, device.positions_rewards), (260 * UNIT, 740 * UNIT));
    cli.refused(&cast.file("rewards"), &["operator", "distribute-rewards", "--csv", &csv, "--block-id", "1", "--block-start", &block_start], "BlockAlreadyPaid");

    // the owner takes the overflow: 8,000 of principal and the 260 of rewards (R10)
    cli.ok(&owner, &["owner", "withdraw-overflow", "gpu-1"]);
    assert_eq!(token("owner"), 12_260 * UNIT);
    cli.refused(&owner, &["owner", "withdraw-overflow", "gpu-1", "1"], "ExceedsOverflow");

    // a hired device cannot be unstaken (R7)
    cli.ok(&cast.file("oracle"), &["operator", "set-hired", "gpu-1"]);
    cli.refused(&owner, &["owner", "unstake", "gpu-1"], "DeviceHired");
    cli.ok(&cast.file("oracle"), &["operator", "set-hired", "gpu-1", "--idle"]);

    // the co-staker leaves: the wait starts, the position still counts; the owner covers (R13)
    cli.ok(&costaker, &["costaker", "cancel", "gpu-1"]);
    let position: Offer = v.decode(&pda::offer(&device_key, 0).0).unwrap();
    assert_eq!(position.state, OfferState::Exiting);
    cli.refused(&costaker, &["costaker", "withdraw", "gpu-1"], "StillLocked");
    cli.ok(&owner, &["owner", "stake", "gpu-1", "8000"]);
    let status = cli.ok(&owner, &["status", "gpu-1"]);
    assert_eq!(status["eligible"], true, "covered in time: {status}");
    cli.ok(&costaker, &["costaker", "claim", "gpu-1"]);
    assert_eq!(token("costaker"), 740 * UNIT);

    // the owner unstakes: a ticket with the cooldown; the co-staker's wait is cut to the same (R15)
    cli.ok(&owner, &["owner", "unstake", "gpu-1"]);
    let ticket: Ticket = v.decode(&pda::ticket(&device_key, 0).0).unwrap();
    assert_eq!(ticket.amount, 16_000 * UNIT);
    cli.refused(&cast.file("stranger"), &["owner", "withdraw", "gpu-1"], "StillLocked");
    cli.refused(&owner, &["owner", "stake", "gpu-1", "1"], "DeviceUnstaking");
    let position: Offer = v.decode(&pda::offer(&device_key, 0).0).unwrap();
    v.wait_until(ticket.unlock_at.max(position.unlock_at), "the cooldowns");

    cli.ok(&cast.file("stranger"), &["owner", "withdraw", "gpu-1"]);
    cli.ok(&costaker, &["costaker", "withdraw", "gpu-1"]);
    assert!(v.decode::<Ticket>(&pda::ticket(&device_key, 0).0).is_none(), "the ticket is closed");
    assert!(v.decode::<Offer>(&pda::offer(&device_key, 0).0).is_none(), "the position is closed");

    // nothing lost (R52): every token is back in a wallet, the vaults are empty
    assert_eq!(token("owner"), 20_260 * UNIT);
    assert_eq!(token("costaker"), 8_740 * UNIT);
    assert_eq!(token("rewards"), 9_000 * UNIT);
    let device: Device = v.decode(&device_key).unwrap();
    for vault in [device.stake_vault, device.overflow_vault] {
        assert_eq!(v.balance_at(&vault), 0);
    }
    assert_eq!(token("owner") + token("costaker") + token("rewards"), minted);
    eprintln!("[localnet] lifecycle on the validator in {:.1} s", started.elapsed().as_secs_f64());
}
