//! The secretariat's status board: where every participant agency stands in one case, at a
//! glance. Pure: built from a [`CaseState`] alone, so the live board and one rebuilt from the
//! log are the same by construction. What depends on the reader (their language, agency
//! names from the registry) is added at read time by [`Board::localise`], never stored.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::{JalaliDate, format_fa, tehran_date};
use crate::domain::{CaseState, Task, TaskStatus};
use crate::forms::is_nil_return;

/// Every row status, in the order a task moves through them; totals list each one. Besides
/// the task statuses, an accepted nil return is a status of its own on the board.
const STATUSES: [&str; 8] = [
    "open",
    "submitted",
    "returned",
    "accepted",
    NOTHING_TO_DECLARE,
    "voted",
    "expired",
    "cancelled",
];

/// The row status of an agency whose accepted answer is «موردی برای اعلام ندارد»: it has
/// answered, with nothing to declare, and is counted apart from those that declared data.
pub const NOTHING_TO_DECLARE: &str = crate::forms::NOTHING_TO_DECLARE;

/// One participant's position: its task in the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BoardRow {
    pub agency: Option<String>,
    /// The agency's name in the reader's language (added when read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_name: Option<String>,
    pub task: Uuid,
    pub step: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The task's status, or `nothing_to_declare` for an accepted nil return.
    pub status: String,
    /// The task's current submission is a nil return (accepted, or still awaiting review).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nothing_to_declare: bool,
    pub assignee: Option<String>,
    pub due_at: Option<String>,
    pub due_jalali: Option<String>,
    /// The due day as people write it, e.g. «۳۰ آذر ۱۴۰۵» (added when read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_display: Option<String>,
    pub overdue: bool,
    pub escalation_level: u32,
    pub submissions: usize,
    /// How many times the secretariat returned a submission for revision.
    pub returns: usize,
    pub last_submission_at: Option<String>,
    /// When anything last happened to the task (assignment, submission, review, reminder,
    /// escalation), and that day in Jalali.
    pub last_activity: String,
    pub last_activity_jalali: Option<String>,
    /// Who cast a vote task's vote for its agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voted_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Totals {
    pub tasks: usize,
    pub by_status: BTreeMap<String, usize>,
    pub overdue: usize,
    pub escalated: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Board {
    pub case: Uuid,
    pub title: String,
    pub workflow: String,
    pub status: String,
    pub rows: Vec<BoardRow>,
    pub totals: Totals,
    /// The case version the board reflects.
    pub version: i64,
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The status a row shows: the task's, except that an accepted nil return is its own.
fn row_status(task: &Task, nil_return: bool) -> String {
    match task.status {
        TaskStatus::Accepted if nil_return => NOTHING_TO_DECLARE.to_string(),
        status => status.as_str().to_string(),
    }
}

fn row(task: &Task) -> BoardRow {
    let nil_return = task
        .submissions
        .last()
        .is_some_and(|s| is_nil_return(&s.data))
        && matches!(task.status, TaskStatus::Submitted | TaskStatus::Accepted);
    BoardRow {
        agency: task.agency.clone(),
        agency_name: None,
        task: task.id,
        step: task.step.clone(),
        kind: serde_json::to_value(task.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        status: row_status(task, nil_return),
        nothing_to_declare: nil_return,
        assignee: task.assignee.clone(),
        due_at: task.due.as_ref().map(|d| rfc3339(d.due_at)),
        due_jalali: task.due.as_ref().map(|d| d.due_jalali.clone()),
        due_display: None,
        overdue: task.overdue,
        escalation_level: task.escalation_level,
        submissions: task.submissions.len(),
        returns: task.comments.iter().filter(|c| c.kind == "return").count(),
        last_submission_at: task.submissions.last().map(|s| rfc3339(s.at)),
        voted_by: task.voted_by.clone(),
        last_activity: rfc3339(task.updated_at),
        last_activity_jalali: tehran_date(task.updated_at).ok().map(|d| d.to_string()),
    }
}

/// The board of a case: one row per task, participants in the case's order first (the
/// order the secretariat listed them), then any other task (e.g. votes) as assigned.
pub fn build_board(state: &CaseState) -> Board {
    let position = |task: &Task| {
        task.agency
            .as_ref()
            .and_then(|a| state.participants.iter().position(|p| p == a))
            .unwrap_or(usize::MAX)
    };
    let mut tasks: Vec<&Task> = state.tasks.iter().collect();
    // A stable sort keeps assignment order among equals.
    tasks.sort_by_key(|t| position(t));
    let rows: Vec<BoardRow> = tasks.into_iter().map(row).collect();
    let mut by_status: BTreeMap<String, usize> =
        STATUSES.iter().map(|s| (s.to_string(), 0)).collect();
    for r in &rows {
        *by_status.entry(r.status.clone()).or_default() += 1;
    }
    let totals = Totals {
        tasks: rows.len(),
        by_status,
        overdue: rows.iter().filter(|r| r.overdue).count(),
        escalated: rows.iter().filter(|r| r.escalation_level > 0).count(),
    };
    Board {
        case: state.id,
        title: state.title.clone(),
        workflow: state.workflow.clone(),
        status: serde_json::to_value(state.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        rows,
        totals,
        version: state.version,
    }
}

/// A reader's language: Persian (the default) or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Fa,
    En,
}

impl Locale {
    pub fn parse(text: &str) -> Option<Locale> {
        match text {
            "fa" => Some(Locale::Fa),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A Jalali day for people: «۳۰ آذر ۱۴۰۵» in Persian, «30 Azar 1405» in English.
pub fn display_date(date: JalaliDate, locale: Locale) -> String {
    match locale {
        Locale::Fa => format_fa(date),
        Locale::En => format!("{} {} {}", date.day(), date.month_name_en(), date.year()),
    }
}

impl Board {
    /// Adds the reader's view: due days in their language and agency names from `names`
    /// (code → name in that language).
    pub fn localise(&mut self, locale: Locale, names: &BTreeMap<String, String>) {
        for row in &mut self.rows {
            row.due_display = row
                .due_jalali
                .as_deref()
                .and_then(|d| d.parse::<JalaliDate>().ok())
                .map(|d| display_date(d, locale));
            row.agency_name = row.agency.as_ref().and_then(|a| names.get(a).cloned());
        }
    }
}

#[cfg(test)]
mod tests;
