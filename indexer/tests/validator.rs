//! The indexer on solana-test-validator: a device's lifecycle through the CLI (register, stake,
//! offer, fill, rewards, overflow, hold, slash, cancel, cover, claim, unstake, withdrawals, close)
//! plus a few hundred reward blocks and refused transactions sent at once; then the indexer binary
//! into SQLite and into a throwaway PostgreSQL cluster: stopped after N transactions, killed
//! mid-way, run to the end and run again. The database must hold exactly the events the chain's
//! transactions emitted (counts per type, against the `Program data:` lines of the same
//! transactions' logs), every transaction once in the chain's order, failed ones without events;
//! the API over it and the CLI's `history`/`export` must agree.
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use base64::Engine;
use device_staking_client::device_staking::events::*;
use device_staking_client::ix::{self, Mint, RewardTarget};
use device_staking_client::{pda, PROGRAM_ID};
use device_staking_indexer::db::Db;
use device_staking_indexer::{api, http};
use device_staking_localnet::concurrent::{send_all, Planned, Sending};
use device_staking_localnet::{root, Cast, Cli, Validator};
use serde_json::Value;
use solana_keypair::read_keypair_file;
use solana_signer::Signer;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// One token: the test mint has 6 decimals.
const UNIT: u64 = 1_000_000;
/// One SOL.
const SOL: u64 = 1_000_000_000;
/// Reward blocks sent at once after the lifecycle's first block (for the catch-up rate).
const BULK_BLOCKS: u64 = 300;

/// A device id of a short text.
fn device_id(text: &str) -> [u8; 32] {
    let mut id = [0u8; 32];
    id[..text.len()].copy_from_slice(text.as_bytes());
    id
}

/// Every event type's discriminator and name: the test's own table, from the program's types.
fn discriminators() -> Vec<(&'static [u8], &'static str)> {
    macro_rules! table {
        ($($ty:ident),*) => { vec![$((<$ty as Discriminator>::DISCRIMINATOR, stringify!($ty))),*] };
    }
    table!(
        Initialized,
        RoleChanged,
        PausedSet,
        ParamsProposed,
        ParamsCancelled,
        SlashCapLowered,
        DeviceRegistered,
        MinimumChanged,
        Staked,
        OfferCreated,
        OfferRetracted,
        OfferFilled,
        OverflowWithdrawn,
        RewardsClaimed,
        CostakeCancelled,
        Unstaked,
        TicketWithdrawn,
        PositionWithdrawn,
        HiredSet,
        DeviceTerminated,
        DeviceClosed,
        RewardPaid,
        RewardSkipped,
        Slashed,
        DeviceHeld,
        SurplusSwept,
        PositionReleased,
        EscrowWithdrawn,
        ProfileClosed,
        TransferProposed,
        TransferCancelled,
        DeviceTransferred
    )
}

/// What the chain holds: the program's transactions oldest first (signature, failed) and the
/// events their logs carry by type, read from every `Program data:` line by discriminator.
struct ChainTruth {
    /// Signatures oldest first, and whether each failed.
    transactions: Vec<(String, bool)>,
    /// Events per type name.
    counts: BTreeMap<String, i64>,
    /// The sum of the owner's and of the positions' paid parts of `RewardPaid` for the device.
    reward_parts: (u64, u64),
}

