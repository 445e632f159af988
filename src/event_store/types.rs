//! The value types of the log: what callers append and what they read back.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::SideWrites;
use super::StoreError;

/// The stream version an append expects to find. Versions start at 1; a stream with no events
/// is at version 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// Append whatever the stream's version is.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must be at exactly this version.
    Exact(i64),
}

impl ExpectedVersion {
    pub(crate) fn admits(self, actual: i64) -> bool {
        match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(n) => actual == n,
        }
    }
}

/// Who caused an event and in answer to what; stored with every event of an append.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<String>,
}

/// An event to append; the store assigns position, version, time and hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub data: serde_json::Value,
}

impl NewEvent {
    /// A new event with a fresh time-ordered (v7) id, at schema version 1.
    pub fn new(event_type: impl Into<String>, data: serde_json::Value) -> Self {
        Self {
            event_id: Uuid::now_v7(),
            event_type: event_type.into(),
            event_version: 1,
            data,
        }
    }
}

/// One call to `append`: events for one stream, all or nothing, plus the read-model, timer
/// and outbox writes they imply, committed in the same transaction (and skipped when the
/// append is refused or is a duplicate).
#[derive(Debug, Clone)]
pub struct AppendRequest {
    pub stream_id: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub metadata: Metadata,
    pub side_writes: SideWrites,
}

/// Identifiers (stream ids, event types) are restricted so the canonical bytes that are
/// hashed stay unambiguous: no separators, no control characters.
pub(crate) fn check_identifier(what: &str, value: &str) -> Result<(), StoreError> {
    let ok = !value.is_empty()
        && value.len() <= 200
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidAppend(format!(
            "{what} {value:?} must be 1-200 characters of A-Z a-z 0-9 - _ . :"
        )))
    }
}

impl AppendRequest {
    pub fn new(
        stream_id: impl Into<String>,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Self {
        Self {
            stream_id: stream_id.into(),
            expected,
            events,
            metadata: Metadata::default(),
            side_writes: SideWrites::default(),
        }
    }

    /// Attaches what the append writes beside its events, for the store's
    /// [`SideWriteHook`](super::SideWriteHook) (e.g. a `Vec<side_writes::SideWrite>`).
    pub fn with_side_writes<T: std::any::Any + Send + Sync>(mut self, side_writes: T) -> Self {
        self.side_writes = SideWrites::new(side_writes);
        self
    }

    /// True when this request's outcome means its side writes must be applied.
    pub(crate) fn wrote(outcome: &Result<AppendOutcome, StoreError>) -> bool {
        matches!(outcome, Ok(o) if !o.duplicate)
    }

    pub fn with_metadata(mut self, metadata: Metadata) -> Self {
        self.metadata = metadata;
        self
    }

    pub(crate) fn validate(&self) -> Result<(), StoreError> {
        check_identifier("stream id", &self.stream_id)?;
        if self.events.is_empty() {
            return Err(StoreError::InvalidAppend(
                "an append needs at least one event".into(),
            ));
        }
        if let ExpectedVersion::Exact(n) = self.expected
            && n < 0
        {
            return Err(StoreError::InvalidAppend(format!(
                "expected version {n} is negative"
            )));
        }
        let mut ids = std::collections::HashSet::new();
        for event in &self.events {
            check_identifier("event type", &event.event_type)?;
            if event.event_version < 1 {
                return Err(StoreError::InvalidAppend(
                    "event_version starts at 1".into(),
                ));
            }
            if !ids.insert(event.event_id) {
                return Err(StoreError::InvalidAppend(format!(
                    "event id {} appears twice in one append",
                    event.event_id
                )));
            }
        }
        Ok(())
    }
}

/// The result of an append: where its events landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendOutcome {
    /// Global positions of the events, in order.
    pub positions: Vec<i64>,
    /// The stream's version after the append.
    pub stream_version: i64,
    /// True when every event id was already stored and nothing was written.
    pub duplicate: bool,
}

/// A row of the `events` table exactly as stored: `data` and `metadata` are the JSON text
/// whose bytes are hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawEvent {
    pub position: i64,
    pub stream_id: String,
    pub version: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub data: String,
    pub metadata: String,
    pub recorded_at_us: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// A decoded event, as readers and projections see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StoredEvent {
    pub position: i64,
    pub stream_id: String,
    pub version: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub event_version: i32,
    pub data: serde_json::Value,
    pub metadata: Metadata,
    pub recorded_at: DateTime<Utc>,
    pub prev_hash: String,
    pub hash: String,
}

pub(crate) fn micros_to_time(us: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(us).single().unwrap_or_default()
}

impl RawEvent {
    pub fn decode(self) -> Result<StoredEvent, StoreError> {
        let data = serde_json::from_str(&self.data).map_err(|e| StoreError::Corrupt {
            position: self.position,
            detail: format!("data is not JSON: {e}"),
        })?;
        let metadata = serde_json::from_str(&self.metadata).map_err(|e| StoreError::Corrupt {
            position: self.position,
            detail: format!("metadata is not valid: {e}"),
        })?;
        Ok(StoredEvent {
            position: self.position,
            stream_id: self.stream_id,
            version: self.version,
            event_id: self.event_id,
            event_type: self.event_type,
            event_version: self.event_version,
            data,
            metadata,
            recorded_at: micros_to_time(self.recorded_at_us),
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// A query over the whole log in global order.
#[derive(Debug, Clone)]
pub struct ReadAll {
    /// Only events with a position greater than this.
    pub after: i64,
    pub limit: i64,
    /// Only streams whose id starts with this.
    pub stream_prefix: Option<String>,
    /// Only these event types (empty: all).
    pub event_types: Vec<String>,
}

impl ReadAll {
    pub fn after(after: i64, limit: i64) -> Self {
        Self {
            after,
            limit,
            stream_prefix: None,
            event_types: Vec::new(),
        }
    }
}
