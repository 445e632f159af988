//! `/cases/{id}/matrix`: the exchange matrix of an inventory case as people read it — the
//! consumer × provider grid with its legend, one cell opened (`?consumer=&provider=`) with
//! its needs and offers side by side, the totals of needs met in full, in part, by a lookup key
//! only or not at all, and the lists of needs not met, offers not used, duplicate work and
//! conflicting masters; `/cases/{id}/matrix.csv` is the API's CSV. The matrix comes from
//! [`crate::http::readable_matrix`], as the API's does: the secretariat, admins and
//! auditors read it whole, a member its agency's part, anyone else a 404 page; a case that
//! collects no inventories is a 422 page saying so.

mod confirmation;
mod grid;
mod lists;
mod summary;
pub mod view;

#[cfg(test)]
mod quality_tests;
#[cfg(test)]
mod tests;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::Role;
use crate::engine::agency_names;
use crate::http::AppState;
use crate::reports::MatrixDocument;
use crate::web::board::report_locale;
use crate::web::error::PageError;
use crate::web::format::number;
use crate::web::layout::page;
use crate::web::session::Viewer;

pub use view::MatrixView;

/// The cell to open, as in the grid's links.
#[derive(Debug, Default, Deserialize)]
pub struct CellQuery {
    #[serde(default)]
    pub consumer: Option<String>,
    #[serde(default)]
    pub provider: Option<String>,
}

fn html_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// The case's id, its title, and its matrix as the viewer may read it.
async fn load(
    state: &AppState,
    viewer: &Viewer,
    raw: &str,
) -> Result<(Uuid, String, crate::engine::CaseMatrix), PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::not_found())?;
    let found = crate::http::readable_matrix(state, &viewer.member, &viewer.actor, id).await?;
    let case = state.engine.documents.get("case", &id.to_string()).await?;
    let title = case
        .and_then(|doc| serde_json::from_str::<serde_json::Value>(&doc).ok())
        .and_then(|case| case["title"].as_str().map(str::to_string))
        .unwrap_or_default();
    Ok((id, title, crate::engine::CaseMatrix::clone(&found)))
}

/// Whether the case has an exchange matrix (it collects inventories), for the case page's
/// link: the matrix the engine keeps for the case's version, so no second build.
pub async fn has_matrix(state: &AppState, id: Uuid) -> Result<bool, PageError> {
    match crate::engine::case_matrix(&state.engine, id).await {
        Ok(found) => Ok(found.matrix.is_some()),
        Err(crate::engine::EngineError::NotFound(_)) => Err(PageError::not_found()),
        Err(error) => Err(error.into()),
    }
}

/// `GET /cases/{id}/matrix`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    query: web::Query<CellQuery>,
) -> Result<HttpResponse, PageError> {
    let (id, title, found) = load(&state, &viewer, &id).await?;
    let Some(document) = &found.matrix else {
        let workflows = crate::web::cases::workflow_titles(&state, viewer.locale).await?;
        let workflow = workflows.get(&found.workflow).unwrap_or(&found.workflow);
        let markup = not_an_inventory_page(&viewer, id, &title, workflow);
        return Ok(html_response(StatusCode::UNPROCESSABLE_ENTITY, markup));
    };
    let names = agency_names(&state.engine.documents, report_locale(viewer.locale)).await?;
    let view = MatrixView {
        document,
        names: &names,
        focus: focus(&viewer),
        reviews: viewer.has_any(&[Role::Secretariat, Role::Admin]),
    };
    let opened = match (query.consumer.as_deref(), query.provider.as_deref()) {
        (Some(consumer), Some(provider)) => Some(
            view.cell(consumer, provider)
                .ok_or_else(PageError::not_found)?,
        ),
        _ => None,
    };
    let markup = matrix_page(&viewer, &view, &title, opened);
    Ok(html_response(StatusCode::OK, markup))
}

/// `GET /cases/{id}/matrix.csv`: the API's CSV of what the viewer may read.
pub async fn csv(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (id, _, found) = load(&state, &viewer, &id).await?;
    let document: &MatrixDocument = found
        .matrix
        .as_ref()
        .ok_or_else(|| crate::engine::not_an_inventory(id, &found.workflow))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"exchange-matrix-{id}.csv\""),
        ))
        .body(crate::reports::csv::matrix_csv(&document.matrix)))
}

