//! The demo story (`device-staking demo --url`) on solana-test-validator: the same story as the
//! embedded run, with days of a few seconds and real waits; run twice on one chain, the second run
//! reuses the first run's config.
use device_staking_localnet::{Cli, Validator};

/// Runs the demo against the validator and returns what it printed.
fn demo(cli: &Cli, v: &Validator) -> String {
    let out = cli.run(&v.authority_file.display().to_string(), &["demo", "--day-seconds", "3"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "the demo failed on the validator:\n{text}{}", String::from_utf8_lossy(&out.stderr));
    text
}

/// Rules: R13 R14 R15 R20 R52 through the demo's story on a validator (balances add up at the end).
#[test]
fn the_demo_story_runs_on_the_validator_twice() {
    let v = Validator::start();
    let cli = Cli::new(&v.url);
    let first = demo(&cli, &v);
    assert!(first.lines().last().unwrap_or("").contains("nothing lost"), "{first}");
    let second = demo(&cli, &v);
    assert!(second.lines().last().unwrap_or("").contains("nothing lost"), "{second}");
}
