//! کارتابل, the inbox at `/`: what waits for the viewer. A member sees their agency's open
//! and returned tasks; the secretariat (and administrators) also see every submission
//! awaiting review. Sorted by due date, with days left or overdue and escalation badges;
//! filters by status, case and workflow live in the query string (so a filtered inbox has
//! its own URL) and htmx swaps only the list when a filter changes.

use std::collections::{BTreeMap, HashMap};

use actix_web::web;
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::PageError;
use super::format::{Remaining, bdi, date, number};
use super::i18n::{Locale, Text};
use super::layout::titled_page;
use super::session::Viewer;
use crate::documents::DocumentQuery;
use crate::domain::Role;
use crate::http::AppState;

/// The filters, as in the query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct InboxFilter {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub case: Option<String>,
    #[serde(default)]
    pub workflow: Option<String>,
    /// 1-based.
    #[serde(default)]
    pub page: Option<usize>,
}

impl InboxFilter {
    fn value(field: &Option<String>) -> Option<&str> {
        field.as_deref().filter(|v| !v.is_empty())
    }

    /// Whether `row` passes every filter that is set.
    pub fn admits(&self, row: &InboxRow) -> bool {
        Self::value(&self.status).is_none_or(|s| row.status == s)
            && Self::value(&self.case).is_none_or(|c| row.case_id == c)
            && Self::value(&self.workflow).is_none_or(|w| row.workflow == w)
    }
}

/// A task as the inbox shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    pub task_id: String,
    pub case_id: String,
    pub case_title: String,
    pub workflow: String,
    /// The workflow's title in the viewer's language.
    pub workflow_title: String,
    pub agency: Option<String>,
    /// The agency's name in the viewer's language.
    pub agency_name: Option<String>,
    pub status: String,
    pub vote: bool,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub escalation_level: u32,
}

impl InboxRow {
    /// Where the viewer acts on it: the review page for a submission awaiting review.
    pub fn href(&self) -> String {
        if self.status == "submitted" {
            format!("/tasks/{}/review", self.task_id)
        } else {
            format!("/tasks/{}", self.task_id)
        }
    }
}

/// The task document's fields the inbox reads.
#[derive(Debug, Deserialize)]
struct TaskDoc {
    id: String,
    case: String,
    agency: Option<String>,
    status: String,
    #[serde(rename = "type")]
    kind: String,
    due_at: Option<DateTime<Utc>>,
    overdue: bool,
    escalation_level: u32,
}

#[derive(Debug, Deserialize)]
struct CaseDoc {
    title: String,
    workflow: String,
}

const PAGE: i64 = 500;
/// Rows on one page of the inbox: a page stays small (later pages ≤ 30 KB of HTML).
const ROWS_PER_PAGE: usize = 50;
/// Cases offered in the filter, most urgent first; any case still filters by its URL.
const CASE_CHOICES: usize = 100;
/// More than any inbox should hold; past it the oldest-due are shown and the rest wait.
const MOST: usize = 5_000;

async fn tasks(
    state: &AppState,
    agency: Option<String>,
    status: &str,
) -> Result<Vec<TaskDoc>, PageError> {
    let mut found = Vec::new();
    let mut query = DocumentQuery {
        agency,
        status: Some(status.to_string()),
        limit: PAGE,
        ..Default::default()
    };
    loop {
        let page = state.engine.documents.list("task", &query).await?;
        let full = page.len() as i64 == PAGE;
        query.after = page.last().map(|(id, _)| id.clone());
        found.extend(
            page.into_iter()
                .filter_map(|(_, d)| serde_json::from_str(&d).ok()),
        );
        if !full || found.len() >= MOST {
            return Ok(found);
        }
    }
}

