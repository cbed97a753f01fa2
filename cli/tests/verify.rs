//! `program --expect`, run as the built binary on the embedded LiteSVM (whose `svm init` deploys
//! target/deploy/device_staking.so as an upgradeable program): the deployed program compared with
//! a local build (a file) or a sha256, a match and a mismatch of each, and `--expect` without a
//! value taking target/deploy.
mod common;

use common::World;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (the folder of target/deploy).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The built binary `name` of target/deploy.
fn build(name: &str) -> PathBuf {
    root().join("target/deploy").join(name)
}

/// The sha256 of a file in lowercase hex, as `sha256sum` prints it.
fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    solana_sha256_hasher::hash(&bytes).to_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// `program` with `args` on the world's chain, from the repository's root.
fn program(world: &World, args: &[&str]) -> Output {
    let state = format!("svm:{}", world.state.display());
    Command::new(env!("CARGO_BIN_EXE_device-staking"))
        .current_dir(root())
        .args(["--url", &state, "--output", "json", "program"])
        .args(args)
        .output()
        .expect("run the CLI")
}

/// The JSON report of a run that must succeed.
fn report(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap()
}

/// The message of a run that must fail with the error `name` (JSON `ok: false` on stdout).
fn refused(out: &Output, name: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "should fail: {stdout}");
    assert!(stderr.contains(name), "{name}: {stderr}");
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(error["ok"], false);
    assert!(error["error"].as_str().unwrap().contains(name), "{error}");
    stderr
}

/// The deployed program is the build of target/deploy: by file, by its sha256 (upper or lower
/// case), and by `--expect` alone; the report's sha256 is the file's (the program data's zero
/// padding left out).
#[test]
fn the_deployed_program_matches_its_build_by_file_and_by_sha256() {
    let world = World::new("verify-match");
    let so = build("device_staking.so");
    let hash = sha256(&so);
    let shown = report(&program(&world, &[]));
    assert_eq!(shown["deployed"], true);
    assert_eq!(shown["sha256"], hash.as_str());
    assert_eq!(shown["program_bytes"], std::fs::metadata(&so).unwrap().len());
    assert!(shown["program_data_bytes"].as_u64().unwrap() >= shown["program_bytes"].as_u64().unwrap());
    assert!(shown.get("matches").is_none());

    let by_file = report(&program(&world, &["--expect", &so.display().to_string()]));
    assert_eq!(by_file["matches"], true);
    assert_eq!(by_file["expected_sha256"], hash.as_str());

    for given in [hash.clone(), hash.to_uppercase()] {
        let by_hash = report(&program(&world, &["--expect", &given]));
        assert_eq!(by_hash["matches"], true, "{given}");
        assert_eq!(by_hash["expected_sha256"], hash.as_str());
    }

    let by_default = report(&program(&world, &["--expect"]));
    assert_eq!(by_default["matches"], true);
    assert_eq!(by_default["expected"], "target/deploy/device_staking.so");
}

/// Another build (the SBPF v0 binary, a copy changed by one byte, a longer copy) or another hash
/// is a mismatch, named ProgramMismatch, and the command exits non-zero; a missing file is named.
#[test]
fn another_build_or_hash_is_a_mismatch() {
    let world = World::new("verify-mismatch");
    let v0 = build("device_staking_v0.so");
    refused(&program(&world, &["--expect", &v0.display().to_string()]), "ProgramMismatch");

    let mut changed = std::fs::read(build("device_staking.so")).unwrap();
    let middle = changed.len() / 2;
    changed[middle] ^= 1;
    let changed_file = world.dir.join("changed.so");
    std::fs::write(&changed_file, &changed).unwrap();
    refused(&program(&world, &["--expect", &changed_file.display().to_string()]), "ProgramMismatch");

    changed[middle] ^= 1;
    changed.push(1);
    let longer_file = world.dir.join("longer.so");
    std::fs::write(&longer_file, &changed).unwrap();
    refused(&program(&world, &["--expect", &longer_file.display().to_string()]), "ProgramMismatch");

    refused(&program(&world, &["--expect", &sha256(&v0)]), "ProgramMismatch");
    let stderr = refused(&program(&world, &["--expect", &"0".repeat(64)]), "ProgramMismatch");
    assert!(stderr.contains(&format!("sha256 {}", "0".repeat(64))), "{stderr}");

    let missing = world.dir.join("missing.so").display().to_string();
    let out = program(&world, &["--expect", &missing]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the build"), "{}", String::from_utf8_lossy(&out.stderr));
}
