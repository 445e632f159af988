//! The status board as people read it: one row per agency (its name, a status chip, the
//! due day, overdue, escalation level, submissions, returns, last activity) and the totals.
//! A function from the board report ([`crate::reports::board`], already localised) to
//! markup; it decides nothing. The case page polls this table as a fragment.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::format::{date, jalali_text, number};
use super::i18n::Locale;
use super::inbox::status_label;
use crate::calendar::JalaliDate;
use crate::reports::board::{Board, BoardRow};

/// The board report's own locale type, for [`Board::localise`] and agency names.
pub fn report_locale(locale: Locale) -> crate::reports::Locale {
    match locale {
        Locale::Fa => crate::reports::Locale::Fa,
        Locale::En => crate::reports::Locale::En,
    }
}

/// A status as a chip: its tone for the eye, its word for everyone.
pub fn status_chip(status: &str, locale: Locale) -> Markup {
    let tone = match status {
        "returned" | "expired" => "chip danger",
        "submitted" => "chip warn",
        "accepted" | "voted" | "nothing_to_declare" => "chip ok",
        _ => "chip",
    };
    html! { span class=(tone) { (status_label(locale, status)) } }
}

/// What the board shows besides the report: members' names (id → name) for vote rows, and
/// with `actions`, a link to reassign each submission still waiting for its agency and a
/// submission awaiting review linked to its review page.
#[derive(Debug, Clone, Copy)]
pub struct BoardOptions<'a> {
    pub actions: bool,
    pub members: &'a BTreeMap<String, String>,
    /// A member's board: only its own agency's rows link to their tasks (it may not open
    /// another agency's).
    pub agency: Option<&'a str>,
}

/// The board's table, with the totals in its footer.
pub fn board_table(board: &Board, locale: Locale, options: BoardOptions<'_>) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    html! {
        div.table-wrap {
            table.board.cards {
                caption.visually-hidden { (w("وضعیت دستگاه‌ها", "Where each agency stands")) }
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
                    @for row in &board.rows { (board_row(row, locale, options)) }
                }
                tfoot { (totals(board, locale)) }
            }
        }
    }
}

fn board_row(row: &BoardRow, locale: Locale, options: BoardOptions<'_>) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    // A submission waiting for the secretariat opens on its review page, for those who
    // review; others (auditors, a past state) open the task itself.
    let href = if row.status == "submitted" && options.actions {
        format!("/tasks/{}/review", row.task)
    } else {
        format!("/tasks/{}", row.task)
    };
    let linked = options
        .agency
        .is_none_or(|own| row.agency.as_deref() == Some(own));
    html! {
        tr class=[row.overdue.then_some("overdue")] {
            th scope="row" {
                @if linked { a href=(href) { (agency(row, locale)) } } @else { (agency(row, locale)) }
                @if row.kind == "vote" {
                    br;
                    span.muted {
                        (w("رأی", "Vote"))
                        @if let Some(member) = row.assignee.as_ref().or(row.voted_by.as_ref()) {
                            " · " (options.members.get(member).map_or(member.as_str(), String::as_str))
                        }
                    }
                }
                @let waiting = matches!(row.status.as_str(), "open" | "returned");
                @if options.actions && row.kind == "submission" && row.agency.is_some() && waiting {
                    br;
                    a.small href={ "/tasks/" (row.task) "/reassign" } { (w("واگذاری", "Reassign")) }
                }
            }
            td data-label=(w("وضعیت", "Status")) {
                (status_chip(&row.status, locale))
                // A nil return awaiting review says so beside its status.
                @if row.nothing_to_declare && row.status == "submitted" {
                    br;
                    span.muted { (status_label(locale, "nothing_to_declare")) }
                }
            }
            td data-label=(w("مهلت", "Due")) { (due(row, locale)) }
            td data-label=(w("دیرکرد", "Overdue")) {
                @if row.overdue { span.badge.danger { (w("دیرکرد", "Overdue")) } } @else { "—" }
            }
            td data-label=(w("سطح پیگیری", "Escalation")) {
                @if row.escalation_level > 0 {
                    span.badge.warn { (number(locale, row.escalation_level)) }
                } @else { (number(locale, 0)) }
            }
            td data-label=(w("ارسال‌ها", "Submissions")) { (number(locale, row.submissions)) }
            td data-label=(w("بازگشت‌ها", "Returns")) { (number(locale, row.returns)) }
            td data-label=(w("آخرین فعالیت", "Last activity")) { (last_activity(row, locale)) }
        }
    }
}

fn agency(row: &BoardRow, locale: Locale) -> Markup {
    match (&row.agency_name, &row.agency) {
        (Some(name), Some(code)) => html! { (name) " " bdi.code { (code) } },
        (None, Some(code)) => html! { bdi.code { (code) } },
        // A task of no agency (a secretariat's own step): its step names it.
        (_, None) => html! { (locale.pick("دبیرخانه", "Secretariat")) " · " bdi { (row.step) } },
    }
}

/// The due day with its weekday, the instant kept in `<time>`.
fn due(row: &BoardRow, locale: Locale) -> Markup {
    let day = row
        .due_jalali
        .as_deref()
        .and_then(|d| d.parse::<JalaliDate>().ok());
    match (row.due_at.as_deref(), day) {
        (Some(at), Some(day)) => {
            html! { time datetime=(at) title=(at) { (jalali_text(locale, day)) } }
        }
        _ => html! { "—" },
    }
}

fn last_activity(row: &BoardRow, locale: Locale) -> Markup {
    match row.last_activity.parse::<DateTime<Utc>>() {
        Ok(at) => date(locale, at),
        Err(_) => html! { "—" },
    }
}

fn totals(board: &Board, locale: Locale) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let t = &board.totals;
    let submissions: usize = board.rows.iter().map(|r| r.submissions).sum();
    let returns: usize = board.rows.iter().map(|r| r.returns).sum();
    html! {
        tr {
            th scope="row" { (w("جمع", "Total")) ": " (number(locale, t.tasks)) }
            td data-label=(w("وضعیت", "Status")) {
                ul.totals {
                    @for (status, count) in t.by_status.iter().filter(|(_, n)| **n > 0) {
                        li { (status_chip(status, locale)) " " (number(locale, count)) }
                    }
                }
            }
            td {}
            td data-label=(w("دیرکرد", "Overdue")) { (number(locale, t.overdue)) }
            td data-label=(w("پیگیری‌شده", "Escalated")) { (number(locale, t.escalated)) }
            td data-label=(w("ارسال‌ها", "Submissions")) { (number(locale, submissions)) }
            td data-label=(w("بازگشت‌ها", "Returns")) { (number(locale, returns)) }
            td {}
        }
    }
}

#[cfg(test)]
mod tests;
