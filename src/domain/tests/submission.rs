//! Submitting a form: only the task's agency, only while the task waits for it.

use serde_json::json;
use uuid::Uuid;

use super::facts::*;
use super::vocabulary::*;
use super::{INVENTORY, forms, given, member, no_case_of, person, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid, NotFound};
use crate::domain::{CaseEvent, TaskStatus};

#[test]
fn the_submission_fixture_passes_the_shipped_form() {
    assert!(
        forms()
            .validate(INVENTORY, Some(1), &inventory_data())
            .is_ok()
    );
}

#[test]
fn a_member_submits_their_agencys_task_for_review() {
    let case = given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(member("IRICA"))
        .then(&[CaseEvent::SubmissionReceived {
            task_id: task_of("IRICA"),
            submission_id: submission_of("IRICA", 1),
            number: 1,
            form: INVENTORY.into(),
            form_version: 1,
            data: inventory_data().into(),
            submitted_by: "irica.focal".into(),
            review_step: Some("review".into()),
            attachments: Vec::new(),
        }]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.status, TaskStatus::Submitted);
    assert_eq!(task.step, "review");
}

#[test]
fn another_agencys_task_is_not_found_for_a_member() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(member("MIMT"))
        .then_refused(NotFound);
}

#[test]
fn an_unknown_task_is_not_found() {
    given(&[opened_inventory(&["IRICA"])])
        .when(submit(Uuid::nil(), inventory_data()))
        .by(member("IRICA"))
        .then_refused(NotFound);
}

#[test]
fn a_case_that_was_never_opened_is_not_found() {
    no_case_of(INVENTORY)
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(member("IRICA"))
        .then_refused(NotFound);
}

#[test]
fn the_secretariat_may_not_submit_for_an_agency() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(secretariat())
        .then_refused(Forbidden);
}

#[test]
fn the_secretariat_is_refused_by_role_whatever_the_task_awaits() {
    given(&[opened_inventory(&["IRICA", "MIMT"]), submitted("IRICA", 1)])
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(secretariat())
        .then_refused(Forbidden);
}

#[test]
fn an_accepted_task_takes_no_submission() {
    given(&[
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
    ])
    .when(submit(task_of("IRICA"), inventory_data()))
    .by(member("IRICA"))
    .then_refused(Conflict);
}

#[test]
fn a_task_awaiting_review_takes_no_second_submission() {
    given(&[opened_inventory(&["IRICA", "MIMT"]), submitted("IRICA", 1)])
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(member("IRICA"))
        .then_refused(Conflict);
}

#[test]
fn submission_data_must_be_a_json_object() {
    for data in [json!([1, 2]), json!("needs"), json!(null), json!(42)] {
        given(&[opened_inventory(&["IRICA", "MIMT"])])
            .when(submit(task_of("IRICA"), data))
            .by(member("IRICA"))
            .then_refused(Invalid);
    }
}

#[test]
fn a_resubmission_after_a_return_is_number_two() {
    let case = given(&[
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("IRICA", 1),
        returned("IRICA", 1, "Name the legal basis"),
    ])
    .when(submit(task_of("IRICA"), inventory_data()))
    .by(member("IRICA"))
    .then(&submitted("IRICA", 2));
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.submissions.len(), 2);
    assert_ne!(submission_of("IRICA", 1), submission_of("IRICA", 2));
    assert_eq!(task.status, TaskStatus::Submitted);
}

#[test]
fn a_reassigned_task_is_submitted_only_by_its_assignee() {
    let case = given(&[
        opened_inventory(&["IRICA", "MIMT"]),
        reassigned("IRICA", "irica.deputy"),
    ]);
    case.clone()
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(member("IRICA"))
        .then_refused(Forbidden);
    let events = case
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(person("irica.deputy"))
        .accepted();
    let task = events.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.submissions[0].submitted_by, "irica.deputy");
}

#[test]
fn a_colleague_in_the_same_agency_may_submit_an_unassigned_task() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(submit(task_of("IRICA"), inventory_data()))
        .by(person("irica.deputy"))
        .accepted();
}
