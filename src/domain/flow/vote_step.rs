//! Entering a vote step: one vote task per participating agency, which any of its members
//! holding the voters' role may cast (design.md §7) — or, for a resolution adopted in a
//! meeting, no vote at all: the step goes on as approved.

use std::collections::BTreeSet;

use super::Decision;
use crate::domain::actor::MemberRef;
use crate::domain::command::DomainError;
use crate::domain::events::{CaseEvent, TaskKind};
use crate::domain::ids::derive_id;
use crate::domain::meeting::MeetingRecord;
use crate::workflow::Vote;

impl Decision<'_> {
    pub(super) fn enter_vote(&mut self, step: &str, spec: &Vote) -> Result<(), DomainError> {
        if let Some(meeting) = MeetingRecord::from_params(&self.state.params, self.ctx.now)? {
            self.emit(CaseEvent::ResolutionAdopted {
                step: step.to_string(),
                meeting,
                recorded_by: self.ctx.actor.member_id.clone(),
            });
            return self.enter(&spec.on_approved, None);
        }
        let due = self.deadline(step, &spec.due)?;
        let agencies = voting_agencies(self.ctx.members, &spec.voters.role);
        self.emit(CaseEvent::VoteOpened {
            step: step.to_string(),
            voters: agencies.len(),
            quorum: spec.quorum,
            pass: spec.pass,
        });
        for agency in agencies {
            self.emit(CaseEvent::TaskAssigned {
                task_id: derive_id(self.state.id, &["vote", step, "agency", &agency]),
                step: step.to_string(),
                kind: TaskKind::Vote,
                agency: Some(agency),
                assignee: None,
                role: spec.voters.role.clone(),
                form: None,
                due: Some(due.clone()),
            });
        }
        if self.state.vote.as_ref().is_some_and(|v| v.voters == 0) {
            self.settle_vote(true)?;
        }
        Ok(())
    }
}

/// The agencies that vote, in code order: each with at least one member in the directory
/// holding `role` (the engine passes the active members of the cluster's agencies).
fn voting_agencies(members: &[MemberRef], role: &str) -> BTreeSet<String> {
    members
        .iter()
        .filter(|m| m.roles.iter().any(|r| r.as_str() == role))
        .map(|m| m.agency.clone())
        .collect()
}
