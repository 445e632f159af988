//! What people do besides the happy path that is not about deadlines: the secretariat's
//! "remind now" and an agency's withdrawal of a submission not yet reviewed.

use uuid::Uuid;

use super::actor::Role;
use super::command::{Context, DomainError};
use super::decide::{Decided, require_open};
use super::events::{CaseEvent, TaskKind};
use super::permissions::{require_step_role, visible_task};
use super::state::{CaseState, TaskStatus};
use crate::workflow::StepKind;

/// The longest message a reminder may carry (characters).
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// One `TaskRemindedNow` per task that waits on its agency (open or returned). Nothing to
/// remind is not an error: the answer is an empty list, and nothing is recorded.
pub(super) fn remind_now(state: &CaseState, ctx: &Context, message: Option<String>) -> Decided {
    if !ctx.actor.has(Role::Secretariat) {
        return Err(DomainError::Forbidden(
            "only the secretariat sends reminders".into(),
        ));
    }
    require_open(state)?;
    let message = message
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    if message
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_MESSAGE_CHARS)
    {
        return Err(DomainError::Invalid(format!(
            "a reminder's message may have at most {MAX_MESSAGE_CHARS} characters"
        )));
    }
    Ok(state
        .tasks
        .iter()
        .filter(|t| matches!(t.status, TaskStatus::Open | TaskStatus::Returned))
        .map(|t| CaseEvent::TaskRemindedNow {
            task_id: t.id,
            message: message.clone(),
            by: ctx.actor.member_id.clone(),
        })
        .collect())
}

/// Takes back the task's last submission while it awaits review.
pub(super) fn withdraw(state: &CaseState, ctx: &Context, task_id: Uuid) -> Decided {
    let task = visible_task(state, ctx, task_id)?;
    require_step_role(ctx, task, "withdraw a submission of", |k| {
        matches!(k, StepKind::Submission(_))
    })?;
    require_open(state)?;
    if task.kind != TaskKind::Submission || task.status != TaskStatus::Submitted {
        return Err(DomainError::Conflict(format!(
            "the task is {}; only a submission awaiting review can be withdrawn",
            task.status.as_str()
        )));
    }
    let Some(submission) = task.submissions.last() else {
        return Err(DomainError::Conflict("the task has no submission".into()));
    };
    Ok(vec![CaseEvent::SubmissionWithdrawn {
        task_id,
        submission_id: submission.id,
        by: ctx.actor.member_id.clone(),
    }])
}
