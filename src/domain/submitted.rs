//! A submitted document as events, commands and states carry it: shared (a case's state is
//! cloned on every command, its documents are not) and kept as the JSON text it arrived or
//! was stored as until somebody reads a field. Replaying a long log then copies each
//! submission's text once and never builds its tree; the first read parses it, once.
//!
//! It is written back as that exact text, so an event re-encoded from a replayed state has
//! the bytes it was stored with. A document made from a [`Value`] keeps the value and the
//! text serde_json writes for it, which is what an event stored before held.

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

#[derive(Clone)]
pub struct SubmittedData(Arc<Parts>);

struct Parts {
    text: Box<RawValue>,
    value: OnceLock<Value>,
}

impl SubmittedData {
    /// The document as JSON.
    pub fn value(&self) -> &Value {
        self.0.value.get_or_init(|| {
            // The text was accepted as JSON by the same parser under the same nesting limit,
            // so this cannot fail; should it, the document reads as null and says so.
            serde_json::from_str(self.0.text.get()).unwrap_or_else(|e| {
                tracing::error!(error = %e, "a submitted document's stored text is not JSON");
                Value::Null
            })
        })
    }

    /// The document's JSON text, exactly as it is stored.
    pub fn text(&self) -> &str {
        self.0.text.get()
    }
}

impl From<Value> for SubmittedData {
    fn from(value: Value) -> Self {
        // A `Value` has string keys only, so writing it cannot fail.
        let text = serde_json::value::to_raw_value(&value)
            .unwrap_or_else(|_| RawValue::from_string("null".into()).expect("null is JSON"));
        SubmittedData(Arc::new(Parts {
            text,
            value: OnceLock::from(value),
        }))
    }
}

impl Deref for SubmittedData {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.value()
    }
}

impl AsRef<Value> for SubmittedData {
    fn as_ref(&self) -> &Value {
        self.value()
    }
}

/// Equal documents are equal JSON values, whatever their spacing or key order.
impl PartialEq for SubmittedData {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || self.text() == other.text()
            || self.value() == other.value()
    }
}

impl PartialEq<Value> for SubmittedData {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl fmt::Debug for SubmittedData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.value(), f)
    }
}

impl Serialize for SubmittedData {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.text.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SubmittedData {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Box::<RawValue>::deserialize(deserializer)?;
        Ok(SubmittedData(Arc::new(Parts {
            text,
            value: OnceLock::new(),
        })))
    }
}

/// Any JSON value, as the form's schema allows.
impl schemars::JsonSchema for SubmittedData {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        Value::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Value::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stored_text_is_written_back_byte_for_byte_and_read_once() {
        let stored = r#"{"z":1,"a":[1.5,"ک"],"n":{"x":null}}"#;
        let submitted: SubmittedData = serde_json::from_str(stored).unwrap();
        assert_eq!(serde_json::to_string(&submitted).unwrap(), stored);
        assert_eq!(submitted["a"][1], "ک");
        assert_eq!(
            submitted.value(),
            &json!({"z": 1, "a": [1.5, "ک"], "n": {"x": null}})
        );
        assert!(std::ptr::eq(submitted.value(), submitted.value()));
    }

    #[test]
    fn a_value_is_written_as_serde_json_writes_it() {
        let value = json!({"needs": [{"name": "شماره ملی", "n": 3}], "note": "a\"b"});
        let submitted = SubmittedData::from(value.clone());
        assert_eq!(
            serde_json::to_string(&submitted).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
        assert_eq!(serde_json::to_value(&submitted).unwrap(), value);
        assert_eq!(submitted, value);
    }

    #[test]
    fn inside_an_event_it_reads_from_text_and_from_a_value_alike() {
        #[derive(Deserialize, Serialize, PartialEq, Debug)]
        #[serde(tag = "type", content = "data")]
        enum Event {
            Sent { data: SubmittedData, by: String },
        }
        let text = r#"{"type":"Sent","data":{"data":{"b":2,"a":1},"by":"x"}}"#;
        let from_text: Event = serde_json::from_str(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        let from_value = Event::deserialize(&value).unwrap();
        let owned = serde_json::from_value::<Event>(value.clone()).unwrap();
        assert_eq!(from_text, from_value);
        assert_eq!(from_text, owned);
        let Event::Sent { data, .. } = &from_text;
        assert_eq!(data.text(), r#"{"b":2,"a":1}"#);
    }

    #[test]
    fn equal_documents_compare_equal_however_they_are_spaced() {
        let spaced: SubmittedData = serde_json::from_str(r#"{ "a" : 1 }"#).unwrap();
        let compact: SubmittedData = serde_json::from_str(r#"{"a":1}"#).unwrap();
        let other: SubmittedData = serde_json::from_str(r#"{"a":2}"#).unwrap();
        assert_eq!(spaced, compact);
        assert_ne!(compact, other);
    }
}
