//! Planning one group-commit batch: pure code shared by both backends.
//!
//! A backend locks the log head, loads a [`Snapshot`] of what the batch touches (stream
//! versions, already-stored event ids), calls [`plan`], and writes the rows. Each request is
//! judged on its own against the snapshot *and the requests before it in the batch*, so one
//! caller's conflict never fails the others.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::hash::event_hash;
use super::{AppendOutcome, AppendRequest, RawEvent, SideWrites, StoreError};

/// Where an already-stored event is.
#[derive(Debug, Clone)]
pub(crate) struct StoredId {
    pub position: i64,
    pub stream_id: String,
    pub version: i64,
}

/// The state of the log that a batch depends on, read under the writer lock.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot {
    pub head_position: i64,
    pub head_hash: String,
    pub last_recorded_us: i64,
    /// Current version of every stream the batch appends to (absent: no stream, version 0).
    pub versions: HashMap<String, i64>,
    /// Event ids of the batch that are already stored.
    pub existing: HashMap<Uuid, StoredId>,
}

pub(crate) struct Plan {
    pub rows: Vec<RawEvent>,
    pub outcomes: Vec<Result<AppendOutcome, StoreError>>,
    pub head_position: i64,
    pub head_hash: String,
    pub last_recorded_us: i64,
}

/// The distinct stream ids a batch appends to.
pub(crate) fn streams_of(requests: &[AppendRequest]) -> Vec<String> {
    let set: HashSet<&str> = requests.iter().map(|r| r.stream_id.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// Every event id in a batch.
pub(crate) fn event_ids_of(requests: &[AppendRequest]) -> Vec<Uuid> {
    requests
        .iter()
        .flat_map(|r| r.events.iter().map(|e| e.event_id))
        .collect()
}

/// The side writes of the requests a plan writes (refused and duplicate appends left out),
/// in append order: what the batch hands its side-write hook.
pub(crate) fn written_side_writes<'a>(
    requests: &'a [AppendRequest],
    outcomes: &[Result<AppendOutcome, StoreError>],
) -> Vec<&'a SideWrites> {
    requests
        .iter()
        .zip(outcomes)
        .filter(|(request, outcome)| {
            AppendRequest::wrote(outcome) && !request.side_writes.is_empty()
        })
        .map(|(request, _)| &request.side_writes)
        .collect()
}

pub(crate) fn plan(mut snapshot: Snapshot, requests: &[AppendRequest], now_us: i64) -> Plan {
    // recorded_at never goes backwards along the log, even if the clock does, so a replay
    // "as of time T" is a prefix of the log.
    let recorded_at_us = now_us.max(snapshot.last_recorded_us);
    let mut rows = Vec::new();
    let mut outcomes = Vec::with_capacity(requests.len());
    for request in requests {
        let outcome = plan_one(&mut snapshot, request, recorded_at_us, &mut rows);
        outcomes.push(outcome);
    }
    if !rows.is_empty() {
        snapshot.last_recorded_us = recorded_at_us;
    }
    Plan {
        rows,
        outcomes,
        head_position: snapshot.head_position,
        head_hash: snapshot.head_hash,
        last_recorded_us: snapshot.last_recorded_us,
    }
}

fn plan_one(
    snapshot: &mut Snapshot,
    request: &AppendRequest,
    recorded_at_us: i64,
    rows: &mut Vec<RawEvent>,
) -> Result<AppendOutcome, StoreError> {
    if let Some(outcome) = already_stored(snapshot, request)? {
        return Ok(outcome);
    }
    let current = snapshot
        .versions
        .get(&request.stream_id)
        .copied()
        .unwrap_or(0);
    if !request.expected.admits(current) {
        return Err(StoreError::VersionConflict {
            stream_id: request.stream_id.clone(),
            expected: format!("{:?}", request.expected),
            actual: current,
        });
    }
    let metadata = serde_json::to_string(&request.metadata).expect("metadata serializes");
    let mut positions = Vec::with_capacity(request.events.len());
    let mut version = current;
    for event in &request.events {
        version += 1;
        let mut row = RawEvent {
            position: snapshot.head_position + 1,
            stream_id: request.stream_id.clone(),
            version,
            event_id: event.event_id,
            event_type: event.event_type.clone(),
            event_version: event.event_version,
            data: serde_json::to_string(&event.data).expect("a JSON value serializes"),
            metadata: metadata.clone(),
            recorded_at_us,
            prev_hash: snapshot.head_hash.clone(),
            hash: String::new(),
        };
        row.hash = event_hash(&row.prev_hash, &row);
        snapshot.head_position = row.position;
        snapshot.head_hash.clone_from(&row.hash);
        snapshot.existing.insert(
            row.event_id,
            StoredId {
                position: row.position,
                stream_id: row.stream_id.clone(),
                version,
            },
        );
        positions.push(row.position);
        rows.push(row);
    }
    snapshot.versions.insert(request.stream_id.clone(), version);
    Ok(AppendOutcome {
        positions,
        stream_version: version,
        duplicate: false,
    })
}

