//! A case's timeline for auditors: one entry per event — where it is in the log, when, who
//! (member, agency, role from the event's metadata), what (the type and a short sentence),
//! and under which workflow version and, for submissions, which form version. The case is
//! folded alongside (with the live engine's functions) so a sentence can name the agency
//! whose task an event is about, which the event itself often does not carry.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::AuditError;
use crate::domain::{CaseEvent, CaseState, Task, TaskKind, VoteChoice};
use crate::engine::{case_stream, decode_raw};
use crate::event_store::{EventStore, Metadata};

mod practice;

/// A case's timeline, oldest first (`next` is always null: it is never paged).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Timeline {
    pub case_id: Uuid,
    pub items: Vec<TimelineEntry>,
    pub next: Option<String>,
    pub workflow: String,
    pub workflow_version: u32,
}

/// One event: where, when, who, what, and the task (and submission) it is about.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TimelineEntry {
    pub actor: Option<String>,
    pub agency: Option<String>,
    pub decided_at: DateTime<Utc>,
    pub event_id: Uuid,
    pub event_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form_version: Option<u32>,
    pub hash: String,
    pub position: i64,
    pub recorded_at: Option<DateTime<Utc>>,
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission_id: Option<Uuid>,
    pub summary: String,
    /// Present (possibly null) when the event is about a task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_agency: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<Uuid>,
    /// A moved deadline's cause (`extension`, `closure`, `return`) and new instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    /// The words a person gave with it: an extension's reason, a reminder's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub version: i64,
    pub workflow: String,
    pub workflow_version: u32,
}

/// The timeline of `case_id`, oldest first.
pub async fn timeline(store: &EventStore, case_id: Uuid) -> Result<Timeline, AuditError> {
    let events = store.read_stream_raw(&case_stream(case_id), 1).await?;
    if events.is_empty() {
        return Err(AuditError::NotFound(format!("no case {case_id}")));
    }
    let mut state = CaseState::default();
    let mut items = Vec::with_capacity(events.len());
    for raw in &events {
        let (event, at) = decode_raw(raw).map_err(AuditError::Corrupt)?;
        let who: Metadata = serde_json::from_str(&raw.metadata).map_err(|e| {
            AuditError::Corrupt(format!("metadata at position {}: {e}", raw.position))
        })?;
        let summary = summary(&state, &event);
        state = state.apply(&event, at);
        let mut entry = TimelineEntry {
            actor: who.actor,
            agency: who.agency,
            decided_at: at,
            event_id: raw.event_id,
            event_type: raw.event_type.clone(),
            form: None,
            form_version: None,
            hash: raw.hash.clone(),
            position: raw.position,
            recorded_at: DateTime::from_timestamp_micros(raw.recorded_at_us),
            role: who.role,
            step: None,
            submission_id: None,
            summary,
            task_agency: None,
            task_id: None,
            cause: None,
            due_at: None,
            note: None,
            version: raw.version,
            workflow: state.workflow.clone(),
            workflow_version: state.workflow_version,
        };
        add_subject(&mut entry, &state, &event);
        items.push(entry);
    }
    Ok(Timeline {
        case_id,
        items,
        next: None,
        workflow: state.workflow,
        workflow_version: state.workflow_version,
    })
}

/// The task an event is about and, for a submission, the form and its version.
fn add_subject(entry: &mut TimelineEntry, state: &CaseState, event: &CaseEvent) {
    if let Some(task) = event.task_id().and_then(|id| state.task(id)) {
        entry.task_id = Some(task.id);
        entry.step = Some(task.step.clone());
        entry.task_agency = Some(task.agency.clone());
    }
    if let CaseEvent::SubmissionReceived {
        form,
        form_version,
        submission_id,
        ..
    } = event
    {
        entry.form = Some(form.clone());
        entry.form_version = Some(*form_version);
        entry.submission_id = Some(*submission_id);
    }
    match event {
        CaseEvent::DeadlineMoved {
            due, cause, reason, ..
        } => {
            entry.cause = Some(cause.as_str().to_string());
            entry.due_at = Some(due.due_at);
            entry.note.clone_from(reason);
        }
        CaseEvent::TaskRemindedNow { message, .. } => entry.note.clone_from(message),
        _ => {}
    }
}

/// Who a task is for, in words: its agency, else its assignee, else its role.
fn holder(task: Option<&Task>) -> String {
    task.and_then(|t| t.agency.clone().or_else(|| t.assignee.clone()))
        .or_else(|| task.map(|t| format!("role {}", t.role)))
        .unwrap_or_else(|| "an unknown task".into())
}

