//! The secretariat's cases: the list with its filters (`/cases`, this file), opening a case
//! ([`open`], read by [`new`]), the case page with the live status board ([`case`]), and
//! cancelling a case or reassigning a task ([`actions`]). Filters and pages live in the
//! query string, so every list a person sees has its own URL.

pub mod actions;
pub mod case;
pub mod confirmation;
pub mod meeting;
pub mod new;
pub mod open;
pub mod practice;

#[cfg(test)]
mod tests;

use actix_web::web;
use std::collections::BTreeMap;

use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use crate::documents::DocumentQuery;
use crate::domain::Role;
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::format::{date, number};
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// Who runs cases: the secretariat, and administrators.
pub const STAFF: &[Role] = &[Role::Secretariat, Role::Admin];
/// Who reads cases: those, and auditors.
pub const READERS: &[Role] = &[Role::Secretariat, Role::Admin, Role::Auditor];

/// Cases shown per page of the list.
const PAGE: usize = 50;

/// The list's filters and position, as in the query string.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct CaseFilter {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub workflow: Option<String>,
    /// The last case id of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

/// Whether the version a form was rendered at (its hidden `version` field) is still the
/// current one: compared as the API compares `If-Match`, so a page does not act on a case
/// or task that moved on after it was rendered.
pub fn version_matches(current: &Value, posted: &str) -> bool {
    current
        .as_i64()
        .is_some_and(|v| v.to_string() == posted.trim().trim_matches('"'))
}

fn chosen(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// One page of cases, oldest first, and whether there is a next one.
async fn load(state: &AppState, filter: &CaseFilter) -> Result<(Vec<Value>, bool), PageError> {
    let (stored, more) = load_stored(state, filter).await?;
    let cases = crate::engine::case_documents(&state.engine.documents, stored).await?;
    Ok((cases, more))
}

/// [`load`]'s page as stored, before its tasks are read.
async fn load_stored(
    state: &AppState,
    filter: &CaseFilter,
) -> Result<(Vec<Value>, bool), PageError> {
    let status = chosen(&filter.status);
    if status.is_some_and(|s| !["open", "completed", "cancelled"].contains(&s)) {
        return Err(PageError::bad_request(
            "status must be open, completed or cancelled",
        ));
    }
    let mut query = DocumentQuery {
        status: status.map(str::to_string),
        after: chosen(&filter.after).map(str::to_string),
        limit: 500,
        ..Default::default()
    };
    let mut cases = Vec::new();
    // The workflow filter is applied while paging through the index, as the API does.
    loop {
        let page = state.engine.documents.list("case", &query).await?;
        let full = page.len() as i64 == query.limit;
        query.after = page.last().map(|(id, _)| id.clone());
        for (_, doc) in page {
            let case: Value = serde_json::from_str(&doc).unwrap_or_default();
            if chosen(&filter.workflow).is_none_or(|w| case["workflow"] == w) {
                if cases.len() == PAGE {
                    return Ok((cases, true));
                }
                cases.push(case);
            }
        }
        if !full {
            return Ok((cases, false));
        }
    }
}

/// Every registered workflow's title in the reader's language, by key.
pub async fn workflow_titles(
    state: &AppState,
    locale: Locale,
) -> Result<BTreeMap<String, String>, PageError> {
    state
        .engine
        .catalog
        .refresh_if_stale(&state.engine.store)
        .await?;
    let registry = state.engine.catalog.workflows.read().expect("catalog lock");
    Ok(registry
        .list()
        .into_iter()
        .map(|version| {
            let title = version.definition.title();
            let key = version.definition.key().to_string();
            (key, locale.pick(&title.fa, &title.en).to_string())
        })
        .collect())
}

/// `GET /cases`
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    filter: web::Query<CaseFilter>,
) -> Result<Markup, PageError> {
    let (cases, more) = load(&state, &filter).await?;
    let workflows = workflow_titles(&state, viewer.locale).await?;
    Ok(list_page(&viewer, &cases, more, &filter, &workflows))
}

pub(super) fn case_status(locale: Locale, status: &str) -> Markup {
    let (tone, fa, en) = match status {
        "open" => ("chip", "باز", "open"),
        "completed" => ("chip ok", "پایان‌یافته", "completed"),
        "cancelled" => ("chip danger", "لغوشده", "cancelled"),
        other => ("chip", other, other),
    };
    html! { span class=(tone) { (locale.pick(fa, en)) } }
}

