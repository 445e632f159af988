//! The member's task page, `/tasks/{id}`: the case and its resolution, the due date, the
//! task's history, and the form rendered from its JSON Schema (or, for a vote step, the
//! vote). "Save draft" keeps what is typed, private to the agency (not an event); "Submit"
//! goes through the engine exactly as `POST /v1/tasks/{id}/submissions` does, and its
//! errors come back at their fields with nothing typed lost.
//!
//! The page carries the task's version: a post from a page older than the task (someone
//! else submitted, the secretariat returned it meanwhile) is answered with a 409 page that
//! keeps what was typed, never a silent overwrite; a second click of "Submit" that finds
//! its own data already submitted is told so instead.

mod history;
mod page;
mod vote;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, http::header, web};
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use self::history::{HistoryItem, task_history};
use self::page::{Body, TaskDoc, TaskPage, task_page};
use super::error::PageError;
use super::form::{self, AgencyOption, FieldError, FormContext, apply_op, violations_to_errors};
use super::session::{Posted, Viewer, WebState};
use super::store::Draft;
use crate::domain::Role;
use crate::engine::EngineError;
use crate::forms::FormVersion;
use crate::http::AppState;

pub use vote::cast as vote;

/// A post with more fields than this is refused before it is read (50 needs are ≈ 1,600).
const MAX_FIELDS: usize = 40_000;

/// A task the viewer may see, as its read model has it.
pub(super) struct Loaded {
    task_id: Uuid,
    task: TaskDoc,
    view: Value,
}

/// The task if the viewer may see it: their agency's, assigned to them, or staff. Anything
/// else is the same 404 page as a task that does not exist.
pub(super) async fn load(state: &AppState, viewer: &Viewer, id: &str) -> Result<Loaded, PageError> {
    let not_found = || PageError::not_found().in_locale(viewer.locale);
    let task_id = Uuid::parse_str(id).map_err(|_| not_found())?;
    let view = match state.engine.task_view(task_id).await {
        Ok(view) => view,
        Err(EngineError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    let member = &viewer.member;
    let own = view["agency"]
        .as_str()
        .is_some_and(|a| member.agency.as_deref() == Some(a))
        || view["assignee"].as_str() == Some(member.id.as_str());
    if !(own || is_staff(viewer)) {
        return Err(not_found());
    }
    let task: TaskDoc = serde_json::from_value(view.clone())
        .map_err(|e| PageError::from(EngineError::Internal(e.into())))?;
    Ok(Loaded {
        task_id,
        task,
        view,
    })
}

fn is_staff(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Admin, Role::Secretariat, Role::Auditor])
}

/// The viewer acts for the task's agency (staff read it; they do not fill it in).
fn acts_for(viewer: &Viewer, task: &TaskDoc) -> bool {
    let member = &viewer.member;
    task.agency
        .as_deref()
        .is_some_and(|a| member.agency.as_deref() == Some(a))
        || task.assignee.as_deref() == Some(member.id.as_str())
}

/// The form the submission will be validated against: the latest registered version, as
/// the engine's submit uses.
fn form_of(state: &AppState, view: &Value) -> Option<std::sync::Arc<FormVersion>> {
    let key = view["form"].as_str()?;
    state
        .engine
        .catalog
        .forms
        .read()
        .expect("catalog lock")
        .get(key, None)
}

pub(super) fn see_task(id: &str, notice: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/tasks/{id}?notice={notice}")))
        .finish()
}

