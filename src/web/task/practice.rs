//! The task page's actions beside the form: the secretariat extends the task's deadline
//! (with a reason); a member of the task's agency takes back a submission the secretariat
//! has not reviewed yet. Both go through the engine as the API's routes do.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::page::{TaskDoc, TaskPage};
use super::{acts_for, html, load, see_task};
use crate::domain::Role;
use crate::http::AppState;
use crate::web::Posted;
use crate::web::cases::practice::{ExtendForm, extend_form, new_due, refusal};
use crate::web::cases::version_matches;
use crate::web::error::PageError;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

#[derive(Debug, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub version: String,
}

fn may_extend(viewer: &Viewer, kind: &str, status: &str) -> bool {
    viewer.has_any(&[Role::Secretariat])
        && kind == "submission"
        && matches!(status, "open" | "returned" | "submitted")
}

/// A member of the task's agency, while its submission awaits review.
fn may_withdraw(viewer: &Viewer, task: &TaskDoc) -> bool {
    viewer.has_any(&[Role::Member]) && acts_for(viewer, task) && task.status == "submitted"
}

/// The actions the viewer may take on the task now, if any.
pub(super) fn actions(view: &TaskPage) -> Markup {
    let (viewer, task) = (view.viewer, view.task);
    let locale = viewer.locale;
    let action = format!("/tasks/{}/extend", task.id);
    html! {
        @if may_extend(viewer, &task.kind, &task.status) {
            details.practice {
                summary { (locale.pick("تمدید مهلت این کار…", "Extend this task's deadline…")) }
                (extend_form(viewer, &action, task.version, &ExtendForm::default(), None))
            }
        }
        @if may_withdraw(viewer, task) {
            form.panel.withdraw method="post" action={ "/tasks/" (task.id) "/withdraw" } {
                (csrf_field(viewer))
                input type="hidden" name="version" value=(task.version);
                p { (locale.pick(
                    "دبیرخانه هنوز این ارسال را بررسی نکرده است. اگر پس بگیرید، فرم دوباره پذیرای ارسال می‌شود.",
                    "The secretariat has not reviewed this submission yet. If you withdraw it, the form takes a submission again.",
                )) }
                button.secondary type="submit" { (locale.pick("پس گرفتن ارسال", "Withdraw the submission")) }
            }
        }
    }
}

/// The extension form alone, with its error and what was typed.
fn extend_page(
    viewer: &Viewer,
    task_id: &str,
    version: i64,
    typed: &ExtendForm,
    error: &str,
) -> Markup {
    let locale = viewer.locale;
    let action = format!("/tasks/{task_id}/extend");
    let body = html! {
        p.context { a href={ "/tasks/" (task_id) } { (locale.pick("بازگشت به کار", "Back to the task")) } }
        (extend_form(viewer, &action, version, typed, Some(error)))
    };
    page(
        viewer,
        locale.pick("تمدید مهلت", "Extend the deadline"),
        body,
    )
}

/// `POST /tasks/{id}/extend`
pub async fn extend(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<ExtendForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let loaded = load(&state, &viewer, &id).await?;
    let task = &loaded.task;
    let shown = |status, error: &str| {
        let markup = extend_page(&viewer, &task.id, task.version, &form, error);
        Ok(html(status, markup))
    };
    if !version_matches(&serde_json::json!(task.version), &form.version) {
        let changed = viewer.locale.pick(
            "این کار پس از باز شدن صفحه تغییر کرده است؛ کاری انجام نشد. دوباره بفرستید.",
            "This task changed after the page was opened; nothing was done. Send it again.",
        );
        return shown(StatusCode::CONFLICT, changed);
    }
    let due = match new_due(viewer.locale, &form) {
        Ok(due) => due,
        Err(error) => return shown(StatusCode::UNPROCESSABLE_ENTITY, &error),
    };
    let reason = form.reason.trim().to_string();
    match state
        .engine
        .extend_task(&viewer.actor, loaded.task_id, due, reason)
        .await
    {
        Ok(_) => Ok(see_task(&task.id, "deadline-extended")),
        Err(error) => {
            let (status, text) = refusal(viewer.locale, error)?;
            shown(status, &text)
        }
    }
}

/// `POST /tasks/{id}/withdraw`
pub async fn withdraw(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<WithdrawForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let loaded = load(&state, &viewer, &id).await?;
    let current = serde_json::json!(loaded.task.version);
    if !version_matches(&current, &form.version) {
        let changed = locale.pick(
            "این کار پس از باز شدن صفحه تغییر کرده است؛ کاری انجام نشد.",
            "This task changed after the page was opened; nothing was done.",
        );
        return Err(PageError::new(StatusCode::CONFLICT, changed).in_locale(locale));
    }
    match state.engine.withdraw(&viewer.actor, loaded.task_id).await {
        Ok(_) => Ok(see_task(&loaded.task.id, "withdrawn")),
        Err(error) => {
            let (status, text) = refusal(locale, error)?;
            Err(PageError::new(status, text).in_locale(locale))
        }
    }
}
