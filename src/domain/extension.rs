//! Moving deadlines later: the secretariat's extension (one task, or every pending task of a
//! case) and the time a return gives the agency to correct its submission. Each move is a
//! `DeadlineMoved` with its cause; the engine re-plans the task's timers from it.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::actor::Role;
use super::command::{Context, DomainError};
use super::deadline::{Deadline, resolve_deadline, resolve_deadline_as};
use super::decide::{Decided, require_open};
use super::events::{CaseEvent, DeadlineCause, TaskKind};
use super::permissions::visible_task;
use super::state::{CaseState, Task};
use crate::calendar::tehran_date;
use crate::workflow::{DueRule, IsoDuration, ReturnDue, Roll};

/// The longest reason an extension may give (characters).
pub const MAX_REASON_CHARS: usize = 1_000;

/// The working days a return gives when the definition does not say.
const DEFAULT_RETURN_WORKING_DAYS: u32 = 3;

/// The new deadline as the secretariat writes it: an instant, or a Jalali day (its end,
/// Tehran time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum NewDue {
    /// An RFC 3339 instant, kept as written (to the second).
    At(DateTime<Utc>),
    /// `{on: "1405-10-15"}`.
    On(OnDay),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnDay {
    /// A Jalali date, `YYYY-MM-DD`.
    pub on: String,
}

/// One `DeadlineMoved` per task whose deadline the new one is later than: the chosen task,
/// or every pending submission task of the case. Refused when no task would move.
pub(super) fn extend(
    state: &CaseState,
    ctx: &Context,
    task_id: Option<Uuid>,
    due: NewDue,
    reason: String,
) -> Decided {
    if !ctx.actor.has(Role::Secretariat) {
        return Err(DomainError::Forbidden(
            "only the secretariat extends deadlines".into(),
        ));
    }
    let tasks = match task_id {
        Some(id) => {
            let task = visible_task(state, ctx, id)?;
            require_open(state)?;
            extendable(vec![task])?
        }
        None => {
            require_open(state)?;
            extendable_of_case(state)?
        }
    };
    let reason = check_reason(reason)?;
    let deadline = resolve_new_due(&due, ctx)?;
    let later: Vec<(&Task, DateTime<Utc>)> = tasks
        .into_iter()
        .filter(|(_, current)| *current < deadline.due_at)
        .collect();
    if later.is_empty() {
        return Err(DomainError::Invalid(format!(
            "the new deadline {} is not later than the current one",
            deadline.due_at.to_rfc3339()
        )));
    }
    Ok(later
        .into_iter()
        .map(|(task, previous_due_at)| CaseEvent::DeadlineMoved {
            task_id: task.id,
            due: deadline.clone(),
            previous_due_at,
            cause: DeadlineCause::Extension,
            reason: Some(reason.clone()),
            by: ctx.actor.member_id.clone(),
        })
        .collect())
}

/// The chosen task with its current deadline, if its deadline may be extended: a
/// submission task still pending (open, returned, or submitted and awaiting review).
fn extendable(chosen: Vec<&Task>) -> Result<Vec<(&Task, DateTime<Utc>)>, DomainError> {
    let mut tasks = Vec::new();
    for task in chosen {
        if task.kind == TaskKind::Vote {
            return Err(DomainError::Conflict(
                "a vote's deadline is the vote's; it is not extended per ballot".into(),
            ));
        }
        if !task.status.is_pending() {
            return Err(DomainError::Conflict(format!(
                "the task is {}; its deadline no longer matters",
                task.status.as_str()
            )));
        }
        let Some(due) = &task.due else {
            return Err(DomainError::Conflict("the task has no deadline".into()));
        };
        tasks.push((task, due.due_at));
    }
    Ok(tasks)
}

/// Every pending submission task of the case. A submitted task is extended too: if the
/// submission is returned, the agency corrects it under the extended deadline.
fn extendable_of_case(state: &CaseState) -> Result<Vec<(&Task, DateTime<Utc>)>, DomainError> {
    let pending: Vec<&Task> = state
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Submission && t.status.is_pending() && t.due.is_some())
        .collect();
    if pending.is_empty() {
        return Err(DomainError::Conflict(
            "no task of this case waits on an agency".into(),
        ));
    }
    extendable(pending)
}

fn check_reason(reason: String) -> Result<String, DomainError> {
    let reason = reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(DomainError::Invalid(format!(
            "an extension needs a reason of 1 to {MAX_REASON_CHARS} characters"
        )));
    }
    Ok(reason)
}

/// The new deadline, resolved and recorded like any other: a Jalali day through
/// `resolve_deadline`; an instant exactly as written (to the second), its rule the time
/// after now at which it lies.
fn resolve_new_due(due: &NewDue, ctx: &Context) -> Result<Deadline, DomainError> {
    let cannot = |e: crate::calendar::CalendarError| {
        DomainError::Invalid(format!("cannot use this deadline: {e}"))
    };
    let deadline = match due {
        NewDue::On(day) => {
            let rule = DueRule::On(day.on.trim().to_string());
            resolve_deadline(&rule, ctx.now, ctx.calendar).map_err(cannot)?
        }
        NewDue::At(instant) => {
            let instant = instant.trunc_subsecs(0);
            if instant <= ctx.now {
                return Err(past(instant));
            }
            let seconds = (instant - ctx.now).num_seconds().max(1);
            let rule = DueRule::After(IsoDuration::from_seconds(seconds as u64));
            // Written to the second by the secretariat: kept even on a day off (so no
            // nominal day), and exactly, whatever fraction of a second `now` carries.
            let mut deadline =
                resolve_deadline_as(&rule, Roll::None, ctx.now, ctx.calendar).map_err(cannot)?;
            deadline.due_at = instant;
            deadline.due_jalali = tehran_date(instant).map_err(cannot)?.to_string();
            deadline
        }
    };
    if deadline.due_at <= ctx.now {
        return Err(past(deadline.due_at));
    }
    Ok(deadline)
}

fn past(at: DateTime<Utc>) -> DomainError {
    DomainError::Invalid(format!(
        "the new deadline {} has already passed",
        at.to_rfc3339()
    ))
}

/// The `DeadlineMoved` a return causes, if any: the return gives the time `rule` says
/// (three working days when unsaid), counted from now, and never less than the task
/// already had.
pub(super) fn moved_by_return(
    task: &Task,
    rule: Option<ReturnDue>,
    ctx: &Context,
) -> Result<Option<CaseEvent>, DomainError> {
    let rule = match rule.unwrap_or(ReturnDue::WorkingDays(DEFAULT_RETURN_WORKING_DAYS)) {
        ReturnDue::Keep => return Ok(None),
        ReturnDue::After(duration) => DueRule::After(duration),
        ReturnDue::WorkingDays(days) => DueRule::WorkingDays(days),
    };
    let Some(current) = task.due.as_ref() else {
        return Ok(None);
    };
    let due = resolve_deadline(&rule, ctx.now, ctx.calendar).map_err(|e| {
        DomainError::Invalid(format!("cannot resolve the deadline a return gives: {e}"))
    })?;
    Ok(
        (due.due_at > current.due_at).then(|| CaseEvent::DeadlineMoved {
            task_id: task.id,
            due,
            previous_due_at: current.due_at,
            cause: DeadlineCause::Return,
            reason: None,
            by: ctx.actor.member_id.clone(),
        }),
    )
}
