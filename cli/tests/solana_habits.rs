//! Solana CLI habits, run as the built binary: the defaults of the Solana CLI's config file
//! (`-C`, ~/.config/solana/cli/config.yml), signer URIs (a keypair file, an address with a
//! signature made elsewhere), offline signing on the embedded LiteSVM (`--sign-only`,
//! `--blockhash`, `--signer`, `--dump-transaction-message`) and a named message when no node
//! answers at the RPC URL.
mod common;

use common::{cli, World, UNIT};
use device_staking_client::device_staking::state::Device;
use serde_json::Value;

/// The config file's json_rpc_url, keypair_path and commitment are the defaults of --url, -k and
/// --commitment; a flag wins over the file; a bad commitment in the file is named.
#[test]
fn the_solana_cli_config_file_gives_the_defaults() {
    let world = World::new("config-file");
    assert!(world.initialize(&[]).status.success());
    let config = world.dir.join("config.yml");
    let write = |commitment: &str| {
        let yaml = format!(
            "json_rpc_url: svm:{}\nwebsocket_url: ''\nkeypair_path: {}\naddress_labels: {{}}\ncommitment: {commitment}\n",
            world.state.display(),
            world.key_str("owner")
        );
        std::fs::write(&config, yaml).unwrap();
    };
    write("finalized");
    let config_arg = config.display().to_string();
    // no --url, no -k: the wallet report of the config's keypair on the config's chain
    let out = cli(&["-C", &config_arg, "--output", "json", "status"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(&world.pubkey("owner").to_string()), "the config's keypair: {stdout}");
    // -k wins over the file
    let stranger = world.key_str("stranger");
    let out = cli(&["-C", &config_arg, "-k", &stranger, "--output", "json", "status"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains(&world.pubkey("stranger").to_string()), "{stdout}");
    write("sometime");
    let out = cli(&["-C", &config_arg, "status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("commitment of the config file"), "{stderr}");
    let missing = world.dir.join("missing.yml").display().to_string();
    let out = cli(&["-C", &missing, "status"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("cannot read the config file"));
}

/// No node at the URL: the CLI says it cannot reach the RPC (not "AccountNotFound").
#[test]
fn an_rpc_url_without_a_node_is_named() {
    let out = cli(&["--url", "http://127.0.0.1:9", "status", "--config"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("cannot reach the RPC at http://127.0.0.1:9"), "{stderr}");
    assert!(!stderr.contains("AccountNotFound"), "{stderr}");
}

/// R5 (the owner's stake) signed offline: `--sign-only` prints the owner's signature and changes
/// nothing; the message dumped for a multisig is the one signed; a wrong signature is refused
/// before sending; `-k OWNER_ADDRESS --blockhash --signer OWNER=SIGNATURE` sends the signed
/// transaction, and the stake lands.
#[test]
fn r5_a_stake_signed_offline_lands_with_the_collected_signature() {
    let world = World::new("sign-only");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    let blockhash =
        world.json("owner", &["--sign-only", "owner", "stake", "gpu-1", "16000"])["blockhash"].as_str().unwrap().to_string();
    let before = std::fs::read_to_string(&world.state).unwrap();
    let signed = world.json("owner", &["--sign-only", "--blockhash", &blockhash, "owner", "stake", "gpu-1", "16000"]);
    assert_eq!(std::fs::read_to_string(&world.state).unwrap(), before, "signing only changes nothing");
    let owner = world.pubkey("owner").to_string();
    let presigned = signed["signers"][0].as_str().unwrap().to_string();
    assert!(presigned.starts_with(&format!("{owner}=")) && signed["absent"].as_array().unwrap().is_empty(), "{signed}");
    // the message a multisig would propose, built from the owner's address alone
    let url = format!("svm:{}", world.state.display());
    let dump = |encoding: &str| -> Value {
        let out = cli(&[
            "--url",
            &url,
            "-k",
            &owner,
            "--output",
            "json",
            "--dump-transaction-message",
            encoding,
            "--blockhash",
            &blockhash,
            "owner",
            "stake",
            "gpu-1",
            "16000",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(dump("base64")["message"], signed["message"], "the dumped message is the signed one");
    assert!(dump("base58")["message"].as_str().unwrap().chars().all(|c| c.is_ascii_alphanumeric()));
    // without the signature, or with another one, nothing is sent
    let send = |signer: Option<&str>| {
        let mut args = vec!["--url", url.as_str(), "-k", owner.as_str(), "--output", "json", "--blockhash", blockhash.as_str()];
        if let Some(signer) = signer {
            args.extend(["--signer", signer]);
        }
        args.extend(["owner", "stake", "gpu-1", "16000"]);
        cli(&args)
    };
    let out = send(None);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("no signature of"));
    let forged = format!("{owner}={}", presigned.split_once('=').unwrap().1.chars().rev().collect::<String>());
    let out = send(Some(&forged));
    assert!(!out.status.success(), "a forged signature is refused");
    assert_eq!(std::fs::read_to_string(&world.state).unwrap(), before, "nothing changed");
    // the collected signature: the transaction the owner signed lands
    let out = send(Some(&presigned));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sent: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sent["signature"].as_str(), presigned.split_once('=').map(|(_, s)| s));
    assert_eq!(world.decode::<Device>(&world.device_key()).owner_stake, 16_000 * UNIT);
}

/// R5 (the owner's stake) built and signed on a machine with no network: the reads the command
/// makes, recorded online (`--record-state`, the owner's address alone), answer the same command
/// offline (`--state`, an unreachable --url, the owner's keypair), which signs the message an
/// online `--sign-only` signs; the transaction then lands with that signature. Offline, a read
/// that was not recorded is refused by name, and nothing is sent.
#[test]
fn r5_a_stake_built_and_signed_with_no_network_lands() {
    let world = World::new("state-file");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    let blockhash =
        world.json("owner", &["--sign-only", "owner", "stake", "gpu-1", "16000"])["blockhash"].as_str().unwrap().to_string();
    let online_signed = world.json("owner", &["--sign-only", "--blockhash", &blockhash, "owner", "stake", "gpu-1", "16000"]);
    let before = std::fs::read_to_string(&world.state).unwrap();
    let (url, owner, owner_key) =
        (format!("svm:{}", world.state.display()), world.pubkey("owner").to_string(), world.key_str("owner"));
    let state = world.dir.join("chain-state.json");
    let state = state.to_str().unwrap();
    let stake = ["owner", "stake", "gpu-1", "16000"];
    let run = |head: &[&str], tail: &[&str]| {
        let args: Vec<&str> =
            head.iter().chain(["--output", "json", "--blockhash", blockhash.as_str()].iter()).chain(tail).copied().collect();
        cli(&args)
    };
    let out = run(&["--url", &url, "-k", &owner, "--sign-only", "--record-state", state], &stake);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recorded: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(recorded["signers"].as_array().unwrap().is_empty(), "the address alone signs nothing: {recorded}");
    // offline: no chain at --url, the state file instead
    let offline = ["--url", "http://127.0.0.1:9", "-k", owner_key.as_str(), "--state", state];
    let out = run(&[&offline[..], &["--sign-only"]].concat(), &stake);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let signed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(signed["message"], recorded["message"], "offline builds the message recorded online");
    assert_eq!(signed["signers"], online_signed["signers"], "and signs it as an online --sign-only does");
    // a read the file does not hold, and a send, are refused; nothing changed
    let out = run(&[&offline[..], &["--sign-only"]].concat(), &["owner", "stake", "gpu-2", "16000"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--record-state"), "{out:?}");
    let out = run(&offline, &stake);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("nothing is sent from a state file"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_to_string(&world.state).unwrap(), before, "nothing changed");
    // online, with the signature made offline: the stake lands
    let presigned = signed["signers"][0].as_str().unwrap();
    let out = run(&["--url", &url, "-k", &owner, "--signer", presigned], &stake);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(world.decode::<Device>(&world.device_key()).owner_stake, 16_000 * UNIT);
}

/// R5 (the owner's stake) with a hardware wallet as -k: the usb:// URI is taken (the Solana CLI's
/// remote-wallet crate looks for the device), and with no wallet on the USB bus the command stops
/// with NoHardwareWallet and changes nothing; a URI of an unknown wallet kind is not a signer.
#[test]
fn r5_a_hardware_wallet_uri_is_taken_and_a_missing_wallet_is_named() {
    let world = World::new("usb-signer");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    let before = std::fs::read_to_string(&world.state).unwrap();
    let url = format!("svm:{}", world.state.display());
    for uri in ["usb://ledger", "usb://ledger?key=0/0"] {
        let out = cli(&["--url", &url, "-k", uri, "--output", "json", "owner", "stake", "gpu-1", "16000"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains("NoHardwareWallet") && stderr.contains(uri), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let error: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(error["error"].as_str().unwrap().starts_with("NoHardwareWallet"), "{error}");
    }
    let out = cli(&["--url", &url, "-k", "usb://nowallet", "owner", "stake", "gpu-1", "16000"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("is not a signer"));
    assert_eq!(std::fs::read_to_string(&world.state).unwrap(), before, "nothing changed");
    assert_eq!(world.decode::<Device>(&world.device_key()).owner_stake, 0);
}
