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
    // amount * bps / BPS <= amount for bps <= BPS, so the result always fits.
    mul_div_floor(amount, bps as u64, BPS)
}

/// `floor(a * b / c)` for `c > 0` whose result fits in u64 (callers divide by a total at least
/// `b`). In u64 when `a * b` fits (a 128-bit divide costs about 1.5k compute units on SBF), in
/// u128 otherwise: the same result either way.
pub fn mul_div_floor(a: u64, b: u64, c: u64) -> u64 {
    match a.checked_mul(b) {
        Some(n) => n / c,
        None => ((a as u128 * b as u128) / c as u128) as u64,
    }
}

/// `ceil(a * b / c)` for `c > 0`, or MathOverflow if the result exceeds u64. In u64 when `a * b`
/// fits, in u128 otherwise (same result).
pub fn mul_div_ceil(a: u64, b: u64, c: u64) -> Result<u64> {
    if let Some(n) = a.checked_mul(b) {
        return Ok(n.div_ceil(c));
    }
    let q = (a as u128 * b as u128).div_ceil(c as u128);
    u64::try_from(q).map_err(|_| error!(StakingError::MathOverflow))
}

/// `ceil(a * b / c)` for `c > 0` as u128 (never overflows): in u64 when `a * b` fits, in u128
/// otherwise (same result).
pub fn mul_div_ceil_wide(a: u64, b: u64, c: u64) -> u128 {
    match a.checked_mul(b) {
        Some(n) => n.div_ceil(c) as u128,
        None => (a as u128 * b as u128).div_ceil(c as u128),
    }
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

    /// The u64 fast paths give the u128 result for every operand size, at and around the point
    /// where `a * b` stops fitting in u64.
    #[test]
    fn fast_paths_match_the_wide_computation() {
        let edges = [
            0,
            1,
            2,
            3,
            7,
            9_999,
            10_000,
            10_001,
            u32::MAX as u64,
            1 << 40,
            u64::MAX / 10_000,
            u64::MAX / 10_000 + 1,
            u64::MAX / 3,
            u64::MAX / 2,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut cases: Vec<(u64, u64, u64)> = Vec::new();
        for &a in &edges {
            for &b in &edges {
                for &c in &[1, 3, 10_000, u64::MAX] {
                    cases.push((a, b, c));
                }
            }
        }
        for _ in 0..20_000 {
            let shift = next() % 64;
            cases.push((next() >> shift, next() >> (next() % 64), (next() >> (next() % 64)).max(1)));
        }
        for (a, b, c) in cases {
            let wide = a as u128 * b as u128;
            let floor = wide / c as u128;
            if floor <= u64::MAX as u128 {
                assert_eq!(mul_div_floor(a, b, c) as u128, floor, "floor {a} * {b} / {c}");
            }
            let ceil = wide.div_ceil(c as u128);
            assert_eq!(mul_div_ceil_wide(a, b, c), ceil, "wide ceil {a} * {b} / {c}");
            match mul_div_ceil(a, b, c) {
                Ok(q) => assert_eq!(q as u128, ceil, "ceil {a} * {b} / {c}"),
                Err(_) => assert!(ceil > u64::MAX as u128, "ceil {a} * {b} / {c} refused"),
            }
        }
        assert_eq!(bps_floor(u64::MAX / 10_000 + 1, 10_000), u64::MAX / 10_000 + 1);
    }

    #[test]
    fn checked_ledger_ops() {
        assert!(sub(1, 2).is_err());
        assert!(add(u64::MAX, 1).is_err());
        assert!(add_secs(i64::MAX, 1).is_err());
    }
}
