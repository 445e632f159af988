//! A case as its events leave it: `apply` folds one event into the state. It never fails and
//! never decides anything — every rule lives in `decide` — so replaying old events always
//! works, and the live state and a replayed state are the same by construction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::deadline::Deadline;
use super::events::{CaseEvent, TaskKind, VoteChoice, VoteOutcome};
use super::meeting::MeetingRecord;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    #[default]
    Open,
    Completed,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Submitted,
    Returned,
    Accepted,
    Voted,
    /// A vote task nobody cast before the vote closed.
    Expired,
    /// Closed because the case was cancelled or ended.
    Cancelled,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Submitted => "submitted",
            TaskStatus::Returned => "returned",
            TaskStatus::Accepted => "accepted",
            TaskStatus::Voted => "voted",
            TaskStatus::Expired => "expired",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Still waiting for somebody to act.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            TaskStatus::Open | TaskStatus::Submitted | TaskStatus::Returned
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Submission {
    pub id: Uuid,
    pub number: u32,
    pub form: String,
    pub form_version: u32,
    /// Shared: a case's state is cloned on every command, its documents are not.
    pub data: super::SubmittedData,
    pub submitted_by: String,
    pub at: DateTime<Utc>,
    /// When its agency took it back, unreviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<super::Attachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Comment {
    pub by: String,
    pub text: String,
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// The last move of a task's deadline (`DeadlineMoved`): why, by whom, from when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueMove {
    pub cause: super::events::DeadlineCause,
    pub reason: Option<String>,
    pub previous_due_at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: Uuid,
    pub case_id: Uuid,
    /// The step the task is at now (a submission step, or the review step after submitting).
    pub step: String,
    /// The submission step the task was opened for.
    pub origin_step: String,
    pub kind: TaskKind,
    pub agency: Option<String>,
    pub assignee: Option<String>,
    pub role: String,
    pub form: Option<String>,
    pub status: TaskStatus,
    pub due: Option<Deadline>,
    pub submissions: Vec<Submission>,
    pub comments: Vec<Comment>,
    pub vote: Option<VoteChoice>,
    /// Who cast the vote (any member of the task's agency holding the voters' role).
    #[serde(default)]
    pub voted_by: Option<String>,
    pub overdue: bool,
    pub escalation_level: u32,
    /// Which of the step's reminders went out (indexes into `remind`).
    pub reminders_sent: Vec<usize>,
    /// Why the deadline last moved after the task opened, for people to see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_moved: Option<DueMove>,
    pub updated_at: DateTime<Utc>,
    /// The case version at which this task last changed.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VoteState {
    pub step: String,
    pub voters: usize,
    pub quorum: f64,
    pub pass: f64,
    pub outcome: Option<VoteOutcome>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CaseState {
    pub id: Uuid,
    /// The stream version: how many events the case has.
    pub version: i64,
    pub workflow: String,
    pub workflow_version: u32,
    pub workflow_hash: String,
    pub title: String,
    pub participants: Vec<String>,
    pub params: Value,
    pub parent_case: Option<Uuid>,
    pub children: Vec<Uuid>,
    pub status: CaseStatus,
    pub outcome: Option<String>,
    pub opened_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Tasks in the order they were assigned.
    pub tasks: Vec<Task>,
    pub vote: Option<VoteState>,
    /// The meeting that adopted the resolution, when it was not put to the vote.
    #[serde(default)]
    pub meeting: Option<MeetingRecord>,
    #[serde(skip)]
    index: BTreeMap<Uuid, usize>,
}

impl CaseState {
    pub fn exists(&self) -> bool {
        self.version > 0
    }

    pub fn task(&self, id: Uuid) -> Option<&Task> {
        self.index.get(&id).map(|&i| &self.tasks[i])
    }

    fn task_mut(&mut self, id: Uuid) -> Option<&mut Task> {
        self.index.get(&id).map(|&i| &mut self.tasks[i])
    }

    /// Folds a whole history.
    pub fn replay<'a>(events: impl IntoIterator<Item = (&'a CaseEvent, DateTime<Utc>)>) -> Self {
        events
            .into_iter()
            .fold(CaseState::default(), |state, (e, at)| state.apply(e, at))
    }

    /// The state after `event`, recorded at `at`.
    pub fn apply(mut self, event: &CaseEvent, at: DateTime<Utc>) -> Self {
        self.version += 1;
        self.updated_at = Some(at);
        let version = self.version;
        match event {
            CaseEvent::CaseOpened {
                case_id,
                workflow,
                workflow_version,
                workflow_hash,
                title,
                participants,
                params,
                parent_case,
                opened_at,
            } => {
                self.id = *case_id;
                self.workflow.clone_from(workflow);
                self.workflow_version = *workflow_version;
                self.workflow_hash.clone_from(workflow_hash);
                self.title.clone_from(title);
                self.participants.clone_from(participants);
                self.params = params.clone();
                self.parent_case = *parent_case;
                self.opened_at = Some(*opened_at);
            }
            CaseEvent::TaskAssigned {
                task_id,
                step,
                kind,
                agency,
                assignee,
                role,
                form,
                due,
            } => {
                self.index.insert(*task_id, self.tasks.len());
                self.tasks.push(Task {
                    id: *task_id,
                    case_id: self.id,
                    step: step.clone(),
                    origin_step: step.clone(),
                    kind: *kind,
                    agency: agency.clone(),
                    assignee: assignee.clone(),
                    role: role.clone(),
                    form: form.clone(),
                    status: TaskStatus::Open,
                    due: due.clone(),
                    submissions: Vec::new(),
                    comments: Vec::new(),
                    vote: None,
                    voted_by: None,
                    overdue: false,
                    escalation_level: 0,
                    reminders_sent: Vec::new(),
                    due_moved: None,
                    updated_at: at,
                    version,
                });
            }
            CaseEvent::VoteOpened {
                step,
                voters,
                quorum,
                pass,
            } => {
                self.vote = Some(VoteState {
                    step: step.clone(),
                    voters: *voters,
                    quorum: *quorum,
                    pass: *pass,
                    outcome: None,
                });
            }
            CaseEvent::VoteClosed { outcome, .. } => {
                if let Some(vote) = &mut self.vote {
                    vote.outcome = Some(*outcome);
                }
                for task in self
                    .tasks
                    .iter_mut()
                    .filter(|t| t.kind == TaskKind::Vote && t.status == TaskStatus::Open)
                {
                    task.status = TaskStatus::Expired;
                    task.version = version;
                    task.updated_at = at;
                }
            }
            CaseEvent::ResolutionAdopted { meeting, .. } => self.meeting = Some(meeting.clone()),
            CaseEvent::ChildCaseOrdered { child_case_id, .. } => self.children.push(*child_case_id),
            CaseEvent::CaseCompleted { outcome } => {
                self.status = CaseStatus::Completed;
                self.outcome.clone_from(outcome);
                self.close_pending_tasks(version, at);
            }
            CaseEvent::CaseCancelled { .. } => {
                self.status = CaseStatus::Cancelled;
                self.close_pending_tasks(version, at);
            }
            // A reminder sent on request is news for people, not a change of the task: its
            // version stays.
            CaseEvent::TaskRemindedNow { .. } => {}
            task_event => self.apply_to_task(task_event, version, at),
        }
        self
    }

    fn close_pending_tasks(&mut self, version: i64, at: DateTime<Utc>) {
        for task in self.tasks.iter_mut().filter(|t| t.status.is_pending()) {
            task.status = TaskStatus::Cancelled;
            task.version = version;
            task.updated_at = at;
        }
    }

    fn apply_to_task(&mut self, event: &CaseEvent, version: i64, at: DateTime<Utc>) {
        let Some(task_id) = event.task_id() else {
            return;
        };
        let Some(task) = self.task_mut(task_id) else {
            return;
        };
        task.version = version;
        task.updated_at = at;
        match event {
            CaseEvent::SubmissionReceived {
                submission_id,
                number,
                form,
                form_version,
                data,
                submitted_by,
                review_step,
                attachments,
                ..
            } => {
                task.submissions.push(Submission {
                    id: *submission_id,
                    number: *number,
                    form: form.clone(),
                    form_version: *form_version,
                    data: data.clone(),
                    submitted_by: submitted_by.clone(),
                    at,
                    withdrawn_at: None,
                    attachments: attachments.clone(),
                });
                task.status = TaskStatus::Submitted;
                if let Some(step) = review_step {
                    task.step.clone_from(step);
                }
            }
            CaseEvent::SubmissionReturned {
                comment,
                reviewed_by,
                step,
                ..
            } => {
                task.status = TaskStatus::Returned;
                task.step.clone_from(step);
                task.comments.push(Comment {
                    by: reviewed_by.clone(),
                    text: comment.clone(),
                    kind: "return".into(),
                    at,
                });
            }
            CaseEvent::SubmissionAccepted {
                comment,
                reviewed_by,
                ..
            } => {
                task.status = TaskStatus::Accepted;
                if let Some(text) = comment.as_ref().filter(|c| !c.is_empty()) {
                    task.comments.push(Comment {
                        by: reviewed_by.clone(),
                        text: text.clone(),
                        kind: "accept".into(),
                        at,
                    });
                }
            }
            CaseEvent::TaskReassigned { member_id, .. } => task.assignee = Some(member_id.clone()),
            CaseEvent::TaskReminded { index, .. } => task.reminders_sent.push(*index),
            CaseEvent::TaskOverdue { .. } => task.overdue = true,
            CaseEvent::DeadlineEscalated { level, .. } => {
                task.escalation_level = task.escalation_level.max(*level);
            }
            CaseEvent::DeadlineMoved {
                due,
                previous_due_at,
                cause,
                reason,
                by,
                ..
            } => {
                task.due_moved = Some(DueMove {
                    cause: *cause,
                    reason: reason.clone(),
                    previous_due_at: *previous_due_at,
                    by: by.clone(),
                });
                task.due = Some(due.clone());
                task.overdue = false;
                task.reminders_sent.clear();
                task.escalation_level = 0;
            }
            CaseEvent::SubmissionWithdrawn { .. } => {
                // Back to where the agency stood before submitting: a task returned before
                // is still one to correct.
                let returned_before = task.comments.iter().any(|c| c.kind == "return");
                task.status = if returned_before {
                    TaskStatus::Returned
                } else {
                    TaskStatus::Open
                };
                task.step.clone_from(&task.origin_step);
                if let Some(last) = task.submissions.last_mut() {
                    last.withdrawn_at = Some(at);
                }
            }
            CaseEvent::VoteCast {
                choice,
                comment,
                voter,
                ..
            } => {
                task.status = TaskStatus::Voted;
                task.vote = Some(*choice);
                task.voted_by = Some(voter.clone());
                if let Some(text) = comment {
                    task.comments.push(Comment {
                        by: voter.clone(),
                        text: text.clone(),
                        kind: "vote".into(),
                        at,
                    });
                }
            }
            _ => {}
        }
    }

    /// How the resolution was decided: by its vote, or approved in a meeting.
    pub fn resolution_outcome(&self) -> Option<VoteOutcome> {
        let adopted = self.meeting.as_ref().map(|_| VoteOutcome::Approved);
        self.vote.as_ref().and_then(|v| v.outcome).or(adopted)
    }

    /// Votes cast so far: (approve, reject, abstain).
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for choice in self.tasks.iter().filter_map(|t| t.vote) {
            match choice {
                VoteChoice::Approve => counts.0 += 1,
                VoteChoice::Reject => counts.1 += 1,
                VoteChoice::Abstain => counts.2 += 1,
            }
        }
        counts
    }
}
