//! Voting on a resolution opened before votes were per agency — one ballot per member, as
//! old logs hold — which still goes on as it began: an early close once the outcome is
//! settled, expiry without quorum, and the inventory an approval orders. (Votes per agency:
//! `agency_votes`.)

use super::facts::*;
use super::vocabulary::*;
use super::{days_later, given, person, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, NotFound};
use crate::domain::VoteChoice::{Abstain, Approve, Reject};
use crate::domain::VoteOutcome::{Approved, Expired, Rejected};
use crate::domain::{Actor, CaseEvent, CaseStatus, TaskStatus};

/// The first `n` voters' ballots, all `choice`.
fn ballots(n: usize, choice: crate::domain::VoteChoice) -> Vec<CaseEvent> {
    voters()[..n]
        .iter()
        .flat_map(|v| voted(v, choice))
        .collect()
}

#[test]
fn a_member_casts_their_own_ballot() {
    given(&[opened_resolution()])
        .when(vote(ballot_of("irica.focal"), Approve))
        .by(person("irica.focal"))
        .then(&voted("irica.focal", Approve));
}

#[test]
fn a_colleague_may_not_cast_someone_elses_ballot() {
    given(&[opened_resolution()])
        .when(vote(ballot_of("irica.focal"), Approve))
        .by(person("irica.deputy"))
        .then_refused(Forbidden);
}

#[test]
fn the_secretariat_may_not_cast_a_members_ballot() {
    given(&[opened_resolution()])
        .when(vote(ballot_of("irica.focal"), Approve))
        .by(secretariat())
        .then_refused(Forbidden);
}

#[test]
fn a_member_of_another_agency_does_not_see_the_ballot() {
    given(&[opened_resolution()])
        .when(vote(ballot_of("irica.focal"), Approve))
        .by(person("mimt.focal"))
        .then_refused(NotFound);
}

#[test]
fn a_second_vote_is_a_conflict() {
    given(&[opened_resolution(), voted("irica.focal", Approve)])
        .when(vote(ballot_of("irica.focal"), Reject))
        .by(person("irica.focal"))
        .then_refused(Conflict);
}

#[test]
fn two_approvals_of_five_leave_the_vote_open() {
    let case = given(&[opened_resolution(), voted("cbi.focal", Approve)])
        .when(vote(ballot_of("cppo.focal"), Approve))
        .by(person("cppo.focal"))
        .then(&voted("cppo.focal", Approve));
    assert!(case.state().vote.as_ref().unwrap().outcome.is_none());
}

#[test]
fn three_approvals_of_five_close_the_vote_early_and_order_the_inventory() {
    let case = given(&[opened_resolution(), ballots(2, Approve)])
        .when(vote(ballot_of("irica.deputy"), Approve))
        .by(person("irica.deputy"))
        .then(&[
            voted("irica.deputy", Approve).remove(0),
            vote_closed(Approved, 3, 0, 0),
            inventory_ordered(),
            completed(Some("approved")),
        ]);
    let state = case.state();
    assert_eq!(state.status, CaseStatus::Completed);
    assert_eq!(state.outcome.as_deref(), Some("approved"));
    assert_eq!(state.children.len(), 1);
    let unused: Vec<_> = state
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Expired)
        .collect();
    assert_eq!(unused.len(), 2, "the two uncast ballots expire");
}

#[test]
fn a_rejected_resolution_completes_rejected_and_orders_nothing() {
    let case = given(&[opened_resolution(), ballots(2, Reject)])
        .when(vote(ballot_of("irica.deputy"), Reject))
        .by(person("irica.deputy"))
        .then(&[
            voted("irica.deputy", Reject).remove(0),
            vote_closed(Rejected, 0, 3, 0),
            completed(Some("rejected")),
        ]);
    assert!(case.state().children.is_empty());
    assert_eq!(case.state().outcome.as_deref(), Some("rejected"));
}

#[test]
fn after_the_close_only_the_voter_is_told_the_vote_is_closed() {
    let closed = vec![
        vote_closed(Approved, 3, 0, 0),
        inventory_ordered(),
        completed(Some("approved")),
    ];
    given(&[opened_resolution(), ballots(3, Approve), closed])
        .when(vote(ballot_of("mimt.focal"), Reject))
        .by(secretariat())
        .then_refused(Forbidden);
}

#[test]
fn a_vote_after_the_close_is_a_conflict() {
    let closed = vec![
        vote_closed(Approved, 3, 0, 0),
        inventory_ordered(),
        completed(Some("approved")),
    ];
    given(&[opened_resolution(), ballots(3, Approve), closed])
        .when(vote(ballot_of("mimt.focal"), Reject))
        .by(person("mimt.focal"))
        .then_refused(Conflict);
}

#[test]
fn closing_at_the_deadline_before_it_is_due_is_a_conflict() {
    given(&[opened_resolution(), ballots(2, Approve)])
        .when(close_vote())
        .at(days_later(6))
        .by(Actor::system())
        .then_refused(Conflict);
}

#[test]
fn without_quorum_at_the_deadline_the_vote_expires() {
    let case = given(&[opened_resolution(), ballots(2, Approve)])
        .when(close_vote())
        .at(days_later(10))
        .by(Actor::system())
        .then(&[vote_closed(Expired, 2, 0, 0), completed(Some("expired"))]);
    assert!(case.state().children.is_empty());
    let expired = case
        .state()
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Expired);
    assert_eq!(expired.count(), 3);
}

#[test]
fn abstentions_count_towards_the_quorum() {
    let history = [
        opened_resolution(),
        voted("cbi.focal", Approve),
        voted("cppo.focal", Abstain),
        voted("irica.deputy", Abstain),
    ];
    given(&history)
        .when(close_vote())
        .at(days_later(10))
        .by(Actor::system())
        .then(&[
            vote_closed(Approved, 1, 0, 2),
            inventory_ordered(),
            completed(Some("approved")),
        ]);
}

#[test]
fn once_the_vote_is_closed_there_is_nothing_to_close_at_the_deadline() {
    let closed = vec![vote_closed(Rejected, 0, 3, 0), completed(Some("rejected"))];
    given(&[opened_resolution(), ballots(3, Reject), closed])
        .when(close_vote())
        .at(days_later(10))
        .by(Actor::system())
        .then_refused(Conflict);
}
