//! Reports across rounds, as people read them: `/exchange-matrix/diff` (what changed
//! between two inventory rounds) and `/reports/services-at-risk` (services whose cards ask
//! for data nobody offers yet). Each page picks its cases with plain GET forms, so a
//! comparison is a link to share, and reads the report through the API's own functions
//! ([`crate::http::matrix_diff`], [`crate::http::services_report`]): the same roles, the
//! same member's view, the same refusals (shown beside the pickers, with what was picked
//! kept). The markup is pure: [`diff_page`] and [`services_page`] take plain values.

mod diff;
mod services;

#[cfg(test)]
mod tests;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use crate::documents::DocumentQuery;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::web::error::PageError;
use crate::web::session::Viewer;

pub use diff::diff_page;
pub use services::services_page;

/// A case the viewer may pick: its id and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: Uuid,
    pub title: String,
}

/// What the page shows under its pickers.
#[derive(Debug)]
pub enum Outcome<T> {
    /// Nothing picked yet.
    Ask,
    Done(T),
    /// The API's refusal: its status and detail.
    Refused(StatusCode, String),
}

/// Whether a workflow definition's steps (as their JSON) ask for `form` anywhere.
fn asks_for(steps: &serde_json::Value, form: &str) -> bool {
    match steps {
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(key, value)| (key == "form" && value == form) || asks_for(value, form)),
        serde_json::Value::Array(items) => items.iter().any(|v| asks_for(v, form)),
        _ => false,
    }
}

/// The cases whose workflow collects `form` that the viewer may see, newest first. The
/// case documents do not name forms, so each workflow version (by hash) is asked once.
async fn choices(state: &AppState, viewer: &Viewer, form: &str) -> Result<Vec<Choice>, PageError> {
    let query = DocumentQuery {
        limit: 10_000,
        ..Default::default()
    };
    let catalog = &state.engine.catalog;
    catalog.refresh_if_stale(&state.engine.store).await?;
    let staff = viewer.has_any(crate::web::cases::READERS);
    let agency = viewer.member.agency.as_deref();
    let mut collects_by_hash: std::collections::BTreeMap<String, bool> = Default::default();
    let mut found = Vec::new();
    for (_, doc) in state.engine.documents.list("case", &query).await? {
        let case: serde_json::Value = serde_json::from_str(&doc).unwrap_or_default();
        let hash = case["workflow_hash"].as_str().unwrap_or_default();
        let collects = *collects_by_hash.entry(hash.to_string()).or_insert_with(|| {
            catalog.workflow_by_hash(hash).is_some_and(|version| {
                serde_json::to_value(version.definition.steps())
                    .is_ok_and(|steps| asks_for(&steps, form))
            })
        });
        let tasks = case["tasks"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let takes_part = agency.is_some_and(|a| {
            case["participants"]
                .as_array()
                .is_some_and(|p| p.iter().any(|c| c == a))
                || tasks.iter().any(|t| t["agency"] == a)
        });
        let id = case["id"].as_str().and_then(|id| id.parse().ok());
        if let (true, true, Some(id)) = (collects, staff || takes_part, id) {
            let title = case["title"].as_str().unwrap_or_default().to_string();
            found.push(Choice { id, title });
        }
    }
    // Case ids are UUIDv7: newest first is the reverse order of ids.
    found.sort_by_key(|c| std::cmp::Reverse(c.id));
    Ok(found)
}

/// A picked case: empty is "not picked", anything else must be a case id.
fn picked(raw: &Option<String>) -> Result<Option<Uuid>, ApiError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{text:?} is not a case id"))),
    }
}

/// The report's outcome; a case the viewer may not see is the 404 page, as elsewhere.
fn outcome<T>(result: Result<T, ApiError>) -> Result<Outcome<T>, PageError> {
    match result {
        Ok(value) => Ok(Outcome::Done(value)),
        Err(e) if e.status == StatusCode::NOT_FOUND => Err(PageError::not_found()),
        Err(e) if e.status.is_client_error() => Ok(Outcome::Refused(e.status, e.detail)),
        Err(e) => Err(e.into()),
    }
}

