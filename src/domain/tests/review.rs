//! Reviewing a submission: the secretariat accepts it or returns it with a comment.

use super::facts::*;
use super::vocabulary::*;
use super::{given, member, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid, NotFound};
use crate::domain::{CaseEvent, CaseStatus, MAX_COMMENT_CHARS, TaskStatus};

fn awaiting_review() -> Vec<Vec<CaseEvent>> {
    vec![opened_inventory(&["IRICA", "MIMT"]), submitted("IRICA", 1)]
}

#[test]
fn the_secretariat_accepts_a_submission() {
    let case = given(&awaiting_review())
        .when(accept(task_of("IRICA")))
        .by(secretariat())
        .then(&accepted("IRICA", 1));
    assert_eq!(
        case.state().task(task_of("IRICA")).unwrap().status,
        TaskStatus::Accepted
    );
    assert_eq!(case.state().status, CaseStatus::Open, "MIMT is still due");
}

#[test]
fn the_last_acceptance_completes_the_case() {
    let case = given(&[
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
        submitted("MIMT", 1),
    ])
    .when(accept(task_of("MIMT")))
    .by(secretariat())
    .then(&[accepted("MIMT", 1).remove(0), completed(None)]);
    assert_eq!(case.state().status, CaseStatus::Completed);
}

#[test]
fn an_acceptance_may_carry_a_comment() {
    let case = given(&awaiting_review())
        .when(accept_with(task_of("IRICA"), "Thorough; thank you"))
        .by(secretariat())
        .accepted();
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.comments[0].text, "Thorough; thank you");
    assert_eq!(task.comments[0].kind, "accept");
}

#[test]
fn a_return_needs_a_comment() {
    for comment in [None, Some(""), Some("   ")] {
        given(&awaiting_review())
            .when(return_for(task_of("IRICA"), comment))
            .by(secretariat())
            .then_refused(Invalid);
    }
}

#[test]
fn a_return_with_a_comment_sends_the_task_back_to_submit() {
    let case = given(&awaiting_review())
        .when(return_for(
            task_of("IRICA"),
            Some("  Name the legal basis  "),
        ))
        .by(secretariat())
        .then(&returned("IRICA", 1, "Name the legal basis"));
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.status, TaskStatus::Returned);
    assert_eq!(task.step, "submit");
    assert_eq!(task.comments[0].text, "Name the legal basis");
    assert_eq!(task.comments[0].kind, "return");
}

#[test]
fn a_member_may_not_review_their_own_agencys_submission() {
    given(&awaiting_review())
        .when(accept(task_of("IRICA")))
        .by(member("IRICA"))
        .then_refused(Forbidden);
}

#[test]
fn a_member_is_refused_by_role_whatever_its_task_awaits() {
    // MIMT's task is open, not awaiting review: the refusal must not tell.
    given(&awaiting_review())
        .when(accept(task_of("MIMT")))
        .by(member("MIMT"))
        .then_refused(Forbidden);
}

#[test]
fn a_member_is_refused_by_role_in_a_cancelled_case() {
    let history = [awaiting_review(), vec![cancelled("Superseded")]].concat();
    given(&history)
        .when(accept(task_of("IRICA")))
        .by(member("IRICA"))
        .then_refused(Forbidden);
}

#[test]
fn a_member_of_another_agency_does_not_see_the_submission() {
    given(&awaiting_review())
        .when(accept(task_of("IRICA")))
        .by(member("MIMT"))
        .then_refused(NotFound);
}

#[test]
fn a_task_not_yet_submitted_cannot_be_reviewed() {
    given(&awaiting_review())
        .when(accept(task_of("MIMT")))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn an_accepted_task_cannot_be_reviewed_again() {
    let history = [awaiting_review(), vec![accepted("IRICA", 1)]].concat();
    given(&history)
        .when(return_for(task_of("IRICA"), Some("On second thought")))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_returned_task_cannot_be_reviewed_until_resubmitted() {
    let history = [awaiting_review(), vec![returned("IRICA", 1, "Fix it")]].concat();
    given(&history)
        .when(accept(task_of("IRICA")))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_comment_over_the_limit_is_invalid() {
    let too_long = "x".repeat(MAX_COMMENT_CHARS + 1);
    given(&awaiting_review())
        .when(return_for(task_of("IRICA"), Some(&too_long)))
        .by(secretariat())
        .then_refused(Invalid);
    given(&awaiting_review())
        .when(accept_with(task_of("IRICA"), &too_long))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn a_comment_of_exactly_the_limit_is_accepted() {
    let longest = "ک".repeat(MAX_COMMENT_CHARS);
    given(&awaiting_review())
        .when(return_for(task_of("IRICA"), Some(&longest)))
        .by(secretariat())
        .then(&returned("IRICA", 1, &longest));
}
