//! Remind now and withdraw: the secretariat reminds every agency whose task waits on it; an
//! agency takes back a submission the secretariat has not reviewed yet.

use super::facts::*;
use super::vocabulary::*;
use super::{given, member, now, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid, NotFound};
use crate::domain::{CaseEvent, Command, MAX_MESSAGE_CHARS, TaskStatus};

fn remind(message: Option<&str>) -> Command {
    Command::RemindNow {
        message: message.map(str::to_string),
    }
}

fn withdraw(agency: &str) -> Command {
    Command::Withdraw {
        task_id: task_of(agency),
    }
}

fn reminded(agency: &str, message: Option<&str>) -> CaseEvent {
    CaseEvent::TaskRemindedNow {
        task_id: task_of(agency),
        message: message.map(str::to_string),
        by: secretariat().member_id,
    }
}

fn withdrawn(agency: &str, number: u32) -> CaseEvent {
    CaseEvent::SubmissionWithdrawn {
        task_id: task_of(agency),
        submission_id: submission_of(agency, number),
        by: member(agency).member_id,
    }
}

/// CBI open, CPPO returned, IRICA submitted, MIMT accepted.
fn mixed() -> Vec<Vec<CaseEvent>> {
    vec![
        opened_inventory(&["CBI", "CPPO", "IRICA", "MIMT"]),
        submitted("CPPO", 1),
        returned("CPPO", 1, "Name the legal basis"),
        submitted("IRICA", 1),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
    ]
}

#[test]
fn remind_now_reaches_every_task_open_or_returned() {
    let case = given(&mixed())
        .when(remind(Some("  Please answer by the end of the week  ")))
        .by(secretariat())
        .then(&[
            reminded("CBI", Some("Please answer by the end of the week")),
            reminded("CPPO", Some("Please answer by the end of the week")),
        ]);
    let before = given(&mixed());
    assert_eq!(
        case.state().tasks,
        before.state().tasks,
        "a reminder changes no task"
    );
}

#[test]
fn a_blank_message_is_no_message() {
    given(&[opened_inventory(&["IRICA"])])
        .when(remind(Some("   ")))
        .by(secretariat())
        .then(&[reminded("IRICA", None)]);
}

#[test]
fn nothing_to_remind_records_nothing() {
    given(&[
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("IRICA", 1),
        submitted("MIMT", 1),
    ])
    .when(remind(None))
    .by(secretariat())
    .then(&[]);
}

#[test]
fn a_completed_or_cancelled_case_is_not_reminded() {
    let completed_case = [
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
        vec![completed(None)],
    ];
    given(&completed_case)
        .when(remind(None))
        .by(secretariat())
        .then_refused(Conflict);
    given(&[opened_inventory(&["IRICA"]), cancelled("Superseded")])
        .when(remind(None))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn only_the_secretariat_reminds_and_the_message_is_bounded() {
    given(&[opened_inventory(&["IRICA"])])
        .when(remind(None))
        .by(member("IRICA"))
        .then_refused(Forbidden);
    let too_long = "x".repeat(MAX_MESSAGE_CHARS + 1);
    given(&[opened_inventory(&["IRICA"])])
        .when(remind(Some(&too_long)))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn a_member_withdraws_a_submission_awaiting_review_and_the_task_is_open_again() {
    let case = given(&[opened_inventory(&["IRICA"]), submitted("IRICA", 1)])
        .when(withdraw("IRICA"))
        .by(member("IRICA"))
        .then(&[withdrawn("IRICA", 1)]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.status, TaskStatus::Open);
    assert_eq!(task.step, "submit");
    assert_eq!(task.submissions[0].withdrawn_at, Some(now()));
}

#[test]
fn a_task_returned_before_is_returned_again_after_a_withdrawal() {
    let history = [
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        returned("IRICA", 1, "Name the legal basis"),
        submitted("IRICA", 2),
    ];
    let case = given(&history)
        .when(withdraw("IRICA"))
        .by(member("IRICA"))
        .then(&[withdrawn("IRICA", 2)]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.status, TaskStatus::Returned);
}

#[test]
fn the_next_submission_after_a_withdrawal_is_numbered_on() {
    let case = given(&[
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        vec![withdrawn("IRICA", 1)],
    ]);
    case.when(submit(task_of("IRICA"), inventory_data()))
        .by(member("IRICA"))
        .then(&submitted("IRICA", 2));
}

#[test]
fn nothing_reviewed_or_not_submitted_can_be_withdrawn() {
    let after_acceptance = [
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
    ];
    given(&after_acceptance)
        .when(withdraw("IRICA"))
        .by(member("IRICA"))
        .then_refused(Conflict);
    let after_return = [
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        returned("IRICA", 1, "Fix it"),
    ];
    given(&after_return)
        .when(withdraw("IRICA"))
        .by(member("IRICA"))
        .then_refused(Conflict);
    given(&[opened_inventory(&["IRICA"])])
        .when(withdraw("IRICA"))
        .by(member("IRICA"))
        .then_refused(Conflict);
    given(&[
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        cancelled("Superseded"),
    ])
    .when(withdraw("IRICA"))
    .by(member("IRICA"))
    .then_refused(Conflict);
}

#[test]
fn another_agency_does_not_see_the_task_and_the_secretariat_may_not_withdraw() {
    let awaiting = [opened_inventory(&["IRICA", "MIMT"]), submitted("IRICA", 1)];
    given(&awaiting)
        .when(withdraw("IRICA"))
        .by(member("MIMT"))
        .then_refused(NotFound);
    given(&awaiting)
        .when(withdraw("IRICA"))
        .by(secretariat())
        .then_refused(Forbidden);
}
