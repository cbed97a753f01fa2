//! Compute units of bench/programs/minimal's four cases in LiteSVM, on the binaries built by
//! bench/build-minimal.sh, against the figures Anchor 1.2 publishes for the same cases (built
//! with Solana's platform-tools).
//!
//!     minimal [--row LABEL] [V3.so V0.so]
//!
//! Without `--row`: a table, case by case, with the ratio to Anchor's figure. With `--row LABEL`:
//! one table row `| LABEL | v3 units... | v3 bytes | v0 units... | v0 bytes |` (bench/variants.sh
//! collects one per toolchain variant; a path `-` for a binary the variant does not build). The default binaries are target/bench/anchor_minimal.so
//! and anchor_minimal_v0.so.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, Discriminator, InstructionData, ToAccountMetas};
use anchor_minimal::{accounts, instruction, Empty};
use device_staking_bench::{seeded_keypair, thousands};
use device_staking_tests::{assert_ok, Binary, TestEnv, SPL_TOKEN};
use solana_account::Account;
use solana_signer::Signer;
use std::path::PathBuf;

/// Runs of each case; every run of a case costs the same, the count only shows it does.
const RUNS: u64 = 5;

/// A case of Anchor's bench and the compute units Anchor 1.2 publishes for it.
struct Case {
    name: &'static str,
    what: &'static str,
    published: &'static str,
    published_units: u64,
}

const CASES: [Case; 4] = [
    Case { name: "signer1", what: "one `Signer`", published: "558-603", published_units: 603 },
    Case { name: "account_empty1", what: "one `Account`", published: "603", published_units: 603 },
    Case { name: "account_empty_init1", what: "one `init`", published: "4,212", published_units: 4_212 },
    Case {
        name: "interface_account_token1",
        what: "one `InterfaceAccount<TokenAccount>`",
        published: "935",
        published_units: 935,
    },
];

/// The compute units of every case on the binary at `path`, in the order of [`CASES`].
fn measure(path: &PathBuf) -> Vec<u64> {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {} ({e}): run bench/build-minimal.sh", path.display()));
    // The tests' harness, for its funded payer and token helpers; the program measured is added beside.
    let mut env = TestEnv::new(Binary::V3);
    env.set_cu_recording(false);
    env.svm.add_program(anchor_minimal::ID, &bytes).expect("load the minimal program");
    let empty_account = Pubkey::new_from_array(seeded_keypair("minimal-empty", 0).pubkey().to_bytes());
    let mut data = Empty::DISCRIMINATOR.to_vec();
    data.resize(8, 0);
    let lamports = env.svm.minimum_balance_for_rent_exemption(8);
    env.svm
        .set_account(empty_account, Account { lamports, data, owner: anchor_minimal::ID, executable: false, rent_epoch: 0 })
        .expect("set the Empty account");
    let mint = env.create_mint(SPL_TOKEN, 6, &[]);
    let token_account = env.create_token_account(&env.payer(), &mint);
    let signer = seeded_keypair("minimal-signer", 0);
    env.fund(&signer.pubkey());

    let mut units = vec![];
    for case in &CASES {
        let mut seen = vec![];
        for run in 0..RUNS {
            let created = seeded_keypair("minimal-init", run);
            let (ix, signers) = match case.name {
                "signer1" => (build(accounts::Signer1 { account1: signer.pubkey() }, instruction::Signer1 {}), vec![&signer]),
                "account_empty1" => {
                    (build(accounts::AccountEmpty1 { account1: empty_account }, instruction::AccountEmpty1 {}), vec![])
                }
                "account_empty_init1" => (
                    build(
                        accounts::AccountEmptyInit1 {
                            payer: signer.pubkey(),
                            system_program: system_program::ID,
                            account1: created.pubkey(),
                        },
                        instruction::AccountEmptyInit1 {},
                    ),
                    vec![&signer, &created],
                ),
                _ => (
                    build(accounts::InterfaceAccountToken1 { account1: token_account }, instruction::InterfaceAccountToken1 {}),
                    vec![],
                ),
            };
            seen.push(assert_ok(&env.send(&[ix], &signers)).compute_units);
        }
        seen.dedup();
        assert_eq!(seen.len(), 1, "{}: every run should cost the same, got {seen:?}", case.name);
        units.push(seen[0]);
    }
    units
}

/// The instruction of the minimal program with `accounts` and `data`.
fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: anchor_minimal::ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let row = match args.iter().position(|a| a == "--row") {
        Some(i) => {
            let label = args.get(i + 1).expect("--row LABEL").clone();
            args.drain(i..i + 2);
            Some(label)
        }
        None => None,
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let paths: Vec<PathBuf> = match args.as_slice() {
        [] => vec![root.join("target/bench/anchor_minimal.so"), root.join("target/bench/anchor_minimal_v0.so")],
        [v3, v0] => vec![v3.into(), v0.into()],
        _ => panic!("usage: minimal [--row LABEL] [V3.so V0.so]"),
    };
    if let Some(label) = row {
        // a variant may build one binary only: `-` stands for the other
        let cells = |path: &PathBuf| match path.to_str() {
            Some("-") => vec!["-".to_string(); CASES.len() + 1],
            _ => measure(path)
                .iter()
                .map(|u| thousands(*u))
                .chain([thousands(std::fs::metadata(path).expect("binary").len())])
                .collect(),
        };
        println!("| {label} | {} | {} |", cells(&paths[0]).join(" | "), cells(&paths[1]).join(" | "));
        return;
    }
    let units: Vec<Vec<u64>> = paths.iter().map(measure).collect();
    let sizes: Vec<u64> = paths.iter().map(|p| std::fs::metadata(p).expect("binary").len()).collect();
    println!("| case | Anchor 1.2 (platform-tools) | v3 | v0 | v3 / published | v0 / published |");
    println!("|---|---|---|---|---|---|");
    for (i, case) in CASES.iter().enumerate() {
        let ratio = |b: usize| format!("{:.2}", units[b][i] as f64 / case.published_units as f64);
        println!(
            "| `{}`: {} | {} | {} | {} | {} | {} |",
            case.name,
            case.what,
            case.published,
            thousands(units[0][i]),
            thousands(units[1][i]),
            ratio(0),
            ratio(1)
        );
    }
    println!("| binary size (bytes) | | {} | {} | | |", thousands(sizes[0]), thousands(sizes[1]));
    println!("\n(ratios to the upper published figure: 603 for `signer1`)");
}
