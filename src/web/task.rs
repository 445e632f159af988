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

mod act;
mod addressed;
mod attach;
mod attachments;
mod due;
mod files;
mod history;
mod page;
mod practice;
mod vote;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, http::header, web};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use self::history::{HistoryItem, task_history};
use self::page::{Body, TaskDoc, TaskPage, task_page};
use super::error::PageError;
use super::form::{self, AgencyOption, FieldError};
use super::session::{Viewer, WebState};
use crate::domain::Role;
use crate::engine::EngineError;
use crate::forms::FormVersion;
use crate::http::AppState;
use crate::reports::confirmations::{CONFIRMATION_FORM, addressed_to};

pub use act::act;
pub use attach::{attach, file};
pub(super) use attachments::{FilesOf, file_list};
pub use files::{download, upload};
pub use practice::{extend, withdraw};
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

/// A new form's document: its required lists, empty.
fn empty_of(state: &AppState, loaded: &Loaded) -> Value {
    form_of(state, &loaded.view).map_or(Value::Null, |f| form::empty_document(f.schema()))
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
    /// Said in the live region after an htmx update («یک مورد افزوده شد»).
    announce: Option<String>,
    /// The files chosen for the next submission (not stored in a draft).
    pending: Vec<crate::domain::AttachmentRef>,
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
    let (case_title, resolution, resolution_files) = match &case {
        Some(case) => {
            let parent = match case.parent_case {
                Some(parent) => state.engine.case(parent).await?,
                None => None,
            };
            let text = case.params["text"]
                .as_str()
                .or_else(|| parent.as_ref().and_then(|p| p.params["text"].as_str()))
                .map(str::to_owned);
            let mut files = attachments::files_in_params(&case.params);
            if let Some(parent) = &parent {
                files.extend(attachments::files_in_params(&parent.params));
            }
            (case.title.clone(), text, files)
        }
        None => (String::new(), None, Vec::new()),
    };
    let history: Vec<HistoryItem> = match case.as_ref() {
        Some(case) => crate::audit::timeline::timeline(&state.store, case.id)
            .await
            .ok()
            .and_then(|t| serde_json::to_value(t).ok())
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
    let addressed = match (&case, task.form.as_deref(), task.agency.as_deref()) {
        (Some(case), Some(CONFIRMATION_FORM), Some(agency)) => addressed_to(&case.params, agency),
        _ => Vec::new(),
    };
    // A confirmation task starts with one answer row per need addressed to the agency.
    let empty = if addressed.is_empty() {
        empty_of(state, loaded)
    } else {
        let rows: Vec<Value> = addressed.iter().map(|a| json!({"need": a.need})).collect();
        json!({ "answers": rows })
    };
    let shown = match shown {
        Some(shown) => shown,
        None => stored(web_state, loaded, editable, &empty).await?,
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
            pending: &shown.pending,
            attachment_max_bytes: state.protection.attachment_max_bytes,
        },
        (_, "vote") => Body::Vote {
            editable: vote::may_cast(viewer, task),
            voter: vote::voter_name(state, task).await?,
        },
        _ => Body::Nothing,
    };
    let calendar = state.engine.calendar().await?;
    let nominal_day_off = task
        .due_nominal_at
        .and_then(|nominal| due::day_off_text(&calendar, viewer.locale, nominal));
    Ok(task_page(&TaskPage {
        viewer,
        task,
        case_title: &case_title,
        resolution: resolution.as_deref(),
        resolution_files: &resolution_files,
        agency_name: agency_name.as_deref(),
        nominal_day_off: nominal_day_off.as_deref(),
        history: &history,
        addressed: &addressed,
        problem: shown.problem.as_deref(),
        announce: shown.announce.as_deref(),
        body,
    }))
}

/// The agency's draft (only for its own members), else the last submission, else `empty`.
async fn stored(
    web_state: &WebState,
    loaded: &Loaded,
    own: bool,
    empty: &Value,
) -> Result<Shown, PageError> {
    let draft = if own {
        web_state.store.draft(&loaded.task.id).await?
    } else {
        None
    };
    let draft = draft
        .filter(|d| Some(&d.agency) == loaded.task.agency.as_ref() || loaded.task.agency.is_none());
    let (data, draft_saved_at, pending) = match draft {
        Some(draft) => (
            serde_json::from_str(&draft.data).unwrap_or(Value::Object(Default::default())),
            DateTime::from_timestamp_micros(draft.saved_at_us),
            serde_json::from_str(&draft.attachments).unwrap_or_default(),
        ),
        None => (
            loaded
                .task
                .submissions
                .last()
                .map_or_else(|| empty.clone(), |s| s.data.clone()),
            None,
            Vec::new(),
        ),
    };
    Ok(Shown {
        data,
        errors: Vec::new(),
        problem: None,
        draft_saved_at,
        announce: None,
        pending,
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
            announce: None,
            pending: Vec::new(),
        },
        None => {
            let own = acts_for(viewer, &loaded.task);
            stored(web_state, &loaded, own, &empty_of(state, &loaded)).await?
        }
    };
    shown.problem = Some(problem.to_owned());
    let markup = render(state, web_state, viewer, &loaded, Some(shown)).await?;
    Ok(html(StatusCode::CONFLICT, markup))
}
