//! The stored case document joined with its task documents reads as the case view did.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::join;
use crate::domain::{CaseEvent, CaseState, Deadline, TaskKind};
use crate::engine::projection::{case_view, documents};
use crate::side_writes::SideWrite;
use crate::workflow::DueRule;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn assigned(n: u128, agency: &str) -> CaseEvent {
    CaseEvent::TaskAssigned {
        task_id: Uuid::from_u128(n),
        step: "submit".into(),
        kind: TaskKind::Submission,
        agency: Some(agency.into()),
        assignee: None,
        role: "member".into(),
        form: Some("data-exchange-inventory".into()),
        due: Some(Deadline {
            rule: DueRule::On("1405-09-30".into()),
            due_at: at("2026-12-21T20:29:59Z"),
            due_jalali: "1405-09-30".into(),
            calendar_version: "test".into(),
            nominal: None,
        }),
    }
}

/// A case of three tasks assigned in another order than their ids sort, one submitted.
fn case() -> CaseState {
    let now = at("2026-11-26T08:00:00Z");
    let events = [
        CaseEvent::CaseOpened {
            case_id: Uuid::from_u128(7),
            workflow: "data-exchange-inventory".into(),
            workflow_version: 1,
            workflow_hash: "h".into(),
            title: "احصا".into(),
            participants: vec!["CPPO".into(), "IRICA".into(), "MIMT".into()],
            params: json!({}),
            parent_case: None,
            opened_at: now,
        },
        assigned(3, "MIMT"),
        assigned(1, "CPPO"),
        assigned(2, "IRICA"),
        CaseEvent::SubmissionReceived {
            task_id: Uuid::from_u128(1),
            submission_id: Uuid::from_u128(11),
            number: 1,
            form: "data-exchange-inventory".into(),
            form_version: 1,
            data: json!({"needs": []}).into(),
            submitted_by: "m".into(),
            review_step: Some("review".into()),
            attachments: Vec::new(),
        },
    ];
    events
        .iter()
        .fold(CaseState::default(), |s, e| s.apply(e, now))
}

/// The stored case and the task documents by id.
fn stored(state: &CaseState) -> (Value, HashMap<String, String>) {
    let mut case = Value::Null;
    let mut tasks = HashMap::new();
    for write in documents(state, 0) {
        let SideWrite::Document(doc) = write else {
            continue;
        };
        match doc.kind {
            "case" => case = serde_json::from_str(&doc.doc).unwrap(),
            _ => {
                tasks.insert(doc.id, doc.doc);
            }
        }
    }
    (case, tasks)
}

#[test]
fn the_stored_case_lists_its_tasks_by_id_in_the_order_assigned() {
    let (case, _) = stored(&case());
    assert_eq!(case.get("tasks"), None);
    let ids = [3, 1, 2].map(|n| json!(Uuid::from_u128(n).to_string()));
    assert_eq!(case["task_ids"], json!(ids));
}

#[test]
fn joined_with_its_tasks_it_reads_as_the_case_view() {
    let state = case();
    let (case, tasks) = stored(&state);
    let mut cases = [case];
    assert!(join(&mut cases, tasks));
    assert_eq!(cases[0], case_view(&state));
    let first = &cases[0]["tasks"][0];
    assert_eq!(
        (first["agency"].as_str(), first["due_at"].as_str()),
        (Some("MIMT"), Some("2026-12-21T20:29:59Z"))
    );
    assert_eq!(cases[0]["tasks"][1]["status"], "submitted");
}

#[test]
fn a_case_stored_with_its_task_summaries_is_read_as_it_is() {
    let state = case();
    let mut cases = [case_view(&state)];
    assert!(join(&mut cases, HashMap::new()));
    assert_eq!(cases[0], case_view(&state));
}

#[test]
fn a_task_newer_than_its_case_marks_the_read_to_be_done_again() {
    let state = case();
    let (older, _) = stored(&state);
    let now = at("2026-11-27T08:00:00Z");
    let accepted = CaseEvent::SubmissionAccepted {
        task_id: Uuid::from_u128(1),
        submission_id: Uuid::from_u128(11),
        comment: None,
        reviewed_by: "sec".into(),
    };
    let (_, newer_tasks) = stored(&state.apply(&accepted, now));
    let mut cases = [older];
    assert!(!join(&mut cases, newer_tasks));
}
