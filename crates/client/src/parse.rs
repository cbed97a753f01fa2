//! Parsing of what people type: token amounts in whole tokens and percentages.

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
}
