//! Stored event envelopes, as an import or a damaged database would present them: arbitrary
//! bytes in `data` and `metadata`, arbitrary types and versions, and well-formed JSON of
//! the wrong shape for a known event type. Decoding refuses them; it never panics.

use daftar::event_store::RawEvent;
use proptest::prelude::*;
use uuid::Uuid;

use crate::{cases, json_value};

const TYPES: &[&str] = &[
    "CaseOpened",
    "TaskAssigned",
    "SubmissionReceived",
    "SubmissionReturned",
    "SubmissionAccepted",
    "TaskReassigned",
    "VoteOpened",
    "VoteCast",
    "VoteClosed",
    "ResolutionAdopted",
    "ChildCaseOrdered",
    "CaseCompleted",
    "CaseCancelled",
    "TaskReminded",
    "TaskOverdue",
    "DeadlineEscalated",
    "MemberRegistered",
    "TokenIssued",
    "NotANEvent",
];

fn envelope(data: String, metadata: String, event_type: String, event_version: i32) -> RawEvent {
    RawEvent {
        position: 1,
        stream_id: format!("case-{}", Uuid::nil()),
        version: 1,
        event_id: Uuid::nil(),
        event_type,
        event_version,
        data,
        metadata,
        recorded_at_us: 0,
        prev_hash: "0".repeat(64),
        hash: "0".repeat(64),
    }
}

fn decode_fully(raw: RawEvent) {
    if let Ok(stored) = raw.decode() {
        let _ = daftar::engine::decode(&stored);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in "\\PC{0,200}", metadata in "\\PC{0,80}", version in any::<i32>()) {
        let event_type = TYPES[data.len() % TYPES.len()].to_string();
        decode_fully(envelope(data, metadata, event_type, version));
    }

    #[test]
    fn wrong_shapes_for_known_types_never_panic(
        data in json_value(),
        which in 0..TYPES.len(),
        version in prop_oneof![Just(1), Just(2), Just(0), any::<i32>()],
    ) {
        let metadata = r#"{"actor":"fuzz"}"#.to_string();
        decode_fully(envelope(data.to_string(), metadata, TYPES[which].to_string(), version));
    }
}
