//! Benchmarks of the built `device_staking` binaries (`make bench`) in LiteSVM, on the harness of
//! the tests crate ([`TestEnv`](device_staking_tests::TestEnv)): every instruction run many times
//! with keys derived from fixed seeds ([`seeded_keypair`]), so that every figure is the same on
//! every run; the binaries' sizes, the accounts' sizes and rent, and the largest
//! `distribute_rewards` batch one transaction carries.
#![warn(missing_docs)]
use device_staking_tests::Binary;
use solana_keypair::Keypair;
use solana_sha256_hasher::hashv;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub mod batch;
pub mod fixture;
pub mod lifecycle;
pub mod report;

/// The keypair named `label` for iteration `seed`: its secret is `sha256(label || seed)`, so the
/// same label and seed give the same key on every run (and the PDAs and token accounts derived
/// from it the same bumps, which `find_program_address` pays for).
pub fn seeded_keypair(label: &str, seed: u64) -> Keypair {
    Keypair::new_from_array(hashv(&[b"device-staking-bench".as_slice(), label.as_bytes(), &seed.to_le_bytes()]).to_bytes())
}

/// The binary a bench runs: one of the two builds, from `target/deploy` (the tests' harness loads
/// it) or from another file of the same kind, such as a variant of the build.
#[derive(Clone, Debug)]
pub struct Program {
    /// Which build it is (v3 or v0).
    pub binary: Binary,
    /// The file loaded.
    pub path: PathBuf,
}

impl Program {
    /// The build in `target/deploy`, or `dir`'s file of the same name when `dir` is given.
    pub fn new(binary: Binary, dir: Option<&PathBuf>) -> Self {
        let path = match dir {
            Some(dir) => dir.join(binary.path().file_name().expect("a file name")),
            None => binary.path(),
        };
        Self { binary, path }
    }
}

/// Compute units measured per label, in the order the labels were first measured, and the sizes
/// of the accounts the runs created.
#[derive(Default, Debug, Clone)]
pub struct Samples {
    order: Vec<String>,
    units: BTreeMap<String, Vec<u64>>,
    /// Account type name -> its data length on chain (discriminator included), as last seen.
    account_bytes: BTreeMap<&'static str, usize>,
}

impl Samples {
    /// Records the data length of an account of type `name` as created on chain.
    pub fn record_account(&mut self, name: &'static str, bytes: usize) {
        self.account_bytes.insert(name, bytes);
    }

    /// The recorded account types and their data lengths, by name.
    pub fn accounts(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.account_bytes.iter().map(|(name, bytes)| (*name, *bytes))
    }

    /// Records one measurement of `label`.
    pub fn record(&mut self, label: &str, units: u64) {
        if !self.units.contains_key(label) {
            self.order.push(label.to_string());
        }
        self.units.entry(label.to_string()).or_default().push(units);
    }

    /// The labels, in the order they were first measured.
    pub fn labels(&self) -> &[String] {
        &self.order
    }

    /// The [`Summary`] of `label`'s measurements, `None` when there are none.
    pub fn summary(&self, label: &str) -> Option<Summary> {
        Summary::of(self.units.get(label)?)
    }
}

/// Minimum, median and maximum of a set of measurements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The smallest.
    pub min: u64,
    /// The median (the lower middle one of an even count).
    pub median: u64,
    /// The largest.
    pub max: u64,
    /// How many measurements.
    pub count: usize,
}

impl Summary {
    /// The summary of `values`, `None` when empty.
    pub fn of(values: &[u64]) -> Option<Summary> {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        Some(Summary { min: *sorted.first()?, median: sorted[(sorted.len() - 1) / 2], max: *sorted.last()?, count: sorted.len() })
    }
}

/// `n` with thousands separators: `12345` is `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_signer::Signer;

    #[test]
    fn seeded_keys_are_fixed_and_distinct() {
        assert_eq!(seeded_keypair("owner", 3).pubkey(), seeded_keypair("owner", 3).pubkey());
        assert_ne!(seeded_keypair("owner", 3).pubkey(), seeded_keypair("owner", 4).pubkey());
        assert_ne!(seeded_keypair("owner", 3).pubkey(), seeded_keypair("oracle", 3).pubkey());
    }

    #[test]
    fn summary_takes_the_lower_middle_and_thousands_are_separated() {
        assert_eq!(Summary::of(&[5, 1, 3, 2]), Some(Summary { min: 1, median: 2, max: 5, count: 4 }));
        assert_eq!(Summary::of(&[]), None);
        assert_eq!((thousands(7), thousands(1_000), thousands(2_390_520)), ("7".into(), "1,000".into(), "2,390,520".into()));
    }
}
