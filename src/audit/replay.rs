//! A case as it was at a moment: `at` is a log position or an RFC 3339 time, and the state
//! is the case's events up to it folded by [`apply_raw`] — the function the live engine
//! folds with, so "as it was" and "as it was shown" cannot disagree.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::AuditError;
use crate::domain::CaseState;
use crate::engine::projection::CaseView;
use crate::engine::{apply_raw, case_stream};
use crate::event_store::{EventStore, RawEvent};

/// A moment in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Position(i64),
    Time(DateTime<Utc>),
}

impl At {
    /// A whole number is a position; anything else must be an RFC 3339 time with an offset.
    pub fn parse(raw: &str) -> Result<Self, AuditError> {
        let raw = raw.trim();
        if let Ok(position) = raw.parse::<i64>() {
            return Ok(At::Position(position));
        }
        DateTime::parse_from_rfc3339(raw)
            .map(|t| At::Time(t.with_timezone(&Utc)))
            .map_err(|_| {
                AuditError::BadInput(format!(
                    "at={raw:?} is neither a log position (a whole number) nor an RFC 3339 time \
                     such as 2026-11-26T08:00:00Z"
                ))
            })
    }
}

/// The answer: the state, and which events it includes.
#[derive(Debug, Clone)]
pub struct CaseAt {
    pub case_id: Uuid,
    /// The log position the state is as of (the requested one, or for a time the newest
    /// case event recorded by then).
    pub at_position: i64,
    /// The newest case event included.
    pub last_event_position: i64,
    pub last_event_recorded_at: DateTime<Utc>,
    pub events: usize,
    pub state: CaseState,
}

/// A [`CaseAt`] as `GET /v1/cases/{id}/state` and `daftar audit replay` show it: the case's
/// read model as it was, and the folded state itself.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CaseAtView<'a> {
    pub at_position: i64,
    pub case: CaseView<'a>,
    pub case_id: Uuid,
    pub events: usize,
    pub last_event_position: i64,
    pub last_event_recorded_at: DateTime<Utc>,
    /// The engine's own fold of the case, field for field.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub state: &'a CaseState,
}

impl CaseAt {
    pub fn view(&self) -> CaseAtView<'_> {
        CaseAtView {
            at_position: self.at_position,
            case: CaseView::of(&self.state),
            case_id: self.case_id,
            events: self.events,
            last_event_position: self.last_event_position,
            last_event_recorded_at: self.last_event_recorded_at,
            state: &self.state,
        }
    }
}

/// Replays `case_id` up to `at` (its newest event when `None`); `now` bounds `at`.
pub async fn case_at(
    store: &EventStore,
    case_id: Uuid,
    at: Option<At>,
    now: DateTime<Utc>,
) -> Result<CaseAt, AuditError> {
    let events = store.read_stream_raw(&case_stream(case_id), 1).await?;
    let (Some(first), Some(newest)) = (events.first(), events.last()) else {
        return Err(AuditError::NotFound(format!("no case {case_id}")));
    };
    let at_position = match at {
        None => newest.position,
        Some(At::Position(position)) => {
            let (head, _) = store.head().await?;
            if !(0..=head).contains(&position) {
                return Err(AuditError::OutOfRange(format!(
                    "at={position} is outside the log, which holds positions 0..={head}"
                )));
            }
            position
        }
        Some(At::Time(time)) => {
            if time > now {
                return Err(AuditError::OutOfRange(format!(
                    "at={} is in the future",
                    time.to_rfc3339()
                )));
            }
            // recorded_at never decreases along the log, so this is a prefix of the stream.
            events
                .iter()
                .take_while(|e| e.recorded_at_us <= time.timestamp_micros())
                .last()
                .map_or(0, |e| e.position)
        }
    };
    if at_position < first.position {
        return Err(AuditError::NotFound(format!(
            "case {case_id} did not exist yet at {}: it was opened at position {}, {}",
            describe(at, at_position),
            first.position,
            time_of(first).to_rfc3339()
        )));
    }
    fold(case_id, &events, at_position)
}

fn describe(at: Option<At>, position: i64) -> String {
    match at {
        Some(At::Time(time)) => time.to_rfc3339(),
        _ => format!("position {position}"),
    }
}

fn time_of(event: &RawEvent) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(event.recorded_at_us).unwrap_or_default()
}

fn fold(case_id: Uuid, events: &[RawEvent], at_position: i64) -> Result<CaseAt, AuditError> {
    let mut state = CaseState::default();
    let mut included = 0;
    for stored in events.iter().take_while(|e| e.position <= at_position) {
        state = apply_raw(state, stored).map_err(AuditError::Corrupt)?;
        included += 1;
    }
    let last = &events[included - 1];
    Ok(CaseAt {
        case_id,
        at_position,
        last_event_position: last.position,
        last_event_recorded_at: time_of(last),
        events: included,
        state,
    })
}
