//! `/tasks/{id}/review`: the secretariat reads a submission as a document, with what changed
//! since the agency's previous submission marked, and accepts it or returns it with a
//! comment. The page carries the task's version; a decision posted from a page the task has
//! moved on from (someone else reviewed it meanwhile) is refused with a 409 page, compared
//! exactly as the API's `If-Match` is, so nobody overwrites a decision they did not see.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde_json::Value;
use uuid::Uuid;

use super::history::{history, submission_line};
use super::{Document, render};
use crate::domain::ReviewDecision;
use crate::http::AppState;
use crate::web::Posted;
use crate::web::board::status_chip;
use crate::web::error::PageError;
use crate::web::format::bdi;
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;
use crate::web::task::{FilesOf, file_list};

/// What the page shows of the task, read from its view (the API's task document).
pub struct ReviewView<'a> {
    pub task: &'a Value,
    pub case_title: &'a str,
    pub agency_name: Option<&'a str>,
    /// The form version's schema the current submission was made against.
    pub schema: &'a Value,
    pub agencies: &'a BTreeMap<String, String>,
    /// What the reviewer typed, kept when the page comes back with an error.
    pub comment: &'a str,
    pub error: Option<&'a str>,
}

/// The posted decision.
#[derive(Debug, serde::Deserialize)]
pub struct DecisionForm {
    pub decision: String,
    #[serde(default)]
    pub comment: String,
    /// The task version the page was rendered at.
    pub version: String,
}

/// The task, if the viewer may see it (the same 404 for missing and foreign, as the API).
async fn load_task(state: &AppState, id: &str) -> Result<(Uuid, Value), PageError> {
    let id: Uuid = id.parse().map_err(|_| PageError::not_found())?;
    match state.engine.task_view(id).await {
        Ok(task) => Ok((id, task)),
        Err(crate::engine::EngineError::NotFound(_)) => Err(PageError::not_found()),
        Err(error) => Err(error.into()),
    }
}

/// Everything the page needs besides the task: the case's title, agency names and the
/// schema of the submission's form version.
struct Context {
    case_title: String,
    agencies: BTreeMap<String, String>,
    schema: Value,
}

async fn context(state: &AppState, task: &Value, locale: Locale) -> Result<Context, PageError> {
    let case = match task["case"].as_str() {
        Some(case) => state.engine.documents.get("case", case).await?,
        None => None,
    };
    let case: Value = case
        .and_then(|c| serde_json::from_str(&c).ok())
        .unwrap_or_default();
    let agencies = crate::engine::agency_names(
        &state.engine.documents,
        crate::web::board::report_locale(locale),
    )
    .await?;
    let last = task["submissions"].as_array().and_then(|s| s.last());
    let schema = last
        .and_then(|s| {
            let form = s["form"].as_str()?;
            let version = s["form_version"]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok());
            let forms = state.engine.catalog.forms.read().expect("catalog lock");
            forms.get(form, version).map(|f| f.schema().clone())
        })
        .unwrap_or_default();
    Ok(Context {
        case_title: case["title"].as_str().unwrap_or_default().to_string(),
        agencies,
        schema,
    })
}

/// `GET /tasks/{id}/review`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    let (_, task) = load_task(&state, &id).await?;
    let context = context(&state, &task, viewer.locale).await?;
    Ok(review_page(&viewer, &view(&task, &context, "", None)))
}

fn view<'a>(
    task: &'a Value,
    context: &'a Context,
    comment: &'a str,
    error: Option<&'a str>,
) -> ReviewView<'a> {
    ReviewView {
        task,
        case_title: &context.case_title,
        agency_name: task["agency"]
            .as_str()
            .and_then(|a| context.agencies.get(a))
            .map(String::as_str),
        schema: &context.schema,
        agencies: &context.agencies,
        comment,
        error,
    }
}

/// `POST /tasks/{id}/review`
pub async fn decide(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let (task_id, task) = load_task(&state, &id).await?;
    if !crate::web::cases::version_matches(&task["version"], &form.version) {
        return Ok(stale(&viewer, &id));
    }
    let decision = match form.decision.as_str() {
        "accept" => ReviewDecision::Accept,
        "return" => ReviewDecision::Return,
        _ => return Err(PageError::bad_request("decision must be accept or return")),
    };
    let comment = Some(form.comment.trim().to_string()).filter(|c| !c.is_empty());
    if decision == ReviewDecision::Return && comment.is_none() {
        // The engine refuses this too; saying it here says it in the reader's language.
        let reason = viewer.locale.pick(
            "برای بازگرداندن، بنویسید چه چیزی باید اصلاح شود.",
            "To return it, write what needs fixing.",
        );
        let context = context(&state, &task, viewer.locale).await?;
        let body = review_page(&viewer, &view(&task, &context, &form.comment, Some(reason)));
        return Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
            .content_type("text/html; charset=utf-8")
            .body(body.into_string()));
    }
    match state
        .engine
        .review(&viewer.actor, task_id, decision, comment)
        .await
    {
        Ok(case) => Ok(HttpResponse::SeeOther()
            .insert_header(("location", format!("/cases/{}?notice=reviewed", case.id)))
            .finish()),
        // A refusal about what was typed: the page again, the comment kept, the reason at it.
        Err(crate::engine::EngineError::Domain(crate::domain::DomainError::Invalid(reason))) => {
            let context = context(&state, &task, viewer.locale).await?;
            let body = review_page(
                &viewer,
                &view(&task, &context, &form.comment, Some(&reason)),
            );
            Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
                .content_type("text/html; charset=utf-8")
                .body(body.into_string()))
        }
        Err(error) => Err(PageError::from(error).in_locale(viewer.locale)),
    }
}

