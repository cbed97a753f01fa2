//! Parsing of what people type: token amounts in whole tokens, percentages, durations (`30d`)
//! and times (`2025-07-01 12:00`, a unix time, `now`, `+30d`, `2h ago`).

/// `text` in whole tokens (`"1000"`, `"16,000.5"`, `"0.000001"`) as base units of a mint with
/// `decimals` decimals. Refuses more fraction digits than the mint has, signs, and overflow.
pub fn tokens(text: &str, decimals: u8) -> Result<u64, String> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return Err(format!("`{text}` is not an amount (digits, an optional `.` and decimals)"));
    }
    if fraction.len() > decimals as usize {
        return Err(format!("`{text}` has {} decimals; the mint has {decimals}", fraction.len()));
    }
    let padded = format!("{whole}{fraction:0<width$}", width = decimals as usize);
    let trimmed = padded.trim_start_matches('0');
    if trimmed.is_empty() {
        return Ok(0);
    }
    trimmed.parse::<u64>().map_err(|_| format!("`{text}` is too large for a token amount"))
}

/// A percentage (`"74"`, `"74%"`, `"12.5%"`, at most two decimals) as basis points.
pub fn percent_bps(text: &str) -> Result<u16, String> {
    let bps = tokens(text.trim().trim_end_matches('%'), 2).map_err(|e| format!("percentage: {e}"))?;
    u16::try_from(bps).ok().filter(|b| *b <= 10_000).ok_or_else(|| format!("`{text}` is more than 100%"))
}

/// A span of time with units (`"30d"`, `"12h"`, `"90min"`, `"45s"`, `"1d12h"`, `"1 d 4 h"`) in
/// seconds. A bare number is refused: it would be ambiguous with a unix time.
pub fn duration(text: &str) -> Result<i64, String> {
    let compact: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || format!("`{text}` is not a duration (e.g. 30d, 12h, 90min, 45s, 1d12h)");
    if compact.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut rest = compact.as_str();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let letters = rest[digits..].bytes().take_while(u8::is_ascii_alphabetic).count();
        if digits == 0 || letters == 0 {
            return Err(bad());
        }
        let count: i64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = match &rest[digits..digits + letters] {
            "d" | "day" | "days" => 86_400,
            "h" | "hour" | "hours" => 3_600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            _ => return Err(bad()),
        };
        total =
            count.checked_mul(unit).and_then(|secs| total.checked_add(secs)).ok_or_else(|| format!("`{text}` is too long"))?;
        rest = &rest[digits + letters..];
    }
    Ok(total)
}

/// A point in time against the Clock's `now` (unix seconds): `"now"`; a unix time (digits
/// only); a UTC date `"2025-07-01"` with an optional time `"2025-07-01 12:00"`,
/// `"2025-07-01T12:00:30"` (a trailing `Z` or ` UTC` is allowed); a duration from now
/// (`"30d"`, `"+30d"`); or before now (`"-2h"`, `"2h ago"`).
pub fn time(text: &str, now: i64) -> Result<i64, String> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return trimmed.parse().map_err(|_| format!("`{text}` is too large for a unix time"));
    }
    if trimmed.len() >= 10 && trimmed.as_bytes()[4] == b'-' {
        return utc_date(trimmed).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS], UTC)"));
    }
    let (sign, span) = if let Some(ago) = trimmed.strip_suffix("ago") {
        (-1, ago)
    } else if let Some(before) = trimmed.strip_prefix('-') {
        (-1, before)
    } else {
        (1, trimmed.strip_prefix('+').unwrap_or(trimmed))
    };
    let secs = duration(span).map_err(|_| {
        format!("`{text}` is not a time: give now, a unix time, a UTC date (2025-07-01 12:00), a duration from now (30d) or before now (2h ago)")
    })?;
    now.checked_add(sign * secs).ok_or_else(|| format!("`{text}` is out of range"))
}

