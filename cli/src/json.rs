//! The values of `--output json`: `serde_json::Value`s written with `json!`, whose objects keep
//! their keys in the order written (serde_json's `preserve_order`, on for the whole workspace so
//! that every build of every member orders keys the same way), printed as one compact line.
use serde::Serialize;
use serde_json::Value;

/// An object of `fields` in their order (a report's fields, a list of named values).
pub fn object<K: Into<String>>(fields: impl IntoIterator<Item = (K, Value)>) -> Value {
    Value::Object(fields.into_iter().map(|(key, value)| (key.into(), value)).collect())
}

/// `value` with every object's keys sorted, at every depth: how `history` prints the events it
/// reads (the same bytes whichever order the API or the decoder wrote them in).
pub fn sorted_keys(value: Value) -> Value {
    match value {
        Value::Object(fields) => {
            let mut fields: Vec<(String, Value)> = fields.into_iter().collect();
            fields.sort_by(|(a, _), (b, _)| a.cmp(b));
            object(fields.into_iter().map(|(key, value)| (key, sorted_keys(value))))
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted_keys).collect()),
        other => other,
    }
}

/// Prints `value` as one line of compact JSON on standard output.
pub fn print(value: &impl Serialize) {
    match serde_json::to_string(value) {
        Ok(line) => println!("{line}"),
        Err(e) => eprintln!("error: cannot write the JSON report: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Objects keep the order their keys were written in; strings are escaped; 64-bit integers
    /// print exactly.
    #[test]
    fn writes_compact_json_with_escapes_in_key_order() {
        let v = json!({ "b": -1, "a": "q\"\\\n\u{1}", "c": [null, 2, u64::MAX, i64::MIN] });
        assert_eq!(v.to_string(), r#"{"b":-1,"a":"q\"\\\n\u0001","c":[null,2,18446744073709551615,-9223372036854775808]}"#);
        let listed = object([("z", json!(1)), ("y", json!({ "x": true, "w": false }))]);
        assert_eq!(listed.to_string(), r#"{"z":1,"y":{"x":true,"w":false}}"#);
    }
}
