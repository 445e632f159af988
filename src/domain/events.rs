//! The facts of a case, past tense. Each is stored as `event_type` = the variant name and
//! `data` = its fields; `(event_type, event_version)` is the schema key, so a change of shape
//! gets a new version and an upcaster rather than an edit here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::deadline::Deadline;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum CaseEvent {
    CaseOpened {
        case_id: Uuid,
        workflow: String,
        workflow_version: u32,
        workflow_hash: String,
        title: String,
        participants: Vec<String>,
        #[serde(default)]
        params: Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent_case: Option<Uuid>,
        opened_at: DateTime<Utc>,
    },
    TaskAssigned {
        task_id: Uuid,
        step: String,
        kind: TaskKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agency: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee: Option<String>,
        role: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        form: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<Deadline>,
    },
    SubmissionReceived {
        task_id: Uuid,
        submission_id: Uuid,
        number: u32,
        form: String,
        form_version: u32,
        data: super::SubmittedData,
        submitted_by: String,
        /// The step the task moves to (a review step), or none when the track moves on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        review_step: Option<String>,
        /// The files sent with it (absent from submissions without any, and from every
        /// submission recorded before attachments existed).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<super::Attachment>,
    },
    SubmissionReturned {
        task_id: Uuid,
        submission_id: Uuid,
        comment: String,
        reviewed_by: String,
        /// The step the task goes back to.
        step: String,
    },
    SubmissionAccepted {
        task_id: Uuid,
        submission_id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        reviewed_by: String,
    },
    TaskReassigned {
        task_id: Uuid,
        member_id: String,
        by: String,
    },
    VoteOpened {
        step: String,
        voters: usize,
        quorum: f64,
        pass: f64,
    },
    VoteCast {
        task_id: Uuid,
        choice: VoteChoice,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        voter: String,
    },
    VoteClosed {
        step: String,
        outcome: VoteOutcome,
        approve: usize,
        reject: usize,
        abstain: usize,
        voters: usize,
    },
    ChildCaseOrdered {
        step: String,
        child_case_id: Uuid,
        workflow: String,
        #[serde(default)]
        participants: Value,
        #[serde(default)]
        params: Value,
        /// The child's title, when not its parent's (a confirmation round's); absent from
        /// every order recorded before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    CaseCompleted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<String>,
    },
    CaseCancelled {
        reason: String,
        by: String,
    },
    /// A reminder before the deadline went out (index into the step's `remind` list).
    TaskReminded {
        task_id: Uuid,
        index: usize,
        before: String,
        due_at: DateTime<Utc>,
    },
    /// The deadline passed with the task still waiting for its assignee.
    TaskOverdue {
        task_id: Uuid,
        due_at: DateTime<Utc>,
    },
    /// One level of the escalation ladder was reached; `notify` is the level's list as the
    /// definition wrote it (`supervisor`, `{role: R}`).
    DeadlineEscalated {
        task_id: Uuid,
        level: u32,
        notify: Vec<crate::workflow::Notify>,
    },
    /// A task's deadline moved: the secretariat extended it, a closure fell on it, or a
    /// return gave the agency time to correct its submission. The task is no longer overdue
    /// and its reminders and escalation ladder start again from the new deadline.
    DeadlineMoved {
        task_id: Uuid,
        due: Deadline,
        previous_due_at: DateTime<Utc>,
        cause: DeadlineCause,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        by: String,
    },
    /// The secretariat reminded the people the task waits on, at a moment of its choosing
    /// (`TaskReminded` is the step's schedule). Changes nothing about the task.
    TaskRemindedNow {
        task_id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        by: String,
    },
    /// A member of the task's agency took back a submission before it was reviewed; the
    /// task waits on the agency again (open, or returned if it had been returned before).
    SubmissionWithdrawn {
        task_id: Uuid,
        submission_id: Uuid,
        by: String,
    },
    /// The resolution was adopted in a meeting of the working group and is recorded as
    /// approved without a vote: no vote tasks; its vote step `step` goes on as approved.
    ResolutionAdopted {
        step: String,
        meeting: super::meeting::MeetingRecord,
        recorded_by: String,
    },
}

impl CaseEvent {
    /// The task an event is about, if it is about one.
    pub fn task_id(&self) -> Option<Uuid> {
        match self {
            CaseEvent::TaskAssigned { task_id, .. }
            | CaseEvent::SubmissionReceived { task_id, .. }
            | CaseEvent::SubmissionReturned { task_id, .. }
            | CaseEvent::SubmissionAccepted { task_id, .. }
            | CaseEvent::TaskReassigned { task_id, .. }
            | CaseEvent::VoteCast { task_id, .. }
            | CaseEvent::TaskReminded { task_id, .. }
            | CaseEvent::TaskOverdue { task_id, .. }
            | CaseEvent::DeadlineEscalated { task_id, .. }
            | CaseEvent::DeadlineMoved { task_id, .. }
            | CaseEvent::TaskRemindedNow { task_id, .. }
            | CaseEvent::SubmissionWithdrawn { task_id, .. } => Some(*task_id),
            CaseEvent::CaseOpened { .. }
            | CaseEvent::VoteOpened { .. }
            | CaseEvent::VoteClosed { .. }
            | CaseEvent::ChildCaseOrdered { .. }
            | CaseEvent::CaseCompleted { .. }
            | CaseEvent::CaseCancelled { .. }
            | CaseEvent::ResolutionAdopted { .. } => None,
        }
    }

    /// `(event_type, data)` as stored.
    pub fn to_parts(&self) -> (String, Value) {
        let mut value = serde_json::to_value(self).expect("events serialize");
        let data = value
            .get_mut("data")
            .map(Value::take)
            .unwrap_or(Value::Null);
        let kind = value["type"].as_str().unwrap_or_default().to_string();
        (kind, data)
    }

    /// Rebuilds an event from its stored parts (after upcasting, when versions differ).
    pub fn from_parts(event_type: &str, data: &Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({"type": event_type, "data": data}))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Submission,
    Vote,
}

/// Why a deadline moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineCause {
    /// The secretariat extended it.
    Extension,
    /// An unplanned closure fell on it.
    Closure,
    /// A submission was returned for correction.
    Return,
}

impl DeadlineCause {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineCause::Extension => "extension",
            DeadlineCause::Closure => "closure",
            DeadlineCause::Return => "return",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteChoice {
    Approve,
    Reject,
    Abstain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteOutcome {
    Approved,
    Rejected,
    Expired,
}

impl VoteOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteOutcome::Approved => "approved",
            VoteOutcome::Rejected => "rejected",
            VoteOutcome::Expired => "expired",
        }
    }
}
