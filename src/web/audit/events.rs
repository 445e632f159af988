//! `/audit/events`: the log, a page at a time, filtered by type, case and stream. The
//! filters and the cursor (`after`, a position) live in the query string, so a link is the
//! view. Each event opens (`<details>`, no script) to its stored JSON, metadata and hashes.
//! `/audit/events.ndjson` streams every event the same filters select, as the API does.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::{case_of_stream, event_name, instant, role_name};
use crate::engine::case_stream;
use crate::event_store::{RawEvent, ReadAll};
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::format::{bdi, number};
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// Events per page.
pub const PAGE: usize = 50;

/// The filters and cursor as typed (kept as text, so a bad one is shown back, not lost).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct LogQuery {
    #[serde(default, rename = "type")]
    pub event_type: Option<String>,
    #[serde(default)]
    pub case: Option<String>,
    #[serde(default)]
    pub stream: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

fn chosen(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl LogQuery {
    /// The store's query, or what is wrong with the filters, in the reader's language.
    pub fn read_all(&self, locale: Locale, limit: i64) -> Result<ReadAll, String> {
        let after = match chosen(&self.after) {
            None => 0,
            Some(raw) => raw.parse::<i64>().ok().filter(|p| *p >= 0).ok_or_else(|| {
                locale
                    .pick(
                        "«پس از» باید شمارهٔ یک جایگاه باشد.",
                        "“after” must be a log position.",
                    )
                    .to_string()
            })?,
        };
        let mut query = ReadAll::after(after, limit);
        query.stream_prefix = match (chosen(&self.case), chosen(&self.stream)) {
            (Some(case), _) => Some(case_stream(case.parse::<Uuid>().map_err(|_| {
                locale
                    .pick(
                        "شناسهٔ پرونده خوانا نیست؛ شناسه‌ای مانند 0193a8e4-… بنویسید.",
                        "The case id cannot be read; write an id such as 0193a8e4-….",
                    )
                    .to_string()
            })?)),
            (None, Some(stream)) => Some(stream.to_string()),
            (None, None) => None,
        };
        query.event_types = chosen(&self.event_type)
            .into_iter()
            .flat_map(|t| t.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        Ok(query)
    }

    /// This view's URL at another cursor (`None`: the first page).
    pub fn url(&self, base: &str, after: Option<i64>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("type", &self.event_type),
            ("case", &self.case),
            ("stream", &self.stream),
        ] {
            if let Some(value) = chosen(value) {
                query.append_pair(name, value);
            }
        }
        if let Some(after) = after.filter(|a| *a > 0) {
            query.append_pair("after", &after.to_string());
        }
        match query.finish() {
            q if q.is_empty() => base.to_string(),
            q => format!("{base}?{q}"),
        }
    }
}

/// Where the neighbouring pages start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The previous page's cursor (`Some(0)`: the first page); `None` on the first page.
    pub previous: Option<i64>,
    /// The next page's cursor, when there are more events.
    pub next: Option<i64>,
}

impl Paging {
    /// From the cursor of this page, the matches just before it (oldest first, at most
    /// `PAGE + 1`), the positions on it, and whether one more matched after them.
    pub fn of(after: i64, before: &[i64], shown: &[i64], more: bool) -> Self {
        let previous = (after > 0).then(|| match before.len() {
            n if n > PAGE => before[n - PAGE - 1],
            _ => 0,
        });
        let next = more.then(|| shown.last().copied()).flatten();
        Paging { previous, next }
    }
}

/// The matches just before `query.after`, oldest first: enough to place the previous page.
/// Reads backwards in growing windows, since the store reads only forwards.
async fn matches_before(state: &AppState, query: &ReadAll) -> Result<Vec<i64>, PageError> {
    let end = query.after;
    let mut window = (PAGE as i64) * 4;
    loop {
        let start = (end - window).max(0);
        let mut scan = query.clone();
        scan.after = start;
        scan.limit = 1_000;
        let mut found = Vec::new();
        'pages: loop {
            let page = state.engine.store.read_all_raw(&scan).await?;
            for event in &page {
                if event.position > end {
                    break 'pages;
                }
                found.push(event.position);
            }
            match page.last() {
                Some(last) if page.len() as i64 == scan.limit => scan.after = last.position,
                _ => break,
            }
        }
        if found.len() > PAGE || start == 0 {
            let keep = found.len().saturating_sub(PAGE + 1);
            return Ok(found.split_off(keep));
        }
        window *= 4;
    }
}

/// `GET /audit/events`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    filter: web::Query<LogQuery>,
) -> Result<HttpResponse, PageError> {
    let query = match filter.read_all(viewer.locale, PAGE as i64 + 1) {
        Ok(query) => query,
        Err(problem) => {
            let body = log_page(
                &viewer,
                &filter,
                &[],
                Paging::of(0, &[], &[], false),
                Some(&problem),
            );
            return Ok(html_response(
                actix_web::http::StatusCode::BAD_REQUEST,
                body,
            ));
        }
    };
    let mut events = state.engine.store.read_all_raw(&query).await?;
    let more = events.len() > PAGE;
    events.truncate(PAGE);
    let before = if query.after > 0 {
        matches_before(&state, &query).await?
    } else {
        Vec::new()
    };
    let shown: Vec<i64> = events.iter().map(|e| e.position).collect();
    let paging = Paging::of(query.after, &before, &shown, more);
    let body = log_page(&viewer, &filter, &events, paging, None);
    Ok(html_response(actix_web::http::StatusCode::OK, body))
}

