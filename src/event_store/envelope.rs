//! The envelope: one event as `GET /v1/events` shows it and as `daftar audit export` writes
//! it, one per line. It carries `data` and `metadata` as JSON values whose text is the exact
//! stored text (a [`RawValue`] is written and read back byte for byte), so an exported line
//! can be re-hashed and re-imported without depending on how any JSON library orders keys or
//! prints numbers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use super::types::micros_to_time;
use super::{RawEvent, StoreError};

/// An event as exported. Field names and order are the API's envelope.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub position: i64,
    pub stream_id: String,
    pub version: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub data: Box<RawValue>,
    pub metadata: Box<RawValue>,
    pub recorded_at: DateTime<Utc>,
    pub prev_hash: String,
    pub hash: String,
}

impl Envelope {
    /// Wraps a stored row. Fails only if the stored text is not JSON, or is JSON spread over
    /// several lines (which would break the one-event-per-line framing).
    pub fn from_raw(raw: RawEvent) -> Result<Self, StoreError> {
        let position = raw.position;
        let json = |text: String, what: &str| {
            if text.contains('\n') {
                return Err(StoreError::Corrupt {
                    position,
                    detail: format!("{what} spans several lines"),
                });
            }
            RawValue::from_string(text).map_err(|e| StoreError::Corrupt {
                position,
                detail: format!("{what} is not JSON: {e}"),
            })
        };
        Ok(Self {
            position,
            data: json(raw.data, "data")?,
            metadata: json(raw.metadata, "metadata")?,
            recorded_at: micros_to_time(raw.recorded_at_us),
            stream_id: raw.stream_id,
            version: raw.version,
            event_id: raw.event_id,
            event_type: raw.event_type,
            event_version: raw.event_version,
            prev_hash: raw.prev_hash,
            hash: raw.hash,
        })
    }

    /// The stored row this envelope stands for: `data` and `metadata` as the exact text read.
    pub fn into_raw(self) -> RawEvent {
        RawEvent {
            position: self.position,
            stream_id: self.stream_id,
            version: self.version,
            event_id: self.event_id,
            event_type: self.event_type,
            event_version: self.event_version,
            data: self.data.get().to_string(),
            metadata: self.metadata.get().to_string(),
            recorded_at_us: self.recorded_at.timestamp_micros(),
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }

    /// Appends this envelope and a `\n` to `out`.
    pub fn write_line(&self, out: &mut Vec<u8>) {
        serde_json::to_writer(&mut *out, self).expect("an envelope serializes");
        out.push(b'\n');
    }

    /// Parses one line of an export.
    pub fn parse_line(line: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(data: &str) -> RawEvent {
        RawEvent {
            position: 7,
            stream_id: "case-1".into(),
            version: 2,
            event_id: Uuid::nil(),
            event_type: "Happened".into(),
            event_version: 1,
            data: data.into(),
            metadata: r#"{"actor":"sec-1","agency":"MIMT","role":"secretariat"}"#.into(),
            recorded_at_us: 1_764_140_000_123_456,
            prev_hash: "00".repeat(32),
            hash: "11".repeat(32),
        }
    }

    #[test]
    fn a_line_reads_back_as_the_same_stored_bytes() {
        // Keys out of alphabetical order, a float and Persian text: none of it is re-encoded.
        let stored = raw(r#"{"z":1,"a":2.50,"title":"مصوبه \"اول\"","n":null}"#);
        let mut line = Vec::new();
        Envelope::from_raw(stored.clone())
            .unwrap()
            .write_line(&mut line);
        let text = String::from_utf8(line).unwrap();
        assert!(text.ends_with('\n') && text.matches('\n').count() == 1);
        let back = Envelope::parse_line(text.trim_end()).unwrap().into_raw();
        assert_eq!(back, stored);
    }

    #[test]
    fn stored_text_over_several_lines_is_refused() {
        assert!(Envelope::from_raw(raw("{\n}")).is_err());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut line = Vec::new();
        Envelope::from_raw(raw("{}")).unwrap().write_line(&mut line);
        let text = String::from_utf8(line)
            .unwrap()
            .replace("\"hash\"", "\"extra\":1,\"hash\"");
        assert!(Envelope::parse_line(text.trim_end()).is_err());
    }
}