/// The viewer's inbox, sorted by due date (undated last).
pub async fn load(state: &AppState, viewer: &Viewer) -> Result<Vec<InboxRow>, PageError> {
    let mut docs = Vec::new();
    if let Some(agency) = &viewer.member.agency {
        for status in ["open", "returned"] {
            docs.extend(tasks(state, Some(agency.clone()), status).await?);
        }
    }
    if viewer.has_any(&[Role::Secretariat, Role::Admin]) {
        docs.extend(tasks(state, None, "submitted").await?);
    }
    let locale = viewer.locale;
    let agencies: HashMap<String, String> = state
        .engine
        .agencies()
        .await?
        .into_iter()
        .map(|a| {
            let name = match locale {
                Locale::Fa => a.name_fa,
                Locale::En => a.name_en.unwrap_or(a.name_fa),
            };
            (a.code, name)
        })
        .collect();
    let mut case_ids: Vec<String> = docs.iter().map(|d| d.case.clone()).collect();
    case_ids.sort();
    case_ids.dedup();
    let cases: HashMap<String, CaseDoc> = state
        .engine
        .documents
        .get_many("case", &case_ids)
        .await?
        .into_iter()
        .filter_map(|(id, doc)| Some((id, serde_json::from_str::<CaseDoc>(&doc).ok()?)))
        .collect();
    let mut rows = Vec::new();
    for doc in docs {
        let (case_title, workflow) = match cases.get(&doc.case) {
            Some(case) => (case.title.clone(), case.workflow.clone()),
            None => (String::new(), String::new()),
        };
        let workflow_title = state
            .engine
            .catalog
            .latest_workflow(&workflow)
            .map(|w| {
                let title = w.definition.title();
                locale.pick(&title.fa, &title.en).to_string()
            })
            .unwrap_or_else(|| workflow.clone());
        rows.push(InboxRow {
            task_id: doc.id,
            case_id: doc.case,
            case_title,
            workflow,
            workflow_title,
            agency_name: doc.agency.as_ref().and_then(|a| agencies.get(a).cloned()),
            agency: doc.agency,
            status: doc.status,
            vote: doc.kind == "vote",
            due_at: doc.due_at,
            overdue: doc.overdue,
            escalation_level: doc.escalation_level,
        });
    }
    rows.sort_by(|a, b| {
        (a.due_at.is_none(), a.due_at, &a.task_id).cmp(&(b.due_at.is_none(), b.due_at, &b.task_id))
    });
    Ok(rows)
}

/// `GET /`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    filter: web::Query<InboxFilter>,
) -> Result<Markup, PageError> {
    let filter = filter.into_inner();
    let all = load(&state, &viewer).await?;
    let rows: Vec<InboxRow> = all
        .iter()
        .filter(|row| filter.admits(row))
        .cloned()
        .collect();
    Ok(render(&viewer, &all, &rows, &filter))
}

pub fn status_label(locale: Locale, status: &str) -> String {
    let (fa, en) = match status {
        "open" => ("باز", "open"),
        "returned" => ("بازگشت برای اصلاح", "returned"),
        "submitted" => ("در انتظار بررسی", "awaiting review"),
        "accepted" => ("پذیرفته", "accepted"),
        "nothing_to_declare" => ("موردی برای اعلام ندارد", "nothing to declare"),
        "voted" => ("رأی داده شد", "voted"),
        "expired" => ("منقضی", "expired"),
        "cancelled" => ("لغو شده", "cancelled"),
        other => return other.to_string(),
    };
    locale.pick(fa, en).to_string()
}

fn status_chip(locale: Locale, status: &str) -> Markup {
    let tone = match status {
        "returned" => "chip danger",
        "submitted" => "chip warn",
        "accepted" => "chip ok",
        _ => "chip",
    };
    html! { span class=(tone) { (status_label(locale, status)) } }
}

fn select(
    id: &str,
    label: &str,
    any: &str,
    options: &[(String, String)],
    chosen: Option<&str>,
) -> Markup {
    html! {
        div.field {
            label for=(id) { (label) }
            select #(id) name=(id) {
                option value="" { (any) }
                @for (value, text) in options {
                    option value=(value) selected[chosen == Some(value.as_str())] { (text) }
                }
            }
        }
    }
}

/// The inbox page: pure, from the rows (all of them, for the filters' choices, and the
/// filtered ones) to markup.
pub fn render(
    viewer: &Viewer,
    all: &[InboxRow],
    rows: &[InboxRow],
    filter: &InboxFilter,
) -> Markup {
    let locale = viewer.locale;
    let heading = locale.text(Text::Inbox);
    let title = format!("{heading} ({})", number(locale, rows.len()));
    let pages = rows.len().div_ceil(ROWS_PER_PAGE).max(1);
    let page = filter.page.unwrap_or(1).clamp(1, pages);
    let first = (page - 1) * ROWS_PER_PAGE;
    let shown = &rows[first..rows.len().min(first + ROWS_PER_PAGE)];
    let body = html! {
        @if !all.is_empty() { (filter_form(locale, all, filter)) }
        div #inbox-list {
            @if rows.is_empty() {
                p.panel role="status" { (locale.pick("کاری در انتظار شما نیست.", "Nothing is waiting for you.")) }
            } @else {
                p.muted role="status" { (range_text(locale, first + 1, first + shown.len(), rows.len())) }
                div.table-wrap {
                    table.cards {
                        caption.visually-hidden { (title) }
                        thead { tr {
                            th scope="col" { (locale.pick("کار", "Task")) }
                            th scope="col" { (locale.pick("دستگاه", "Agency")) }
                            th scope="col" { (locale.pick("وضعیت", "Status")) }
                            th scope="col" { (locale.pick("مهلت", "Due")) }
                        } }
                        tbody {
                            @for row in shown { (render_row(viewer, row)) }
                        }
                    }
                }
                @if pages > 1 {
                    nav.actions aria-label=(locale.pick("صفحه‌ها", "Pages")) {
                        @if page > 1 {
                            a.button.secondary rel="prev" href=(page_href(filter, page - 1)) { (locale.pick("صفحهٔ قبل", "Previous page")) }
                        }
                        @if page < pages {
                            a.button.secondary rel="next" href=(page_href(filter, page + 1)) { (locale.pick("صفحهٔ بعد", "Next page")) }
                        }
                    }
                }
            }
        }
    };
    titled_page(viewer, &title, heading, body)
}

