//! The case and task read models: JSON documents derived from a [`CaseState`], written in the
//! same transaction as the events (see `documents`; the stored case names its tasks by id,
//! `case_document` joins them on read). `daftar projections rebuild` produces
//! the same documents by folding the log with the same functions.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::workflow::DueRule;

use super::case_document::StoredCase;
use crate::documents::{CaseAgency, Document};
use crate::domain::{
    CaseState, CaseStatus, Comment, DeadlineCause, DueMove, MeetingRecord, Submission, Task,
    TaskKind, TaskStatus, VoteChoice, VoteState,
};
use crate::side_writes::SideWrite;

// Fields are in alphabetical order, as a `serde_json::Value` map keeps them, so a document
// serialized from this struct reads the same as its `Value`.
/// A task: where it stands, who holds it, when it is due, its submissions and comments.
#[derive(Serialize, schemars::JsonSchema)]
pub struct TaskView<'a> {
    agency: &'a Option<String>,
    assignee: &'a Option<String>,
    calendar_version: Option<&'a str>,
    case: Uuid,
    comments: &'a [Comment],
    due_at: Option<String>,
    due_jalali: Option<&'a str>,
    /// The last move of the deadline after the task opened (extension, closure, return).
    #[serde(skip_serializing_if = "Option::is_none")]
    due_moved: Option<DueMoveView<'a>>,
    /// Where the rule put the deadline, when that was a day off and it moved to the next
    /// working day (`due_at` is when the task is due).
    #[serde(skip_serializing_if = "Option::is_none")]
    due_nominal_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_nominal_jalali: Option<&'a str>,
    due_rule: Option<&'a DueRule>,
    escalation_level: u32,
    form: &'a Option<String>,
    id: Uuid,
    overdue: bool,
    role: &'a str,
    status: TaskStatus,
    step: &'a str,
    submissions: &'a [Submission],
    #[serde(rename = "type")]
    kind: TaskKind,
    updated_at: DateTime<Utc>,
    version: i64,
    vote: Option<VoteChoice>,
    /// Who cast the vote for the task's agency.
    #[serde(skip_serializing_if = "Option::is_none")]
    voted_by: &'a Option<String>,
}

impl<'a> TaskView<'a> {
    pub fn of(task: &'a Task) -> Self {
        let nominal = task.due.as_ref().and_then(|d| d.nominal.as_ref());
        Self {
            agency: &task.agency,
            assignee: &task.assignee,
            calendar_version: task.due.as_ref().map(|d| d.calendar_version.as_str()),
            case: task.case_id,
            comments: &task.comments,
            due_at: task.due.as_ref().map(|d| due_text(d.due_at)),
            due_jalali: task.due.as_ref().map(|d| d.due_jalali.as_str()),
            due_moved: task.due_moved.as_ref().map(DueMoveView::of),
            due_nominal_at: nominal.map(|n| due_text(n.at)),
            due_nominal_jalali: nominal.map(|n| n.jalali.as_str()),
            due_rule: task.due.as_ref().map(|d| &d.rule),
            escalation_level: task.escalation_level,
            form: &task.form,
            id: task.id,
            overdue: task.overdue,
            role: &task.role,
            status: task.status,
            step: &task.step,
            submissions: &task.submissions,
            kind: task.kind,
            updated_at: task.updated_at,
            version: task.version,
            vote: task.vote,
            voted_by: &task.voted_by,
        }
    }
}

/// Why and from when a task's deadline last moved.
#[derive(Serialize, schemars::JsonSchema)]
pub struct DueMoveView<'a> {
    by: &'a str,
    cause: DeadlineCause,
    previous_due_at: String,
    reason: Option<&'a str>,
}

impl<'a> DueMoveView<'a> {
    fn of(moved: &'a DueMove) -> Self {
        Self {
            by: &moved.by,
            cause: moved.cause,
            previous_due_at: due_text(moved.previous_due_at),
            reason: moved.reason.as_deref(),
        }
    }
}

/// A task as the case's read model lists it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct TaskSummary<'a> {
    agency: &'a Option<String>,
    assignee: &'a Option<String>,
    due_at: Option<String>,
    due_jalali: Option<&'a str>,
    escalation_level: u32,
    id: Uuid,
    overdue: bool,
    status: TaskStatus,
    step: &'a str,
    #[serde(rename = "type")]
    kind: TaskKind,
}

