//! Transactions that land, on solana-test-validator, through the CLI over RPC: the compute-unit
//! limit and price of a landed transaction read back with getTransaction, the message shown when a
//! blockhash is unknown or expired, and an offline signing round trip (`--sign-only` on one side,
//! `--blockhash` with `--signer PUBKEY=SIGNATURE` on the other; `--dump-transaction-message` for a
//! multisig). Its validator has its own ports and state folder, so it runs beside the other suites.
use device_staking_client::device_staking::state::Config;
use device_staking_client::pda;
use device_staking_localnet::{Cast, Cli, Validator};
use serde_json::{json, Value};
use solana_rpc_client::api::request::RpcRequest;
use std::process::Command;

/// The ComputeBudget program.
const COMPUTE_BUDGET: &str = "ComputeBudget111111111111111111111111111111";

/// The price the first transaction is sent with (micro-lamports per compute unit).
const PRICE: u64 = 7_500;

/// Decodes base58 (the encoding of instruction data in getTransaction's `json` encoding).
fn base58(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut bytes: Vec<u8> = Vec::new();
    for c in text.bytes() {
        let mut carry = ALPHABET.iter().position(|a| *a == c).expect("a base58 digit") as u32;
        for byte in bytes.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = text.bytes().take_while(|c| *c == b'1').count();
    [vec![0; zeros], bytes].concat()
}

/// The landed transaction `signature` as getTransaction returns it (`json` encoding).
fn landed(v: &Validator, signature: &str) -> Value {
    let params = json!([signature, {"encoding": "json", "commitment": "confirmed", "maxSupportedTransactionVersion": 0}]);
    v.rpc.send::<Value>(RpcRequest::GetTransaction, params).expect("getTransaction")
}

/// `(limit, price)` of the ComputeBudget instructions of a transaction read with [`landed`], and
/// the index of the first instruction that is not one of them.
fn compute_budget(transaction: &Value) -> (Option<u32>, Option<u64>, usize) {
    let message = &transaction["transaction"]["message"];
    let keys: Vec<&str> = message["accountKeys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    let (mut limit, mut price, mut first_other) = (None, None, usize::MAX);
    for (index, instruction) in message["instructions"].as_array().unwrap().iter().enumerate() {
        let program = keys[instruction["programIdIndex"].as_u64().unwrap() as usize];
        if program != COMPUTE_BUDGET {
            first_other = first_other.min(index);
            continue;
        }
        let data = base58(instruction["data"].as_str().unwrap());
        match data[0] {
            2 => limit = Some(u32::from_le_bytes(data[1..5].try_into().unwrap())),
            3 => price = Some(u64::from_le_bytes(data[1..9].try_into().unwrap())),
            other => panic!("unexpected ComputeBudget instruction {other}"),
        }
    }
    (limit, price, first_other)
}

/// The compute units a landed transaction consumed.
fn consumed(transaction: &Value) -> u64 {
    transaction["meta"]["computeUnitsConsumed"].as_u64().expect("computeUnitsConsumed")
}

/// Runs the CLI with `args` as they are (no --output), returning success, stdout and stderr.
fn run_raw(cli: &Cli, url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(cli.binary())
        .args(["--url", url, "--commitment", "confirmed"])
        .args(args)
        .output()
        .expect("run device-staking");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    eprintln!("$ device-staking {} -> {}\n{stdout}{stderr}", args.join(" "), out.status);
    (out.status.success(), stdout, stderr)
}

/// Whether the config says the program is paused.
fn paused(v: &Validator) -> bool {
    v.decode::<Config>(&pda::config().0).expect("the config").is_paused()
}

/// R30 (initialize) and R32 (pause, admin-signed) sent as a user on a busy cluster would: with
/// `--with-compute-unit-price` the landed transaction carries that price and a limit from the
/// simulation plus the margin (at least what it consumed); without it, the price of the recent
/// fees paid for the accounts it writes. A blockhash the node does not know ends with the message that nothing changed. The
/// admin's pause signed offline (`--sign-only`) and sent by someone without the admin's key
/// (`-k ADMIN_ADDRESS --blockhash --signer ADMIN=SIGNATURE`) lands; its dumped message is the one
/// that was signed.
#[test]
fn transactions_land_with_a_compute_budget_and_offline_signatures() {
    // a validator of its own: ports and state folder apart from the other suites
    let state = std::env::temp_dir().join(format!("device-staking-landing-{}", std::process::id()));
    std::env::set_var("LOCALNET_DIR", &state);
    std::env::set_var("LOCALNET_RPC_PORT", "38899");
    std::env::set_var("LOCALNET_FAUCET_PORT", "38900");
    std::env::set_var("LOCALNET_GOSSIP_PORT", "38901");
    if std::env::var_os("DEVICE_STAKING_CLI").is_none() {
        std::env::set_var("DEVICE_STAKING_CLI", device_staking_localnet::root().join("target/debug/device-staking"));
    }
    let v = Validator::start();
    let cli = Cli::new(&v.url);
    let cast = Cast::new(&["oracle", "rewards", "slasher", "treasury"]);
    let mint = v.create_mint(6);
    let admin_file = v.authority_file.display().to_string();
    assert!(v.rpc.get_account(&pda::config().0).is_err(), "a fresh validator has no config");

    // 1. initialize with a compute-unit price: limit and price read back from the landed transaction
    let price = PRICE.to_string();
    let initialized = cli.ok(
        &admin_file,
        &[
            "--with-compute-unit-price",
            &price,
            "operator",
            "initialize",
            "--mint",
            &mint.to_string(),
            "--oracle",
            &cast.file("oracle"),
            "--reward-authority",
            &cast.file("rewards"),
            "--slash-authority",
            &cast.file("slasher"),
            "--treasury",
            &cast.file("treasury"),
        ],
    );
    let signature = initialized["signature"].as_str().expect("a signature");
    let transaction = landed(&v, signature);
    let (limit, unit_price, first_program_ix) = compute_budget(&transaction);
    let units = consumed(&transaction);
    eprintln!("[landing] initialize {signature}: limit {limit:?}, price {unit_price:?}, consumed {units}");
    assert_eq!(unit_price, Some(PRICE), "the price of --with-compute-unit-price");
    let limit = u64::from(limit.expect("a compute-unit limit"));
    assert!(limit >= units, "the limit {limit} covers the {units} units consumed");
    assert!(
        limit <= units + units / 5 + 2_000,
        "the limit {limit} is the simulation's {units} units plus a margin, not the maximum"
    );
    assert_eq!(first_program_ix, 2, "the two ComputeBudget instructions come first");
    assert!(transaction["meta"]["err"].is_null(), "it succeeded");
    assert!(v.decode::<Config>(&pda::config().0).is_some(), "the config exists");

    // 2. without the flag: the price of the recent fees of the written accounts; the only recent
    // transaction that wrote the config paid PRICE, so the default follows it instead of 0
    let sent = cli.ok(&admin_file, &["operator", "pause"]);
    let transaction = landed(&v, sent["signature"].as_str().unwrap());
    let (limit, unit_price, _) = compute_budget(&transaction);
    eprintln!(
        "[landing] pause with the default price: limit {limit:?}, price {unit_price:?}, consumed {}",
        consumed(&transaction)
    );
    assert!(unit_price.is_some_and(|p| p >= PRICE), "a price from the recent fees of the config: {unit_price:?}");
    assert!(limit.is_some_and(|l| u64::from(l) >= consumed(&transaction)));
    assert!(paused(&v));
    cli.ok(&admin_file, &["operator", "unpause"]);
    assert!(!paused(&v));

    // 3. a blockhash the node does not know: the transaction cannot land, and nothing changed
    let unknown = "4uQeVj5tqViQh7yWWGStvkEG1Zmhx6uasJtWCJziofM";
    let (ok, _, stderr) = run_raw(&cli, &v.url, &["-k", &admin_file, "--blockhash", unknown, "operator", "pause"]);
    assert!(!ok, "a transaction with an unknown blockhash cannot land");
    assert!(stderr.contains("did not land before its blockhash expired; nothing was changed; run the command again"), "{stderr}");
    assert!(!paused(&v), "nothing changed");

    // 4. offline signing: the admin signs with --sign-only; someone without the admin's key sends
    let admin_address = v.authority.pubkey_string();
    let blockhash = v.rpc.get_latest_blockhash().expect("a blockhash").to_string();
    let (ok, signed, _) = run_raw(
        &cli,
        &v.url,
        &["-k", &admin_file, "--output", "json", "--sign-only", "--blockhash", &blockhash, "operator", "pause"],
    );
    assert!(ok, "--sign-only succeeds");
    let signed: Value = serde_json::from_str(&signed).expect("one JSON document");
    assert_eq!(signed["blockhash"], json!(blockhash));
    assert!(signed["absent"].as_array().unwrap().is_empty(), "the admin is the only signer");
    let presigned = signed["signers"][0].as_str().expect("the admin's PUBKEY=SIGNATURE").to_string();
    assert!(presigned.starts_with(&format!("{admin_address}=")), "{presigned}");
    assert!(!paused(&v), "signing only sends nothing");
    // the same message, dumped for a multisig to propose, without any key
    let (ok, dumped, _) = run_raw(
        &cli,
        &v.url,
        &[
            "-k",
            &admin_address,
            "--output",
            "json",
            "--dump-transaction-message",
            "base64",
            "--blockhash",
            &blockhash,
            "operator",
            "pause",
        ],
    );
    assert!(ok, "--dump-transaction-message succeeds");
    let dumped: Value = serde_json::from_str(&dumped).expect("one JSON document");
    assert_eq!(dumped["message"], signed["message"], "the dumped message is the one the admin signed");
    // a wrong signature is refused before anything is sent
    let other = v.authority.sign_string(b"another message");
    let forged = format!("{admin_address}={other}");
    let (ok, _, stderr) =
        run_raw(&cli, &v.url, &["-k", &admin_address, "--blockhash", &blockhash, "--signer", &forged, "operator", "pause"]);
    assert!(!ok && stderr.contains("does not sign this transaction"), "{stderr}");
    assert!(!paused(&v));
    // the sending side: the admin's address, the blockhash and the collected signature
    let (ok, stdout, stderr) = run_raw(
        &cli,
        &v.url,
        &["-k", &admin_address, "--output", "json", "--blockhash", &blockhash, "--signer", &presigned, "operator", "pause"],
    );
    assert!(ok, "the presigned pause lands: {stderr}");
    let sent: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let signature = sent["signature"].as_str().unwrap();
    assert_eq!(signature, presigned.split_once('=').unwrap().1, "the transaction sent is the one the admin signed");
    let transaction = landed(&v, signature);
    let (limit, unit_price, _) = compute_budget(&transaction);
    eprintln!(
        "[landing] presigned pause {signature}: limit {limit:?}, price {unit_price:?}, consumed {}",
        consumed(&transaction)
    );
    assert_eq!((limit, unit_price), (Some(400_000), Some(0)), "the fixed budget of an offline signing");
    assert!(paused(&v), "the admin's presigned pause took effect");
    drop(v);
    let _ = std::fs::remove_dir_all(&state);
}

/// Helpers of the authority's keypair as the test needs them (address and a signature as text).
trait KeyText {
    /// The address in base58.
    fn pubkey_string(&self) -> String;
    /// A signature of `message` in base58.
    fn sign_string(&self, message: &[u8]) -> String;
}

impl KeyText for solana_keypair::Keypair {
    fn pubkey_string(&self) -> String {
        use solana_signer::Signer;
        self.pubkey().to_string()
    }

    fn sign_string(&self, message: &[u8]) -> String {
        use solana_signer::Signer;
        self.sign_message(message).to_string()
    }
}
