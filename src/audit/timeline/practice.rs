//! The timeline's sentences for the process as practised: deadlines moved (extension,
//! closure, return), reminders sent now, submissions withdrawn.

use uuid::Uuid;

use super::{clip, holder};
use crate::domain::{CaseEvent, CaseState, DeadlineCause};

/// Deadlines moved, reminders sent now, submissions withdrawn.
pub(super) fn summary(before: &CaseState, event: &CaseEvent) -> Option<String> {
    let task = |id: &Uuid| holder(before.task(*id));
    Some(match event {
        CaseEvent::DeadlineMoved {
            task_id,
            due,
            cause,
            reason,
            by,
            ..
        } => {
            let why = match cause {
                DeadlineCause::Extension => "extended",
                DeadlineCause::Closure => "moved for a closure",
                DeadlineCause::Return => "moved for the return",
            };
            let reason = reason.as_deref().map(clip).map(|r| format!(": {r}"));
            format!(
                "{by} {why} the deadline of {} to {} ({}){}",
                task(task_id),
                due.due_jalali,
                due.due_at.to_rfc3339(),
                reason.unwrap_or_default()
            )
        }
        CaseEvent::TaskRemindedNow {
            task_id,
            message,
            by,
        } => {
            let message = message.as_deref().map(clip).map(|m| format!(": {m}"));
            format!(
                "{by} reminded {} now{}",
                task(task_id),
                message.unwrap_or_default()
            )
        }
        CaseEvent::SubmissionWithdrawn { task_id, by, .. } => {
            format!("{by} withdrew the submission of {}", task(task_id))
        }
        _ => return None,
    })
}