/// The filters: a plain GET form (works without JavaScript) that htmx submits on change,
/// swapping only the list and pushing the URL.
fn filter_form(locale: Locale, all: &[InboxRow], filter: &InboxFilter) -> Markup {
    let mut statuses = BTreeMap::new();
    let mut workflows = BTreeMap::new();
    let mut cases: Vec<(String, String)> = Vec::new();
    for row in all {
        statuses.insert(row.status.clone(), status_label(locale, &row.status));
        workflows.insert(row.workflow.clone(), row.workflow_title.clone());
        let chosen = InboxFilter::value(&filter.case) == Some(row.case_id.as_str());
        if (cases.len() < CASE_CHOICES || chosen) && !cases.iter().any(|(id, _)| *id == row.case_id)
        {
            cases.push((row.case_id.clone(), row.case_title.clone()));
        }
    }
    let options = |map: BTreeMap<String, String>| map.into_iter().collect::<Vec<_>>();
    let any = locale.pick("همه", "all");
    html! {
        form.filters.panel method="get" action="/" role="search"
            hx-get="/" hx-trigger="change" hx-target="#inbox-list" hx-select="#inbox-list"
            hx-swap="outerHTML" hx-push-url="true" {
            (select("status", locale.pick("وضعیت", "Status"), any, &options(statuses), InboxFilter::value(&filter.status)))
            (select("case", locale.pick("پرونده", "Case"), any, &cases, InboxFilter::value(&filter.case)))
            (select("workflow", locale.pick("گردش کار", "Workflow"), any, &options(workflows), InboxFilter::value(&filter.workflow)))
            noscript { button type="submit" { (locale.pick("اعمال", "Apply")) } }
        }
    }
}

/// «۱ تا ۵۰ از ۵۰۰ کار»
fn range_text(locale: Locale, from: usize, to: usize, total: usize) -> String {
    match locale {
        Locale::Fa => format!(
            "{} تا {} از {} کار",
            number(locale, from),
            number(locale, to),
            number(locale, total)
        ),
        Locale::En => format!("{from}–{to} of {total} tasks"),
    }
}

/// The URL of `page` with the same filters.
fn page_href(filter: &InboxFilter, page: usize) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in [
        ("status", &filter.status),
        ("case", &filter.case),
        ("workflow", &filter.workflow),
    ] {
        if let Some(value) = InboxFilter::value(value) {
            pairs.push((name, value.to_string()));
        }
    }
    pairs.push(("page", page.to_string()));
    format!(
        "/?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

fn render_row(viewer: &Viewer, row: &InboxRow) -> Markup {
    let locale = viewer.locale;
    let remaining = row.due_at.map(|due| Remaining::between(due, viewer.now));
    let what = if row.vote {
        locale.pick("رأی", "vote")
    } else {
        locale.pick("تکمیل فرم", "form")
    };
    html! {
        tr {
            td data-label=(locale.pick("کار", "Task")) {
                a href=(row.href()) { (row.case_title) }
                " "
                span.muted { "(" (what) ")" }
            }
            td data-label=(locale.pick("دستگاه", "Agency")) {
                @if let Some(name) = &row.agency_name { (name) " " }
                @if let Some(agency) = &row.agency { span.muted { "(" (bdi(agency)) ")" } }
            }
            td data-label=(locale.pick("وضعیت", "Status")) {
                (status_chip(locale, &row.status))
                @if row.escalation_level > 0 {
                    " "
                    span.badge.danger {
                        (locale.pick("ارجاع سطح ", "escalated, level ")) (number(locale, row.escalation_level))
                    }
                }
            }
            td data-label=(locale.pick("مهلت", "Due")) {
                @if let (Some(due), Some(remaining)) = (row.due_at, remaining) {
                    (date(locale, due))
                    br;
                    @if row.overdue || remaining.is_overdue() {
                        span.badge.danger { (remaining.text(locale)) }
                    } @else {
                        span.badge.ok { (remaining.text(locale)) }
                    }
                } @else {
                    span.muted { "—" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