// Fields in alphabetical order, as for `TaskView`.
/// A case: its workflow, participants, status and a summary of each task.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CaseView<'a> {
    children: &'a [Uuid],
    id: Uuid,
    /// The meeting that adopted the resolution (no vote was held).
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting: &'a Option<MeetingRecord>,
    opened_at: Option<DateTime<Utc>>,
    outcome: &'a Option<String>,
    params: &'a Value,
    parent_case: Option<Uuid>,
    participants: &'a [String],
    status: CaseStatus,
    tasks: Vec<TaskSummary<'a>>,
    title: &'a str,
    updated_at: Option<DateTime<Utc>>,
    version: i64,
    vote: &'a Option<VoteState>,
    workflow: &'a str,
    workflow_hash: &'a str,
    workflow_version: u32,
}

impl<'a> CaseView<'a> {
    pub fn of(state: &'a CaseState) -> Self {
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
            tasks: state
                .tasks
                .iter()
                .map(|t| TaskSummary {
                    agency: &t.agency,
                    assignee: &t.assignee,
                    due_at: t.due.as_ref().map(|d| due_text(d.due_at)),
                    due_jalali: t.due.as_ref().map(|d| d.due_jalali.as_str()),
                    escalation_level: t.escalation_level,
                    id: t.id,
                    overdue: t.overdue,
                    status: t.status,
                    step: &t.step,
                    kind: t.kind,
                })
                .collect(),
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

fn due_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn task_view(task: &Task) -> Value {
    serde_json::to_value(TaskView::of(task)).expect("read models serialize")
}

pub fn case_view(state: &CaseState) -> Value {
    serde_json::to_value(CaseView::of(state)).expect("read models serialize")
}

/// Documents for the case (its tasks by id: see [`super::case_document`]) and for every task
/// that changed after `since_version`.
pub fn documents(state: &CaseState, since_version: i64) -> Vec<SideWrite> {
    let mut writes = Vec::new();
    let mut case = Document::new(
        "case",
        state.id.to_string(),
        state.version,
        &StoredCase::of(state),
    );
    case.case_id = Some(state.id.to_string());
    case.status = Some(status_text(&state.status));
    writes.push(SideWrite::Document(case));
    for task in state.tasks.iter().filter(|t| t.version > since_version) {
        let mut doc = Document::new(
            "task",
            task.id.to_string(),
            task.version,
            &TaskView::of(task),
        );
        doc.case_id = Some(state.id.to_string());
        doc.agency.clone_from(&task.agency);
        doc.status = Some(task.status.as_str().to_string());
        writes.push(SideWrite::Document(doc));
    }
    writes
}

/// What the read models of a command need to know of the case before it, kept so that the
/// state itself can be folded forward without a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prior {
    pub version: i64,
    pub status: CaseStatus,
    /// How many tasks the case had: tasks are only ever appended, and participants are set
    /// when the case opens, so these name the agencies the case involved.
    pub tasks: usize,
}

impl Prior {
    /// A case that did not exist yet.
    pub const NONE: Prior = Prior {
        version: 0,
        status: CaseStatus::Open,
        tasks: 0,
    };

    pub fn of(state: &CaseState) -> Self {
        Self {
            version: state.version,
            status: state.status,
            tasks: state.tasks.len(),
        }
    }

    fn exists(&self) -> bool {
        self.version > 0
    }
}

/// The agencies a case involves through its participants and its first `tasks` tasks (a
/// member sees exactly these cases), each once, in order.
fn agencies_of(state: &CaseState, tasks: usize) -> std::collections::BTreeSet<&str> {
    let tasks = state.tasks[..tasks]
        .iter()
        .filter_map(|t| t.agency.as_deref());
    state
        .participants
        .iter()
        .map(String::as_str)
        .chain(tasks)
        .collect()
}

/// The case list's index rows that `before → next` changes: every agency's when the case is
/// new or its status changed, otherwise only those of agencies it newly involves (most
/// commands write none). A case never stops involving an agency.
pub fn case_agencies(before: &Prior, next: &CaseState) -> Vec<SideWrite> {
    let known = if before.exists() && before.status == next.status {
        agencies_of(next, before.tasks.min(next.tasks.len()))
    } else {
        Default::default()
    };
    let status = status_text(&next.status);
    agencies_of(next, next.tasks.len())
        .difference(&known)
        .map(|agency| {
            SideWrite::CaseAgency(CaseAgency {
                agency: agency.to_string(),
                case_id: next.id.to_string(),
                workflow: next.workflow.clone(),
                status: status.clone(),
                version: next.version,
            })
        })
        .collect()
}

fn status_text(status: &crate::domain::CaseStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
