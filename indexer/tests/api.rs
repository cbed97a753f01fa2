//! The API over a database the test fills with a device's 1,000 events (no validator): every
//! route's answer checked against what was stored, bad input refused by name, and the response
//! time of the device's routes measured and printed (docs/indexer.md).
use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorSerialize, Discriminator};
use device_staking_client::device_staking::events::{
    DeviceHeld, DeviceRegistered, OfferCreated, OfferFilled, PositionSlash, RewardPaid, RewardSkipped, RewardsClaimed, Slashed,
    Staked,
};
use device_staking_indexer::db::{ChainTransaction, Db};
use device_staking_indexer::decode::{decode_event, Event};
use device_staking_indexer::{api, http};
use serde_json::Value;
use std::time::Instant;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// The first block's time: 2026-11-01T00:00:00Z.
const START: i64 = 1_793_491_200;

/// An event as the decoder reads it from the program's bytes.
fn decoded<T: AnchorSerialize + Discriminator>(event: &T, event_index: u32) -> Event {
    let mut bytes = T::DISCRIMINATOR.to_vec();
    event.serialize(&mut bytes).unwrap();
    Event { event_index, ..decode_event(&bytes).expect("an event of the program") }
}

/// A transaction of one event at `time`.
fn tx(n: usize, time: i64, events: Vec<Event>) -> ChainTransaction {
    ChainTransaction { signature: format!("sig{n:05}"), slot: 1_000 + n as u64, block_time: Some(time), failed: false, events }
}

/// GET that must answer 200 with JSON.
fn get_json(base: &str, path: &str) -> Value {
    let answer = http::get(base, path).unwrap();
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{path}: {e}: {}", answer.body))
}

/// Average milliseconds of `runs` GETs of `path`.
fn time_ms(base: &str, path: &str, runs: u32) -> f64 {
    let started = Instant::now();
    for _ in 0..runs {
        assert_eq!(http::get(base, path).unwrap().status, 200);
    }
    started.elapsed().as_secs_f64() * 1_000.0 / f64::from(runs)
}