/// The task moved on since the page was rendered: a 409 page that says so and opens the
/// task as it is now.
fn stale(viewer: &Viewer, id: &str) -> HttpResponse {
    let locale = viewer.locale;
    let body = html! {
        div.notice.warn role="alert" {
            p { (locale.pick(
                "این ارسال پس از باز شدن صفحهٔ شما تغییر کرده است؛ شاید همکار دیگری آن را بررسی کرده باشد. تصمیم شما ثبت نشد.",
                "This submission changed after your page was opened; perhaps a colleague reviewed it. Your decision was not recorded.",
            )) }
            p { a href={ "/tasks/" (id) "/review" } { (locale.pick("دیدن وضعیت کنونی", "See where it stands now")) } }
        }
    };
    let title = locale.pick("تغییر هم‌زمان", "Changed meanwhile");
    HttpResponse::build(StatusCode::CONFLICT)
        .content_type("text/html; charset=utf-8")
        .body(page(viewer, title, body).into_string())
}

/// The files a submission (as the task's read model lists it) carries.
fn attachments_of(submission: &Value) -> Vec<crate::domain::Attachment> {
    serde_json::from_value(submission["attachments"].clone()).unwrap_or_default()
}

/// The review page: pure, from the view to markup.
pub fn review_page(viewer: &Viewer, view: &ReviewView<'_>) -> Markup {
    let locale = viewer.locale;
    let task = view.task;
    let submissions = task["submissions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let current = submissions.last();
    let previous = submissions.len().checked_sub(2).map(|i| &submissions[i]);
    let agency = task["agency"].as_str().unwrap_or_default();
    let title = format!(
        "{} — {}",
        locale.pick("بررسی ارسال", "Review"),
        view.agency_name.unwrap_or(agency)
    );
    let awaiting = task["status"] == "submitted";
    let body = html! {
        @if let Some(error) = view.error {
            div.error-summary role="alert" {
                h2 { (locale.pick("تصمیم ثبت نشد", "The decision was not recorded")) }
                p { a href="#comment" { (error) } }
            }
        }
        p.context {
            a href={ "/cases/" (task["case"].as_str().unwrap_or_default()) } { (view.case_title) }
            " · " (view.agency_name.unwrap_or_default()) " " (bdi(agency))
            " · " (status_chip(task["status"].as_str().unwrap_or_default(), locale))
        }
        @if let Some(current) = current {
            (submission_line(locale, current, previous))
            p {
                a href={ "/tasks/" (task["id"].as_str().unwrap_or_default()) "/submission.json" } download {
                    (locale.pick("دریافت همین ارسال (JSON)", "Download this submission (JSON)"))
                }
            }
            (file_list(locale, FilesOf::Submission, &attachments_of(current)))
            (history(locale, task))
            (render(&Document {
                schema: view.schema,
                current: &current["data"],
                previous: previous.map(|p| &p["data"]),
                agencies: view.agencies,
                locale,
            }))
        } @else {
            p.panel { (locale.pick("این کار هنوز ارسالی ندارد.", "This task has no submission yet.")) }
        }
        @if awaiting { (decision_form(viewer, view)) }
    };
    page(viewer, &title, body)
}

fn decision_form(viewer: &Viewer, view: &ReviewView<'_>) -> Markup {
    let locale = viewer.locale;
    let action = format!(
        "/tasks/{}/review",
        view.task["id"].as_str().unwrap_or_default()
    );
    html! {
        form.panel.review-decision method="post" action=(action) {
            (csrf_field(viewer))
            input type="hidden" name="version" value=(view.task["version"]);
            div.field {
                label for="comment" { (locale.pick("توضیح (برای بازگرداندن لازم است)", "Comment (required to return)")) }
                @if let Some(error) = view.error {
                    p #comment-error .field-error { (error) }
                }
                textarea #comment name="comment" rows="4"
                    aria-describedby=[view.error.map(|_| "comment-error")]
                    aria-invalid=[view.error.map(|_| "true")] { (view.comment) }
            }
            div.actions {
                button.primary type="submit" name="decision" value="accept" { (locale.pick("پذیرش", "Accept")) }
                button.danger type="submit" name="decision" value="return" { (locale.pick("بازگرداندن برای اصلاح", "Return for changes")) }
            }
        }
    }
}