/// `"YYYY-MM-DD"` with an optional `" HH:MM"`/`"THH:MM"` and `":SS"`, in UTC, as a unix time.
fn utc_date(text: &str) -> Option<i64> {
    let text = text.trim_end_matches('Z').trim_end_matches("UTC").trim_end();
    let (date, clock) = match text.split_once(['T', ' ']) {
        Some((date, clock)) => (date, Some(clock.trim())),
        None => (text, None),
    };
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    if let Some(clock) = clock {
        let fields: Vec<Option<i64>> = clock.split(':').map(|p| p.parse().ok()).collect();
        let (hour, minute, second) = match fields[..] {
            [Some(h), Some(m)] => (h, m, 0),
            [Some(h), Some(m), Some(s)] => (h, m, s),
            _ => return None,
        };
        if hour > 23 || minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0 {
            return None;
        }
        secs += hour * 3_600 + minute * 60 + second;
    }
    Some(secs)
}

/// Days in `month` (1-12) of `year` (proleptic Gregorian).
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date (proleptic Gregorian); the inverse of `describe`'s calendar.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens_become_base_units() {
        assert_eq!(tokens("16000", 6), Ok(16_000_000_000));
        assert_eq!(tokens("16,000.5", 6), Ok(16_000_500_000));
        assert_eq!(tokens("0.000001", 6), Ok(1));
        assert_eq!(tokens(".5", 1), Ok(5));
        assert_eq!(tokens("0", 6), Ok(0));
        assert_eq!(tokens("1234", 0), Ok(1234));
        assert!(tokens("0.0000001", 6).is_err());
        assert!(tokens("-1", 6).is_err());
        assert!(tokens("1e6", 6).is_err());
        assert!(tokens("", 6).is_err());
        assert!(tokens(".", 6).is_err());
        assert!(tokens("18446744073709551616", 0).is_err());
    }

    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(percent_bps("74"), Ok(7_400));
        assert_eq!(percent_bps("74%"), Ok(7_400));
        assert_eq!(percent_bps("12.5%"), Ok(1_250));
        assert_eq!(percent_bps("0.01"), Ok(1));
        assert_eq!(percent_bps("100"), Ok(10_000));
        assert!(percent_bps("100.01").is_err());
        assert!(percent_bps("1.001").is_err());
    }

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(duration("30d"), Ok(30 * 86_400));
        assert_eq!(duration("12h"), Ok(43_200));
        assert_eq!(duration("90min"), Ok(5_400));
        assert_eq!(duration("1d12h"), Ok(129_600));
        assert_eq!(duration("1 d 4 h"), Ok(100_800));
        assert_eq!(duration("45s"), Ok(45));
        assert!(duration("30").is_err());
        assert!(duration("d").is_err());
        assert!(duration("3w").is_err());
        assert!(duration("").is_err());
    }

    #[test]
    fn times_are_dates_unix_times_or_spans_from_now() {
        let now = 1_750_000_000;
        assert_eq!(time("now", now), Ok(now));
        assert_eq!(time("1750003600", now), Ok(1_750_003_600));
        assert_eq!(time("30d", now), Ok(now + 30 * 86_400));
        assert_eq!(time("+1h", now), Ok(now + 3_600));
        assert_eq!(time("-2h", now), Ok(now - 7_200));
        assert_eq!(time("2h ago", now), Ok(now - 7_200));
        assert_eq!(time("2025-06-15 15:06", now), Ok(1_749_999_960));
        assert_eq!(time("2025-06-15T15:06:40Z", now), Ok(now));
        assert_eq!(time("2000-02-29", now), Ok(951_782_400));
        assert_eq!(time("1970-01-01 00:00 UTC", now), Ok(0));
        assert!(time("2001-02-29", now).is_err());
        assert!(time("2025-06-15 24:00", now).is_err());
        assert!(time("tomorrow", now).is_err());
        // a date read back as describe::utc prints it
        assert_eq!(crate::describe::utc(time("2031-12-31 23:59", now).unwrap()), "2031-12-31 23:59 UTC");
    }
}
