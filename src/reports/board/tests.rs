//! The board of a small inventory case, built from events written out by hand.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::domain::{CaseEvent, Deadline, TaskKind};
use crate::workflow::DueRule;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn task_id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn assigned(n: u128, agency: &str) -> CaseEvent {
    CaseEvent::TaskAssigned {
        task_id: task_id(n),
        step: "submit".into(),
        kind: TaskKind::Submission,
        agency: Some(agency.into()),
        assignee: Some(format!("m-{}", agency.to_lowercase())),
        role: "member".into(),
        form: Some("data-exchange-inventory".into()),
        due: Some(Deadline {
            rule: DueRule::On("1405-09-30".into()),
            due_at: DateTime::parse_from_rfc3339("2026-12-21T20:29:59Z")
                .unwrap()
                .with_timezone(&Utc),
            due_jalali: "1405-09-30".into(),
            calendar_version: "test".into(),
            nominal: None,
        }),
    }
}

fn submitted(n: u128, number: u32) -> CaseEvent {
    submission(n, number, json!({}))
}

fn submission(n: u128, number: u32, data: serde_json::Value) -> CaseEvent {
    CaseEvent::SubmissionReceived {
        task_id: task_id(n),
        submission_id: Uuid::from_u128(1000 + n * 10 + u128::from(number)),
        number,
        form: "data-exchange-inventory".into(),
        form_version: 1,
        data: data.into(),
        submitted_by: "m".into(),
        review_step: Some("review".into()),
        attachments: Vec::new(),
    }
}

/// Three agencies, listed CPPO, IRICA, MIMT: IRICA submits, is returned, resubmits and is
/// accepted; CPPO submits once and waits; MIMT never submits, goes overdue and escalates.
fn case() -> CaseState {
    let case_id = Uuid::from_u128(7);
    let returned = CaseEvent::SubmissionReturned {
        task_id: task_id(2),
        submission_id: Uuid::from_u128(1021),
        comment: "دستگاه مبدا را مشخص کنید".into(),
        reviewed_by: "sec-1".into(),
        step: "submit".into(),
    };
    let accepted = CaseEvent::SubmissionAccepted {
        task_id: task_id(2),
        submission_id: Uuid::from_u128(1022),
        comment: None,
        reviewed_by: "sec-1".into(),
    };
    let events = vec![
        CaseEvent::CaseOpened {
            case_id,
            workflow: "data-exchange-inventory".into(),
            workflow_version: 1,
            workflow_hash: "h".into(),
            title: "احصا".into(),
            participants: vec!["CPPO".into(), "IRICA".into(), "MIMT".into()],
            params: json!({}),
            parent_case: None,
            opened_at: now(),
        },
        // Assigned in another order than listed: the board follows the list.
        assigned(3, "MIMT"),
        assigned(1, "CPPO"),
        assigned(2, "IRICA"),
        submitted(2, 1),
        returned,
        submitted(2, 2),
        accepted,
        submitted(1, 1),
        CaseEvent::TaskOverdue {
            task_id: task_id(3),
            due_at: now(),
        },
        CaseEvent::DeadlineEscalated {
            task_id: task_id(3),
            level: 1,
            notify: vec![],
        },
    ];
    let mut at = now();
    events.iter().fold(CaseState::default(), |state, event| {
        at += Duration::hours(1);
        state.apply(event, at)
    })
}

#[test]
fn one_row_per_participant_in_the_listed_order() {
    let board = build_board(&case());
    let agencies: Vec<&str> = board
        .rows
        .iter()
        .filter_map(|r| r.agency.as_deref())
        .collect();
    assert_eq!(agencies, ["CPPO", "IRICA", "MIMT"]);
    assert_eq!(board.version, 11);
    assert_eq!(board.status, "open");
}

