//! Between domain events and stored envelopes. The decision time travels inside `data` as
//! `at`, so replaying gives exactly the timestamps the live state had (the store's
//! `recorded_at` is commit time, which a decision cannot know in advance). Upcasters turn
//! older `(event_type, event_version)` shapes into the current one before decoding.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::{CaseEvent, CaseState};
use crate::event_store::{NewEvent, RawEvent, StoredEvent};

/// The schema version of every event type this build writes.
pub const CURRENT_EVENT_VERSION: i32 = 1;

/// The stream of a case.
pub fn case_stream(case_id: uuid::Uuid) -> String {
    format!("case-{case_id}")
}

pub fn encode(event: &CaseEvent, at: DateTime<Utc>) -> NewEvent {
    let (event_type, mut data) = event.to_parts();
    if let Value::Object(fields) = &mut data {
        fields.insert(
            "at".into(),
            Value::String(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        );
    }
    let mut new = NewEvent::new(event_type, data);
    new.event_version = CURRENT_EVENT_VERSION;
    new
}

/// Brings older shapes up to date. Version 1 is the only one so far; an event from a newer
/// daftar is refused rather than misread.
fn upcast(event_type: &str, version: i32, data: &Value) -> Result<Value, String> {
    match version {
        CURRENT_EVENT_VERSION => Ok(data.clone()),
        other => Err(format!(
            "{event_type} version {other} is unknown to this build"
        )),
    }
}

/// The domain event and its decision time.
pub fn decode(stored: &StoredEvent) -> Result<(CaseEvent, DateTime<Utc>), String> {
    let data = upcast(&stored.event_type, stored.event_version, &stored.data)?;
    let at = data
        .get("at")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(stored.recorded_at);
    let event = CaseEvent::from_parts(&stored.event_type, &data).map_err(|e| {
        format!(
            "event at position {} ({}) cannot be decoded: {e}",
            stored.position, stored.event_type
        )
    })?;
    Ok((event, at))
}

/// Decodes a row straight from its stored text. The current version is parsed once, into the
/// typed event (and `at` read off the text's end, see [`decision_time`]) — replay speed is
/// dominated by this, and going JSON → `Value` → clone → event costs about three parses.
/// Older versions take the upcasting path of [`decode`]; both give the same answer (tested).
pub fn decode_raw(raw: &RawEvent) -> Result<(CaseEvent, DateTime<Utc>), String> {
    if raw.event_version != CURRENT_EVENT_VERSION {
        let stored = raw.clone().decode().map_err(|e| e.to_string())?;
        return decode(&stored);
    }
    let undecodable = |e: serde_json::Error| {
        format!(
            "event at position {} ({}) cannot be decoded: {e}",
            raw.position, raw.event_type
        )
    };
    let mut tagged = String::with_capacity(raw.data.len() + raw.event_type.len() + 24);
    tagged.push_str("{\"type\":");
    tagged.push_str(&serde_json::to_string(&raw.event_type).map_err(undecodable)?);
    tagged.push_str(",\"data\":");
    tagged.push_str(&raw.data);
    tagged.push('}');
    let event: CaseEvent = serde_json::from_str(&tagged).map_err(undecodable)?;
    let at = decision_time(&raw.data).unwrap_or_else(|| micros_to_time(raw.recorded_at_us));
    Ok((event, at))
}

/// The `at` that [`encode`] puts in `data`. Encoding appends it as the last field, so it is
/// read from the text's end; any other shape (an older log, a hand-made one) is found by
/// reading the whole text, which allocates nothing but walks a submission's every byte.
fn decision_time(data: &str) -> Option<DateTime<Utc>> {
    #[derive(serde::Deserialize)]
    struct At<'a> {
        #[serde(borrow, default)]
        at: Option<std::borrow::Cow<'a, str>>,
    }
    let at = match trailing_at(data) {
        Some(at) => std::borrow::Cow::Borrowed(at),
        None => serde_json::from_str::<At>(data).ok()?.at?,
    };
    DateTime::parse_from_rfc3339(&at)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `T` when an object's text ends with `,"at":"T"}` and `T` holds no quote or backslash.
/// Inside a string a quote is always escaped, and a nested object's end would leave a second
/// `}`, so such an ending is the outer object's own last field.
fn trailing_at(data: &str) -> Option<&str> {
    let (_, tail) = data.rsplit_once(",\"at\":\"")?;
    let at = tail.strip_suffix("\"}")?;
    (!at.contains(['"', '\\'])).then_some(at)
}

/// Folds one stored row into a case. The live engine (catching a cached case up), every
/// replay (`state?at=`, `daftar audit replay`) and `daftar projections rebuild` all go
/// through this one function, so a replayed state is the live state by construction.
pub fn apply_raw(state: CaseState, raw: &RawEvent) -> Result<CaseState, String> {
    let (event, at) = decode_raw(raw)?;
    Ok(state.apply(&event, at))
}

fn micros_to_time(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::trailing_at;

    #[test]
    fn the_trailing_at_is_the_outer_objects_last_field_only() {
        let at = "2026-12-07T10:00:00.000000Z";
        assert_eq!(trailing_at(&format!(r#"{{"a":1,"at":"{at}"}}"#)), Some(at));
        // A nested object's last field, an escaped lookalike, an only field, a later field.
        for text in [
            format!(r#"{{"a":{{"b":1,"at":"{at}"}}}}"#),
            format!(r#"{{"a":"x,\"at\":\"{at}\"}}"}}"#),
            format!(r#"{{"at":"{at}"}}"#),
            format!(r#"{{"at":"{at}","b":2}}"#),
            r#"{"a":1,"at":"x\"y"}"#.to_string(),
        ] {
            assert_eq!(trailing_at(&text), None, "{text}");
        }
    }
}
