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
    /// Its data length as the program creates it.
    pub bytes: usize,
    /// Lamports, from LiteSVM's Rent sysvar.
    pub lamports: u64,
}

/// Instructions of the admin and the oracle (and the slash authority's hold): no token moves.
const OPERATOR_INSTRUCTIONS: [&str; 14] = [
    "initialize",
    "propose_role",
    "accept_role",
    "cancel_role",
    "revoke_role",
    "set_paused",
    "update_params",
    "cancel_params",
    "lower_slash_cap",
    "sweep_surplus",
    "update_hardware",
    "set_hired",
    "terminate",
    "hold",
];
/// The paths allowed more: a registration (two signers, three accounts created) and a withdraw
/// that creates the recipient's associated token account.
const CREATING_INSTRUCTIONS: [&str; 3] = ["register_device", "register_device (revival)", "withdraw_ticket (creating the ATA)"];
/// Most compute units an admin or oracle instruction may take (v3 median).
pub const OPERATOR_TARGET: u64 = 6_000;
/// Most compute units any other instruction may take (v3 median).
pub const USER_TARGET: u64 = 12_000;
/// Most compute units a registration or a withdraw creating an account may take (v3 median).
pub const CREATING_TARGET: u64 = 18_000;
/// Most compute units each device added to a reward batch may add (v3).
pub const PER_DEVICE_TARGET: u64 = 2_500;
/// Fewest devices a reward batch with a lookup table must carry (v3).
pub const BATCH_DEVICES_TARGET: usize = 25;
/// Largest binaries: (label, bytes).
pub const BINARY_TARGETS: [(&str, u64); 2] = [("v3", 1_000_000), ("v0", 1_400_000)];

/// The compute-unit target of instruction `name` (a v3 median); `None` for the single-device
/// reward batch, whose target is per added device (see the batch rows).
pub fn target(name: &str) -> Option<u64> {
    if name == "distribute_rewards" {
        None
    } else if OPERATOR_INSTRUCTIONS.contains(&name) {
        Some(OPERATOR_TARGET)
    } else if CREATING_INSTRUCTIONS.contains(&name) {
        Some(CREATING_TARGET)
    } else {
        Some(USER_TARGET)
    }
}

/// `"met"` or `"missed"`.
fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**missed**"
    }
}

/// The table: per instruction min / median / max compute units of each binary, the binaries'
/// sizes, the accounts' sizes and rent, and the largest reward batches.
pub fn table(instructions: &[&str], runs: u64, binaries: &[Measured], accounts: &[AccountRent]) -> String {
    let mut out = String::new();
    let mut row = |cells: Vec<String>| out.push_str(&format!("| {} |\n", cells.join(" | ")));
    let heads = binaries.iter().map(|b| b.label.to_string());
    let head = std::iter::once(format!("compute units: min / median / max of {runs} runs")).chain(heads);
    row(head.chain(["target (v3 median)".to_string()]).collect());
    row(std::iter::repeat_n("---".to_string(), binaries.len() + 2).collect());
    let v3 = binaries.iter().find(|b| b.label == "v3");
    let (mut met, mut missed) = (0, 0);
    let mut tally = |ok: bool| if ok { met += 1 } else { missed += 1 };
    for name in instructions {
        let cell = |b: &Measured| match b.samples.summary(name) {
            Some(s) => format!("{} / {} / {}", thousands(s.min), thousands(s.median), thousands(s.max)),
            None => "not measured".into(),
        };
        let goal = match (target(name), v3.and_then(|b| b.samples.summary(name))) {
            (Some(goal), Some(s)) => {
                tally(s.median <= goal);
                format!("<= {}: {}", thousands(goal), verdict(s.median <= goal))
            }
            (Some(goal), None) => format!("<= {}", thousands(goal)),
            (None, _) => "per added device, below".to_string(),
        };
        row(std::iter::once(format!("`{name}`")).chain(binaries.iter().map(cell)).chain([goal]).collect());
    }
    let size_goals: Vec<String> = binaries
        .iter()
        .filter_map(|b| {
            let (_, goal) = BINARY_TARGETS.iter().find(|(label, _)| *label == b.label)?;
            tally(b.bytes <= *goal);
            Some(format!("{} <= {}: {}", b.label, thousands(*goal), verdict(b.bytes <= *goal)))
        })
        .collect();
    row(std::iter::once("**binary size** (bytes)".to_string())
        .chain(binaries.iter().map(|b| thousands(b.bytes)))
        .chain([size_goals.join(", ")])
        .collect());
    for a in accounts {
        let rent = format!("{} lamports", thousands(a.lamports));
        row(std::iter::once(format!("**{}** account: {} bytes, rent", a.name, thousands(a.bytes as u64)))
            .chain(binaries.iter().map(|_| rent.clone()))
            .chain([String::new()])
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
        let goal = match (encoding, v3.and_then(|b| b.batches.iter().find(|x| x.encoding == encoding))) {
            (Encoding::LookupTable, Some(batch)) => {
                let (per_device, enough) =
                    (batch.units_per_added_device() <= PER_DEVICE_TARGET, batch.devices >= BATCH_DEVICES_TARGET);
                tally(per_device);
                tally(enough);
                format!(
                    "<= {} per added device: {}; >= {BATCH_DEVICES_TARGET} devices: {}",
                    thousands(PER_DEVICE_TARGET),
                    verdict(per_device),
                    verdict(enough)
                )
            }
            (Encoding::Legacy, Some(batch)) => {
                let per_device = batch.units_per_added_device() <= PER_DEVICE_TARGET;
                tally(per_device);
                format!("<= {} per added device: {}", thousands(PER_DEVICE_TARGET), verdict(per_device))
            }
            (_, None) => String::new(),
        };
        row(std::iter::once(format!("**largest `distribute_rewards`** ({what})"))
            .chain(binaries.iter().map(cell))
            .chain([goal])
            .collect());
    }
    out.push_str(&format!("\nTargets: {met} met, {missed} missed.\n"));
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

    #[test]
    fn every_measured_instruction_has_its_class_target() {
        assert_eq!(target("set_hired"), Some(OPERATOR_TARGET));
        assert_eq!(target("register_device (revival)"), Some(CREATING_TARGET));
        assert_eq!(target("withdraw_ticket"), Some(USER_TARGET));
        assert_eq!(target("distribute_rewards"), None);
        for name in OPERATOR_INSTRUCTIONS.iter().chain(&CREATING_INSTRUCTIONS) {
            assert!(crate::lifecycle::INSTRUCTIONS.contains(name), "{name} is measured");
        }
    }
}