#[test]
fn each_row_says_where_the_agency_stands() {
    let board = build_board(&case());
    let [cppo, irica, mimt] = &board.rows[..] else {
        panic!("three rows")
    };
    assert_eq!(
        (cppo.step.as_str(), cppo.status.as_str(), cppo.submissions),
        ("review", "submitted", 1)
    );
    assert_eq!(
        (irica.status.as_str(), irica.submissions, irica.returns),
        ("accepted", 2, 1)
    );
    assert_eq!(
        (mimt.status.as_str(), mimt.overdue, mimt.escalation_level),
        ("open", true, 1)
    );
    assert_eq!(mimt.submissions, 0);
    assert!(mimt.last_submission_at.is_none());
    assert_eq!(mimt.due_jalali.as_deref(), Some("1405-09-30"));
    assert_eq!(mimt.due_at.as_deref(), Some("2026-12-21T20:29:59Z"));
    // The last event (escalation) was the 11th, 11 hours after the clock's start.
    assert_eq!(mimt.last_activity, "2026-11-26T19:00:00Z");
    assert_eq!(mimt.last_activity_jalali.as_deref(), Some("1405-09-05"));
    assert_eq!(cppo.kind, "submission");
}

#[test]
fn totals_count_every_status_overdue_and_escalated() {
    let totals = build_board(&case()).totals;
    assert_eq!(totals.tasks, 3);
    let expected: BTreeMap<String, usize> = [
        ("open", 1),
        ("submitted", 1),
        ("returned", 0),
        ("accepted", 1),
        ("nothing_to_declare", 0),
        ("voted", 0),
        ("expired", 0),
        ("cancelled", 0),
    ]
    .iter()
    .map(|(s, n)| (s.to_string(), *n))
    .collect();
    assert_eq!(totals.by_status, expected);
    assert_eq!((totals.overdue, totals.escalated), (1, 1));
}

#[test]
fn localising_adds_due_days_and_names_in_the_readers_language() {
    let mut board = build_board(&case());
    let names: BTreeMap<String, String> =
        [("MIMT".to_string(), "وزارت صنعت، معدن و تجارت".to_string())].into();
    board.localise(Locale::Fa, &names);
    assert_eq!(board.rows[2].due_display.as_deref(), Some("۳۰ آذر ۱۴۰۵"));
    assert_eq!(
        board.rows[2].agency_name.as_deref(),
        Some("وزارت صنعت، معدن و تجارت")
    );
    assert!(board.rows[0].agency_name.is_none());
    board.localise(Locale::En, &BTreeMap::new());
    assert_eq!(board.rows[2].due_display.as_deref(), Some("30 Azar 1405"));
}

#[test]
fn the_stored_board_carries_nothing_reader_specific() {
    let value = serde_json::to_value(build_board(&case())).unwrap();
    assert!(value["rows"][0].get("due_display").is_none());
    assert!(value["rows"][0].get("agency_name").is_none());
    let back: Board = serde_json::from_value(value).unwrap();
    assert_eq!(back, build_board(&case()));
}

/// The case above, plus NOCR answering «nothing to declare» (accepted) and SSAA sending a
/// nil return that still awaits review.
fn case_with_nil_returns() -> CaseState {
    let nil = |n: u128| {
        let data = json!({"nothing_to_declare": {"reason": "سامانه‌ای نداریم"}});
        submission(n, 1, data)
    };
    let events = [
        assigned(4, "NOCR"),
        nil(4),
        CaseEvent::SubmissionAccepted {
            task_id: task_id(4),
            submission_id: Uuid::from_u128(1041),
            comment: None,
            reviewed_by: "sec-1".into(),
        },
        assigned(5, "SSAA"),
        nil(5),
    ];
    events
        .iter()
        .fold(case(), |state, event| state.apply(event, now()))
}

#[test]
fn an_accepted_nil_return_is_a_status_of_its_own() {
    let board = build_board(&case_with_nil_returns());
    let status = |agency: &str| {
        let row = board
            .rows
            .iter()
            .find(|r| r.agency.as_deref() == Some(agency));
        row.map(|r| (r.status.as_str(), r.nothing_to_declare))
            .unwrap()
    };
    assert_eq!(status("NOCR"), ("nothing_to_declare", true));
    assert_eq!(
        status("SSAA"),
        ("submitted", true),
        "reviewed like any submission"
    );
    assert_eq!(status("IRICA"), ("accepted", false));
    let totals = &board.totals.by_status;
    assert_eq!(totals["nothing_to_declare"], 1);
    assert_eq!(totals["accepted"], 1);
    assert_eq!(totals["submitted"], 2);
}