/// A URL of the list with `filter`, at the page after `after`.
fn list_url(filter: &CaseFilter, after: Option<&str>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("status", &filter.status), ("workflow", &filter.workflow)] {
        if let Some(value) = chosen(value) {
            query.append_pair(name, value);
        }
    }
    if let Some(after) = after {
        query.append_pair("after", after);
    }
    format!("/cases?{}", query.finish())
}

/// The cases list: pure, from one page of case documents to markup.
pub fn list_page(
    viewer: &Viewer,
    cases: &[Value],
    more: bool,
    filter: &CaseFilter,
    workflows: &BTreeMap<String, String>,
) -> Markup {
    let workflow_title = |key: &str| workflows.get(key).map_or(key, String::as_str).to_string();
    let locale = viewer.locale;
    let pending = |case: &Value| {
        let tasks = case["tasks"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let waiting = tasks
            .iter()
            .filter(|t| {
                ["open", "returned", "submitted"]
                    .contains(&t["status"].as_str().unwrap_or_default())
            })
            .count();
        let overdue = tasks.iter().filter(|t| t["overdue"] == true).count();
        (waiting, overdue)
    };
    let statuses = [
        ("open", "باز", "open"),
        ("completed", "پایان‌یافته", "completed"),
        ("cancelled", "لغوشده", "cancelled"),
    ];
    let body = html! {
        @if viewer.has_any(STAFF) {
            p.actions { a.button href="/cases/new" { (locale.pick("مصوبهٔ تازه", "New resolution")) } }
        }
        form.filters.panel method="get" action="/cases" role="search" {
            div.field {
                label for="status" { (locale.pick("وضعیت", "Status")) }
                select #status name="status" {
                    option value="" { (locale.pick("همه", "all")) }
                    @for (value, fa, en) in statuses {
                        option value=(value) selected[chosen(&filter.status) == Some(value)] { (locale.pick(fa, en)) }
                    }
                }
            }
            div.field {
                label for="workflow" { (locale.pick("گردش کار", "Workflow")) }
                select #workflow name="workflow" {
                    option value="" { (locale.pick("همه", "all")) }
                    @for (key, title) in workflows {
                        option value=(key) selected[chosen(&filter.workflow) == Some(key.as_str())] { (title) }
                    }
                }
            }
            button type="submit" { (locale.pick("نمایش", "Show")) }
        }
        @if cases.is_empty() {
            p.panel { (locale.pick("پرونده‌ای با این ویژگی‌ها نیست.", "No case matches.")) }
        } @else {
            div.table-wrap {
                table.cards {
                    thead { tr {
                        th scope="col" { (locale.pick("عنوان", "Title")) }
                        th scope="col" { (locale.pick("گردش کار", "Workflow")) }
                        th scope="col" { (locale.pick("وضعیت", "Status")) }
                        th scope="col" { (locale.pick("گشایش", "Opened")) }
                        th scope="col" { (locale.pick("کارهای در جریان", "Tasks under way")) }
                    } }
                    tbody {
                        @for case in cases {
                            @let (waiting, overdue) = pending(case);
                            tr {
                                td data-label=(locale.pick("عنوان", "Title")) {
                                    a href={ "/cases/" (case["id"].as_str().unwrap_or_default()) } { (case["title"].as_str().unwrap_or_default()) }
                                }
                                td data-label=(locale.pick("گردش کار", "Workflow")) { (workflow_title(case["workflow"].as_str().unwrap_or_default())) }
                                td data-label=(locale.pick("وضعیت", "Status")) { (case_status(locale, case["status"].as_str().unwrap_or_default())) }
                                td data-label=(locale.pick("گشایش", "Opened")) {
                                    @if let Some(at) = case["opened_at"].as_str().and_then(|t| t.parse().ok()) { (date(locale, at)) }
                                }
                                td data-label=(locale.pick("کارهای در جریان", "Tasks under way")) {
                                    (number(locale, waiting))
                                    @if overdue > 0 { " " span.badge.danger { (number(locale, overdue)) " " (locale.pick("دیرکرد", "overdue")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if more {
            p { a href=(list_url(filter, cases.last().and_then(|c| c["id"].as_str()))) rel="next" { (locale.pick("صفحهٔ بعد", "Next page")) } }
        }
    };
    page(viewer, locale.pick("پرونده‌ها", "Cases"), body)
}
