//! Where a submission stands in its task's life, on the review page: which submission this
//! is and what it is compared with, and the comments made on the task so far.

use maud::{Markup, html};
use serde_json::Value;

use crate::web::format::{date, number};
use crate::web::i18n::Locale;

pub(super) fn submission_line(locale: Locale, current: &Value, previous: Option<&Value>) -> Markup {
    let at = |s: &Value| {
        s["at"]
            .as_str()
            .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
    };
    let nth = |s: &Value| number(locale, s["number"].as_u64().unwrap_or_default());
    // Words between the numbers, so that two numbers never read as one in either direction.
    html! {
        p.submission-line {
            (locale.pick("ارسال شماره ", "Submission ")) (nth(current))
            @if let Some(at) = at(current) { (locale.pick("، فرستاده در ", ", sent on ")) (date(locale, at)) }
            @if let Some(previous) = previous {
                (locale.pick("؛ در مقایسه با ارسال شماره ", "; compared with submission ")) (nth(previous))
            }
        }
    }
}

/// Earlier comments (returns, reminders) on the task, newest last.
pub(super) fn history(locale: Locale, task: &Value) -> Markup {
    let comments = task["comments"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    html! {
        @if !comments.is_empty() {
            details.history {
                summary { (locale.pick("سابقه این کار", "This task's history")) " (" (number(locale, comments.len())) ")" }
                ol {
                    @for comment in comments {
                        li {
                            @if let Some(at) = comment["at"].as_str().and_then(|t| t.parse().ok()) {
                                (date(locale, at)) " · "
                            }
                            (comment_kind(locale, comment["kind"].as_str().unwrap_or_default()))
                            ": " (comment["text"].as_str().unwrap_or_default())
                        }
                    }
                }
            }
        }
    }
}

fn comment_kind(locale: Locale, kind: &str) -> &str {
    match kind {
        "return" => locale.pick("بازگشت برای اصلاح", "Returned"),
        "accept" => locale.pick("پذیرش", "Accepted"),
        "vote" => locale.pick("رأی", "Vote"),
        other => other,
    }
}