/// Long free text (comments, reasons) shortened for a one-line summary.
fn clip(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

/// One sentence; `before` is the case just before the event.
fn summary(before: &CaseState, event: &CaseEvent) -> String {
    let task = |id: &Uuid| holder(before.task(*id));
    match event {
        CaseEvent::CaseOpened {
            title,
            workflow,
            workflow_version,
            participants,
            ..
        } => format!(
            "opened \"{}\" on workflow {workflow} v{workflow_version} with {} participant(s)",
            clip(title),
            participants.len()
        ),
        CaseEvent::TaskAssigned {
            step,
            kind,
            agency,
            assignee,
            role,
            due,
            ..
        } => {
            let to = agency.clone().or_else(|| assignee.clone());
            let to = to.unwrap_or_else(|| format!("role {role}"));
            let due = due
                .as_ref()
                .map(|d| format!(", due {} ({})", d.due_jalali, d.due_at.to_rfc3339()))
                .unwrap_or_default();
            let kind = match kind {
                TaskKind::Submission => "submission",
                TaskKind::Vote => "vote",
            };
            format!("assigned the {kind} task of step {step} to {to}{due}")
        }
        CaseEvent::SubmissionReceived {
            task_id,
            number,
            form,
            form_version,
            submitted_by,
            ..
        } => format!(
            "{submitted_by} submitted {form} v{form_version} for {} (submission {number})",
            task(task_id)
        ),
        other => task_summary(before, other),
    }
}

fn task_summary(before: &CaseState, event: &CaseEvent) -> String {
    let task = |id: &Uuid| holder(before.task(*id));
    match event {
        CaseEvent::SubmissionReturned {
            task_id,
            comment,
            reviewed_by,
            step,
            ..
        } => format!(
            "{reviewed_by} returned the submission of {} to step {step}: {}",
            task(task_id),
            clip(comment)
        ),
        CaseEvent::SubmissionAccepted {
            task_id,
            reviewed_by,
            ..
        } => format!("{reviewed_by} accepted the submission of {}", task(task_id)),
        CaseEvent::TaskReassigned {
            task_id,
            member_id,
            by,
        } => format!(
            "{by} reassigned the task of {} to {member_id}",
            task(task_id)
        ),
        CaseEvent::VoteCast {
            task_id,
            voter,
            choice,
            ..
        } => {
            let choice = match choice {
                VoteChoice::Approve => "approve",
                VoteChoice::Reject => "reject",
                VoteChoice::Abstain => "abstain",
            };
            format!("{voter} voted {choice} for {}", task(task_id))
        }
        CaseEvent::TaskReminded {
            task_id, due_at, ..
        } => format!("reminded {} (due {})", task(task_id), due_at.to_rfc3339()),
        CaseEvent::TaskOverdue { task_id, due_at } => format!(
            "the task of {} is overdue (was due {})",
            task(task_id),
            due_at.to_rfc3339()
        ),
        CaseEvent::DeadlineEscalated { task_id, level, .. } => {
            format!("escalated the task of {} to level {level}", task(task_id))
        }
        other => practice::summary(before, other).unwrap_or_else(|| case_summary(other)),
    }
}

fn case_summary(event: &CaseEvent) -> String {
    match event {
        CaseEvent::VoteOpened {
            step,
            voters,
            quorum,
            pass,
        } => format!(
            "opened the vote of step {step}: {voters} voter(s), quorum {quorum}, pass {pass}"
        ),
        CaseEvent::VoteClosed {
            outcome,
            approve,
            reject,
            abstain,
            voters,
            ..
        } => format!(
            "closed the vote: {} ({approve} approve, {reject} reject, {abstain} abstain of {voters})",
            outcome.as_str()
        ),
        CaseEvent::ResolutionAdopted {
            meeting,
            recorded_by,
            ..
        } => format!(
            "{recorded_by} recorded the resolution as adopted in meeting {} of {} (resolution {}): approved without a vote",
            meeting.meeting_no, meeting.meeting_date_jalali, meeting.resolution_no
        ),
        CaseEvent::ChildCaseOrdered {
            child_case_id,
            workflow,
            ..
        } => format!("ordered case {child_case_id} on workflow {workflow}"),
        CaseEvent::CaseCompleted { outcome } => match outcome {
            Some(outcome) => format!("completed the case ({outcome})"),
            None => "completed the case".into(),
        },
        CaseEvent::CaseCancelled { reason, by } => {
            format!("{by} cancelled the case: {}", clip(reason))
        }
        other => format!("{other:?}").chars().take(80).collect(),
    }
}
