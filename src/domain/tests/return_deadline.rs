//! The deadline a return gives: what the review step's `on_return` says, by default three
//! working days from the return, and never less than the agency already had.

use serde_json::json;

use super::facts::*;
use super::vocabulary::*;
use super::{INVENTORY, Scenario, at, calendar, definition, forms, given, secretariat};
use crate::domain::{CaseEvent, Deadline, DeadlineCause};
use crate::workflow::{DueRule, IsoDuration, WorkflowDefinition};

/// Sunday 29 Azar 1405, 11:30 Tehran: one day before the task's deadline.
fn on_29_azar() -> chrono::DateTime<chrono::Utc> {
    at("2026-12-20T08:00:00Z")
}

fn awaiting_review() -> Vec<Vec<CaseEvent>> {
    vec![opened_inventory(&["IRICA"]), submitted("IRICA", 1)]
}

/// The inventory, its review step's `on_return` written as `on_return`.
fn inventory_returning(on_return: serde_json::Value) -> Scenario {
    let mut document = definition(INVENTORY).source().clone();
    document["steps"][1]["on_return"] = on_return;
    let changed =
        WorkflowDefinition::from_value("test", document, forms()).unwrap_or_else(|e| panic!("{e}"));
    Scenario {
        definition: Box::leak(Box::new(changed)),
        ..given(&awaiting_review())
    }
}

fn moved_by_return(due: Deadline) -> CaseEvent {
    CaseEvent::DeadlineMoved {
        task_id: task_of("IRICA"),
        due,
        previous_due_at: end_of_azar().due_at,
        cause: DeadlineCause::Return,
        reason: None,
        by: secretariat().member_id,
    }
}

#[test]
fn a_late_return_gives_three_working_days() {
    // Mon 30 Azar, Tue 1 Dey, then Sat 5 Dey: Wed 2 Dey is a holiday (the birth of Imam
    // Ali), Thursday and Friday are off.
    let case = given(&awaiting_review())
        .when(return_for(task_of("IRICA"), Some("Name the legal basis")))
        .at(on_29_azar())
        .by(secretariat())
        .then(&[
            returned("IRICA", 1, "Name the legal basis").remove(0),
            moved_by_return(Deadline {
                rule: DueRule::WorkingDays(3),
                due_at: at("2026-12-26T20:29:59Z"),
                due_jalali: "1405-10-05".into(),
                calendar_version: calendar().version(),
                nominal: None,
            }),
        ]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.due.as_ref().unwrap().due_jalali, "1405-10-05");
}

#[test]
fn an_early_return_keeps_the_later_original_deadline() {
    given(&awaiting_review())
        .when(return_for(task_of("IRICA"), Some("Name the legal basis")))
        .by(secretariat())
        .then(&returned("IRICA", 1, "Name the legal basis"));
}

#[test]
fn the_step_alone_means_the_default() {
    inventory_returning(json!("submit"))
        .when(return_for(task_of("IRICA"), Some("Fix it")))
        .at(on_29_azar())
        .by(secretariat())
        .then(&[
            returned("IRICA", 1, "Fix it").remove(0),
            moved_by_return(Deadline {
                rule: DueRule::WorkingDays(3),
                due_at: at("2026-12-26T20:29:59Z"),
                due_jalali: "1405-10-05".into(),
                calendar_version: calendar().version(),
                nominal: None,
            }),
        ]);
}

#[test]
fn keep_leaves_the_deadline_as_it_is() {
    inventory_returning(json!({"step": "submit", "due": "keep"}))
        .when(return_for(task_of("IRICA"), Some("Fix it")))
        .at(on_29_azar())
        .by(secretariat())
        .then(&returned("IRICA", 1, "Fix it"));
}

#[test]
fn after_gives_that_long_from_the_return() {
    // Tuesday 1 Dey 1405, a working day.
    let two_days = IsoDuration::parse("P2D").unwrap();
    inventory_returning(json!({"step": "submit", "due": {"after": "P2D"}}))
        .when(return_for(task_of("IRICA"), Some("Fix it")))
        .at(on_29_azar())
        .by(secretariat())
        .then(&[
            returned("IRICA", 1, "Fix it").remove(0),
            moved_by_return(Deadline {
                rule: DueRule::After(two_days),
                due_at: at("2026-12-22T08:00:00Z"),
                due_jalali: "1405-10-01".into(),
                calendar_version: calendar().version(),
                nominal: None,
            }),
        ]);
}

#[test]
fn an_old_return_replays_with_the_deadline_it_had() {
    let case = given(&[
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        returned("IRICA", 1, "Fix it"),
    ]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.due, Some(end_of_azar()));
}
