//! Cancelling a case (the secretariat's call; it then accepts nothing) and reassigning a
//! task to another member of its agency.

use super::facts::*;
use super::vocabulary::*;
use super::{admin, given, member, person, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid, NotFound};
use crate::domain::VoteChoice::Approve;
use crate::domain::{CaseEvent, CaseStatus, Command, MemberRef, Role, TaskStatus};

const REASON: &str = "Superseded by resolution 1405/2";

fn under_way() -> Vec<Vec<CaseEvent>> {
    vec![
        opened_inventory(&["IRICA", "MIMT", "CBI"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
        submitted("MIMT", 1),
    ]
}

fn cancelled_inventory() -> Vec<Vec<CaseEvent>> {
    [under_way(), vec![cancelled(REASON)]].concat()
}

#[test]
fn the_secretariat_cancels_a_case_and_its_pending_tasks_close() {
    let case = given(&under_way())
        .when(cancel(REASON))
        .by(secretariat())
        .then(&cancelled(REASON));
    let state = case.state();
    assert_eq!(state.status, CaseStatus::Cancelled);
    let status = |agency| state.task(task_of(agency)).unwrap().status;
    assert_eq!(
        status("IRICA"),
        TaskStatus::Accepted,
        "what was done stays done"
    );
    assert_eq!(status("MIMT"), TaskStatus::Cancelled, "awaiting review");
    assert_eq!(status("CBI"), TaskStatus::Cancelled, "never submitted");
}

#[test]
fn an_admin_may_cancel_a_case() {
    given(&under_way())
        .when(cancel(REASON))
        .by(admin())
        .accepted();
}

#[test]
fn a_member_may_not_cancel_a_case() {
    given(&under_way())
        .when(cancel(REASON))
        .by(member("IRICA"))
        .then_refused(Forbidden);
}

#[test]
fn a_cancelled_case_takes_no_submission() {
    given(&cancelled_inventory())
        .when(submit(task_of("CBI"), inventory_data()))
        .by(member("CBI"))
        .then_refused(Conflict);
}

#[test]
fn a_cancelled_case_takes_no_review() {
    given(&cancelled_inventory())
        .when(accept(task_of("MIMT")))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_cancelled_resolution_takes_no_vote() {
    given(&[opened_resolution(), cancelled(REASON)])
        .when(vote(ballot_of("irica.focal"), Approve))
        .by(person("irica.focal"))
        .then_refused(Conflict);
}

#[test]
fn a_cancelled_case_cannot_be_cancelled_again() {
    given(&cancelled_inventory())
        .when(cancel(REASON))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_cancelled_case_takes_no_reassignment() {
    given(&cancelled_inventory())
        .when(reassign(task_of("CBI"), "cbi.focal"))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn the_secretariat_reassigns_a_task_within_its_agency() {
    let case = given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(reassign(task_of("IRICA"), "irica.deputy"))
        .by(secretariat())
        .then(&reassigned("IRICA", "irica.deputy"));
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.assignee.as_deref(), Some("irica.deputy"));
}

#[test]
fn a_member_reassigns_a_task_of_their_own_agency() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(reassign(task_of("IRICA"), "irica.deputy"))
        .by(member("IRICA"))
        .then(&[CaseEvent::TaskReassigned {
            task_id: task_of("IRICA"),
            member_id: "irica.deputy".into(),
            by: "irica.focal".into(),
        }]);
}

#[test]
fn a_member_of_another_agency_does_not_see_the_task_to_reassign() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(reassign(task_of("IRICA"), "mimt.focal"))
        .by(member("MIMT"))
        .then_refused(NotFound);
}

#[test]
fn an_admin_without_the_secretariat_role_may_not_reassign() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(reassign(task_of("IRICA"), "irica.deputy"))
        .by(admin())
        .then_refused(Forbidden);
}

#[test]
fn an_admin_is_refused_by_role_before_the_case_state_is_told() {
    given(&cancelled_inventory())
        .when(reassign(task_of("CBI"), "cbi.focal"))
        .by(admin())
        .then_refused(Forbidden);
}

#[test]
fn every_unfit_assignee_gets_the_same_answer() {
    let refusal = |agency: &str, roles: Vec<Role>| {
        let member = MemberRef {
            id: "candidate".into(),
            agency: agency.into(),
            roles,
        };
        let task_id = task_of("MIMT");
        match given(&[opened_inventory(&["MIMT"])])
            .when(Command::Reassign { task_id, member })
            .by(secretariat())
            .refusal()
        {
            Invalid(detail) => detail.clone(),
            other => panic!("refused with {other:?}, expected Invalid"),
        }
    };
    let of_another_agency = refusal("CBI", vec![Role::Member]);
    let without_the_role = refusal("MIMT", vec![Role::Secretariat]);
    let unknown = refusal("", Vec::new());
    assert_eq!(of_another_agency, without_the_role);
    assert_eq!(unknown, without_the_role);
}

#[test]
fn a_task_cannot_go_to_a_member_of_another_agency() {
    given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(reassign(task_of("IRICA"), "mimt.focal"))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn an_accepted_task_cannot_be_reassigned() {
    given(&under_way())
        .when(reassign(task_of("IRICA"), "irica.deputy"))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_ballot_cannot_be_reassigned() {
    given(&[opened_resolution()])
        .when(reassign(ballot_of("irica.focal"), "irica.deputy"))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_task_cannot_go_to_someone_without_the_role_it_needs() {
    given(&[opened_inventory(&["MIMT"])])
        .when(reassign(task_of("MIMT"), "mimt.secretariat"))
        .by(secretariat())
        .then_refused(Invalid);
}
