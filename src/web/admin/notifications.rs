//! `/admin/notifications`: the mail queue as `GET /v1/notifications` lists it — status,
//! attempts, last error, template, recipient and the event that caused each e-mail —
//! filtered by case and status in the query string, a page at a time after a cursor.

use actix_web::web;
use maud::{Markup, html};
use serde::Deserialize;

use crate::http::AppState;
use crate::outbox::{Notification, NotificationQuery};
use crate::web::error::PageError;
use crate::web::format::{bdi, number};
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// Rows per page.
const PAGE: i64 = 50;
/// The statuses a notification can have.
pub const STATUSES: [&str; 3] = ["queued", "sent", "failed"];

/// The filters and position, as in the query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub after: String,
}

impl Filter {
    /// The outbox query, or what is wrong with the filter (shown beside it).
    pub fn query(&self, locale: Locale) -> Result<NotificationQuery, String> {
        let case = self.case.trim();
        if !case.is_empty() && case.parse::<uuid::Uuid>().is_err() {
            return Err(locale
                .pick(
                    "شناسهٔ پرونده درست نیست؛ شناسه را از نشانی صفحهٔ پرونده بردارید.",
                    "That is not a case id; copy it from the case page's address.",
                )
                .to_string());
        }
        let status = self.status.trim();
        if !status.is_empty() && !STATUSES.contains(&status) {
            return Err(locale
                .pick("وضعیت ناشناخته است.", "Unknown status.")
                .to_string());
        }
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Ok(NotificationQuery {
            case_id: some(case),
            status: some(status),
            after: some(self.after.trim()),
            limit: PAGE,
        })
    }

    /// The query string of the page after `last`, with the same filters.
    pub fn next_page(&self, last: &str) -> String {
        let pairs = [
            ("case", self.case.trim()),
            ("status", self.status.trim()),
            ("after", last),
        ];
        let kept: Vec<(&str, &str)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "/admin/notifications?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

/// `GET /admin/notifications`
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    filter: web::Query<Filter>,
) -> Result<Markup, PageError> {
    let filter = filter.into_inner();
    let (rows, problem) = match filter.query(viewer.locale) {
        Ok(query) => (state.outbox.list(&query).await?, None),
        Err(problem) => (Vec::new(), Some(problem)),
    };
    Ok(notifications_page(
        &viewer,
        &filter,
        &rows,
        problem.as_deref(),
    ))
}

fn status_text(locale: Locale, status: &str) -> &'static str {
    match status {
        "queued" => locale.pick("در صف", "queued"),
        "sent" => locale.pick("فرستاده شد", "sent"),
        "failed" => locale.pick("ناموفق", "failed"),
        _ => locale.pick("ناشناخته", "unknown"),
    }
}

fn status_chip(locale: Locale, status: &str) -> Markup {
    let class = match status {
        "sent" => "chip ok",
        "failed" => "chip danger",
        _ => "chip warn",
    };
    html! { span class=(class) { (status_text(locale, status)) } }
}

/// The list page: pure, from the filter, a page of rows and the filter's problem.
pub fn notifications_page(
    viewer: &Viewer,
    filter: &Filter,
    rows: &[Notification],
    problem: Option<&str>,
) -> Markup {
    let locale = viewer.locale;
    let body = html! {
        form.filters method="get" action="/admin/notifications" {
            div.field {
                label for="case" { (locale.pick("پرونده (شناسه)", "Case (id)")) }
                @if let Some(problem) = problem {
                    p.field-error #case-error { (problem) }
                }
                input #case type="text" name="case" value=(filter.case) dir="ltr" autocomplete="off"
                    aria-invalid=[problem.map(|_| "true")] aria-describedby=[problem.map(|_| "case-error")];
            }
            div.field {
                label for="status" { (locale.pick("وضعیت", "Status")) }
                select #status name="status" {
                    option value="" { (locale.pick("همه", "all")) }
                    @for status in STATUSES {
                        option value=(status) selected[filter.status == status] { (status_text(locale, status)) }
                    }
                }
            }
            div.actions { button type="submit" { (locale.pick("نمایش", "Show")) } }
        }
        @if rows.is_empty() {
            p.muted { (locale.pick("اعلانی با این شرط‌ها نیست.", "No notification matches.")) }
        } @else {
            div.table-wrap {
                table.notifications.cards {
                    caption.visually-hidden { (locale.pick("اعلان‌ها", "Notifications")) }
                    thead { tr {
                        th scope="col" { (locale.pick("گیرنده", "Recipient")) }
                        th scope="col" { (locale.pick("قالب", "Template")) }
                        th scope="col" { (locale.pick("وضعیت", "Status")) }
                        th scope="col" { (locale.pick("تلاش‌ها", "Attempts")) }
                        th scope="col" { (locale.pick("آخرین خطا", "Last error")) }
                        th scope="col" { (locale.pick("پرونده", "Case")) }
                        th scope="col" { (locale.pick("رویداد سبب", "Caused by event")) }
                    } }
                    tbody {
                        @for row in rows { (notification_row(locale, row)) }
                    }
                }
            }
        }
        @if rows.len() as i64 == PAGE && let Some(last) = rows.last() {
            p { a rel="next" href=(filter.next_page(&last.id)) { (locale.pick("صفحهٔ بعد", "Next page")) } }
        }
    };
    page(viewer, locale.pick("اعلان‌ها", "Notifications"), body)
}

fn notification_row(locale: Locale, row: &Notification) -> Markup {
    html! {
        tr {
            td data-label=(locale.pick("گیرنده", "Recipient")) { (bdi(&row.to)) br; span.muted { (bdi(&row.member_id)) } }
            td data-label=(locale.pick("قالب", "Template")) { (bdi(&row.template)) br; span.muted { (row.subject) } }
            td data-label=(locale.pick("وضعیت", "Status")) { (status_chip(locale, &row.status)) }
            td data-label=(locale.pick("تلاش‌ها", "Attempts")) { (number(locale, row.attempts)) }
            td data-label=(locale.pick("آخرین خطا", "Last error")) { @match &row.last_error { Some(error) => bdi.error-text { (error) }, None => span.muted { "—" } } }
            td data-label=(locale.pick("پرونده", "Case")) { @match &row.case_id {
                Some(case) => a href={ "/cases/" (case) } title=(case) { bdi.id { (short_id(case)) } },
                None => span.muted { "—" },
            } }
            td data-label=(locale.pick("رویداد سبب", "Caused by event")) { bdi.id title=(row.caused_by_event) { (short_id(&row.caused_by_event)) } }
        }
    }
}

/// The last block of a UUID: enough to tell rows apart (the first block of a time-ordered
/// id is the same for everything made in the same minute); the whole id is in the link.
fn short_id(id: &str) -> &str {
    id.rsplit('-').next().unwrap_or(id)
}
