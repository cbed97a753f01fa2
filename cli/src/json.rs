//! The values of `--output json`: a report's fields in the order they are given, serialized by
//! serde (printed with `serde_json`), and converted from `serde_json::Value`s (the history API's
//! events, `json!` literals).
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use std::fmt;

/// A JSON value whose objects keep their keys in the order given.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Json>),
    /// Keys in the order given.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Self {
        Json::Str(s.into())
    }

    /// An object with `fields` in order.
    pub fn object<'a>(fields: impl IntoIterator<Item = (&'a str, Json)>) -> Self {
        Json::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

impl Serialize for Json {
    /// The value as serde data: integers as numbers (an `i128` beyond 64 bits as serde_json writes
    /// it), objects as maps in their order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
                (Ok(small), _) => serializer.serialize_i64(small),
                (_, Ok(large)) => serializer.serialize_u64(large),
                _ => serializer.serialize_i128(*i),
            },
            Json::Str(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                items.iter().try_for_each(|item| seq.serialize_element(item))?;
                seq.end()
            }
            Json::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                fields.iter().try_for_each(|(key, value)| map.serialize_entry(key, value))?;
                map.end()
            }
        }
    }
}

impl fmt::Display for Json {
    /// Compact JSON, written by `serde_json`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl From<Value> for Json {
    /// A serde value as a report's value; a number that is neither a 64-bit integer nor
    /// representable otherwise (a float) becomes its text.
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => n
                .as_i64()
                .map(|i| Json::Int(i.into()))
                .or_else(|| n.as_u64().map(|u| Json::Int(u.into())))
                .unwrap_or_else(|| Json::Str(n.to_string())),
            Value::String(s) => Json::Str(s),
            Value::Array(items) => Json::Array(items.into_iter().map(Json::from).collect()),
            Value::Object(fields) => Json::Object(fields.into_iter().map(|(k, v)| (k, Json::from(v))).collect()),
        }
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

    #[test]
    fn writes_compact_json_with_escapes_in_key_order() {
        let v = Json::object([
            ("b", Json::Int(-1)),
            ("a", Json::str("q\"\\\n\u{1}")),
            ("c", Json::Array(vec![Json::Null, Json::Int(2), Json::Int(u64::MAX.into())])),
        ]);
        assert_eq!(v.to_string(), r#"{"b":-1,"a":"q\"\\\n\u0001","c":[null,2,18446744073709551615]}"#);
    }

    #[test]
    fn serde_values_convert_and_round_trip() {
        let value = json!({ "seq": 3, "amount": "18446744073709551615", "left": false, "none": null, "list": [1], "f": 0.5 });
        let converted = Json::from(value.clone());
        let Json::Object(fields) = &converted else { panic!("an object") };
        assert!(fields.iter().any(|(k, v)| k == "seq" && *v == Json::Int(3)));
        assert!(fields.iter().any(|(k, v)| k == "f" && *v == Json::str("0.5")));
        let back: Value = serde_json::from_str(&converted.to_string()).unwrap();
        assert_eq!(back["amount"], value["amount"]);
        assert_eq!(back["list"], value["list"]);
        assert_eq!(back["none"], Value::Null);
    }
}
