//! The CSV export of a history (the API's `history.csv` routes and the CLI's `export --csv`),
//! from event objects of the API's shape (docs/api.md), and the calendar of its time column.
use device_staking_client::describe::civil_from_days;
use serde_json::Value;

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The header line of the export.
pub const CSV_HEADER: &str =
    "time_utc,block_time,slot,signature,instruction_index,event_index,event,device,wallets,position_seq,amount,owner_part,position_part,data";

/// The calendar date (`YYYY-MM-DD`) of a day number since 1970-01-01 (proleptic Gregorian).
pub fn date_of_day(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A unix time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc(time: i64) -> String {
    let secs = time.rem_euclid(DAY);
    format!("{}T{:02}:{:02}:{:02}Z", date_of_day(time.div_euclid(DAY)), secs / 3_600, secs % 3_600 / 60, secs % 60)
}

/// A CSV field, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A JSON scalar as CSV text (strings bare, null empty).
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `RewardPaid`'s owner part and paid position part (empty for other events and for a position that had left).
fn reward_parts(event: &Value) -> (String, String) {
    if event["name"] != "RewardPaid" {
        return (String::new(), String::new());
    }
    let data = &event["data"];
    let paid = !data["positionSeq"].is_null() && data["positionLeft"] != Value::Bool(true);
    (scalar(&data["ownerPart"]), if paid { scalar(&data["positionPart"]) } else { String::new() })
}

/// Event objects (any order) as the CSV export, oldest first, with its header line.
pub fn csv(events: &[Value]) -> String {
    let mut sorted: Vec<&Value> = events.iter().collect();
    sorted.sort_by_key(|e| (e["seq"].as_i64(), e["eventIndex"].as_i64()));
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for e in sorted {
        let (owner_part, position_part) = reward_parts(e);
        let wallets: Vec<String> = e["wallets"].as_array().map(|w| w.iter().map(scalar).collect()).unwrap_or_default();
        let fields = [
            e["blockTime"].as_i64().map(utc).unwrap_or_default(),
            scalar(&e["blockTime"]),
            scalar(&e["slot"]),
            scalar(&e["signature"]),
            scalar(&e["instructionIndex"]),
            scalar(&e["eventIndex"]),
            scalar(&e["name"]),
            scalar(&e["device"]),
            wallets.join(" "),
            scalar(&e["positionSeq"]),
            scalar(&e["amount"]),
            owner_part,
            position_part,
            e["data"].to_string(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Days and times read as the calendar has them (the CSV's time column, the earnings' days).
    #[test]
    fn dates_follow_the_calendar() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(utc(1_764_500_000), "2025-11-30T10:53:20Z");
        assert_eq!(date_of_day(11_016), "2000-02-29");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
    }

    /// R21: a reward's parts in their columns (a left position's part empty); the JSON quoted, oldest first.
    #[test]
    fn rows_are_oldest_first_with_the_reward_parts() {
        let paid = json!({ "seq": 2, "eventIndex": 0, "blockTime": 86_400, "slot": 9, "signature": "s2", "instructionIndex": 0,
            "name": "RewardPaid", "device": "D", "wallets": ["A", "B"], "positionSeq": 1, "amount": "10",
            "data": { "ownerPart": "4", "positionPart": "6", "positionSeq": 1, "positionLeft": false } });
        let left = json!({ "seq": 3, "eventIndex": 0, "name": "RewardPaid", "amount": "10",
            "data": { "ownerPart": "4", "positionPart": "6", "positionSeq": 1, "positionLeft": true } });
        let staked = json!({ "seq": 1, "eventIndex": 0, "name": "Staked", "amount": "5", "data": { "a": "x,y" } });
        let text = csv(&[left, paid, staked]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert!(lines[1].contains(",Staked,") && lines[1].ends_with(r#","{""a"":""x,y""}""#), "{}", lines[1]);
        assert!(lines[2].starts_with("1970-01-02T00:00:00Z,86400,9,s2,0,0,RewardPaid,D,A B,1,10,4,6,"), "{}", lines[2]);
        assert!(lines[3].contains(",10,4,,"), "a left position's part is not paid: {}", lines[3]);
    }
}
