//! A closure announced at run time moves what it touches: every task still waiting on its
//! agency (open or returned) whose deadline falls on the closed day is due at the end of the
//! next working day instead. The calendar in the context already holds the closure.

use super::actor::Role;
use super::command::{Context, DomainError};
use super::decide::Decided;
use super::events::{CaseEvent, DeadlineCause};
use super::state::{CaseState, CaseStatus, Task, TaskStatus};
use crate::calendar::{DayOff, JalaliDate, tehran_date};

pub(super) fn apply_closure(
    state: &CaseState,
    ctx: &Context,
    date: JalaliDate,
    reason: String,
) -> Decided {
    if !ctx.actor.has(Role::Admin) {
        return Err(DomainError::Forbidden(
            "only an administrator closes offices".into(),
        ));
    }
    if !matches!(ctx.calendar.day_off(date), Ok(Some(DayOff::Closure(_)))) {
        return Err(DomainError::Invalid(format!(
            "{date} is not closed in the calendar in force"
        )));
    }
    if state.status != CaseStatus::Open {
        return Ok(Vec::new());
    }
    let mut events = Vec::new();
    for task in state.tasks.iter().filter(|t| falls_on(t, date)) {
        let Some(due) = task.due.as_ref() else {
            continue;
        };
        let moved = due.rolled(ctx.calendar).map_err(|e| {
            DomainError::Invalid(format!("cannot move the deadline off {date}: {e}"))
        })?;
        events.push(CaseEvent::DeadlineMoved {
            task_id: task.id,
            previous_due_at: due.due_at,
            due: moved,
            cause: DeadlineCause::Closure,
            reason: Some(reason.clone()),
            by: ctx.actor.member_id.clone(),
        });
    }
    Ok(events)
}

/// A task waiting on its agency, due on `date` (Tehran time).
fn falls_on(task: &Task, date: JalaliDate) -> bool {
    let waiting = matches!(task.status, TaskStatus::Open | TaskStatus::Returned);
    let due_day = task.due.as_ref().and_then(|d| tehran_date(d.due_at).ok());
    waiting && due_day == Some(date)
}