fn respond<T>(outcome: &Outcome<T>, markup: Markup) -> HttpResponse {
    let status = match outcome {
        Outcome::Refused(status, _) => *status,
        _ => StatusCode::OK,
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// A labelled select of cases, the picked one selected.
fn picker(name: &str, label: &str, choices: &[Choice], picked: Option<Uuid>, none: &str) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                option value="" { (none) }
                @for c in choices {
                    option value=(c.id) selected[picked == Some(c.id)] { (c.title) " — " (c.id) }
                }
            }
        }
    }
}

/// The refusal, in the reader's words and the API's.
fn refusal(viewer: &Viewer, detail: &str) -> Markup {
    html! {
        div.error-summary role="alert" {
            p { (viewer.locale.pick("این گزارش ساخته نشد:", "This report could not be made:")) }
            p { bdi { (detail) } }
        }
    }
}

/// `GET /reports/services-at-risk.csv?cards=&inventory=`: the report as the API's CSV (one
/// row per inquiry). Without both cases, or when the report is refused, the page instead,
/// which says what is missing or why.
pub async fn services_csv(
    state: web::Data<AppState>,
    viewer: Viewer,
    params: web::Query<ServicesParams>,
) -> Result<HttpResponse, PageError> {
    if let (Ok(Some(cards)), Ok(Some(inventory))) =
        (picked(&params.cards), picked(&params.inventory))
    {
        let report =
            crate::http::services_report(&state, &viewer.member, &viewer.actor, cards, inventory)
                .await;
        if let Outcome::Done(report) = outcome(report)? {
            return Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((
                    "content-disposition",
                    format!("attachment; filename=\"services-at-risk-{inventory}.csv\""),
                ))
                .body(crate::reports::csv::services_csv(&report)));
        }
    }
    show_services(state, viewer, params).await
}

#[derive(Debug, Default, Deserialize)]
pub struct DiffParams {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// `GET /exchange-matrix/diff?from=&to=`
pub async fn show_diff(
    state: web::Data<AppState>,
    viewer: Viewer,
    params: web::Query<DiffParams>,
) -> Result<HttpResponse, PageError> {
    let choices = choices(&state, &viewer, crate::reports::INVENTORY_FORM).await?;
    let (from, to) = (picked(&params.from), picked(&params.to));
    let outcome = match (&from, &to) {
        (Ok(Some(f)), Ok(Some(t))) => {
            outcome(crate::http::matrix_diff(&state, &viewer.member, &viewer.actor, *f, *t).await)?
        }
        (Err(e), _) | (_, Err(e)) => Outcome::Refused(e.status, e.detail.clone()),
        _ => Outcome::Ask,
    };
    let names = crate::engine::agency_names(
        &state.engine.documents,
        crate::web::board::report_locale(viewer.locale),
    )
    .await?;
    let picked = (from.ok().flatten(), to.ok().flatten());
    let markup = diff_page(&viewer, &choices, picked, &outcome, &names);
    Ok(respond(&outcome, markup))
}

#[derive(Debug, Default, Deserialize)]
pub struct ServicesParams {
    #[serde(default)]
    pub cards: Option<String>,
    #[serde(default)]
    pub inventory: Option<String>,
}

/// `GET /reports/services-at-risk?cards=&inventory=`
pub async fn show_services(
    state: web::Data<AppState>,
    viewer: Viewer,
    params: web::Query<ServicesParams>,
) -> Result<HttpResponse, PageError> {
    let card_cases = choices(&state, &viewer, crate::reports::services::CARDS_FORM).await?;
    let inventories = choices(&state, &viewer, crate::reports::INVENTORY_FORM).await?;
    let (cards, inventory) = (picked(&params.cards), picked(&params.inventory));
    let outcome = match (&cards, &inventory) {
        (Ok(Some(c)), Ok(Some(i))) => outcome(
            crate::http::services_report(&state, &viewer.member, &viewer.actor, *c, *i).await,
        )?,
        (Err(e), _) | (_, Err(e)) => Outcome::Refused(e.status, e.detail.clone()),
        _ => Outcome::Ask,
    };
    let names = crate::engine::agency_names(
        &state.engine.documents,
        crate::web::board::report_locale(viewer.locale),
    )
    .await?;
    let picked = (cards.ok().flatten(), inventory.ok().flatten());
    let markup = services_page(
        &viewer,
        (&card_cases, &inventories),
        picked,
        &outcome,
        &names,
    );
    Ok(respond(&outcome, markup))
}
