//! Votes per agency (design.md §7): a resolution gives each of the cluster's agencies with a
//! holder of the voters' role one vote task, which any such holder of that agency casts;
//! quorum and majority count agencies. A log with per-member ballots still replays and
//! takes its outstanding votes from their own voters.

use uuid::Uuid;

use super::facts::*;
use super::vocabulary::*;
use super::{RESOLUTION, given, no_case_of, person, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, NotFound};
use crate::domain::VoteChoice::{Abstain, Approve, Reject};
use crate::domain::VoteOutcome::{Approved, Expired, Rejected};
use crate::domain::{
    Actor, CaseEvent, CaseState, CaseStatus, TaskKind, TaskStatus, VoteChoice, VoteOutcome,
    derive_id,
};

/// The directory's agencies with a `member`, in code order (IRICA has two).
const AGENCIES: [&str; 4] = ["CBI", "CPPO", "IRICA", "MIMT"];

/// The vote task of an agency: `derive_id(case, ["vote", step, "agency", code])`.
fn vote_of(agency: &str) -> Uuid {
    derive_id(case_id(), &["vote", "vote", "agency", agency])
}

fn opened_for_agencies() -> Vec<CaseEvent> {
    let mut events = vec![
        opened(RESOLUTION, RESOLUTION_TITLE, &[], resolution_params()),
        CaseEvent::VoteOpened {
            step: "vote".into(),
            voters: 4,
            quorum: 0.5,
            pass: 0.5,
        },
    ];
    events.extend(AGENCIES.iter().map(|agency| CaseEvent::TaskAssigned {
        task_id: vote_of(agency),
        step: "vote".into(),
        kind: TaskKind::Vote,
        agency: Some(agency.to_string()),
        assignee: None,
        role: "member".into(),
        form: None,
        due: Some(vote_deadline()),
    }));
    events
}

fn cast(agency: &str, member_id: &str, choice: VoteChoice) -> CaseEvent {
    CaseEvent::VoteCast {
        task_id: vote_of(agency),
        choice,
        comment: None,
        voter: member_id.into(),
    }
}

fn closed(outcome: VoteOutcome, approve: usize, reject: usize, abstain: usize) -> CaseEvent {
    CaseEvent::VoteClosed {
        step: "vote".into(),
        outcome,
        approve,
        reject,
        abstain,
        voters: 4,
    }
}

#[test]
fn a_resolution_gives_each_agency_one_vote_task_not_each_member() {
    let case = no_case_of(RESOLUTION)
        .when(open_resolution())
        .by(secretariat())
        .then(&opened_for_agencies());
    let agencies: Vec<_> = case
        .state()
        .tasks
        .iter()
        .map(|t| (t.agency.as_deref().unwrap(), t.assignee.is_none()))
        .collect();
    assert_eq!(
        agencies,
        AGENCIES.iter().map(|a| (*a, true)).collect::<Vec<_>>()
    );
}

#[test]
fn any_member_of_the_agency_casts_its_vote_and_is_recorded_as_its_voter() {
    let case = given(&[opened_for_agencies()])
        .when(vote(vote_of("IRICA"), Approve))
        .by(person("irica.deputy"))
        .then(&[cast("IRICA", "irica.deputy", Approve)]);
    let task = case.state().task(vote_of("IRICA")).unwrap();
    assert_eq!(task.status, TaskStatus::Voted);
    assert_eq!(task.voted_by.as_deref(), Some("irica.deputy"));
}

#[test]
fn a_second_vote_from_the_same_agency_is_a_conflict() {
    let outcome = given(&[
        opened_for_agencies(),
        vec![cast("IRICA", "irica.deputy", Approve)],
    ])
    .when(vote(vote_of("IRICA"), Reject))
    .by(person("irica.focal"));
    let refusal = outcome.refusal().to_string();
    assert!(
        refusal.contains("IRICA") && refusal.contains("irica.deputy"),
        "{refusal}"
    );
    outcome.then_refused(Conflict);
}

