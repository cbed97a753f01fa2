//! Smaller habits of the CLI, run as the built binary against an embedded LiteSVM: multipliers
//! read and shown as x10, the question before a step that cannot be undone (answered on a
//! terminal, skipped with --yes), refusals of the Token program named, and `svm mint-to`
//! refusing a program's account where the tokens would be stranded.
mod common;

use common::{World, UNIT};
use device_staking_client::pda;
use std::process::{Command, Stdio};

/// R1, R2: the multiplier is typed and shown as times (x10, x1.5), basis points still accepted.
#[test]
fn r1_r2_multipliers_read_and_show_as_times() {
    let world = World::new("multiplier");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier", "x10", "--oracle-keypair", &oracle]);
    assert_eq!(world.device().multiplier_bps, 100_000);
    let status = world.ok("stranger", &["status", "gpu-1"]);
    assert!(status.contains("multiplier x10") && !status.contains("1000%"), "{status}");
    let updated = world.ok("oracle", &["operator", "update-hardware", "gpu-1", "--gpus", "8", "--multiplier", "x1.5"]);
    assert!(updated.contains("x1.5"), "{updated}");
    assert_eq!(world.device().multiplier_bps, 15_000);
    world.ok("oracle", &["operator", "update-hardware", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000"]);
    assert_eq!(world.device().multiplier_bps, 100_000);
    let out = world.run("oracle", &["operator", "update-hardware", "gpu-1", "--gpus", "8", "--multiplier", "ten"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("give x10"));
}

/// R14: `owner unstake` asks on a terminal; "n" stops it before anything is sent, --yes skips the
/// question (a script without a terminal is not asked).
#[test]
fn r14_unstake_asks_first_unless_yes() {
    let world = World::new("confirm");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier", "x10", "--oracle-keypair", &oracle]);
    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    let before = std::fs::read_to_string(&world.state).unwrap();
    // a terminal (script(1) gives the command one) answering "n"
    let command = format!(
        "{} --url svm:{} -k {} owner unstake gpu-1",
        env!("CARGO_BIN_EXE_device-staking"),
        world.state.display(),
        world.key_str("owner")
    );
    if Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success()) {
        let mut child = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"n\n").unwrap();
        let out = child.wait_with_output().unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "answered no: {shown}");
        assert!(shown.contains("Continue? [y/N]") && shown.contains("nothing was sent"), "{shown}");
        assert_eq!(std::fs::read_to_string(&world.state).unwrap(), before, "nothing changed");
    }
    world.ok("owner", &["owner", "unstake", "gpu-1", "--yes"]);
    assert_eq!(world.device().owner_stake, 0);
}

/// R5: a stake larger than the owner's balance is refused by the Token program, named
/// InsufficientFunds (not "custom error 1"), and changes nothing.
#[test]
fn r5_a_token_program_refusal_is_named() {
    let world = World::new("token-refusal");
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier", "x10", "--oracle-keypair", &oracle]);
    assert_eq!(world.refused("owner", &["owner", "stake", "gpu-1", "30000"]), "InsufficientFunds");
    assert_eq!(world.balance("owner"), 20_000 * UNIT);
}

/// `svm mint-to` refuses an account of a program (its associated token account would strand the
/// tokens), and still pays a wallet.
#[test]
fn mint_to_refuses_a_program_account() {
    let world = World::new("mint-to");
    assert!(world.initialize(&[]).status.success());
    let mint = world.mint.to_string();
    let config = pda::config().0.to_string();
    let out = world.run("deployer", &["svm", "mint-to", &mint, &config, "5"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("would be stranded"), "{stderr}");
    world.ok("deployer", &["svm", "mint-to", &mint, &world.key_str("stranger"), "5"]);
    assert_eq!(world.balance("stranger"), 5 * UNIT);
}