/// R50, R21, R40, R41: a device's history, earnings per block and per day for the owner and the
/// position, the co-staker's position with its realized earnings and slash, slashes and holds, the
/// CSV export and the health route, over 1,000 stored events; re-storing adds nothing.
#[test]
fn the_api_serves_a_device_with_1000_events() {
    let dir = std::env::temp_dir().join(format!("indexer-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite:{}", dir.join("history.sqlite").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(Db::open(&url)).unwrap();

    let device = Pubkey::new_unique();
    let owner = Pubkey::new_unique();
    let costaker = Pubkey::new_unique();
    let mut txs = vec![
        tx(
            0,
            START - 3_600,
            vec![decoded(
                &DeviceRegistered {
                    device,
                    device_id: [7; 32],
                    owner,
                    gpu_count: 8,
                    multiplier_bps: 100_000,
                    min_required: 16_000,
                    revived: false,
                },
                0,
            )],
        ),
        tx(
            1,
            START - 3_000,
            vec![
                decoded(&Staked { device, amount: 16_000, owner_stake: 16_000, counted_stake: 16_000, eligible: true }, 0),
                decoded(&OfferCreated { device, offer: Pubkey::new_unique(), seq: 0, amount: 8_000, reward_share_bps: 7_400 }, 1),
            ],
        ),
        tx(
            2,
            START - 2_000,
            vec![decoded(
                &OfferFilled {
                    device,
                    seq: 0,
                    costaker,
                    amount: 8_000,
                    reward_share_bps: 7_400,
                    counted_stake: 24_000,
                    active_positions: 1,
                },
                0,
            )],
        ),
    ];
    // 992 reward blocks over 10 days (100 a day, 92 on the last), then a skipped block, a hold, a slash, a claim
    let blocks = 992;
    for block in 0..blocks {
        let time = START + (block as i64 / 100) * DAY + (block as i64 % 100) * 60;
        txs.push(tx(
            3 + block,
            time,
            vec![decoded(
                &RewardPaid {
                    device,
                    block_id: block as u64 + 1,
                    amount: 1_000,
                    owner_part: 260,
                    position_part: 740,
                    position_seq: Some(0),
                    position_left: false,
                    transferred: 1_000,
                },
                0,
            )],
        ));
    }
    let end = START + 10 * DAY;
    txs.push(tx(3 + blocks, end, vec![decoded(&RewardSkipped { device, block_id: 9_999, amount: 1_000, reason: 1 }, 0)]));
    txs.push(tx(
        4 + blocks,
        end + 1,
        vec![
            decoded(&DeviceHeld { device, until: end + 900, incident_start: end + 1 }, 0),
            decoded(
                &Slashed {
                    device,
                    requested: 100,
                    from_owner_stake: 95,
                    from_ticket: 0,
                    from_positions: vec![PositionSlash { seq: 0, amount: 5 }],
                    total: 100,
                    incident_at: end,
                },
                1,
            ),
        ],
    ));
    txs.push(tx(
        5 + blocks,
        end + 2,
        vec![decoded(&RewardsClaimed { device, seq: 0, costaker, amount: 740 * blocks as u64 }, 0)],
    ));
    let stored_events: usize = txs.iter().map(|t| t.events.len()).sum();
    assert_eq!(stored_events, 1_000, "the device has 1,000 events");
    let started = Instant::now();
    for t in &txs {
        assert!(runtime.block_on(db.store_transaction(t)).unwrap());
    }
    eprintln!("[api] stored {} transactions in {:.2} s", txs.len(), started.elapsed().as_secs_f64());
    // re-reading a transaction adds nothing
    assert!(!runtime.block_on(db.store_transaction(&txs[5])).unwrap());

    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(api::serve(db.clone(), listener));

    let health = get_json(&base, "/health");
    assert_eq!((health["transactions"].as_u64(), health["events"].as_u64()), (Some(txs.len() as u64), Some(1_000)));
    assert_eq!(health["cursor"]["signature"], txs.last().unwrap().signature);
    assert_eq!(health["database"], "sqlite");

    let d = device.to_string();
    let history = get_json(&base, &format!("/devices/{d}/history?limit=1000"));
    let events = history["events"].as_array().unwrap();
    assert_eq!(events.len(), 1_000);
    assert_eq!(events[0]["name"], "RewardsClaimed", "newest first");
    assert_eq!(events[999]["name"], "DeviceRegistered");
    assert_eq!(
        (events[1]["name"].as_str(), events[2]["name"].as_str()),
        (Some("Slashed"), Some("DeviceHeld")),
        "a transaction's events last first"
    );
    assert!(
        events[1]["wallets"].as_array().unwrap().contains(&Value::from(costaker.to_string())),
        "a slash of the position concerns its co-staker"
    );
    let page = get_json(&base, &format!("/devices/{d}/history?limit=10&before={}", events[9]["seq"]));
    assert_eq!(page["events"][0]["seq"], events[10]["seq"], "the next page starts after the last seq");

    let by_block = get_json(&base, &format!("/devices/{d}/earnings"));
    assert_eq!(by_block["owner"].as_array().unwrap().len(), blocks);
    assert_eq!(by_block["totals"]["owner"], (260 * blocks).to_string());
    assert_eq!(by_block["totals"]["positions"], (740 * blocks).to_string());
    assert_eq!(by_block["totals"]["skipped"], 1);
    assert_eq!(by_block["positions"][0]["costaker"], costaker.to_string());
    let by_day = get_json(&base, &format!("/devices/{d}/earnings?by=day"));
    let days = by_day["owner"].as_array().unwrap();
    assert_eq!(days.len(), 10);
    assert_eq!(
        (days[0]["day"].as_str(), days[0]["amount"].as_str(), days[0]["blocks"].as_u64()),
        (Some("2026-11-01"), Some("26000"), Some(100))
    );
    assert_eq!(by_day["positions"][0]["points"][9]["amount"], (740 * 92).to_string());
    // a local day two hours behind UTC: the first day's blocks before 02:00 UTC fall on the day before
    let west = get_json(&base, &format!("/devices/{d}/earnings?by=day&tzOffsetMinutes=-120"));
    assert_eq!(west["owner"][0]["day"], "2026-10-31");
    assert_eq!(west["owner"][0]["start"], START - DAY + 7_200);

    let positions = get_json(&base, &format!("/wallets/{costaker}/positions"));
    let position = &positions["positions"][0];
    assert_eq!(
        (position["seq"].as_i64(), position["state"].as_str(), position["rewardShareBps"].as_i64()),
        (Some(0), Some("filled"), Some(7_400))
    );
    assert_eq!(position["rewardsEarned"], (740 * blocks).to_string());
    assert_eq!(position["rewardsClaimed"], (740 * blocks).to_string());
    assert_eq!(position["slashed"], "5");
    assert_eq!(position["events"].as_array().unwrap().len(), blocks + 3, "fill, rewards, slash, claim");

    let slashes = get_json(&base, &format!("/devices/{d}/slashes"));
    assert_eq!((slashes["slashes"].as_array().unwrap().len(), slashes["holds"].as_array().unwrap().len()), (1, 1));
    assert_eq!(slashes["slashes"][0]["amount"], "100");
    let owner_slashes = get_json(&base, &format!("/wallets/{owner}/slashes"));
    assert_eq!(owner_slashes["holds"].as_array().unwrap().len(), 1);
    let owner_history = get_json(&base, &format!("/wallets/{owner}/history?limit=1000"));
    assert_eq!(owner_history["events"].as_array().unwrap().len(), 1_000, "the owner is concerned by every event of the device");

    let csv = http::get(&base, &format!("/devices/{d}/history.csv")).unwrap();
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 1_001);
    assert_eq!(lines[0], api::CSV_HEADER);
    assert!(
        lines[1].starts_with(&format!("2026-10-31T23:00:00Z,{},", START - 3_600)) && lines[1].contains(",DeviceRegistered,"),
        "{}",
        lines[1]
    );
    assert!(lines[5].contains(",RewardPaid,") && lines[5].contains(",1000,260,740,"), "{}", lines[5]);

    let bad = http::get(&base, "/devices/not-an-address/history").unwrap();
    assert_eq!((bad.status, bad.body.contains("invalid address: not-an-address")), (400, true));
    let bad_by = http::get(&base, &format!("/devices/{d}/earnings?by=week")).unwrap();
    assert_eq!(bad_by.status, 400);
    assert_eq!(http::get(&base, "/nothing").unwrap().status, 404);

    // the response time of the device's routes (10 runs each)
    for path in [
        format!("/devices/{d}/history?limit=1000"),
        format!("/devices/{d}/earnings?by=day"),
        format!("/devices/{d}/earnings"),
        format!("/devices/{d}/history.csv"),
        format!("/wallets/{costaker}/positions"),
    ] {
        eprintln!("[api] RESPONSE {path} (1,000 events): {:.1} ms", time_ms(&base, &path, 10));
    }
    runtime.block_on(db.close());
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}

/// One database per chain: a database filled from one genesis hash refuses another by name; a
/// failed transaction is stored without its events and moves the cursor past it.
#[test]
fn another_chain_is_refused_and_failed_transactions_store_no_events() {
    let dir = std::env::temp_dir().join(format!("indexer-cluster-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(Db::open(&format!("sqlite:{}", dir.join("history.sqlite").display()))).unwrap();
    runtime.block_on(db.check_cluster("genesis-a")).unwrap();
    runtime.block_on(db.check_cluster("genesis-a")).expect("the same chain again");
    let refused = runtime.block_on(db.check_cluster("genesis-b")).unwrap_err();
    assert!(refused.to_string().starts_with("WrongCluster"), "{refused}");

    let device = Pubkey::new_unique();
    let staked = decoded(&Staked { device, amount: 5, owner_stake: 5, counted_stake: 5, eligible: false }, 0);
    let failed = ChainTransaction { failed: true, ..tx(1, START, vec![staked]) };
    assert!(runtime.block_on(db.store_transaction(&failed)).unwrap());
    let status = runtime.block_on(db.status()).unwrap();
    assert_eq!((status.transactions, status.events), (1, 0), "stored without its events");
    assert_eq!(status.cursor.map(|c| c.signature), Some(failed.signature.clone()), "the cursor passed it");
    assert_eq!(runtime.block_on(db.signatures()).unwrap(), vec![(failed.signature, true)]);
    runtime.block_on(db.close());
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}
