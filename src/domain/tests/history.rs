//! A referee for the property tests: it reads a case's events in order and fails on any
//! history the rules should have made impossible, whatever commands produced it.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use uuid::Uuid;

use crate::domain::{CaseEvent, CaseState, CaseStatus, Tally, TaskKind, TaskStatus, VoteOutcome};

#[derive(Default)]
pub struct History {
    /// Per task: how many submissions, and the one awaiting review.
    submissions: BTreeMap<Uuid, u32>,
    awaiting: BTreeMap<Uuid, Uuid>,
    accepted: BTreeSet<Uuid>,
    ballots: BTreeSet<Uuid>,
    vote_closed: bool,
    finished: bool,
}

impl History {
    /// Checks `event` against everything recorded before it.
    pub fn record(&mut self, event: &CaseEvent) -> Result<(), TestCaseError> {
        prop_assert!(!self.finished, "{:?} after the case finished", event);
        match event {
            CaseEvent::SubmissionReceived {
                task_id,
                number,
                submission_id,
                ..
            } => {
                prop_assert!(
                    !self.accepted.contains(task_id),
                    "a submission after acceptance"
                );
                prop_assert!(
                    !self.awaiting.contains_key(task_id),
                    "a submission while one awaits review"
                );
                let count = self.submissions.entry(*task_id).or_default();
                *count += 1;
                prop_assert_eq!(*number, *count, "submissions are numbered 1, 2, …");
                self.awaiting.insert(*task_id, *submission_id);
            }
            CaseEvent::SubmissionAccepted {
                task_id,
                submission_id,
                ..
            } => {
                prop_assert!(self.accepted.insert(*task_id), "a task accepted twice");
                let reviewed = self.awaiting.remove(task_id);
                prop_assert_eq!(
                    reviewed,
                    Some(*submission_id),
                    "only the awaiting submission is accepted"
                );
            }
            CaseEvent::SubmissionReturned {
                task_id,
                submission_id,
                ..
            } => {
                let reviewed = self.awaiting.remove(task_id);
                prop_assert_eq!(
                    reviewed,
                    Some(*submission_id),
                    "only the awaiting submission is returned"
                );
            }
            CaseEvent::VoteCast { task_id, .. } => {
                prop_assert!(!self.vote_closed, "a ballot after the vote closed");
                prop_assert!(self.ballots.insert(*task_id), "a ballot cast twice");
            }
            CaseEvent::VoteClosed { .. } => {
                prop_assert!(!self.vote_closed, "a vote closed twice");
                self.vote_closed = true;
            }
            CaseEvent::CaseCompleted { .. } | CaseEvent::CaseCancelled { .. } => {
                self.finished = true;
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks the final state agrees with the history: a completed inventory has every task
    /// accepted, a completed resolution has a closed vote, and nothing is left pending.
    pub fn check_final(&self, state: &CaseState) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.finished, state.status != CaseStatus::Open);
        if state.status == CaseStatus::Completed {
            for task in &state.tasks {
                match task.kind {
                    TaskKind::Submission => prop_assert_eq!(task.status, TaskStatus::Accepted),
                    TaskKind::Vote => prop_assert!(self.vote_closed),
                }
            }
        }
        if self.finished {
            prop_assert!(state.tasks.iter().all(|t| !t.status.is_pending()));
        }
        Ok(())
    }
}

/// What can still happen to a vote: `Some(outcome)` when every way the remaining voters
/// could vote (or not) ends the same, found by trying them all.
pub fn settled_by_brute_force(tally: Tally, quorum: f64, pass: f64) -> Option<VoteOutcome> {
    let remaining = tally.voters - (tally.approve + tally.reject + tally.abstain);
    let mut outcomes = Vec::new();
    for approve in 0..=remaining {
        for reject in 0..=remaining - approve {
            for abstain in 0..=remaining - approve - reject {
                let later = Tally {
                    approve: tally.approve + approve,
                    reject: tally.reject + reject,
                    abstain: tally.abstain + abstain,
                    ..tally
                };
                outcomes.push(later.at_deadline(quorum, pass));
            }
        }
    }
    let first = outcomes[0];
    outcomes.iter().all(|o| *o == first).then_some(first)
}

/// Checks that a ballot closes the vote exactly when no remaining ballot could change it.
pub fn check_ballot(before: &CaseState, after: &CaseState) -> Result<(), TestCaseError> {
    let vote = before
        .vote
        .as_ref()
        .expect("a ballot was cast, so a vote is open");
    let (approve, reject, abstain) = after.tally();
    let tally = Tally {
        voters: vote.voters,
        approve,
        reject,
        abstain,
    };
    let closed = after.vote.as_ref().and_then(|v| v.outcome);
    prop_assert_eq!(
        closed,
        settled_by_brute_force(tally, vote.quorum, vote.pass),
        "{:?}",
        tally
    );
    Ok(())
}