pub(super) fn html_response(status: actix_web::http::StatusCode, body: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body.into_string())
}

/// `GET /audit/events.ndjson`: every event the filters select, one JSON envelope a line.
pub async fn download(
    state: web::Data<AppState>,
    viewer: Viewer,
    filter: web::Query<LogQuery>,
) -> Result<HttpResponse, PageError> {
    let query = filter
        .read_all(viewer.locale, 1_000)
        .map_err(PageError::bad_request)?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header((
            "content-disposition",
            "attachment; filename=\"events.ndjson\"",
        ))
        .streaming(crate::http::audit::ndjson_stream(
            state.engine.store.clone(),
            query,
        )))
}

/// The log page: pure, from one page of stored events to markup.
pub fn log_page(
    viewer: &Viewer,
    filter: &LogQuery,
    events: &[RawEvent],
    paging: Paging,
    problem: Option<&str>,
) -> Markup {
    let locale = viewer.locale;
    let w = |fa, en| locale.pick(fa, en);
    let body = html! {
        (filters(locale, filter, problem))
        p.actions {
            a.button.secondary href=(filter.url("/audit/events.ndjson", None)) download {
                (w("دریافت همهٔ رویدادهای این فیلتر (NDJSON)", "Download every event of this filter (NDJSON)"))
            }
        }
        @if events.is_empty() && problem.is_none() {
            p.panel { (w("رویدادی با این ویژگی‌ها نیست.", "No event matches.")) }
        }
        ol.event-log {
            @for event in events { li { (event_row(locale, event)) } }
        }
        (paging_links(locale, filter, paging))
    };
    page(viewer, w("دفتر رویدادها", "Event log"), body)
}

fn filters(locale: Locale, filter: &LogQuery, problem: Option<&str>) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let field = |id: &str, label: &str, value: &Option<String>, hint: &str| {
        html! {
            div.field {
                label for=(id) { (label) }
                input #(id) name=(id) type="text" dir="ltr" value=(value.as_deref().unwrap_or_default())
                    aria-describedby=[problem.map(|_| "log-problem")] placeholder=(hint);
            }
        }
    };
    html! {
        @if let Some(problem) = problem {
            p.notice.error #log-problem role="alert" { (problem) }
        }
        form.filters.panel method="get" action="/audit/events" role="search" {
            (field("type", w("نوع رویداد", "Event type"), &filter.event_type, "SubmissionAccepted"))
            (field("case", w("پرونده", "Case"), &filter.case, "0193a8e4-…"))
            (field("stream", w("جریان", "Stream"), &filter.stream, "case-…"))
            button type="submit" { (w("نمایش", "Show")) }
        }
    }
}

fn paging_links(locale: Locale, filter: &LogQuery, paging: Paging) -> Markup {
    html! {
        nav.pager aria-label=(locale.pick("صفحه‌ها", "Pages")) {
            @if let Some(previous) = paging.previous {
                a rel="prev" href=(filter.url("/audit/events", Some(previous))) { (locale.pick("صفحهٔ پیش", "Previous page")) }
            }
            @if let Some(next) = paging.next {
                a rel="next" href=(filter.url("/audit/events", Some(next))) { (locale.pick("صفحهٔ بعد", "Next page")) }
            }
        }
    }
}

/// The stored text, indented when it is JSON.
fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}

fn event_row(locale: Locale, event: &RawEvent) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let metadata: Value = serde_json::from_str(&event.metadata).unwrap_or_default();
    let who = |key: &str| metadata[key].as_str().unwrap_or("—").to_string();
    let at = chrono::DateTime::from_timestamp_micros(event.recorded_at_us).unwrap_or_default();
    html! {
        details.event id={ "event-" (event.position) } {
            summary {
                span.position { (number(locale, event.position)) }
                " " strong { (event_name(locale, &event.event_type)) }
                " · " (instant(locale, at))
                " · " span.muted { (bdi(&event.stream_id)) }
            }
            dl.event-facts {
                dt { (w("نوع", "Type")) } dd { bdi { (event.event_type) " v" (event.event_version) } }
                dt { (w("جریان", "Stream")) } dd {
                    @match case_of_stream(&event.stream_id) {
                        Some(case) => a href={ "/cases/" (case) "/timeline" } { (bdi(&event.stream_id)) },
                        None => (bdi(&event.stream_id)),
                    }
                    " · " (w("نسخه", "version")) " " (number(locale, event.version))
                }
                dt { (w("کنشگر", "Actor")) } dd { (bdi(&who("actor"))) }
                dt { (w("دستگاه", "Agency")) } dd { (bdi(&who("agency"))) }
                dt { (w("نقش", "Role")) } dd { (role_name(locale, &who("role"))) }
                dt { (w("هش پیشین", "Previous hash")) } dd { code.hash { (event.prev_hash) } }
                dt { (w("هش", "Hash")) } dd { code.hash { (event.hash) } }
            }
            h3 { (w("داده‌های ذخیره‌شده", "Stored data")) }
            pre.json dir="ltr" tabindex="0" { code { (pretty(&event.data)) } }
            h3 { (w("فراداده", "Metadata")) }
            pre.json dir="ltr" tabindex="0" { code { (pretty(&event.metadata)) } }
        }
    }
}
