//! The typed workflow language: what a validated definition says.
//!
//! Owns the shapes the engine reads (steps, assignees, due rules, transitions).
//! The YAML keys are a contract with administrators' files (design.md §4): add
//! keys, never rename. It must not validate (that is `schema` and `semantic`) nor
//! resolve dates (the calendar module turns a [`DueRule`] into an instant).

use serde::{Deserialize, Serialize};

use super::IsoDuration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Title {
    pub fa: String,
    pub en: String,
}

/// Whether a case runs one track per participating agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Participants {
    Agencies,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    #[serde(flatten)]
    pub kind: StepKind,
}

/// The step's `type` and the keys that type takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepKind {
    Submission(Submission),
    Review(Review),
    Vote(Vote),
    StartCases(StartCases),
}

/// A form the assignee fills in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub assignee: Assignee,
    /// Always present once validated; optional here so a missing form is reported
    /// as a semantic error rather than a bare deserialization failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    pub due: DueRule,
    #[serde(default, skip_serializing_if = "Roll::is_default")]
    pub roll: Roll,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remind: Vec<IsoDuration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalate: Vec<Escalation>,
    pub next: Target,
    /// `due_override: {latest: …}`: a resolution that orders the case may set this step's
    /// deadline; absent, the step's own `due` always applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_override: Option<DueOverride>,
}

/// How far a resolution may set a step's deadline: no later than `latest`, resolved when
/// the case opens (e.g. `{end_of: jalali_year}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueOverride {
    pub latest: DueRule,
}

/// Accept, or return (with a comment) for revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub assignee: Assignee,
    pub on_accept: Target,
    /// Always present once validated (see [`Submission::form`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_return: Option<super::on_return::OnReturn>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vote {
    pub voters: Voters,
    /// Share of voters who must cast a vote (abstaining counts), 0..=1.
    pub quorum: f64,
    /// Approve must exceed this share of approve + reject, 0..=1.
    pub pass: f64,
    pub due: DueRule,
    #[serde(default, skip_serializing_if = "Roll::is_default")]
    pub roll: Roll,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remind: Vec<IsoDuration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalate: Vec<Escalation>,
    pub on_approved: Target,
    pub on_rejected: Target,
    /// Where a vote without quorum at the deadline goes.
    #[serde(default = "Target::end")]
    pub on_expired: Target,
}

/// Opens the cases listed in the case's `params.on_approval`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartCases {
    #[serde(default = "Target::done")]
    pub next: Target,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<AssigneeScope>,
}

impl Assignee {
    /// True for `{role, of: participant}`: holders of the role in the track's agency.
    pub fn is_per_participant(&self) -> bool {
        self.of == Some(AssigneeScope::Participant)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeScope {
    Participant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voters {
    pub role: String,
}

/// A deadline as written; resolved to an instant by the calendar when a task opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueRule {
    /// `{after: P7D}`: a fixed length after the task opens.
    After(IsoDuration),
    /// `{working_days: 10}`: business days by the versioned calendar.
    WorkingDays(u32),
    /// `{end_of: jalali_month}`: the end of the current Jalali month or year.
    EndOf(JalaliPeriod),
    /// `{on: "1405-09-30"}`: a Jalali date, shape-checked only; the calendar
    /// module decides whether the day exists.
    On(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JalaliPeriod {
    JalaliMonth,
    JalaliYear,
}

/// What happens to a deadline that lands on a day off (a weekend day, a holiday, a closure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Roll {
    /// It moves to the end of the next working day, as Iranian offices count deadlines.
    #[default]
    NextWorkingDay,
    /// `roll: none`: it stays where the rule put it (e.g. a date fixed by law).
    None,
}

impl Roll {
    fn is_default(&self) -> bool {
        *self == Roll::default()
    }
}

/// One escalation level: `after` this long past due, notify these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub after: IsoDuration,
    pub notify: Vec<Notify>,
}

/// `supervisor` (of the assignee, up the organisation) or `{role: R}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NotifyText", into = "NotifyText")]
pub enum Notify {
    Supervisor,
    Role(String),
}

/// How [`Notify`] is written: a bare keyword or a one-key map.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum NotifyText {
    Keyword(String),
    Role { role: String },
}

impl TryFrom<NotifyText> for Notify {
    type Error = String;

    fn try_from(text: NotifyText) -> Result<Self, Self::Error> {
        match text {
            NotifyText::Keyword(k) if k == "supervisor" => Ok(Notify::Supervisor),
            NotifyText::Keyword(k) => Err(format!("unknown notify target {k:?}")),
            NotifyText::Role { role } => Ok(Notify::Role(role)),
        }
    }
}

impl From<Notify> for NotifyText {
    fn from(notify: Notify) -> Self {
        match notify {
            Notify::Supervisor => NotifyText::Keyword("supervisor".to_owned()),
            Notify::Role(role) => NotifyText::Role { role },
        }
    }
}

/// Where a transition goes: a step, `done` (this track is finished) or `end`
/// (the case stops).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Target {
    Step(String),
    Done,
    End,
}

impl Target {
    pub fn done() -> Self {
        Target::Done
    }

    pub fn end() -> Self {
        Target::End
    }

    /// The step id, unless this is `done` or `end`.
    pub fn step_id(&self) -> Option<&str> {
        match self {
            Target::Step(id) => Some(id),
            Target::Done | Target::End => None,
        }
    }
}

impl From<String> for Target {
    fn from(text: String) -> Self {
        match text.as_str() {
            "done" => Target::Done,
            "end" => Target::End,
            _ => Target::Step(text),
        }
    }
}

impl From<Target> for String {
    fn from(target: Target) -> Self {
        target.to_string()
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Target::Step(id) => id,
            Target::Done => "done",
            Target::End => "end",
        })
    }
}
