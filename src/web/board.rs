//! The status board as people read it: one row per agency (its name, a status chip, the
//! due day, overdue, escalation level, submissions, returns, last activity) and the totals.
//! A function from the board report ([`crate::reports::board`], already localised) to
//! markup; it decides nothing. The case page polls this table as a fragment.

use chrono::DateTime;
use maud::{Markup, html};

use crate::calendar::JalaliDate;
use crate::calendar::to_persian_digits;
use crate::reports::board::{Board, BoardRow, Locale, display_date};

/// A task status in the reader's language.
pub fn status_label(status: &str, locale: Locale) -> &str {
    let (fa, en) = match status {
        "open" => ("باز", "Open"),
        "submitted" => ("در انتظار بررسی", "Awaiting review"),
        "returned" => ("برگشت برای اصلاح", "Returned"),
        "accepted" => ("پذیرفته", "Accepted"),
        "voted" => ("رأی داده", "Voted"),
        "expired" => ("منقضی", "Expired"),
        "cancelled" => ("لغوشده", "Cancelled"),
        other => (other, other),
    };
    match locale {
        Locale::Fa => fa,
        Locale::En => en,
    }
}

/// A status as a chip; the class gives its colour, the word its meaning.
pub fn status_chip(status: &str, locale: Locale) -> Markup {
    html! { span class={ "chip chip-" (status) } { (status_label(status, locale)) } }
}

fn words(locale: Locale, fa: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Fa => fa,
        Locale::En => en,
    }
}

fn number(locale: Locale, n: impl ToString) -> String {
    match locale {
        Locale::Fa => to_persian_digits(&n.to_string()),
        Locale::En => n.to_string(),
    }
}

/// The board's table, with the totals in its footer.
pub fn board_table(board: &Board, locale: Locale) -> Markup {
    let w = |fa, en| words(locale, fa, en);
    html! {
        div.table-scroll {
            table.board {
                caption { (w("وضعیت دستگاه‌ها", "Where each agency stands")) }
                thead {
                    tr {
                        th scope="col" { (w("دستگاه", "Agency")) }
                        th scope="col" { (w("وضعیت", "Status")) }
                        th scope="col" { (w("مهلت", "Due")) }
                        th scope="col" { (w("دیرکرد", "Overdue")) }
                        th scope="col" { (w("سطح پیگیری", "Escalation")) }
                        th scope="col" { (w("ارسال‌ها", "Submissions")) }
                        th scope="col" { (w("بازگشت‌ها", "Returns")) }
                        th scope="col" { (w("آخرین فعالیت", "Last activity")) }
                    }
                }
                tbody {
                    @for row in &board.rows { (board_row(row, locale)) }
                }
                tfoot { (totals(board, locale)) }
            }
        }
    }
}

fn board_row(row: &BoardRow, locale: Locale) -> Markup {
    let w = |fa, en| words(locale, fa, en);
    // A submission waiting for the secretariat opens on its review page.
    let href = if row.status == "submitted" {
        format!("/tasks/{}/review", row.task)
    } else {
        format!("/tasks/{}", row.task)
    };
    html! {
        tr class=[row.overdue.then_some("overdue")] {
            th scope="row" {
                a href=(href) { (agency(row, locale)) }
            }
            td { (status_chip(&row.status, locale)) }
            td {
                @match (&row.due_at, &row.due_display) {
                    (Some(at), Some(day)) => time datetime=(at) title=(at) { (day) },
                    _ => "—",
                }
            }
            td {
                @if row.overdue { span.badge.badge-overdue { (w("دیرکرد", "Overdue")) } } @else { "—" }
            }
            td {
                @if row.escalation_level > 0 {
                    span.badge.badge-escalated { (number(locale, row.escalation_level)) }
                } @else { (number(locale, 0)) }
            }
            td { (number(locale, row.submissions)) }
            td { (number(locale, row.returns)) }
            td { (last_activity(row, locale)) }
        }
    }
}

fn agency(row: &BoardRow, locale: Locale) -> Markup {
    match (&row.agency_name, &row.agency) {
        (Some(name), Some(code)) => html! { (name) " " bdi.code { (code) } },
        (None, Some(code)) => html! { bdi.code { (code) } },
        // A task of no agency (a secretariat's own step): its step names it.
        (_, None) => html! { (words(locale, "دبیرخانه", "Secretariat")) " · " bdi { (row.step) } },
    }
}

fn last_activity(row: &BoardRow, locale: Locale) -> Markup {
    let day = row
        .last_activity_jalali
        .as_deref()
        .and_then(|d| d.parse::<JalaliDate>().ok());
    let valid = DateTime::parse_from_rfc3339(&row.last_activity).is_ok();
    match day {
        Some(day) if valid => html! {
            time datetime=(row.last_activity) title=(row.last_activity) { (display_date(day, locale)) }
        },
        _ => html! { "—" },
    }
}

fn totals(board: &Board, locale: Locale) -> Markup {
    let w = |fa, en| words(locale, fa, en);
    let t = &board.totals;
    let submissions: usize = board.rows.iter().map(|r| r.submissions).sum();
    let returns: usize = board.rows.iter().map(|r| r.returns).sum();
    html! {
        tr {
            th scope="row" { (w("جمع", "Total")) ": " (number(locale, t.tasks)) }
            td {
                ul.totals {
                    @for (status, count) in t.by_status.iter().filter(|(_, n)| **n > 0) {
                        li { (status_chip(status, locale)) " " (number(locale, count)) }
                    }
                }
            }
            td {}
            td { (number(locale, t.overdue)) }
            td { (number(locale, t.escalated)) }
            td { (number(locale, submissions)) }
            td { (number(locale, returns)) }
            td {}
        }
    }
}

#[cfg(test)]
mod tests;
