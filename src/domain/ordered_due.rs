//! The deadline a resolution sets for the cases it orders (`on_approval.params.due`, a due
//! rule as in design.md §4), within what the ordered workflow allows: its first step must be
//! a submission with `due_override: {latest: …}`.
//!
//! A relative rule (`{end_of: jalali_month}`) is resolved against the meeting day for a
//! resolution adopted in a meeting, else against the approval moment, and handed to the
//! ordered case as the day it names (`{on: "1405-03-31"}`): the child's `TaskAssigned`
//! records that rule, and a replay needs neither the meeting nor the approval time.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::command::DomainError;
use super::deadline::{Deadline, resolve_deadline};
use super::meeting::MeetingRecord;
use crate::calendar::{BusinessCalendar, end_of_day};
use crate::workflow::{DueRule, StepKind, WorkflowDefinition};

/// The due rule in a case's (or an order's) `params.due`, if any.
pub fn ordered_due(params: &Value) -> Result<Option<DueRule>, DomainError> {
    match params.get("due") {
        None | Some(Value::Null) => Ok(None),
        Some(rule) => serde_json::from_value(rule.clone()).map(Some).map_err(|_| {
            DomainError::Invalid(format!(
                "params.due {rule} is not a due rule: {{end_of: jalali_month | jalali_year}}, \
                 {{on: \"YYYY-MM-DD\"}}, {{after: P10D}} or {{working_days: n}}"
            ))
        }),
    }
}

/// The instant a resolution's relative rule counts from: the end of the meeting day, or now.
pub fn anchor(meeting: Option<&MeetingRecord>, now: DateTime<Utc>) -> DateTime<Utc> {
    meeting
        .and_then(MeetingRecord::date)
        .map_or(now, end_of_day)
}

/// The rule resolved against `anchor`, as the day it names.
pub fn fixed(
    rule: &DueRule,
    anchor: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<DueRule, DomainError> {
    if let DueRule::On(_) = rule {
        return Ok(rule.clone());
    }
    let deadline = resolve_deadline(rule, anchor, calendar)
        .map_err(|e| DomainError::Invalid(format!("params.due cannot be resolved: {e}")))?;
    // The nominal day: the child's own deadline rolls it off a day off again, and records
    // both.
    let day = deadline.nominal.map_or(deadline.due_jalali, |n| n.jalali);
    Ok(DueRule::On(day))
}

/// The deadline `rule` gives the first step of `definition` for a case opening at `now`,
/// if the step lets a resolution set it and the day is neither past nor beyond its limit.
pub fn allowed_deadline(
    definition: &WorkflowDefinition,
    rule: &DueRule,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<Deadline, DomainError> {
    let first = definition.first_step();
    let limit = match &first.kind {
        StepKind::Submission(spec) => spec.due_override.as_ref(),
        _ => None,
    };
    let Some(limit) = limit else {
        return Err(DomainError::Invalid(format!(
            "workflow {} does not let a resolution set its deadline (its step {:?} has no due_override)",
            definition.key(),
            first.id
        )));
    };
    let resolve = |rule: &DueRule| {
        resolve_deadline(rule, now, calendar)
            .map_err(|e| DomainError::Invalid(format!("params.due cannot be resolved: {e}")))
    };
    let due = resolve(rule)?;
    let latest = resolve(&limit.latest)?;
    if due.due_at <= now {
        return Err(DomainError::Invalid(format!(
            "params.due {} is already past",
            due.due_jalali
        )));
    }
    if due.due_at > latest.due_at {
        return Err(DomainError::Invalid(format!(
            "params.due {} is later than workflow {} allows ({} at the latest)",
            due.due_jalali,
            definition.key(),
            latest.due_jalali
        )));
    }
    Ok(due)
}

/// What the engine checks when a resolution is opened: the deadline an order sets is one
/// the ordered workflow allows, counted from the meeting day (or now).
pub fn check_order_due(
    order_params: &Value,
    meeting: Option<&MeetingRecord>,
    ordered: &WorkflowDefinition,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> Result<(), DomainError> {
    let Some(rule) = ordered_due(order_params)? else {
        return Ok(());
    };
    let rule = fixed(&rule, anchor(meeting, now), calendar)?;
    allowed_deadline(ordered, &rule, now, calendar).map(|_| ())
}