/// An append whose event ids are all stored (in this stream) is a retry: answer with the
/// original positions. Some but not all, or another stream's, is a conflict.
fn already_stored(
    snapshot: &Snapshot,
    request: &AppendRequest,
) -> Result<Option<AppendOutcome>, StoreError> {
    let found: Vec<Option<&StoredId>> = request
        .events
        .iter()
        .map(|e| snapshot.existing.get(&e.event_id))
        .collect();
    if found.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut positions = Vec::with_capacity(found.len());
    let mut stream_version = 0;
    for (event, stored) in request.events.iter().zip(&found) {
        match stored {
            Some(s) if s.stream_id == request.stream_id => {
                positions.push(s.position);
                stream_version = stream_version.max(s.version);
            }
            _ => {
                return Err(StoreError::EventIdConflict {
                    event_id: event.event_id,
                });
            }
        }
    }
    Ok(Some(AppendOutcome {
        positions,
        stream_version,
        duplicate: true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event_store::{ExpectedVersion, GENESIS_HASH, NewEvent};
    use serde_json::json;

    fn snapshot() -> Snapshot {
        Snapshot {
            head_hash: GENESIS_HASH.into(),
            ..Snapshot::default()
        }
    }

    fn request(stream: &str, expected: ExpectedVersion) -> AppendRequest {
        AppendRequest::new(
            stream,
            expected,
            vec![NewEvent::new("Happened", json!({"n": 1}))],
        )
    }

    #[test]
    fn one_conflict_does_not_fail_the_rest_of_the_batch() {
        let requests = [
            request("a", ExpectedVersion::NoStream),
            request("a", ExpectedVersion::NoStream),
            request("b", ExpectedVersion::Exact(0)),
        ];
        let plan = plan(snapshot(), &requests, 10);
        assert!(plan.outcomes[0].is_ok());
        assert!(plan.outcomes[1].as_ref().unwrap_err().is_conflict());
        assert_eq!(plan.outcomes[2].as_ref().unwrap().positions, vec![2]);
        assert_eq!(plan.rows.len(), 2);
        assert_eq!(plan.head_position, 2);
    }

    #[test]
    fn a_repeated_append_in_the_same_batch_returns_the_first_positions() {
        let first = request("a", ExpectedVersion::Any);
        let plan = plan(snapshot(), &[first.clone(), first], 10);
        let outcome = plan.outcomes[1].as_ref().unwrap();
        assert!(outcome.duplicate);
        assert_eq!(outcome.positions, vec![1]);
        assert_eq!(plan.rows.len(), 1);
    }

    #[test]
    fn rows_chain_their_hashes_and_never_go_back_in_time() {
        let mut snap = snapshot();
        snap.last_recorded_us = 50;
        let plan = plan(
            snap,
            &[
                request("a", ExpectedVersion::Any),
                request("a", ExpectedVersion::Any),
            ],
            10,
        );
        assert_eq!(plan.rows[1].prev_hash, plan.rows[0].hash);
        assert_eq!(plan.rows[0].prev_hash, GENESIS_HASH);
        assert!(plan.rows.iter().all(|r| r.recorded_at_us == 50));
        assert_eq!(plan.rows[1].version, 2);
    }
}
