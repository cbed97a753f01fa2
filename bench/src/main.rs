//! `make bench`: runs every instruction of the built binaries (target/deploy) many times in
//! LiteSVM with keys from fixed seeds, finds the largest `distribute_rewards` batch with every
//! event in its logs, and prints
//! one table with the binaries' sizes and the accounts' sizes and rent; writes the same table into
//! docs/benchmarks.md between its markers.
//!
//!     device-staking-bench [--runs N] [--no-write] [--binaries DIR]
//!
//! `--binaries DIR`: DIR/device_staking.so and DIR/device_staking_v0.so instead of target/deploy
//! (a variant of the build, perhaps of one of them only; implies `--no-write`).
use device_staking_bench::batch::largest_batches;
use device_staking_bench::lifecycle::{self, INSTRUCTIONS};
use device_staking_bench::report::{self, AccountRent, Measured};
use device_staking_bench::{Program, Samples};
use device_staking_tests::{Binary, TestEnv};
use std::path::PathBuf;

/// Runs of the whole life per binary, each with keys of its own seed.
const DEFAULT_RUNS: u64 = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.iter().position(|a| a == "--runs") {
        Some(i) => args.get(i + 1).and_then(|n| n.parse().ok()).expect("--runs takes a number"),
        None => DEFAULT_RUNS,
    };
    let binaries = args.iter().position(|a| a == "--binaries").map(|i| PathBuf::from(args.get(i + 1).expect("--binaries DIR")));
    let write = !args.iter().any(|a| a == "--no-write") && binaries.is_none();

    let measured: Vec<Measured> = Binary::ALL
        .into_iter()
        .map(|binary| Program::new(binary, binaries.as_ref()))
        // a variant may be built for one of the two only
        .filter(|program| binaries.is_none() || program.path.exists())
        .map(|program| {
            let binary = program.binary;
            let mut samples = Samples::default();
            for seed in 0..runs {
                lifecycle::run(&program, seed, &mut samples);
            }
            let bytes = std::fs::metadata(&program.path).expect("the built binary").len();
            Measured { label: binary.label(), samples, bytes, batches: largest_batches(&program) }
        })
        .collect();
    let env = TestEnv::new(Binary::V3);
    let account = |name, bytes: usize| AccountRent { name, bytes, lamports: env.svm.minimum_balance_for_rent_exemption(bytes) };
    // the accounts as the first binary's runs created them
    let accounts: Vec<AccountRent> =
        measured.first().map(|m| m.samples.accounts().map(|(name, bytes)| account(name, bytes)).collect()).unwrap_or_default();
    let table = report::table(&INSTRUCTIONS, runs, &measured, &accounts);
    print!("{table}");

    if write {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/benchmarks.md");
        let page = std::fs::read_to_string(&path).expect("docs/benchmarks.md");
        let updated = report::replace_between_markers(&page, &table)
            .unwrap_or_else(|| panic!("docs/benchmarks.md lacks the lines {} and {}", report::START, report::END));
        std::fs::write(&path, updated).expect("write docs/benchmarks.md");
        eprintln!("written into {}", path.display());
    }
}