fn html(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// The form's state to show: what was typed (and its errors), else the saved draft, else
/// the last submission, else an empty document.
struct Shown {
    data: Value,
    errors: Vec<FieldError>,
    problem: Option<String>,
    draft_saved_at: Option<DateTime<Utc>>,
}

/// Renders the page with `shown` (or what is stored when `None`).
async fn render(
    state: &AppState,
    web_state: &WebState,
    viewer: &Viewer,
    loaded: &Loaded,
    shown: Option<Shown>,
) -> Result<maud::Markup, PageError> {
    let task = &loaded.task;
    let case = state
        .engine
        .case(task.case.parse().unwrap_or_default())
        .await?;
    let (case_title, resolution) = match &case {
        Some(case) => {
            let parent = match case.parent_case {
                Some(parent) => state.engine.case(parent).await?,
                None => None,
            };
            let text = case.params["text"]
                .as_str()
                .or_else(|| parent.as_ref().and_then(|p| p.params["text"].as_str()))
                .map(str::to_owned);
            (case.title.clone(), text)
        }
        None => (String::new(), None),
    };
    let history: Vec<HistoryItem> = match case.as_ref() {
        Some(case) => crate::audit::timeline::timeline(&state.store, case.id)
            .await
            .map(|t| task_history(&t, &task.id, &loaded.view["comments"]))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let agencies: Vec<AgencyOption> = state
        .engine
        .agencies()
        .await?
        .into_iter()
        .map(|a| AgencyOption {
            code: a.code,
            name: a.name_fa,
        })
        .collect();
    let agency_name = task
        .agency
        .as_ref()
        .and_then(|code| agencies.iter().find(|a| &a.code == code))
        .map(|a| a.name.clone());
    let editable = acts_for(viewer, task);
    let shown = match shown {
        Some(shown) => shown,
        None => stored(web_state, loaded, editable).await?,
    };
    let form = form_of(state, &loaded.view);
    let body = match (&form, task.kind.as_str()) {
        (Some(form), "submission") => Body::Form {
            schema: form.schema(),
            data: &shown.data,
            errors: &shown.errors,
            agencies: &agencies,
            editable: editable && task.accepts_submission(),
            draft_saved_at: shown.draft_saved_at,
        },
        (_, "vote") => Body::Vote {
            editable: editable && task.status == "open",
        },
        _ => Body::Nothing,
    };
    Ok(task_page(&TaskPage {
        viewer,
        task,
        case_title: &case_title,
        resolution: resolution.as_deref(),
        agency_name: agency_name.as_deref(),
        history: &history,
        problem: shown.problem.as_deref(),
        body,
    }))
}

/// The agency's draft (only for its own members), else the last submission, else `{}`.
async fn stored(web_state: &WebState, loaded: &Loaded, own: bool) -> Result<Shown, PageError> {
    let draft = if own {
        web_state.store.draft(&loaded.task.id).await?
    } else {
        None
    };
    let draft = draft
        .filter(|d| Some(&d.agency) == loaded.task.agency.as_ref() || loaded.task.agency.is_none());
    let (data, draft_saved_at) = match draft {
        Some(draft) => (
            serde_json::from_str(&draft.data).unwrap_or(Value::Object(Default::default())),
            DateTime::from_timestamp_micros(draft.saved_at_us),
        ),
        None => (
            loaded
                .task
                .submissions
                .last()
                .map_or_else(|| Value::Object(Default::default()), |s| s.data.clone()),
            None,
        ),
    };
    Ok(Shown {
        data,
        errors: Vec::new(),
        problem: None,
        draft_saved_at,
    })
}

/// `GET /tasks/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    web_state: web::Data<WebState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let loaded = load(&state, &viewer, &id).await?;
    Ok(html(
        StatusCode::OK,
        render(&state, &web_state, &viewer, &loaded, None).await?,
    ))
}

/// The page again, with 409: the task changed since the page was opened. What was typed
/// (`data`) stays in the form; the new version is in it, so sending again is a choice.
pub(super) async fn conflict_page(
    state: &AppState,
    web_state: &WebState,
    viewer: &Viewer,
    loaded: Loaded,
    data: Option<Value>,
) -> Result<HttpResponse, PageError> {
    let problem = viewer.locale.pick(
        "این کار پس از باز شدن این صفحه تغییر کرده است (سابقه را ببینید). آنچه نوشته بودید نگه داشته شد؛ پیش از ارسال دوباره آن را بررسی کنید.",
        "This task changed after this page was opened (see its history). What you typed is kept; check it before sending it again.",
    );
    let mut shown = match data {
        Some(data) => Shown {
            data,
            errors: Vec::new(),
            problem: None,
            draft_saved_at: None,
        },
        None => stored(web_state, &loaded, acts_for(viewer, &loaded.task)).await?,
    };
    shown.problem = Some(problem.to_owned());
    let markup = render(state, web_state, viewer, &loaded, Some(shown)).await?;
    Ok(html(StatusCode::CONFLICT, markup))
}

async fn agency_options(state: &AppState) -> Result<Vec<AgencyOption>, PageError> {
    Ok(state
        .engine
        .agencies()
        .await?
        .into_iter()
        .map(|a| AgencyOption {
            code: a.code,
            name: a.name_fa,
        })
        .collect())
}

fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /tasks/{id}`: an array button, "save draft" or "submit".
pub async fn act(
    state: web::Data<AppState>,
    web_state: web::Data<WebState>,
    posted: Posted<Vec<(String, String)>>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Posted {
        viewer,
        form: fields,
    } = posted;
    let locale = viewer.locale;
    let loaded = load(&state, &viewer, &id).await?;
    if !acts_for(&viewer, &loaded.task) {
        return Err(PageError::forbidden().in_locale(locale));
    }
    let form =
        form_of(&state, &loaded.view).ok_or_else(|| PageError::not_found().in_locale(locale))?;
    if fields.len() > MAX_FIELDS {
        return Err(too_large(locale, None));
    }
    let agencies = agency_options(&state).await?;
    let action = format!("/tasks/{}", loaded.task.id);
    let ctx = FormContext {
        locale,
        agencies: &agencies,
        action: &action,
    };
    let parsed = form::parse(form.schema(), &fields, &ctx);
    if let Some((pointer, len, max)) = form::oversized(form.schema(), &parsed.data) {
        return Err(too_large(locale, Some((&pointer, len, max))));
    }
    let action = field(&fields, "action");
    if action != Some("submit") && !loaded.task.accepts_submission() {
        return conflict_page(&state, &web_state, &viewer, loaded, Some(parsed.data)).await;
    }
    if let Some(op) = &parsed.op {
        let mut data = parsed.data;
        apply_op(form.schema(), &mut data, op);
        let shown = Shown {
            data,
            errors: Vec::new(),
            problem: None,
            draft_saved_at: None,
        };
        return Ok(html(
            StatusCode::OK,
            render(&state, &web_state, &viewer, &loaded, Some(shown)).await?,
        ));
    }
    match action {
        Some("save") => {
            let draft = Draft {
                task_id: loaded.task.id.clone(),
                agency: loaded.task.agency.clone().unwrap_or_default(),
                data: parsed.data.to_string(),
                saved_by: viewer.member.id.clone(),
                saved_at_us: viewer.now.timestamp_micros(),
            };
            web_state.store.save_draft(&draft).await?;
            Ok(see_task(&loaded.task.id, "saved"))
        }
        Some("submit") => {
            let version = field(&fields, "version").and_then(|v| v.parse().ok());
            submit(&state, &web_state, &viewer, loaded, &form, parsed, version).await
        }
        _ => Err(
            PageError::bad_request(locale.pick("دکمه‌ای شناخته نشد.", "Unknown button."))
                .in_locale(locale),
        ),
    }
}

fn too_large(locale: crate::web::i18n::Locale, list: Option<(&str, usize, u64)>) -> PageError {
    let detail = match list {
        Some((pointer, len, max)) => format!(
            "{} {pointer}: {len} > {max}",
            locale.pick(
                "فهرستی بیش از اندازه مجاز مورد دارد و نمایش داده نمی‌شود؛ چیزی ذخیره نشد.",
                "A list has more items than the form allows, so it is not shown; nothing was saved."
            ),
        ),
        None => locale
            .pick(
                "این فرم بیش از اندازه بزرگ است؛ چیزی ذخیره نشد.",
                "This form is too large; nothing was saved.",
            )
            .to_owned(),
    };
    PageError::new(StatusCode::PAYLOAD_TOO_LARGE, detail).in_locale(locale)
}

/// Submits through the engine; a refusal comes back as the page with its errors.
async fn submit(
    state: &AppState,
    web_state: &WebState,
    viewer: &Viewer,
    loaded: Loaded,
    form: &FormVersion,
    parsed: form::Parsed,
    version: Option<i64>,
) -> Result<HttpResponse, PageError> {
    let locale = viewer.locale;
    let already = |task: &TaskDoc| {
        task.submissions
            .last()
            .is_some_and(|s| s.data == parsed.data)
    };
    if version != Some(loaded.task.version) || !loaded.task.accepts_submission() {
        if already(&loaded.task) {
            return Ok(see_task(&loaded.task.id, "submitted"));
        }
        return conflict_page(state, web_state, viewer, loaded, Some(parsed.data)).await;
    }
    let refused = |errors: Vec<FieldError>, data: Value| Shown {
        data,
        errors,
        problem: None,
        draft_saved_at: None,
    };
    if !parsed.errors.is_empty() {
        // Unreadable values are not sent; the rest of the document is checked beside them
        // so that every problem shows at once.
        let mut errors = parsed.errors.clone();
        if let Err(violations) = form.validate(&parsed.data) {
            let more = violations_to_errors(form.schema(), &violations, locale);
            errors.extend(
                more.into_iter()
                    .filter(|e| !parsed.errors.iter().any(|p| p.pointer == e.pointer)),
            );
        }
        let markup = render(
            state,
            web_state,
            viewer,
            &loaded,
            Some(refused(errors, parsed.data)),
        )
        .await?;
        return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
    }
    match state
        .engine
        .submit(&viewer.actor, loaded.task_id, parsed.data.clone())
        .await
    {
        Ok(_) => {
            web_state.store.delete_draft(&loaded.task.id).await?;
            Ok(see_task(&loaded.task.id, "submitted"))
        }
        Err(EngineError::Schema { violations, .. }) => {
            let errors = violations_to_errors(form.schema(), &violations, locale);
            let markup = render(
                state,
                web_state,
                viewer,
                &loaded,
                Some(refused(errors, parsed.data)),
            )
            .await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup))
        }
        Err(error) => {
            let api = crate::http::error::ApiError::from(error);
            if api.status == StatusCode::CONFLICT {
                // Another submission won the race: this very data (a double click), or not.
                let reloaded = load(state, viewer, &loaded.task.id).await?;
                if already(&reloaded.task) {
                    return Ok(see_task(&loaded.task.id, "submitted"));
                }
                return conflict_page(state, web_state, viewer, reloaded, Some(parsed.data)).await;
            }
            if api.status.is_client_error() {
                let mut shown = refused(Vec::new(), parsed.data);
                shown.problem = Some(api.detail.clone());
                let markup = render(state, web_state, viewer, &loaded, Some(shown)).await?;
                return Ok(html(api.status, markup));
            }
            Err(PageError::from(api).in_locale(locale))
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct UploadForm {
    json: String,
}

/// `POST /tasks/{id}/upload`: a pasted JSON document fills the form; nothing is submitted.
pub async fn upload(
    state: web::Data<AppState>,
    web_state: web::Data<WebState>,
    posted: Posted<UploadForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Posted {
        viewer,
        form: upload,
    } = posted;
    let locale = viewer.locale;
    let loaded = load(&state, &viewer, &id).await?;
    if !acts_for(&viewer, &loaded.task) {
        return Err(PageError::forbidden().in_locale(locale));
    }
    let form =
        form_of(&state, &loaded.view).ok_or_else(|| PageError::not_found().in_locale(locale))?;
    let shown = match serde_json::from_str::<Value>(&upload.json) {
        Ok(data) if data.is_object() => {
            if let Some((pointer, len, max)) = form::oversized(form.schema(), &data) {
                return Err(too_large(locale, Some((&pointer, len, max))));
            }
            Shown {
                data,
                errors: Vec::new(),
                problem: None,
                draft_saved_at: None,
            }
        }
        Ok(_) | Err(_) => {
            let mut shown = stored(&web_state, &loaded, true).await?;
            let reason = serde_json::from_str::<Value>(&upload.json)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            shown.problem = Some(format!(
                "{} {reason}",
                locale.pick(
                    "این متن یک سند JSON (یک شیء {…}) نیست؛ فرم تغییری نکرد.",
                    "This is not a JSON document (an object {…}); the form is unchanged."
                ),
            ));
            let markup = render(&state, &web_state, &viewer, &loaded, Some(shown)).await?;
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup));
        }
    };
    Ok(html(
        StatusCode::OK,
        render(&state, &web_state, &viewer, &loaded, Some(shown)).await?,
    ))
}

/// `GET /tasks/{id}/submission.json`: the last submission's document, as submitted.
pub async fn download(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let loaded = load(&state, &viewer, &id).await?;
    let Some(last) = loaded.task.submissions.last() else {
        return Err(PageError::not_found().in_locale(viewer.locale));
    };
    let body = serde_json::to_string_pretty(&last.data).unwrap_or_default();
    let name = format!("task-{}-submission-{}.json", loaded.task.id, last.number);
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body))
}