#[test]
fn another_agencys_member_does_not_see_the_vote() {
    given(&[opened_for_agencies()])
        .when(vote(vote_of("IRICA"), Approve))
        .by(person("cbi.focal"))
        .then_refused(NotFound);
}

#[test]
fn a_colleague_without_the_voters_role_may_not_cast_the_agencys_vote() {
    given(&[opened_for_agencies()])
        .when(vote(vote_of("MIMT"), Approve))
        .by(person("mimt.secretariat"))
        .then_refused(Forbidden);
}

#[test]
fn quorum_and_majority_count_agencies_not_members() {
    // Two of four agencies approving could still be tied 2–2: the vote stays open.
    let two = given(&[
        opened_for_agencies(),
        vec![cast("IRICA", "irica.deputy", Approve)],
    ])
    .when(vote(vote_of("CBI"), Approve))
    .by(person("cbi.focal"))
    .then(&[cast("CBI", "cbi.focal", Approve)]);
    assert!(two.state().vote.as_ref().unwrap().outcome.is_none());
    // A third agency settles it: 3 of 4 agencies, though five people hold the role.
    let case = two
        .when(vote(vote_of("CPPO"), Approve))
        .by(person("cppo.focal"))
        .then(&[
            cast("CPPO", "cppo.focal", Approve),
            closed(Approved, 3, 0, 0),
            inventory_ordered(),
            completed(Some("approved")),
        ]);
    assert_eq!(case.state().status, CaseStatus::Completed);
    let expired: Vec<_> = case
        .state()
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Expired)
        .map(|t| t.agency.as_deref().unwrap())
        .collect();
    assert_eq!(expired, ["MIMT"]);
}

#[test]
fn a_majority_of_agencies_against_rejects() {
    given(&[
        opened_for_agencies(),
        vec![
            cast("CBI", "cbi.focal", Reject),
            cast("IRICA", "irica.focal", Reject),
        ],
    ])
    .when(vote(vote_of("MIMT"), Reject))
    .by(person("mimt.focal"))
    .then(&[
        cast("MIMT", "mimt.focal", Reject),
        closed(Rejected, 0, 3, 0),
        completed(Some("rejected")),
    ]);
}

#[test]
fn without_a_quorum_of_agencies_the_vote_expires() {
    given(&[
        opened_for_agencies(),
        vec![cast("CBI", "cbi.focal", Abstain)],
    ])
    .when(close_vote())
    .at(vote_deadline().due_at)
    .by(Actor::system())
    .then(&[closed(Expired, 0, 0, 1), completed(Some("expired"))]);
}

#[test]
fn a_log_with_per_member_ballots_replays_as_it_was_written() {
    let history = [opened_resolution(), voted("irica.focal", Approve)];
    let state = CaseState::replay(history.iter().flatten().map(|e| (e, super::now())));
    assert_eq!(state.vote.as_ref().unwrap().voters, 5);
    assert_eq!(state.tasks.len(), 5);
    assert!(state.tasks.iter().all(|t| t.assignee.is_some()));
    let ballot = state.task(ballot_of("irica.focal")).unwrap();
    assert_eq!(ballot.status, TaskStatus::Voted);
    assert_eq!(ballot.voted_by.as_deref(), Some("irica.focal"));
    assert_eq!(state.tally(), (1, 0, 0));
}

#[test]
fn an_old_ballot_is_still_cast_by_its_own_voter_only() {
    let old = given(&[opened_resolution(), voted("irica.focal", Approve)]);
    old.clone()
        .when(vote(ballot_of("irica.deputy"), Approve))
        .by(person("irica.deputy"))
        .then(&voted("irica.deputy", Approve));
    old.when(vote(ballot_of("cbi.focal"), Approve))
        .by(person("mimt.focal"))
        .then_refused(NotFound);
}
