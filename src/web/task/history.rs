//! A task's history as its page shows it: assignments, submissions, returns with their
//! comments, reminders, escalations, votes — read from the case's timeline (the same one
//! auditors see), only the entries about this task. Pure.

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use crate::web::format::{clock_time, date};
use crate::web::i18n::Locale;

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    pub at: DateTime<Utc>,
    pub event: String,
    pub actor: Option<String>,
    /// The return comment, review note or vote comment recorded with it; an extension's
    /// reason, a reminder's message.
    pub comment: Option<String>,
    /// A moved deadline's cause (`extension`, `closure`, `return`) and new instant.
    pub cause: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct Entry {
    event_type: String,
    decided_at: DateTime<Utc>,
    actor: Option<String>,
    task_id: Option<String>,
    #[serde(default)]
    cause: Option<String>,
    #[serde(default)]
    due_at: Option<DateTime<Utc>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct CommentDoc {
    text: String,
    at: DateTime<Utc>,
}

/// The entries of `timeline` (`audit::timeline` JSON) about `task_id`, each with the
/// comment (from the task's read model `comments`) made at the same moment.
pub fn task_history(timeline: &Value, task_id: &str, comments: &Value) -> Vec<HistoryItem> {
    let comments: Vec<CommentDoc> = serde_json::from_value(comments.clone()).unwrap_or_default();
    let entries = timeline["items"].as_array().map_or(&[][..], Vec::as_slice);
    entries
        .iter()
        .filter_map(|e| serde_json::from_value::<Entry>(e.clone()).ok())
        .filter(|e| e.task_id.as_deref() == Some(task_id))
        .map(|e| HistoryItem {
            comment: e.note.or_else(|| {
                comments
                    .iter()
                    .find(|c| c.at == e.decided_at && !mentions_no_comment(&e.event_type))
                    .map(|c| c.text.clone())
            }),
            cause: e.cause,
            due_at: e.due_at,
            at: e.decided_at,
            event: e.event_type,
            actor: e.actor.filter(|a| a != "system"),
        })
        .collect()
}

/// Events recorded beside a comment of the same moment that is not theirs (a return's
/// comment and its deadline move share an instant).
fn mentions_no_comment(event: &str) -> bool {
    matches!(event, "TaskReminded" | "DeadlineMoved" | "TaskRemindedNow")
}

fn describe(locale: Locale, item: &HistoryItem) -> &'static str {
    let event = match (item.event.as_str(), item.cause.as_deref()) {
        ("DeadlineMoved", Some("extension")) => "DeadlineMoved:extension",
        ("DeadlineMoved", Some("closure")) => "DeadlineMoved:closure",
        ("DeadlineMoved", _) => "DeadlineMoved:return",
        (event, _) => event,
    };
    match event {
        "TaskAssigned" => locale.pick("کار واگذار شد", "Task assigned"),
        "SubmissionReceived" => locale.pick("فرم ارسال شد", "Form submitted"),
        "SubmissionReturned" => locale.pick("برای اصلاح بازگردانده شد", "Returned for changes"),
        "SubmissionAccepted" => locale.pick("پذیرفته شد", "Accepted"),
        "TaskReassigned" => locale.pick("به کارشناس دیگری سپرده شد", "Reassigned"),
        "VoteCast" => locale.pick("رأی ثبت شد", "Vote cast"),
        "TaskReminded" => locale.pick("یادآوری فرستاده شد", "Reminder sent"),
        "TaskOverdue" => locale.pick("مهلت گذشت", "Deadline passed"),
        "DeadlineEscalated" => locale.pick("تأخیر به مقام بالاتر گزارش شد", "Escalated"),
        "DeadlineMoved:extension" => locale.pick("مهلت تمدید شد", "Deadline extended"),
        "DeadlineMoved:closure" => locale.pick(
            "مهلت به سبب تعطیلی جابه‌جا شد",
            "Deadline moved for a closure",
        ),
        "DeadlineMoved:return" => {
            locale.pick("مهلت اصلاح داده شد", "Deadline set for the correction")
        }
        "TaskRemindedNow" => locale.pick("دبیرخانه یادآوری کرد", "Reminded by the secretariat"),
        "SubmissionWithdrawn" => locale.pick("ارسال پس گرفته شد", "Submission withdrawn"),
        _ => locale.pick("رویداد", "Event"),
    }
}

pub fn history_list(locale: Locale, items: &[HistoryItem]) -> Markup {
    html! {
        section.history aria-labelledby="history-title" {
            h2 #history-title { (locale.pick("سابقه این کار", "This task's history")) }
            @if items.is_empty() {
                p { (locale.pick("هنوز رویدادی ثبت نشده است.", "Nothing has happened yet.")) }
            } @else {
                ol.timeline {
                    @for item in items {
                        li.(format!("event-{}", item.event)) {
                            (date(locale, item.at)) " " (clock_time(locale, item.at)) " — "
                            strong { (describe(locale, item)) }
                            @if let Some(due) = item.due_at {
                                " — " (locale.pick("مهلت تازه: ", "new deadline: ")) (date(locale, due)) " " (clock_time(locale, due))
                            }
                            @if let Some(actor) = &item.actor { " (" bdi { (actor) } ")" }
                            @if let Some(comment) = &item.comment {
                                blockquote.comment { p { (comment) } }
                            }
                        }
                    }
                }
            }
        }
    }
}
