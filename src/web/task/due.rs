//! Why a task is due when it is: a deadline that rolled off a day off (the nominal day and
//! what made it a day off), and the last move of the deadline (a closure with its reason, an
//! extension, a return). Pure: the handler looks the day off up in the calendar.

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::page::TaskDoc;
use crate::calendar::{BusinessCalendar, DayOff, tehran_date, weekday_name_fa};
use crate::web::format::{date, english_weekday};
use crate::web::i18n::Locale;

/// The task read model's `due_moved`.
#[derive(Debug, Clone, Deserialize)]
pub struct DueMovedDoc {
    pub cause: String,
    pub reason: Option<String>,
    pub previous_due_at: DateTime<Utc>,
}

/// What made the day of `instant` a day off, in the page's language: the holiday's name,
/// the closure's reason, or the weekday; `None` for a working day.
pub fn day_off_text(
    calendar: &BusinessCalendar,
    locale: Locale,
    instant: DateTime<Utc>,
) -> Option<String> {
    let day = tehran_date(instant).ok()?;
    Some(match calendar.day_off(day).ok()?? {
        DayOff::Holiday(holiday) => locale.pick(&holiday.name_fa, &holiday.name_en).to_owned(),
        DayOff::Closure(closure) => match locale {
            Locale::Fa => format!("تعطیلی: {}", closure.reason),
            Locale::En => format!("closure: {}", closure.reason),
        },
        DayOff::Weekend(weekday) => match locale {
            Locale::Fa => format!("{} تعطیل", weekday_name_fa(weekday)),
            Locale::En => format!("{} off", english_weekday(weekday)),
        },
    })
}

/// The notes under the due date; nothing for a deadline that never moved.
pub fn due_note(locale: Locale, task: &TaskDoc, nominal_day_off: Option<&str>) -> Markup {
    let moved = task.due_moved.as_ref();
    // A closure or extension keeps the rule's day as the nominal one: say it only when it
    // is not the day the move started from.
    let rolled = task
        .due_nominal_at
        .filter(|nominal| moved.is_none_or(|m| m.previous_due_at != *nominal));
    html! {
        @if let Some(nominal) = rolled {
            p.due-note.rolled {
                (locale.pick("موعد مقرر: ", "Nominally: ")) (date(locale, nominal))
                @if let Some(off) = nominal_day_off { " (" (off) ")" }
                (locale.pick(
                    "؛ روز کاری نیست، پس مهلت پایان نخستین روز کاری پس از آن است.",
                    ": not a working day, so the task is due at the end of the next working day.",
                ))
            }
        }
        @if let Some(moved) = moved {
            p.due-note.moved { (moved_text(locale, moved)) " " (date(locale, moved.previous_due_at)) }
        }
    }
}

fn moved_text(locale: Locale, moved: &DueMovedDoc) -> String {
    let reason = moved.reason.as_deref().unwrap_or_default();
    match (moved.cause.as_str(), locale) {
        ("closure", Locale::Fa) => format!("به‌سبب تعطیلی ({reason}) منتقل شد؛ مهلت پیشین:"),
        ("closure", Locale::En) => format!("Moved for a closure ({reason}); it was due"),
        ("extension", Locale::Fa) => format!("تمدید شد ({reason})؛ مهلت پیشین:"),
        ("extension", Locale::En) => format!("Extended ({reason}); it was due"),
        (_, Locale::Fa) => "پس از عودت برای اصلاح تعیین شد؛ مهلت پیشین:".into(),
        (_, Locale::En) => "Set anew when returned for changes; it was due".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(extra: serde_json::Value) -> TaskDoc {
        let mut doc = serde_json::json!({
            "id": "t", "case": "c", "agency": "IRICA", "assignee": null, "status": "open",
            "type": "submission", "due_at": "2027-03-27T20:29:59Z", "version": 1, "vote": null
        });
        doc.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(doc).unwrap()
    }

    #[test]
    fn a_rolled_deadline_names_its_nominal_day_and_why() {
        let calendar = BusinessCalendar::builtin();
        let nominal: DateTime<Utc> = "2027-03-20T20:29:59Z".parse().unwrap();
        let off = day_off_text(&calendar, Locale::En, nominal).unwrap();
        assert_eq!(off, "Oil Industry Nationalisation Day");
        let task = task(serde_json::json!({"due_nominal_at": nominal}));
        let html = due_note(Locale::En, &task, Some(&off)).into_string();
        assert!(html.contains("Nominally"), "{html}");
        assert!(html.contains("Saturday 29 Esfand 1405"), "{html}");
        assert!(
            html.contains("(Oil Industry Nationalisation Day)"),
            "{html}"
        );
        let fa = due_note(Locale::Fa, &task, None).into_string();
        assert!(fa.contains("موعد مقرر"), "{fa}");
    }

    #[test]
    fn a_closure_says_its_reason_and_the_day_it_moved_from() {
        let task = task(serde_json::json!({
            "due_nominal_at": "2026-12-21T20:29:59Z",
            "due_moved": {"cause": "closure", "reason": "آلودگی هوا",
                          "previous_due_at": "2026-12-21T20:29:59Z", "by": "admin"}
        }));
        let html = due_note(Locale::Fa, &task, None).into_string();
        assert!(html.contains("تعطیلی (آلودگی هوا)"), "{html}");
        assert!(html.contains("۳۰ آذر ۱۴۰۵"), "{html}");
        // The nominal day is the day the closure moved it from: said once.
        assert!(!html.contains("موعد مقرر"), "{html}");
        assert_eq!(
            due_note(Locale::Fa, &self::task(serde_json::json!({})), None).into_string(),
            ""
        );
    }
}
