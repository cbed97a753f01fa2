//! The rolling 30-day slash cap of one staker (R40): the slashes of the last 30 days, kept in a
//! few records per staker.
use super::math::*;
use crate::constants::SLASH_WINDOW_SECS;
use anchor_lang::prelude::*;

/// One slash, remembered for 30 days (R40). A Pod layout (no padding): it sits in the zero-copy
/// `Device` and, Borsh-encoded with the same bytes, in the `Tombstone`.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace, bytemuck::Pod, bytemuck::Zeroable,
)]
#[repr(C)]
pub struct SlashRecord {
    /// When it happened (unix seconds); 0 for a free record.
    pub at: i64,
    /// Tokens it took, in base units.
    pub amount: u64,
}

impl SlashRecord {
    /// Whether this slash counts toward the cap at `now`: it is less than 30 days old.
    pub fn counts_at(&self, now: i64) -> bool {
        self.at != 0 && now - self.at < SLASH_WINDOW_SECS
    }
}

/// What the slashes of the 30 days before `now` took.
pub fn slashed_within_window(records: &[SlashRecord], now: i64) -> Result<u64> {
    records.iter().filter(|r| r.counts_at(now)).try_fold(0, |total, r| add(total, r.amount))
}

/// R40: how much more may be taken from a staker at `now`: `max_bps` x (slashable principal
/// now + what the last 30 days took) - what they took. Over any 30 days the staker therefore loses at
/// most `max_bps` of their principal.
pub fn slash_allowance(records: &[SlashRecord], slashable: u64, max_bps: u16, now: i64) -> Result<u64> {
    let recent = slashed_within_window(records, now)?;
    Ok(bps_floor(add(slashable, recent)?, max_bps).saturating_sub(recent).min(slashable))
}

/// R40: remembers a slash of `amount` at `now`. Records past the window are freed; when every
/// record still counts, the oldest is merged into the next oldest, which keeps the later time:
/// the merged amount then counts a little longer, never shorter, so the cap can only be stricter.
pub fn record_slash(records: &mut [SlashRecord], now: i64, amount: u64) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    for record in records.iter_mut().filter(|r| !r.counts_at(now)) {
        *record = SlashRecord::default();
    }
    records.sort_by_key(|r| if r.at == 0 { i64::MAX } else { r.at });
    let last = records.len() - 1;
    if records[last].at != 0 {
        if last == 0 {
            records[0] = SlashRecord { at: now, amount: add(records[0].amount, amount)? };
            return Ok(());
        }
        records[1].amount = add(records[1].amount, records[0].amount)?;
        records.rotate_left(1);
        records[last] = SlashRecord::default();
    }
    let free = records.iter().position(|r| r.at == 0).unwrap_or(last);
    records[free] = SlashRecord { at: now, amount };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r40_cap_holds_over_any_thirty_days() {
        let mut records = [SlashRecord::default(); 4];
        assert_eq!(slash_allowance(&records, 1_000, 5_000, 10).unwrap(), 500);
        record_slash(&mut records, 10, 1).unwrap();
        // one second before the first slash leaves the window: base 999 + 1, 1 used
        let t = 10 + SLASH_WINDOW_SECS - 1;
        assert_eq!(slash_allowance(&records, 999, 5_000, t).unwrap(), 499);
        record_slash(&mut records, t, 499).unwrap();
        // a slash exactly 30 days old no longer counts: (500 + 499) / 2 - 499 = 0
        assert_eq!(slash_allowance(&records, 500, 5_000, t + 1).unwrap(), 0);
        assert_eq!(slash_allowance(&records, 500, 5_000, t + SLASH_WINDOW_SECS).unwrap(), 250);
    }

    #[test]
    fn r40_full_records_merge_without_raising_the_cap() {
        let mut records = [SlashRecord::default(); 2];
        let mut principal = 10_000;
        for i in 0..5 {
            let now = 100 + i * 10;
            let take = slash_allowance(&records, principal, 5_000, now).unwrap().min(100);
            principal -= take;
            record_slash(&mut records, now, take).unwrap();
        }
        assert_eq!(slashed_within_window(&records, 200).unwrap(), 500);
        // merged records count from the later time: the slashes at 100..130 count until 130 + 30 d
        assert_eq!(slashed_within_window(&records, 129 + SLASH_WINDOW_SECS).unwrap(), 500);
        assert_eq!(slashed_within_window(&records, 130 + SLASH_WINDOW_SECS).unwrap(), 100);
        let mut one = [SlashRecord::default(); 1];
        record_slash(&mut one, 5, 7).unwrap();
        record_slash(&mut one, 6, 3).unwrap();
        assert_eq!(one[0], SlashRecord { at: 6, amount: 10 });
    }
}
