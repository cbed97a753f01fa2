//! Checked arithmetic helpers (R53): every overflow becomes `MathOverflow`.
use crate::constants::BPS;
use crate::error::StakingError;
use anchor_lang::prelude::*;

/// `a + b`, or MathOverflow.
pub fn add(a: u64, b: u64) -> Result<u64> {
    a.checked_add(b).ok_or_else(|| error!(StakingError::MathOverflow))
}

/// `a - b`, or MathOverflow when b > a (a ledger would go negative).
pub fn sub(a: u64, b: u64) -> Result<u64> {
    a.checked_sub(b).ok_or_else(|| error!(StakingError::MathOverflow))
}

/// `t + secs` for timestamps, or MathOverflow.
pub fn add_secs(t: i64, secs: i64) -> Result<i64> {
    t.checked_add(secs).ok_or_else(|| error!(StakingError::MathOverflow))
}

/// `floor(amount * bps / 10_000)`: the share never rounds up (R21, R53).
pub fn bps_floor(amount: u64, bps: u16) -> u64 {
    // amount * bps / BPS <= amount for bps <= BPS, so the cast cannot truncate.
    ((amount as u128 * bps as u128) / BPS as u128) as u64
}

/// `ceil(a * b / c)` in u128, or MathOverflow if the result exceeds u64.
pub fn mul_div_ceil(a: u64, b: u64, c: u64) -> Result<u64> {
    let n = (a as u128) * (b as u128);
    let q = n.div_ceil(c as u128);
    u64::try_from(q).map_err(|_| error!(StakingError::MathOverflow))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bps_floor_rounds_down() {
        assert_eq!(bps_floor(101, 7_400), 74);
        assert_eq!(bps_floor(1, 9_999), 0);
        assert_eq!(bps_floor(u64::MAX, 10_000), u64::MAX);
    }

    #[test]
    fn mul_div_ceil_rounds_up_and_checks() {
        assert_eq!(mul_div_ceil(10, 3, 4).unwrap(), 8);
        assert_eq!(mul_div_ceil(8, 4, 4).unwrap(), 8);
        assert!(mul_div_ceil(u64::MAX, 3, 2).is_err());
    }

    #[test]
    fn checked_ledger_ops() {
        assert!(sub(1, 2).is_err());
        assert!(add(u64::MAX, 1).is_err());
        assert!(add_secs(i64::MAX, 1).is_err());
    }
}
