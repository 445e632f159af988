//! The case and task read models: JSON documents derived from a [`CaseState`], written in the
//! same transaction as the events (see `documents`). `daftar projections rebuild` produces
//! the same documents by folding the log with the same functions.

use serde_json::{Value, json};

use crate::documents::{Document, SideWrite};
use crate::domain::{CaseState, Task};

pub fn task_view(task: &Task) -> Value {
    json!({
        "id": task.id,
        "case": task.case_id,
        "step": task.step,
        "type": task.kind,
        "agency": task.agency,
        "assignee": task.assignee,
        "role": task.role,
        "status": task.status,
        "form": task.form,
        "due_at": task.due.as_ref().map(|d| d.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "due_jalali": task.due.as_ref().map(|d| d.due_jalali.clone()),
        "due_rule": task.due.as_ref().map(|d| &d.rule),
        "calendar_version": task.due.as_ref().map(|d| d.calendar_version.clone()),
        "overdue": task.overdue,
        "escalation_level": task.escalation_level,
        "vote": task.vote,
        "submissions": task.submissions,
        "comments": task.comments,
        "updated_at": task.updated_at,
        "version": task.version,
    })
}

pub fn case_view(state: &CaseState) -> Value {
    json!({
        "id": state.id,
        "status": state.status,
        "outcome": state.outcome,
        "workflow": state.workflow,
        "workflow_version": state.workflow_version,
        "workflow_hash": state.workflow_hash,
        "title": state.title,
        "participants": state.participants,
        "params": state.params,
        "parent_case": state.parent_case,
        "children": state.children,
        "vote": state.vote,
        "tasks": state.tasks.iter().map(|t| json!({
            "id": t.id,
            "step": t.step,
            "type": t.kind,
            "agency": t.agency,
            "assignee": t.assignee,
            "status": t.status,
            "due_at": t.due.as_ref().map(|d| d.due_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            "due_jalali": t.due.as_ref().map(|d| d.due_jalali.clone()),
            "overdue": t.overdue,
            "escalation_level": t.escalation_level,
        })).collect::<Vec<_>>(),
        "opened_at": state.opened_at,
        "updated_at": state.updated_at,
        "version": state.version,
    })
}

/// Documents for the case and for every task that changed after `since_version`.
pub fn documents(state: &CaseState, since_version: i64) -> Vec<SideWrite> {
    let mut writes = Vec::new();
    let mut case = Document::new(
        "case",
        state.id.to_string(),
        state.version,
        &case_view(state),
    );
    case.case_id = Some(state.id.to_string());
    case.status = Some(status_text(&state.status));
    writes.push(SideWrite::Document(case));
    for task in state.tasks.iter().filter(|t| t.version > since_version) {
        let mut doc = Document::new("task", task.id.to_string(), task.version, &task_view(task));
        doc.case_id = Some(state.id.to_string());
        doc.agency.clone_from(&task.agency);
        doc.status = Some(task.status.as_str().to_string());
        writes.push(SideWrite::Document(doc));
    }
    writes
}

fn status_text(status: &crate::domain::CaseStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
