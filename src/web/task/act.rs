//! `POST /tasks/{id}`: the form's buttons — an array's add / remove / move, "save draft",
//! and "submit", which goes through the engine as the API's submit does.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::Value;

use super::page::TaskDoc;
use super::{
    Loaded, MAX_FIELDS, Shown, acts_for, conflict_page, form_of, html, load, render, see_task,
};
use crate::engine::EngineError;
use crate::forms::FormVersion;
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::form::{
    self, AgencyOption, FieldError, FormContext, apply_op, violations_to_errors,
};
use crate::web::session::{Viewer, WebState};
use crate::web::store::Draft;

pub(super) async fn agency_options(state: &AppState) -> Result<Vec<AgencyOption>, PageError> {
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
    request: actix_web::HttpRequest,
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
        let done = apply_op(form.schema(), &mut data, op);
        let htmx = request.headers().contains_key("hx-request");
        let announce = htmx.then(|| announcement(locale, op, done).to_owned());
        let shown = Shown {
            data,
            errors: Vec::new(),
            problem: None,
            draft_saved_at: None,
            announce,
            pending: super::attach::pending_of(&fields),
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
                attachments: serde_json::to_string(&super::attach::pending_of(&fields))
                    .unwrap_or_else(|_| "[]".into()),
            };
            web_state.store.save_draft(&draft).await?;
            Ok(see_task(&loaded.task.id, "saved"))
        }
        Some("submit") => {
            let version = field(&fields, "version").and_then(|v| v.parse().ok());
            let pending = super::attach::pending_of(&fields);
            let posted = Submitted {
                parsed,
                version,
                pending,
            };
            submit(&state, &web_state, &viewer, loaded, &form, posted).await
        }
        _ => Err(
            PageError::bad_request(locale.pick("دکمه‌ای شناخته نشد.", "Unknown button."))
                .in_locale(locale),
        ),
    }
}

/// What the live region says after an array button, for those who cannot see it.
fn announcement(locale: crate::web::i18n::Locale, op: &form::ArrayOp, done: bool) -> &'static str {
    use form::ArrayOp::{Add, Down, Remove, Up};
    match (op, done) {
        (_, false) => locale.pick(
            "این کار در این فهرست ممکن نیست.",
            "This list does not allow that.",
        ),
        (Add(_), true) => locale.pick("یک مورد افزوده شد.", "An item was added."),
        (Remove(_), true) => locale.pick("یک مورد حذف شد.", "An item was removed."),
        (Up(_) | Down(_), true) => locale.pick("جای مورد عوض شد.", "The item was moved."),
    }
}

pub(super) fn too_large(
    locale: crate::web::i18n::Locale,
    list: Option<(&str, usize, u64)>,
) -> PageError {
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

/// What "Submit" posted: the form's document, the page's task version and the files
/// chosen.
struct Submitted {
    parsed: form::Parsed,
    version: Option<i64>,
    pending: Vec<crate::domain::AttachmentRef>,
}

/// Submits through the engine; a refusal comes back as the page with its errors.
async fn submit(
    state: &AppState,
    web_state: &WebState,
    viewer: &Viewer,
    loaded: Loaded,
    form: &FormVersion,
    posted: Submitted,
) -> Result<HttpResponse, PageError> {
    let Submitted {
        parsed,
        version,
        pending,
    } = posted;
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
        announce: None,
        pending: pending.clone(),
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
        .submit_with(
            &viewer.actor,
            loaded.task_id,
            parsed.data.clone(),
            pending.clone(),
        )
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
