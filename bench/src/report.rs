//! The table `make bench` prints, and its place in docs/benchmarks.md between [`START`] and
//! [`END`].
use crate::batch::{Batch, Encoding, LOG_BYTES_LIMIT};
use crate::{thousands, Samples};

/// The line before the generated table in docs/benchmarks.md.
pub const START: &str = "<!-- bench:start (written by `make bench`; edit bench/, not this table) -->";
/// The line after it.
pub const END: &str = "<!-- bench:end -->";

/// Everything measured on one binary.
pub struct Measured {
    /// `v3` or `v0`.
    pub label: &'static str,
    /// Compute units per instruction.
    pub samples: Samples,
    /// The binary's size in bytes.
    pub bytes: u64,
    /// The largest `distribute_rewards` batches, one per encoding.
    pub batches: Vec<Batch>,
}

/// An account type's size (discriminator included) and its rent-exempt minimum.
pub struct AccountRent {
    /// The type's name.
    pub name: &'static str,
    /// 8 + `INIT_SPACE`.
    pub bytes: usize,
    /// Lamports, from LiteSVM's Rent sysvar.
    pub lamports: u64,
}

/// The table: per instruction min / median / max compute units of each binary, the binaries'
/// sizes, the accounts' sizes and rent, and the largest reward batches.
pub fn table(instructions: &[&str], runs: u64, binaries: &[Measured], accounts: &[AccountRent]) -> String {
    let mut out = String::new();
    let mut row = |cells: Vec<String>| out.push_str(&format!("| {} |\n", cells.join(" | ")));
    let heads = binaries.iter().map(|b| b.label.to_string());
    row(std::iter::once(format!("compute units: min / median / max of {runs} runs")).chain(heads).collect());
    row(std::iter::repeat_n("---".to_string(), binaries.len() + 1).collect());
    for name in instructions {
        let cell = |b: &Measured| match b.samples.summary(name) {
            Some(s) => format!("{} / {} / {}", thousands(s.min), thousands(s.median), thousands(s.max)),
            None => "not measured".into(),
        };
        row(std::iter::once(format!("`{name}`")).chain(binaries.iter().map(cell)).collect());
    }
    row(std::iter::once("**binary size** (bytes)".to_string()).chain(binaries.iter().map(|b| thousands(b.bytes))).collect());
    for a in accounts {
        let rent = format!("{} lamports", thousands(a.lamports));
        row(std::iter::once(format!("**{}** account: {} bytes, rent", a.name, thousands(a.bytes as u64)))
            .chain(binaries.iter().map(|_| rent.clone()))
            .collect());
    }
    for encoding in [Encoding::Legacy, Encoding::LookupTable] {
        let what = match encoding {
            Encoding::Legacy => "legacy message",
            Encoding::LookupTable => "v0 message + lookup table",
        };
        let cell = |b: &Measured| {
            let batch = b.batches.iter().find(|x| x.encoding == encoding).expect("a batch of each encoding");
            format!(
                "{} devices, {} bytes, {} CU ({} per added device), logs {} of {} bytes; one more: {}",
                batch.devices,
                thousands(batch.bytes as u64),
                thousands(batch.units),
                thousands(batch.units_per_added_device()),
                thousands(batch.log_bytes as u64),
                thousands(LOG_BYTES_LIMIT as u64),
                batch.limit
            )
        };
        row(std::iter::once(format!("**largest `distribute_rewards`** ({what})")).chain(binaries.iter().map(cell)).collect());
    }
    out
}

/// `page` with the text between [`START`] and [`END`] replaced by `table`; `None` when the page
/// lacks the markers.
pub fn replace_between_markers(page: &str, table: &str) -> Option<String> {
    let start = page.find(START)? + START.len();
    let end = start + page[start..].find(END)?;
    Some(format!("{}\n\n{}\n{}", &page[..start], table.trim_end(), &page[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_replaces_only_what_is_between_the_markers() {
        let page = format!("# Figures\nbefore\n{START}\nold\n{END}\nafter\n");
        let new = replace_between_markers(&page, "| new |\n").unwrap();
        assert_eq!(new, format!("# Figures\nbefore\n{START}\n\n| new |\n{END}\nafter\n"));
        assert_eq!(replace_between_markers(&new, "| new |\n").unwrap(), new, "idempotent");
        assert_eq!(replace_between_markers("no markers", "x"), None);
    }
}
