//! A whole workflow definition, and the questions the engine asks of it.
//!
//! Owns the invariant "a `WorkflowDefinition` value has passed the schema and the
//! semantic checks": its fields are private and the only public constructors are
//! the validating loaders in `load`. It must not do I/O.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::IsoDuration;
use super::model::{
    Assignee, DueRule, Escalation, Participants, Roll, Step, StepKind, Target, Title,
};
use crate::forms::content_hash;

/// A validated workflow definition at one content version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowDefinition {
    key: String,
    title: Title,
    participants: Participants,
    steps: Vec<Step>,
    #[serde(skip)]
    hash: String,
    #[serde(skip)]
    source: Value,
}

/// The document's top level as written; `steps` are typed one by one so a shape
/// error can name its step.
#[derive(Deserialize)]
pub(super) struct Header {
    pub key: String,
    pub title: Title,
    pub participants: Participants,
    pub steps: Vec<Value>,
}

impl WorkflowDefinition {
    /// Builds the typed form without any checks; only the loader (after the schema)
    /// and tests call this, so unchecked definitions never leave the module.
    pub(super) fn unchecked(header: Header, steps: Vec<Step>, source: Value) -> Self {
        WorkflowDefinition {
            key: header.key,
            title: header.title,
            participants: header.participants,
            steps,
            hash: content_hash(&source),
            source,
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn title(&self) -> &Title {
        &self.title
    }

    pub fn participants(&self) -> Participants {
        self.participants
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// Where every case starts.
    pub fn first_step(&self) -> &Step {
        // The schema requires at least one step and nothing else builds a definition.
        &self.steps[0]
    }

    /// Hex SHA-256 of the canonical JSON of the document as validated: the same for
    /// files differing only in whitespace, comments or key order. Recorded in
    /// `CaseOpened` so a case stays on the version it started with.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }

    /// The validated document as written (not re-serialized from the typed form),
    /// to persist: loading it again yields the same [`content_hash`](Self::content_hash).
    pub fn source(&self) -> &Value {
        &self.source
    }
}

impl Step {
    /// Every transition this step can take, with the key it is written under.
    /// Defaults (`on_expired: end`, `start_cases` `next: done`) are included.
    pub fn transitions(&self) -> Vec<(&'static str, &Target)> {
        match &self.kind {
            StepKind::Submission(s) => vec![("next", &s.next)],
            StepKind::Review(r) => {
                let mut all = vec![("on_accept", &r.on_accept)];
                all.extend(r.on_return.iter().map(|t| (t.step_key(), &t.step)));
                all
            }
            StepKind::Vote(v) => vec![
                ("on_approved", &v.on_approved),
                ("on_rejected", &v.on_rejected),
                ("on_expired", &v.on_expired),
            ],
            StepKind::StartCases(s) => vec![("next", &s.next)],
        }
    }

    /// Who gets the task (submission and review); votes name voters instead.
    pub fn assignee(&self) -> Option<&Assignee> {
        match &self.kind {
            StepKind::Submission(s) => Some(&s.assignee),
            StepKind::Review(r) => Some(&r.assignee),
            StepKind::Vote(_) | StepKind::StartCases(_) => None,
        }
    }

    /// The form key a submission step fills in.
    pub fn form(&self) -> Option<&str> {
        match &self.kind {
            StepKind::Submission(s) => s.form.as_deref(),
            _ => None,
        }
    }

    pub fn due(&self) -> Option<&DueRule> {
        match &self.kind {
            StepKind::Submission(s) => Some(&s.due),
            StepKind::Vote(v) => Some(&v.due),
            StepKind::Review(_) | StepKind::StartCases(_) => None,
        }
    }

    /// Whether the step's deadline moves off a day off (`roll`; `next_working_day` unless
    /// the step says `none`).
    pub fn roll(&self) -> Roll {
        match &self.kind {
            StepKind::Submission(s) => s.roll,
            StepKind::Vote(v) => v.roll,
            StepKind::Review(_) | StepKind::StartCases(_) => Roll::default(),
        }
    }

    /// Reminder offsets before the due instant, as written.
    pub fn reminders(&self) -> &[IsoDuration] {
        match &self.kind {
            StepKind::Submission(s) => &s.remind,
            StepKind::Vote(v) => &v.remind,
            StepKind::Review(_) | StepKind::StartCases(_) => &[],
        }
    }

    /// Escalation levels in order, each `after` a duration past due.
    pub fn escalations(&self) -> &[Escalation] {
        match &self.kind {
            StepKind::Submission(s) => &s.escalate,
            StepKind::Vote(v) => &v.escalate,
            StepKind::Review(_) | StepKind::StartCases(_) => &[],
        }
    }

    /// The `type` as written.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            StepKind::Submission(_) => "submission",
            StepKind::Review(_) => "review",
            StepKind::Vote(_) => "vote",
            StepKind::StartCases(_) => "start_cases",
        }
    }
}
