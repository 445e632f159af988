//! Casting a vote. A vote task belongs to an agency (design.md §7): any of its members
//! holding the voters' role casts it, once. A vote task assigned to one member — as every
//! vote was before votes were per agency — is still cast by that member only, so an old
//! case goes on exactly as it began.

use uuid::Uuid;

use super::command::{Context, DomainError};
use super::decide::{Decided, check_comment, require_open};
use super::events::{CaseEvent, TaskKind, VoteChoice};
use super::flow::Decision;
use super::permissions::visible_task;
use super::state::{CaseState, Task, TaskStatus};

pub(super) fn vote(
    state: &CaseState,
    ctx: &Context,
    task_id: Uuid,
    choice: VoteChoice,
    comment: Option<String>,
) -> Decided {
    let task = visible_task(state, ctx, task_id)?;
    may_cast(task, ctx)?;
    require_open(state)?;
    if task.kind != TaskKind::Vote {
        return Err(DomainError::Conflict("this task is not a vote".into()));
    }
    if task.status == TaskStatus::Voted {
        return Err(DomainError::Conflict(already_voted(task)));
    }
    if task.status != TaskStatus::Open || state.vote.as_ref().is_some_and(|v| v.outcome.is_some()) {
        return Err(DomainError::Conflict("the vote is closed".into()));
    }
    check_comment(&comment)?;
    let mut decision = Decision::new(state.clone(), ctx);
    decision.emit(CaseEvent::VoteCast {
        task_id,
        choice,
        comment,
        voter: ctx.actor.member_id.clone(),
    });
    decision.settle_vote(false)?;
    decision.finish()
}

/// The task's own voter (an old, per-member task), or a holder of its role in its agency.
fn may_cast(task: &Task, ctx: &Context) -> Result<(), DomainError> {
    let allowed = match (&task.assignee, &task.agency) {
        (Some(voter), _) => voter == &ctx.actor.member_id,
        (None, Some(agency)) => ctx.actor.is_of(agency) && ctx.actor.has_named(&task.role),
        (None, None) => false,
    };
    if allowed {
        return Ok(());
    }
    Err(DomainError::Forbidden(
        match (&task.assignee, &task.agency) {
            (Some(_), _) => "only the voter this task belongs to may vote".into(),
            (None, Some(agency)) => {
                format!("only a {} of agency {agency} may cast its vote", task.role)
            }
            (None, None) => "nobody may cast this vote".into(),
        },
    ))
}

fn already_voted(task: &Task) -> String {
    match (&task.assignee, &task.agency, &task.voted_by) {
        (None, Some(agency), Some(by)) => {
            format!("agency {agency} has already voted (cast by {by}); one vote per agency")
        }
        _ => "this voter has already voted".into(),
    }
}
