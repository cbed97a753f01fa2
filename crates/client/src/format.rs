//! Pure formatting helpers for people reading amounts and durations (CLI output, logs).
//! No I/O, no state: each function maps its arguments to a `String`.

/// `amount` base units of a mint with `decimals` decimals, in whole tokens with every decimal
/// shown and thousands separated by commas: `tokens(16_000_000_000, 6) == "16,000.000000"`,
/// `tokens(5, 2) == "0.05"`, `tokens(1234, 0) == "1,234"`.
pub fn tokens(amount: u64, decimals: u8) -> String {
    let digits = amount.to_string();
    let decimals = decimals as usize;
    // left-pad so there is at least one whole digit
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (whole, fraction) = padded.split_at(padded.len() - decimals);
    let grouped = group_thousands(whole);
    if decimals == 0 {
        grouped
    } else {
        format!("{grouped}.{fraction}")
    }
}

/// `digits` (ASCII digits only) with a comma every three digits from the right.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A span of `secs` seconds in its largest unit (days, hours, minutes or seconds) followed by
/// the next smaller unit when that is non-zero: `duration(532_800) == "6 d 4 h"`,
/// `duration(86_401) == "1 d"`, `duration(90) == "1 min 30 s"`, `duration(0) == "0 s"`.
/// Truncates (never rounds up). A negative span gets a leading `-`.
pub fn duration(secs: i64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    let sign = if secs < 0 { "-" } else { "" };
    let abs = secs.unsigned_abs();
    let Some(i) = UNITS.iter().position(|(unit, _)| abs >= *unit) else {
        return "0 s".to_string();
    };
    let (unit, name) = UNITS[i];
    let mut out = format!("{sign}{} {name}", abs / unit);
    // the next smaller unit only, and only when non-zero: "1 d", not "1 d 0 h" or "1 d 5 s"
    if let Some((next, next_name)) = UNITS.get(i + 1) {
        let count = abs % unit / next;
        if count > 0 {
            out.push_str(&format!(" {count} {next_name}"));
        }
    }
    out
}

/// A basis-point figure as a percentage with up to two decimals: `percent_bps(7_400) == "74%"`,
/// `percent_bps(1_250) == "12.5%"`, `percent_bps(1) == "0.01%"`.
pub fn percent_bps(bps: u64) -> String {
    let whole = bps / 100;
    let cents = bps % 100;
    match cents {
        0 => format!("{whole}%"),
        c if c % 10 == 0 => format!("{whole}.{}%", c / 10),
        c => format!("{whole}.{c:02}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_show_every_decimal_and_group_the_whole_part() {
        assert_eq!(tokens(16_000_000_000, 6), "16,000.000000");
        assert_eq!(tokens(1_234_567_890_123, 6), "1,234,567.890123");
        assert_eq!(tokens(5, 2), "0.05");
        assert_eq!(tokens(0, 6), "0.000000");
        assert_eq!(tokens(1234, 0), "1,234");
        assert_eq!(tokens(123, 0), "123");
        assert_eq!(tokens(100_000, 3), "100.000");
        assert_eq!(tokens(u64::MAX, 0), "18,446,744,073,709,551,615");
        assert_eq!(tokens(u64::MAX, 9), "18,446,744,073.709551615");
        assert_eq!(tokens(1, 25), "0.0000000000000000000000001");
    }

    #[test]
    fn durations_show_the_two_largest_units() {
        assert_eq!(duration(6 * 86_400 + 4 * 3_600 + 59), "6 d 4 h");
        assert_eq!(duration(14 * 86_400), "14 d");
        assert_eq!(duration(86_400 + 1), "1 d");
        assert_eq!(duration(3_600 + 60), "1 h 1 min");
        assert_eq!(duration(90), "1 min 30 s");
        assert_eq!(duration(1), "1 s");
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(-7 * 86_400), "-7 d");
        assert_eq!(duration(i64::MIN), "-106751991167300 d 15 h");
    }

    #[test]
    fn percentages_of_basis_points() {
        assert_eq!(percent_bps(7_400), "74%");
        assert_eq!(percent_bps(10_000), "100%");
        assert_eq!(percent_bps(1_250), "12.5%");
        assert_eq!(percent_bps(1), "0.01%");
        assert_eq!(percent_bps(0), "0%");
    }
}
