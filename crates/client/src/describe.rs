//! Words for people about the program's state: dates, times relative to the Clock, the reasons
//! a device is not eligible or a reward entry was skipped, positions' states and roles.
use crate::format::duration;
use device_staking::state::{ineligible, skip, PositionState, Role};

/// A unix time as a UTC date and time: `utc(1_750_000_000) == "2025-06-15 15:06 UTC"`.
pub fn utc(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", secs / 3_600, secs % 3_600 / 60)
}

/// The (year, month, day) of a count of days since 1970-01-01 (proleptic Gregorian calendar).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An unlock time against the Clock's `now`: `"in 6 d 4 h"` before it, `"ripe"` from it on.
pub fn unlock(at: i64, now: i64) -> String {
    if now >= at {
        "ripe".to_string()
    } else {
        format!("in {}", duration(at - now))
    }
}

/// A deadline against `now`: `"in 2 d"` before it, `"3 h ago"` after it.
pub fn relative(at: i64, now: i64) -> String {
    if at > now {
        format!("in {}", duration(at - now))
    } else {
        format!("{} ago", duration(now - at))
    }
}

/// The reasons encoded in `Device::ineligibility` flags, in words (empty when eligible).
pub fn ineligibility(flags: u8) -> Vec<&'static str> {
    [
        (ineligible::TERMINATED, "terminated"),
        (ineligible::UNSTAKING, "the owner is unstaking"),
        (ineligible::NO_STAKE, "nothing is staked"),
        (ineligible::BELOW_MINIMUM, "counted stake is below the minimum"),
    ]
    .into_iter()
    .filter(|(flag, _)| flags & flag != 0)
    .map(|(_, reason)| reason)
    .collect()
}

/// Why a reward entry was skipped (`RewardSkipped.reason`, R20), in words.
pub fn skip_reason(reason: u8) -> &'static str {
    match reason {
        skip::ALREADY_PAID => "the block starts before the end of the last block paid for the device",
        skip::TERMINATED => "the device was terminated at or before the block's start",
        skip::UNSTAKING => "the owner has been unstaking since at or before the block's start",
        skip::NOT_REGISTERED => "the device was registered after the block's start",
        skip::ZERO_AMOUNT => "the amount is zero",
        skip::CLOSED => "the device is closed",
        _ => "an unknown reason",
    }
}

/// A position's state in one word: filled, exiting (in its wait), cooling, ripe.
pub fn position_state(state: PositionState) -> &'static str {
    match state {
        PositionState::Filled => "filled",
        PositionState::Exiting => "exiting",
        PositionState::Cooling => "cooling",
        PositionState::Ripe => "ripe",
    }
}

/// A role's name as people say it: "admin", "oracle", "reward authority", "slash authority", "treasury".
pub fn role(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Oracle => "oracle",
        Role::RewardAuthority => "reward authority",
        Role::SlashAuthority => "slash authority",
        Role::Treasury => "treasury",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_750_000_000), "2025-06-15 15:06 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(-86_400), "1969-12-31 00:00 UTC");
    }

    #[test]
    fn unlocks_and_deadlines_are_relative_to_now() {
        assert_eq!(unlock(1_000 + 6 * 86_400 + 4 * 3_600, 1_000), "in 6 d 4 h");
        assert_eq!(unlock(1_000, 1_000), "ripe");
        assert_eq!(relative(1_000, 1_000 + 3 * 3_600), "3 h ago");
        assert_eq!(relative(1_000 + 2 * 86_400, 1_000), "in 2 d");
    }

    #[test]
    fn reasons_follow_the_flags() {
        assert!(ineligibility(0).is_empty());
        let all = ineligible::TERMINATED | ineligible::UNSTAKING | ineligible::NO_STAKE | ineligible::BELOW_MINIMUM;
        assert_eq!(ineligibility(all).len(), 4);
        assert_eq!(ineligibility(ineligible::BELOW_MINIMUM), ["counted stake is below the minimum"]);
    }

    #[test]
    fn skips_states_and_roles_have_words() {
        assert_eq!(skip_reason(skip::CLOSED), "the device is closed");
        assert!(skip_reason(skip::ALREADY_PAID).contains("last block paid"));
        assert_eq!(skip_reason(200), "an unknown reason");
        assert_eq!(position_state(PositionState::Cooling), "cooling");
        assert_eq!(role(Role::RewardAuthority), "reward authority");
    }
}
