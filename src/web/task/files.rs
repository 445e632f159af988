//! The form's JSON in and out: a pasted document fills the form (nothing is submitted),
//! and the last submission downloads as the file it was.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, http::header, web};
use serde_json::Value;

use super::act::too_large;
use super::{Shown, acts_for, empty_of, form_of, html, load, render, stored};
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::form;
use crate::web::session::{Viewer, WebState};

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
                announce: None,
                pending: Vec::new(),
            }
        }
        Ok(_) | Err(_) => {
            let mut shown = stored(&web_state, &loaded, true, &empty_of(&state, &loaded)).await?;
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
