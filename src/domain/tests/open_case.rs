//! Opening a case: who may, what it needs, and the tasks and deadlines it starts with.

use super::facts::*;
use super::vocabulary::*;
use super::{CARDS, INVENTORY, RESOLUTION, admin, auditor, given, member, no_case_of, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid};
use crate::domain::TaskStatus;

#[test]
fn the_secretariat_opens_an_inventory_with_one_task_per_participant() {
    no_case_of(INVENTORY)
        .when(open_case(TITLE, &["IRICA", "MIMT", "CBI"]))
        .by(secretariat())
        .then(&opened_inventory(&["IRICA", "MIMT", "CBI"]));
}

#[test]
fn an_admin_may_open_a_case_too() {
    no_case_of(INVENTORY)
        .when(open_case(TITLE, &["IRICA"]))
        .by(admin())
        .then(&opened_inventory(&["IRICA"]));
}

#[test]
fn a_member_may_not_open_a_case() {
    no_case_of(INVENTORY)
        .when(open_case(TITLE, &["IRICA"]))
        .by(member("IRICA"))
        .then_refused(Forbidden);
}

#[test]
fn an_auditor_may_not_open_a_case() {
    no_case_of(INVENTORY)
        .when(open_case(TITLE, &["IRICA"]))
        .by(auditor())
        .then_refused(Forbidden);
}

#[test]
fn a_case_needs_a_title() {
    for blank in ["", "   ", "\n\t"] {
        no_case_of(INVENTORY)
            .when(open_case(blank, &["IRICA"]))
            .by(secretariat())
            .then_refused(Invalid);
    }
}

#[test]
fn a_title_over_500_characters_is_invalid() {
    let long = "د".repeat(501);
    no_case_of(INVENTORY)
        .when(open_case(&long, &["IRICA"]))
        .by(secretariat())
        .then_refused(Invalid);
    let longest = "د".repeat(500);
    no_case_of(INVENTORY)
        .when(open_case(&longest, &["IRICA"]))
        .by(secretariat())
        .accepted();
}

#[test]
fn the_title_is_recorded_trimmed() {
    let events = no_case_of(INVENTORY)
        .when(open_case("  Inventory  ", &["IRICA"]))
        .by(secretariat())
        .accepted();
    assert_eq!(events.state().title, "Inventory");
}

#[test]
fn a_per_agency_workflow_needs_participants() {
    no_case_of(INVENTORY)
        .when(open_case(TITLE, &[]))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn an_agency_cannot_take_part_twice() {
    no_case_of(INVENTORY)
        .when(open_case(TITLE, &["IRICA", "MIMT", "IRICA"]))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn a_resolution_takes_no_participants() {
    no_case_of(RESOLUTION)
        .when(open_case(TITLE, &["IRICA"]))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn an_inventory_is_due_at_the_end_of_the_jalali_month() {
    let case = no_case_of(INVENTORY)
        .when(open_case(TITLE, &["IRICA", "MIMT"]))
        .by(secretariat())
        .accepted();
    for task in &case.state().tasks {
        let due = task.due.as_ref().expect("a submission task has a deadline");
        assert_eq!(due.due_jalali, "1405-09-30");
        assert_eq!(task.status, TaskStatus::Open);
    }
}

#[test]
fn identity_cards_are_due_at_the_end_of_the_jalali_year_moved_past_nowruz() {
    let case = no_case_of(CARDS)
        .when(open_case(TITLE, &["IRICA", "MIMT"]))
        .by(secretariat())
        .then(&opened_cards(&["IRICA", "MIMT"]));
    let due: Vec<_> = case
        .state()
        .tasks
        .iter()
        .map(|t| t.due.as_ref().unwrap().due_jalali.as_str())
        .collect();
    assert_eq!(due, ["1406-01-07", "1406-01-07"]);
}

#[test]
fn opening_a_case_twice_is_a_conflict() {
    given(&[opened_inventory(&["IRICA"])])
        .when(open_case(TITLE, &["IRICA"]))
        .by(secretariat())
        .then_refused(Conflict);
}
