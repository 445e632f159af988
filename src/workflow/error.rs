//! Why a workflow definition was refused: every problem, each at a JSON Pointer.
//!
//! Owns the wording administrators read (`workflows/foo.yaml: /steps/1/next:
//! unknown step "reviw"`) and the serialisable form the API returns. It must not
//! decide HTTP status codes.

use std::fmt;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// A refused definition: where it came from and everything wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionError {
    /// A file path, or e.g. "request body".
    pub source: String,
    /// Never empty.
    pub issues: Vec<Issue>,
}

/// One problem, at a JSON Pointer into the document ("" is the whole document).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub pointer: String,
    pub kind: IssueKind,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IssueKind {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("not UTF-8 text (first invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("syntax error: {message}")]
    Syntax {
        /// 1-based, when the parser knows it.
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("{message}")]
    Schema {
        schema_path: String,
        message: String,
    },
    /// The document fits the schema but not the typed model (e.g. a duration
    /// longer than the cap, which a pattern cannot express).
    #[error("{0}")]
    Shape(String),
    #[error("unknown step {0:?}")]
    UnknownStep(String),
    #[error("duplicate step id {0:?}")]
    DuplicateStep(String),
    #[error("unknown form {0:?}")]
    UnknownForm(String),
    #[error("step {0:?} cannot be reached from the first step")]
    UnreachableStep(String),
    #[error("{} loop with no way out: neither done nor end can be reached", quoted(.0))]
    NoWayOut(Vec<String>),
    #[error("{field} must be between 0 and 1, got {value}")]
    ShareOutOfRange { field: &'static str, value: f64 },
    #[error("review step {0:?} has no on_return")]
    ReviewWithoutReturn(String),
    #[error("escalation notifies nobody")]
    EmptyNotify,
    #[error("submission step {0:?} has no form")]
    SubmissionWithoutForm(String),
    #[error(
        "assignee `of: participant` needs `participants: agencies`; this workflow has `participants: none`"
    )]
    ParticipantWithoutParticipants,
    #[error("key {key:?} is also defined in {other}")]
    DuplicateKey { key: String, other: String },
    #[error("{0}")]
    InvalidDate(String),
    /// A resolution sets the deadline of a case's first step only.
    #[error("step {0:?} is not the first step: a resolution sets only the first step's deadline")]
    DueOverrideNotFirst(String),
}

impl IssueKind {
    /// Stable machine-readable name of the problem, for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            IssueKind::Unreadable(_) => "unreadable",
            IssueKind::NotUtf8 { .. } => "not_utf8",
            IssueKind::Syntax { .. } => "syntax",
            IssueKind::Schema { .. } => "schema",
            IssueKind::Shape(_) => "shape",
            IssueKind::UnknownStep(_) => "unknown_step",
            IssueKind::DuplicateStep(_) => "duplicate_step",
            IssueKind::UnknownForm(_) => "unknown_form",
            IssueKind::UnreachableStep(_) => "unreachable_step",
            IssueKind::NoWayOut(_) => "no_way_out",
            IssueKind::ShareOutOfRange { .. } => "share_out_of_range",
            IssueKind::ReviewWithoutReturn(_) => "review_without_return",
            IssueKind::EmptyNotify => "empty_notify",
            IssueKind::SubmissionWithoutForm(_) => "submission_without_form",
            IssueKind::ParticipantWithoutParticipants => "participant_without_participants",
            IssueKind::DuplicateKey { .. } => "duplicate_key",
            IssueKind::InvalidDate(_) => "invalid_date",
            IssueKind::DueOverrideNotFirst(_) => "due_override_not_first",
        }
    }
}

fn quoted(ids: &[String]) -> String {
    let names: Vec<String> = ids.iter().map(|id| format!("{id:?}")).collect();
    match names.len() {
        1 => format!("step {}", names[0]),
        _ => format!("steps {}", names.join(", ")),
    }
}

impl Issue {
    pub fn new(pointer: impl Into<String>, kind: IssueKind) -> Self {
        Issue {
            pointer: pointer.into(),
            kind,
        }
    }

    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl DefinitionError {
    pub fn new(source: impl Into<String>, issues: Vec<Issue>) -> Self {
        DefinitionError {
            source: source.into(),
            issues,
        }
    }

    pub(super) fn single(source: &str, pointer: &str, kind: IssueKind) -> Self {
        DefinitionError::new(source, vec![Issue::new(pointer, kind)])
    }
}

/// One line per issue: `source: pointer: message` (no pointer for the whole document).
impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match issue.pointer.as_str() {
                "" => write!(f, "{}: {}", self.source, issue.kind)?,
                pointer => write!(f, "{}: {pointer}: {}", self.source, issue.kind)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionError {}

/// `{pointer, code, message}`, plus `schema_path` for schema issues.
impl Serialize for Issue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let schema_path = match &self.kind {
            IssueKind::Schema { schema_path, .. } => Some(schema_path),
            _ => None,
        };
        let mut out =
            serializer.serialize_struct("Issue", 3 + usize::from(schema_path.is_some()))?;
        out.serialize_field("pointer", &self.pointer)?;
        out.serialize_field("code", self.kind.code())?;
        out.serialize_field("message", &self.message())?;
        if let Some(path) = schema_path {
            out.serialize_field("schema_path", path)?;
        }
        out.end()
    }
}

impl Serialize for DefinitionError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("DefinitionError", 2)?;
        out.serialize_field("source", &self.source)?;
        out.serialize_field("issues", &self.issues)?;
        out.end()
    }
}
