//! The stored case document and the case as readers see it. A case's tasks are their own
//! documents (`kind = 'task'`, written beside the case's), so the stored case document keeps
//! only their ids, in the order they were assigned: a command then rewrites its task's
//! document and a small case document, not a summary of every task. Readers get the case as
//! [`super::projection::CaseView`] shows it — with a summary of each task — by joining the
//! task documents on read ([`case_document`], [`case_documents`]).
//!
//! A case document stored before this shape (with `tasks` as summaries) is read as it is:
//! it was written with its tasks, in one transaction, so it is already the answer. The next
//! command on the case, or `daftar projections rebuild`, stores the new shape.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::documents::Documents;
use crate::domain::{CaseState, CaseStatus, MeetingRecord, VoteState};
use crate::event_store::StoreError;

/// The case as stored: [`super::projection::CaseView`] with `task_ids` for `tasks`.
#[derive(Serialize)]
pub(super) struct StoredCase<'a> {
    children: &'a [Uuid],
    id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting: &'a Option<MeetingRecord>,
    opened_at: Option<DateTime<Utc>>,
    outcome: &'a Option<String>,
    params: &'a Value,
    parent_case: Option<Uuid>,
    participants: &'a [String],
    status: CaseStatus,
    /// The case's tasks, in the order they were assigned.
    task_ids: Vec<Uuid>,
    title: &'a str,
    updated_at: Option<DateTime<Utc>>,
    version: i64,
    vote: &'a Option<VoteState>,
    workflow: &'a str,
    workflow_hash: &'a str,
    workflow_version: u32,
}

impl<'a> StoredCase<'a> {
    pub(super) fn of(state: &'a CaseState) -> Self {
        Self {
            children: &state.children,
            id: state.id,
            meeting: &state.meeting,
            opened_at: state.opened_at,
            outcome: &state.outcome,
            params: &state.params,
            parent_case: state.parent_case,
            participants: &state.participants,
            status: state.status,
            task_ids: state.tasks.iter().map(|t| t.id).collect(),
            title: &state.title,
            updated_at: state.updated_at,
            version: state.version,
            vote: &state.vote,
            workflow: &state.workflow,
            workflow_hash: &state.workflow_hash,
            workflow_version: state.workflow_version,
        }
    }
}

/// What a case's summary of a task shows (`TaskSummary`), read from the task's document,
/// with the case version at which the task last changed.
#[derive(Deserialize)]
struct TaskFields {
    agency: Option<String>,
    assignee: Option<String>,
    due_at: Option<String>,
    due_jalali: Option<String>,
    escalation_level: u32,
    id: String,
    overdue: bool,
    status: String,
    step: String,
    #[serde(rename = "type")]
    kind: String,
    version: i64,
}

impl TaskFields {
    fn summary(self) -> Value {
        json!({
            "agency": self.agency,
            "assignee": self.assignee,
            "due_at": self.due_at,
            "due_jalali": self.due_jalali,
            "escalation_level": self.escalation_level,
            "id": self.id,
            "overdue": self.overdue,
            "status": self.status,
            "step": self.step,
            "type": self.kind,
        })
    }
}

/// How often a read starts again when a command committed between reading the case and
/// reading its tasks; after that the last answer stands.
const ATTEMPTS: usize = 3;

/// The case `id` as the API's `GET /v1/cases/{id}` shows it, or `None`.
pub async fn case_document(documents: &Documents, id: &str) -> Result<Option<Value>, StoreError> {
    let mut answer = None;
    for _ in 0..ATTEMPTS {
        let Some(doc) = documents.get("case", id).await? else {
            return Ok(None);
        };
        let mut cases = [serde_json::from_str(&doc).unwrap_or(Value::Null)];
        let consistent = join_tasks(documents, &mut cases).await?;
        let [case] = cases;
        answer = Some(case);
        if consistent {
            break;
        }
    }
    Ok(answer)
}

/// Stored case documents (as a list reads them, parsed) as the API shows them, in order:
/// one read of all their tasks, and the cases read again one by one if a command changed a
/// task in between.
pub async fn case_documents(
    documents: &Documents,
    mut cases: Vec<Value>,
) -> Result<Vec<Value>, StoreError> {
    if !join_tasks(documents, &mut cases).await? {
        for case in &mut cases {
            let id = case["id"].as_str().unwrap_or_default().to_string();
            if let Some(fresh) = case_document(documents, &id).await? {
                *case = fresh;
            }
        }
    }
    Ok(cases)
}

/// Replaces each stored case's `task_ids` by `tasks`, the summaries of its task documents
/// (read in one query). `false` when a task is newer than its case's document, i.e. a
/// command committed between the two reads.
async fn join_tasks(documents: &Documents, cases: &mut [Value]) -> Result<bool, StoreError> {
    let ids: Vec<String> = cases
        .iter()
        .filter_map(|case| case.get("task_ids")?.as_array())
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_string))
        .collect();
    if ids.is_empty() && cases.iter().all(|c| c.get("task_ids").is_none()) {
        return Ok(true);
    }
    let tasks = documents.get_many("task", &ids).await?;
    Ok(join(cases, tasks))
}

/// [`join_tasks`] once the task documents (by id) are read.
fn join(cases: &mut [Value], mut tasks: HashMap<String, String>) -> bool {
    let mut consistent = true;
    for case in cases.iter_mut() {
        let Some(fields) = case.as_object_mut() else {
            continue;
        };
        let Some(Value::Array(ids)) = fields.remove("task_ids") else {
            continue;
        };
        let version = fields.get("version").and_then(Value::as_i64).unwrap_or(0);
        let summaries = ids
            .iter()
            .filter_map(|id| tasks.remove(id.as_str()?))
            .filter_map(|doc| serde_json::from_str::<TaskFields>(&doc).ok())
            .map(|task| {
                consistent &= task.version <= version;
                task.summary()
            })
            .collect();
        fields.insert("tasks".into(), Value::Array(summaries));
    }
    consistent
}

#[cfg(test)]
mod tests;