/// Reads the program's whole history from the node, with the RPC client of the validator.
fn chain_truth(v: &Validator, device: &Pubkey) -> ChainTruth {
    use solana_commitment_config::CommitmentConfig;
    use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
    use solana_rpc_client_api::config::RpcTransactionConfig;
    use solana_transaction_status_client_types::{option_serializer::OptionSerializer, UiTransactionEncoding};
    let mut newest_first = Vec::new();
    let mut before = None;
    loop {
        let config = GetConfirmedSignaturesForAddress2Config {
            before,
            until: None,
            limit: Some(1_000),
            commitment: Some(CommitmentConfig::confirmed()),
        };
        let page = v.rpc.get_signatures_for_address_with_config(&PROGRAM_ID, config).expect("signatures");
        let Some(last) = page.last() else { break };
        before = Some(solana_signature::Signature::from_str(&last.signature).unwrap());
        newest_first.extend(page.iter().map(|s| (s.signature.clone(), s.err.is_some())));
    }
    newest_first.reverse();
    let table = discriminators();
    let mut counts = BTreeMap::new();
    let mut reward_parts = (0, 0);
    for (signature, failed) in &newest_first {
        if *failed {
            continue;
        }
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            commitment: Some(CommitmentConfig::confirmed()),
            max_supported_transaction_version: Some(0),
        };
        let tx = v
            .rpc
            .get_transaction_with_config(&solana_signature::Signature::from_str(signature).unwrap(), config)
            .expect("transaction");
        let OptionSerializer::Some(logs) = tx.transaction.meta.expect("meta").log_messages else {
            panic!("no logs for {signature}")
        };
        for data in logs.iter().filter_map(|line| line.strip_prefix("Program data: ")) {
            let bytes = base64::engine::general_purpose::STANDARD.decode(data).expect("base64");
            let (_, name) =
                table.iter().find(|(d, _)| bytes.starts_with(d)).unwrap_or_else(|| panic!("an unknown event in {signature}"));
            *counts.entry(name.to_string()).or_insert(0) += 1;
            if *name == "RewardPaid" {
                let paid: RewardPaid = anchor_lang::AnchorDeserialize::deserialize(&mut &bytes[8..]).unwrap();
                if paid.device == *device {
                    reward_parts.0 += paid.owner_part;
                    if paid.position_seq.is_some() && !paid.position_left {
                        reward_parts.1 += paid.position_part;
                    }
                }
            }
        }
    }
    ChainTruth { transactions: newest_first, counts, reward_parts }
}

/// The indexer binary.
fn indexer() -> Command {
    Command::new(env!("CARGO_BIN_EXE_device-staking-indexer"))
}

/// Runs `index` into `database` with `extra` arguments; it must succeed. Returns its stderr.
fn index(url: &str, database: &str, extra: &[&str]) -> String {
    let out = indexer().args(["--database", database, "index", "--url", url]).args(extra).output().expect("run the indexer");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    eprintln!("$ device-staking-indexer index {} -> {}\n{stderr}", extra.join(" "), out.status);
    assert!(out.status.success(), "the indexer failed");
    stderr
}

/// The database's transactions in stored order (opened apart from the indexer process).
fn stored(database: &str) -> (Vec<(String, bool)>, BTreeMap<String, i64>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = Db::open(database).await.expect("open the database");
        let result = (db.signatures().await.unwrap(), db.counts_by_name().await.unwrap());
        db.close().await;
        result
    })
}

/// Indexes the chain into `database` in steps and checks it against `truth`: the first 5
/// transactions, 7 more, a run killed mid-way, the rest, then once more (nothing added).
/// Returns the full run's stderr.
fn check_database(v: &Validator, database: &str, truth: &ChainTruth) -> String {
    let all = &truth.transactions;
    index(&v.url, database, &["--max-transactions", "5"]);
    assert_eq!(stored(database).0, all[..5], "the first 5 transactions, in the chain's order");
    index(&v.url, database, &["--max-transactions", "7", "--concurrency", "1"]);
    assert_eq!(stored(database).0, all[..12], "resumed from the cursor: no gap, no duplicate");
    // a run killed mid-way (SIGKILL): what it stored is a prefix of the chain's order
    let mut child = indexer()
        .args(["--database", database, "index", "--url", &v.url, "--concurrency", "1"])
        .stderr(Stdio::null())
        .spawn()
        .expect("start the indexer");
    std::thread::sleep(Duration::from_millis(700));
    let _ = child.kill();
    let _ = child.wait();
    let (after_kill, _) = stored(database);
    eprintln!("[indexer test] the killed run had stored {} of {} transactions", after_kill.len(), all.len());
    assert!(
        after_kill.len() >= 12 && after_kill[..] == all[..after_kill.len()],
        "a killed run leaves a prefix of the chain's order"
    );
    let full = index(&v.url, database, &[]);
    let (transactions, counts) = stored(database);
    assert_eq!(&transactions, all, "every transaction once, in the chain's order, failed ones included");
    assert_eq!(counts, truth.counts, "exactly the events the transactions emitted, per type");
    let again = index(&v.url, database, &[]);
    assert!(!again.contains("to read"), "nothing new to read:\n{again}");
    assert_eq!(stored(database), (transactions, counts), "a second run adds nothing");
    full
}

/// A throwaway PostgreSQL cluster of tools/postgres/cluster.sh, stopped when dropped (also when the test fails).
struct Postgres {
    /// Its folder.
    dir: PathBuf,
    /// `postgres://...` of its database.
    url: String,
}

