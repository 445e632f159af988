//! What the secretariat does to a running case besides reviewing: cancel it (after a page
//! that asks to confirm, with a reason) and reassign a task to another member of the same
//! agency. Each form carries the version it was rendered at; a case or task that moved on
//! meanwhile gets a 409 page, as the API's `If-Match` would. The engine decides the rest.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::case::{case_document, parse_case_id};
use crate::domain::DomainError;
use crate::engine::{EngineError, Member};
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::format::bdi;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("location", location))
        .finish()
}

fn html_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// A 409 page: the thing changed after the form was rendered; nothing was done.
fn changed_meanwhile(viewer: &Viewer, back: &str) -> HttpResponse {
    let locale = viewer.locale;
    let body = html! {
        div.notice.warn role="alert" {
            p { (locale.pick(
                "این مورد پس از باز شدن صفحهٔ شما تغییر کرده است؛ کاری انجام نشد.",
                "This changed after your page was opened; nothing was done.",
            )) }
            p { a href=(back) { (locale.pick("دیدن وضعیت کنونی", "See where it stands now")) } }
        }
    };
    html_response(
        StatusCode::CONFLICT,
        page(
            viewer,
            locale.pick("تغییر هم‌زمان", "Changed meanwhile"),
            body,
        ),
    )
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    pub reason: String,
    pub version: String,
}

/// `GET /cases/{id}/cancel`: are you sure?
pub async fn confirm_cancel(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    let id = parse_case_id(&id)?;
    let case = case_document(&state, id).await?;
    Ok(cancel_page(&viewer, &case))
}

pub fn cancel_page(viewer: &Viewer, case: &Value) -> Markup {
    let locale = viewer.locale;
    let id = case["id"].as_str().unwrap_or_default();
    let title = case["title"].as_str().unwrap_or_default();
    let body = html! {
        form.panel method="post" action={ "/cases/" (id) "/cancel" } {
            (csrf_field(viewer))
            input type="hidden" name="version" value=(case["version"]);
            p { (locale.pick(
                "با لغو پرونده همهٔ کارهای باز آن بسته می‌شود و دستگاه‌ها دیگر نمی‌توانند ارسال کنند. این کار بازگشت ندارد.",
                "Cancelling closes every open task of the case; agencies can no longer submit. This cannot be undone.",
            )) }
            div.field {
                label for="reason" { (locale.pick("دلیل لغو", "Why it is cancelled")) }
                textarea #reason name="reason" rows="3" {}
            }
            div.actions {
                button.danger type="submit" { (locale.pick("بله، پرونده لغو شود", "Yes, cancel the case")) }
                a.button.secondary href={ "/cases/" (id) } { (locale.pick("نه، بازگشت به پرونده", "No, back to the case")) }
            }
        }
    };
    page(
        viewer,
        &format!("{} — {title}", locale.pick("لغو پرونده", "Cancel case")),
        body,
    )
}

/// `POST /cases/{id}/cancel`
pub async fn cancel(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<CancelForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let id = parse_case_id(&id)?;
    let case = case_document(&state, id).await?;
    if !super::version_matches(&case["version"], &form.version) {
        return Ok(changed_meanwhile(&viewer, &format!("/cases/{id}")));
    }
    state
        .engine
        .cancel(&viewer.actor, id, form.reason.trim().to_string())
        .await
        .map_err(|e| PageError::from(e).in_locale(viewer.locale))?;
    Ok(see_other(format!("/cases/{id}?notice=case-cancelled")))
}

#[derive(Debug, Deserialize)]
pub struct ReassignForm {
    #[serde(default)]
    pub member: String,
    pub version: String,
}

async fn task_document(state: &AppState, raw: &str) -> Result<(Uuid, Value), PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::not_found())?;
    match state.engine.task_view(id).await {
        Ok(task) => Ok((id, task)),
        Err(EngineError::NotFound(_)) => Err(PageError::not_found()),
        Err(error) => Err(error.into()),
    }
}

/// The members a task of `agency` may go to: that agency's members.
async fn agency_members(state: &AppState, agency: &str) -> Result<Vec<Member>, PageError> {
    let mut members: Vec<Member> = state
        .engine
        .members()
        .await?
        .into_iter()
        .filter(|m| m.agency.as_deref() == Some(agency))
        .collect();
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(members)
}

/// `GET /tasks/{id}/reassign`
pub async fn reassign_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    let (_, task) = task_document(&state, &id).await?;
    let members = agency_members(&state, task["agency"].as_str().unwrap_or_default()).await?;
    Ok(reassign_page(&viewer, &task, &members, None))
}

/// `POST /tasks/{id}/reassign`
pub async fn reassign(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<ReassignForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let (task_id, task) = task_document(&state, &id).await?;
    let case = task["case"].as_str().unwrap_or_default().to_string();
    if !super::version_matches(&task["version"], &form.version) {
        return Ok(changed_meanwhile(&viewer, &format!("/cases/{case}")));
    }
    match state
        .engine
        .reassign(&viewer.actor, task_id, form.member.trim())
        .await
    {
        Ok(_) => Ok(see_other(format!("/cases/{case}?notice=reassigned"))),
        Err(EngineError::Invalid(reason) | EngineError::Domain(DomainError::Invalid(reason))) => {
            let agency = task["agency"].as_str().unwrap_or_default();
            let members = agency_members(&state, agency).await?;
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                reassign_page(&viewer, &task, &members, Some(&reason)),
            ))
        }
        Err(error) => Err(PageError::from(error).in_locale(viewer.locale)),
    }
}

pub fn reassign_page(
    viewer: &Viewer,
    task: &Value,
    members: &[Member],
    error: Option<&str>,
) -> Markup {
    let locale = viewer.locale;
    let id = task["id"].as_str().unwrap_or_default();
    let agency = task["agency"].as_str().unwrap_or_default();
    let current = task["assignee"].as_str();
    let body = html! {
        p.context {
            a href={ "/cases/" (task["case"].as_str().unwrap_or_default()) } { (locale.pick("بازگشت به پرونده", "Back to the case")) }
            " · " (locale.pick("دستگاه", "Agency")) " " (bdi(agency))
        }
        form.panel method="post" action={ "/tasks/" (id) "/reassign" } {
            (csrf_field(viewer))
            input type="hidden" name="version" value=(task["version"]);
            div.field {
                label for="member" { (locale.pick("واگذاری به", "Reassign to")) }
                @if let Some(error) = error { p #member-error .field-error { (error) } }
                select #member name="member" required
                    aria-describedby=[error.map(|_| "member-error")]
                    aria-invalid=[error.map(|_| "true")] {
                    @for member in members {
                        option value=(member.id) selected[current == Some(member.id.as_str())] {
                            (member.name)
                            @if current == Some(member.id.as_str()) { " (" (locale.pick("کنونی", "current")) ")" }
                        }
                    }
                }
            }
            div.actions {
                button.primary type="submit" { (locale.pick("واگذار شود", "Reassign")) }
            }
        }
    };
    page(viewer, locale.pick("واگذاری کار", "Reassign a task"), body)
}
