//! Withdrawals to a wallet that has no associated token account yet: the CLI puts the Associated
//! Token program's `CreateIdempotent` (paid by the signer) in its own instruction ahead of the
//! withdraw, in the same transaction, so the program's own path that creates a staker's account
//! inside a permissionless withdraw (R16) is not paid; the account then holds the amount. Run as
//! the built binary against an embedded LiteSVM kept in a file.
mod common;

use common::{World, UNIT};
use device_staking_client::PROGRAM_ID;
use serde_json::Value;

/// The Associated Token program.
const ASSOCIATED_TOKEN_PROGRAM: &str = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";

/// An initialized config, the device `gpu-1` (minimum 16,000) with the owner's 16,000 staked,
/// handed to `stranger` (R19), a wallet with no token account, who unstakes it; the ticket is
/// ripe (the cooldown of 200 s has passed).
fn ripe_ticket_of_a_wallet_without_token_account(test: &str) -> World {
    let world = World::new(test);
    assert!(world.initialize(&[]).status.success());
    let oracle = world.key_str("oracle");
    world.ok("owner", &["owner", "register", "gpu-1", "--gpus", "8", "--multiplier-bps", "100000", "--oracle-keypair", &oracle]);
    world.ok("owner", &["owner", "stake", "gpu-1", "16000"]);
    world.ok("owner", &["owner", "transfer", "gpu-1", &world.key_str("stranger")]);
    world.ok("stranger", &["owner", "accept", "gpu-1"]);
    world.ok("stranger", &["owner", "unstake", "gpu-1"]);
    world.warp(200);
    assert!(world.data(&world.token_account("stranger")).is_none(), "the stranger starts without a token account");
    world
}

/// The programs the transaction invoked at the top level (`invoke [1]`), in order, and whether
/// any program invoked the Associated Token program itself (`invoke [2]` or deeper).
fn invocations(report: &Value) -> (Vec<String>, bool) {
    let logs: Vec<&str> = report["logs"].as_array().expect("the report's logs").iter().map(|l| l.as_str().unwrap()).collect();
    let top = logs.iter().filter_map(|l| l.strip_prefix("Program ")?.strip_suffix(" invoke [1]")).map(str::to_string).collect();
    let inner =
        logs.iter().any(|l| l.starts_with(&format!("Program {ASSOCIATED_TOKEN_PROGRAM} invoke [")) && !l.ends_with("invoke [1]"));
    (top, inner)
}

/// R16: the staker signs a withdraw to its own missing associated token account: the account is
/// created first, in its own instruction paid by the staker, and holds the ticket's amount.
#[test]
fn r16_a_staker_withdrawing_to_a_missing_account_creates_it_in_its_own_instruction() {
    let world = ripe_ticket_of_a_wallet_without_token_account("ata-own");
    let report = world.json("stranger", &["owner", "withdraw", "gpu-1"]);
    let (top, inner) = invocations(&report);
    assert_eq!(top, vec![ASSOCIATED_TOKEN_PROGRAM.to_string(), PROGRAM_ID.to_string()], "CreateIdempotent, then the withdraw");
    assert!(!inner, "the program did not create the account itself");
    assert_eq!(report["amount"]["base_units"].as_u64(), Some(16_000 * UNIT));
    assert_eq!(world.balance("stranger"), 16_000 * UNIT);
}

/// R16: anyone may withdraw a ripe ticket to its staker's associated token account; when that is
/// missing the caller's transaction creates it first (the caller pays, as the program's path
/// would charge them) and the program's path that creates it inside the withdraw is not used.
#[test]
fn r16_a_permissionless_withdraw_creates_the_missing_account_ahead_of_the_program() {
    let world = ripe_ticket_of_a_wallet_without_token_account("ata-anyone");
    let costaker_before = world.balance("costaker");
    let report = world.json("costaker", &["owner", "withdraw", "gpu-1"]);
    let (top, inner) = invocations(&report);
    assert_eq!(top, vec![ASSOCIATED_TOKEN_PROGRAM.to_string(), PROGRAM_ID.to_string()], "CreateIdempotent, then the withdraw");
    assert!(!inner, "the program did not create the account itself");
    assert_eq!(world.balance("stranger"), 16_000 * UNIT, "the staker's account holds the amount");
    assert_eq!(world.balance("costaker"), costaker_before, "the caller's tokens are untouched");

    // with the account there, a withdraw sends no creation: nothing but the program runs
    world.ok("stranger", &["owner", "stake", "gpu-1", "16000"]);
    world.ok("stranger", &["owner", "unstake", "gpu-1"]);
    world.warp(200);
    let again = world.json("costaker", &["owner", "withdraw", "gpu-1"]);
    assert_eq!(invocations(&again), (vec![PROGRAM_ID.to_string()], false));
    assert_eq!(world.balance("stranger"), 16_000 * UNIT);
}