/// The agency whose part the viewer reads: a member's own, unless the viewer is staff.
fn focus(viewer: &Viewer) -> Option<&str> {
    if viewer.has_any(crate::web::cases::READERS) {
        None
    } else {
        viewer.member.agency.as_deref()
    }
}

fn matrix_heading(viewer: &Viewer) -> &'static str {
    viewer.locale.pick("جدول تبادل اطلاعات", "Exchange matrix")
}

/// The matrix page: pure, from the view (and the cell opened, if any) to markup.
pub fn matrix_page(
    viewer: &Viewer,
    view: &MatrixView<'_>,
    title: &str,
    opened: Option<&crate::reports::matrix::Cell>,
) -> Markup {
    let locale = viewer.locale;
    let id = view.document.case;
    let m = &view.document.matrix;
    let accepted = m.agencies.iter().filter(|a| a.inventory_accepted).count();
    let body = html! {
        p.context {
            @if viewer.has_any(crate::web::cases::READERS) {
                a href={ "/cases/" (id) } { (title) }
            } @else {
                (title)
            }
            " · " (number(locale, accepted)) " " (locale.pick("فهرست پذیرفته‌شده از", "accepted inventories of"))
            " " (number(locale, m.agencies.len())) " " (locale.pick("دستگاه", "agencies"))
        }
        @if let Some(own) = view.focus {
            p.notice {
                (locale.pick("شما بخش مربوط به دستگاه خود را می‌بینید: ", "You see your agency's part: "))
                (view.name(own))
            }
        }
        div.actions {
            a.button.secondary href={ "/cases/" (id) "/matrix.csv" } download { (locale.pick("دریافت جدول (CSV)", "Download the matrix (CSV)")) }
            a.button.secondary href={ "/exchange-matrix/diff?to=" (id) } { (locale.pick("مقایسه با دور دیگر", "Compare with another round")) }
            a.button.secondary href={ "/reports/services-at-risk?inventory=" (id) } { (locale.pick("خدمات در خطر", "Services at risk")) }
        }
        (summary::totals(view, locale))
        @if let Some(cell) = opened { (lists::cell_detail(view, locale, cell)) }
        div.matrix-grid {
            (grid::legend(locale))
            (confirmation::legend(locale, &view.document.matrix))
            (grid::grid(view, locale))
        }
        p.phone-only.muted {
            (locale.pick("جدول در صفحهٔ پهن‌تر نمایش داده می‌شود؛ در اینجا فهرست‌ها آمده است.", "The grid shows on a wider screen; here are the lists."))
        }
        (lists::unmatched(view, locale))
        (lists::unused(view, locale))
        (lists::duplicates(view, locale))
        (summary::conflicts(view, locale))
    };
    page(viewer, matrix_heading(viewer), body)
}

/// The answer for a case that collects no inventories, as the API's 422 says it.
pub fn not_an_inventory_page(viewer: &Viewer, id: Uuid, title: &str, workflow: &str) -> Markup {
    let locale = viewer.locale;
    let body = html! {
        div.panel {
            p {
                @match locale {
                    crate::web::i18n::Locale::Fa => {
                        "پروندهٔ «" (title) "» گردش کار «" (workflow) "» را دنبال می‌کند که فهرست اطلاعات مورد نیاز و قابل عرضه گردآوری نمی‌کند؛ "
                        "جدول تبادل اطلاعات از فهرست‌های پذیرفته‌شدهٔ پرونده‌های احصا ساخته می‌شود."
                    }
                    crate::web::i18n::Locale::En => {
                        "The case “" (title) "” runs the workflow “" (workflow) "”, which collects no data-exchange inventories; "
                        "the exchange matrix is built from the accepted inventories of an inventory case."
                    }
                }
            }
            p {
                @if viewer.has_any(crate::web::cases::READERS) {
                    a href={ "/cases/" (id) } { (locale.pick("بازگشت به پرونده", "Back to the case")) }
                } @else {
                    a href="/" { (locale.pick("بازگشت به کارتابل", "Back to the inbox")) }
                }
            }
        }
    };
    page(viewer, matrix_heading(viewer), body)
}