impl Postgres {
    /// Starts a cluster on 127.0.0.1:`port`.
    fn start(port: u16) -> Self {
        let dir = std::env::temp_dir().join(format!("indexer-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(root().join("tools/postgres/cluster.sh"))
            .args(["start", &dir.display().to_string(), &port.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .expect("run tools/postgres/cluster.sh");
        assert!(out.status.success(), "tools/postgres/cluster.sh start failed");
        Self { dir, url: String::from_utf8(out.stdout).unwrap().trim().to_string() }
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tools/postgres/cluster.sh")).args(["stop", &self.dir.display().to_string()]).status();
    }
}

/// Runs the CLI's `history`/`export` and returns its stdout (it must succeed).
fn cli_out(cli: &Cli, args: &[&str]) -> String {
    let out = Command::new(cli.binary()).args(args).output().expect("run device-staking");
    assert!(out.status.success(), "device-staking {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// R50 (every change emits an event), R20, R21, R40, R41 on a real validator: the database holds
/// exactly the events of the chain, in SQLite and in PostgreSQL, resumes with no gap and no
/// duplicate, skips failed transactions; the API and the CLI's history read it back.
#[test]
fn the_database_holds_every_event_the_chain_emitted() {
    // a validator of its own beside the others' (its own state folder and ports)
    for (name, value) in [
        ("LOCALNET_DIR", root().join("target/localnet-indexer").display().to_string()),
        ("LOCALNET_RPC_PORT", "28899".into()),
        ("LOCALNET_FAUCET_PORT", "29900".into()),
        ("LOCALNET_GOSSIP_PORT", "28001".into()),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
    let started = Instant::now();
    let v = Validator::start();
    let cli = Cli::new(&v.url);
    let cast = Cast::new(&["owner", "oracle", "costaker", "rewards", "slasher", "treasury", "stranger"]);
    let mint = v.create_mint(6);
    for (name, tokens) in
        [("owner", 20_000), ("costaker", 8_000), ("rewards", 10_000), ("oracle", 0), ("stranger", 0), ("slasher", 0)]
    {
        v.fund(&cast.pubkey(name), SOL, &mint, tokens * UNIT);
    }
    let deploy = Command::new(root().join("migrations/deploy.sh"))
        .args(["--url", &v.url, "-k", &v.authority_file.display().to_string(), "--mint", &mint.to_string(), "--local"])
        .args(["--params", &root().join("migrations/params.localnet.toml").display().to_string()])
        .args(["--oracle", &cast.file("oracle"), "--reward-authority", &cast.file("rewards")])
        .args(["--slash-authority", &cast.file("slasher"), "--treasury", &cast.pubkey("treasury").to_string()])
        .status()
        .expect("run migrations/deploy.sh");
    assert!(deploy.success(), "migrations/deploy.sh --local failed");

    // the lifecycle through the CLI
    let (owner, costaker, oracle, rewards, slasher) =
        (cast.file("owner"), cast.file("costaker"), cast.file("oracle"), cast.file("rewards"), cast.file("slasher"));
    let cosigned = cast.path("registration.json");
    cli.ok(
        &oracle,
        &[
            "operator",
            "cosign-registration",
            "gpu-1",
            "--owner",
            &cast.pubkey("owner").to_string(),
            "--gpus",
            "8",
            "--multiplier-bps",
            "100000",
            "--out",
            &cosigned,
        ],
    );
    cli.ok(&owner, &["owner", "register", "--cosigned", &cosigned]);
    let device = pda::device(&device_id("gpu-1")).0;
    cli.ok(&owner, &["owner", "stake", "gpu-1", "16000"]);
    cli.ok(&owner, &["owner", "offer", "create", "gpu-1", "8000", "--share", "74%"]);
    cli.ok(&costaker, &["costaker", "fill", "gpu-1", "--amount", "8000", "--share", "74"]);
    let filled_at = v.clock();
    v.wait_until(filled_at + 2, "a block that starts at the fill");
    let csv = cast.path("rewards.csv");
    std::fs::write(&csv, "device,amount\ngpu-1,1000\n").unwrap();
    let (block_start, block_end) = (filled_at.to_string(), (filled_at + 2).to_string());
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
    cli.ok(&rewards, &block);
    cli.ok(&rewards, &block); // the same block again: skipped (R20)

    // reward blocks sent at once, and transactions the program refuses, landing failed
    let mint_info = Mint { mint, token_program: anchor_spl::token::ID };
    let rewards_key = read_keypair_file(&rewards).unwrap();
    let stranger_key = read_keypair_file(cast.file("stranger")).unwrap();
    let source = ix::associated_token(&rewards_key.pubkey(), &mint_info);
    let mut planned: Vec<Planned> = (0..BULK_BLOCKS)
        .map(|i| {
            let target = [RewardTarget { device, amount: UNIT }];
            let reward =
                ix::distribute_rewards(rewards_key.pubkey(), source, 2 + i, filled_at, filled_at + 2, &target, &mint_info);
            Planned::confirm("reward block", vec![reward], &rewards_key, vec![])
        })
        .collect();
    for i in 0..3 {
        planned.push(Planned::refusal(
            "hold by a stranger",
            ix::hold(stranger_key.pubkey(), device, v.clock() + 60 + i),
            &stranger_key,
            "NotSlashAuthority",
        ));
    }
    let landed = send_all(&v.url, "bulk", &planned, Sending::default());
    let refused = landed.iter().filter(|l| l.kind == "hold by a stranger" && l.expect.is_met_by(&l.outcome)).count();
    assert_eq!(refused, 3, "the strangers' holds land refused by name");

    cli.ok(&owner, &["owner", "withdraw-overflow", "gpu-1"]);
    let until = (v.clock() + 8).to_string();
    let held = cli.ok(&slasher, &["operator", "hold", "gpu-1", "--until", &until]);
    let incident = held["incident_start"].as_i64().expect("the hold's incident start").to_string();
    cli.ok(&slasher, &["operator", "slash", "gpu-1", "100", "--incident-at", &incident]);
    cli.ok(&costaker, &["costaker", "cancel", "gpu-1"]);
    cli.ok(&owner, &["owner", "stake", "gpu-1", "8100"]);
    cli.ok(&costaker, &["costaker", "claim", "gpu-1"]);
    cli.ok(&owner, &["owner", "unstake", "gpu-1"]);
    let state: device_staking_client::device_staking::state::Device = v.decode(&device).unwrap();
    let position = *state.position(0).unwrap();
    v.wait_until(state.ticket_unlock_at.max(position.unlock_at).max(until.parse().unwrap()), "the cooldowns");
    cli.ok(&cast.file("stranger"), &["owner", "withdraw", "gpu-1"]);
    cli.ok(&costaker, &["costaker", "withdraw", "gpu-1"]);
    cli.ok(&owner, &["owner", "close", "gpu-1"]);
    eprintln!("[indexer test] lifecycle sent in {:.1} s", started.elapsed().as_secs_f64());

    let truth = chain_truth(&v, &device);
    let failed = truth.transactions.iter().filter(|(_, failed)| *failed).count();
    eprintln!("[indexer test] the chain: {} transactions ({failed} failed), events {:?}", truth.transactions.len(), truth.counts);
    assert_eq!(failed, 3, "the refused holds are on the chain as failed transactions");
    for name in [
        "DeviceRegistered",
        "Staked",
        "OfferCreated",
        "OfferFilled",
        "RewardPaid",
        "RewardSkipped",
        "OverflowWithdrawn",
        "DeviceHeld",
        "Slashed",
        "CostakeCancelled",
        "RewardsClaimed",
        "Unstaked",
        "TicketWithdrawn",
        "PositionWithdrawn",
        "DeviceClosed",
    ] {
        assert!(truth.counts.contains_key(name), "the lifecycle emitted {name}");
    }

    // SQLite: the default backend
    let dir = root().join("target/indexer-test");
    let _ = std::fs::remove_dir_all(&dir);
    let sqlite = format!("sqlite:{}", dir.join("history.sqlite").display());
    check_database(&v, &sqlite, &truth);
    // the catch-up rate on a fresh database
    let rate_db = format!("sqlite:{}", dir.join("rate.sqlite").display());
    let timed = Instant::now();
    let full = index(&v.url, &rate_db, &[]);
    let secs = timed.elapsed().as_secs_f64();
    eprintln!(
        "[indexer test] RATE sqlite: {} transactions in {secs:.2} s (process included): {:.0} tx/s; {}",
        truth.transactions.len(),
        truth.transactions.len() as f64 / secs,
        full.lines().last().unwrap_or_default()
    );

    // PostgreSQL: a throwaway cluster on its own port, stopped at the end (also on failure)
    let postgres = Postgres::start(25433);
    let timed = Instant::now();
    let full = check_database(&v, &postgres.url, &truth);
    eprintln!(
        "[indexer test] postgres checked in {:.1} s; {}",
        timed.elapsed().as_secs_f64(),
        full.lines().last().unwrap_or_default()
    );
    drop(postgres);

    // the API over the SQLite database
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(Db::open(&sqlite)).unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(api::serve(db.clone(), listener));
    let get = |path: &str| -> Value {
        let answer = http::get(&base, path).unwrap();
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        serde_json::from_str(&answer.body).unwrap()
    };
    let health = get("/health");
    assert_eq!(health["cursor"]["signature"], truth.transactions.last().unwrap().0);
    assert_eq!(health["transactions"].as_u64(), Some(truth.transactions.len() as u64));
    let device_events: i64 = runtime.block_on(db.device_events(&device.to_string(), i64::MAX, None)).unwrap().len() as i64;
    let history = get(&format!("/devices/{device}/history?limit=1000"));
    assert_eq!(history["events"].as_array().unwrap().len() as i64, device_events);
    assert_eq!(history["events"][0]["name"], "DeviceClosed");
    let earnings = get(&format!("/devices/{device}/earnings?by=day"));
    assert_eq!(earnings["totals"]["owner"], truth.reward_parts.0.to_string());
    assert_eq!(earnings["totals"]["positions"], truth.reward_parts.1.to_string());
    let positions = get(&format!("/wallets/{}/positions", cast.pubkey("costaker")));
    let position = &positions["positions"][0];
    assert_eq!((position["seq"].as_i64(), position["state"].as_str()), (Some(0), Some("withdrawn")));
    assert_eq!(position["rewardsEarned"], truth.reward_parts.1.to_string(), "the position earned every paid part");
    let slashes = get(&format!("/devices/{device}/slashes"));
    assert_eq!((slashes["slashes"].as_array().unwrap().len(), slashes["holds"].as_array().unwrap().len()), (1, 1));
    assert_eq!(slashes["slashes"][0]["amount"], (100 * UNIT).to_string());
    let owner_history = get(&format!("/wallets/{}/history?limit=1000", cast.pubkey("owner")));
    assert_eq!(
        owner_history["events"].as_array().unwrap().len() as i64,
        device_events,
        "the owner is concerned by all of the device's events"
    );

    // the CLI's history and export: from the API, and straight from RPC
    let from_api: Value = serde_json::from_str(&cli_out(
        &cli,
        &["--output", "json", "history", &device.to_string(), "--api", &base, "--limit", "1000"],
    ))
    .unwrap();
    assert_eq!(from_api["events"].as_array().unwrap().len() as i64, device_events);
    let from_rpc: Value =
        serde_json::from_str(&cli_out(&cli, &["--url", &v.url, "--output", "json", "history", "gpu-1", "--limit", "1000"]))
            .unwrap();
    let rpc_names: Vec<&Value> = from_rpc["events"].as_array().unwrap().iter().map(|e| &e["name"]).collect();
    let api_names: Vec<&Value> = from_api["events"].as_array().unwrap().iter().map(|e| &e["name"]).collect();
    assert_eq!(rpc_names, api_names, "the same events, in the same order, from RPC and from the API");
    let out = dir.join("export.csv");
    cli_out(&cli, &["export", "--csv", &device.to_string(), "--api", &base, "-o", &out.display().to_string()]);
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(exported.lines().count() as i64, device_events + 1);
    assert_eq!(exported.lines().next(), Some(api::CSV_HEADER));
    let rpc_csv = cli_out(&cli, &["--url", &v.url, "export", "--csv", "gpu-1"]);
    assert_eq!(rpc_csv.lines().count(), exported.lines().count(), "the RPC export has the same rows");
    let wallet_text = cli_out(&cli, &["history", &cast.pubkey("costaker").to_string(), "--api", &base]);
    assert!(wallet_text.contains("OfferFilled") && wallet_text.contains("PositionWithdrawn"), "{wallet_text}");

    runtime.block_on(db.close());
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("[indexer test] done in {:.1} s", started.elapsed().as_secs_f64());
}
