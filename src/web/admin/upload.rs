//! Uploading a new workflow or form version: a file (or pasted text) through the same
//! catalog calls as `PUT /v1/workflows/{key}` and `PUT /v1/forms/{key}`. A refusal lists
//! every problem with its file and JSON Pointer, keeps what was typed, and registers
//! nothing; a new version leads to its page, with its hash.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::Markup;

use super::catalog::{Kind, form_rows, workflow_rows};
use super::catalog_page::catalog_page;
use super::upload_form::{Refusal, UploadForm, checked_schema, format_for, upload_text};
use crate::engine::EngineError;
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::i18n::Locale;
use crate::web::multipart::{FilePart, PostedFiles};

fn form_of(fields: &[(String, String)]) -> UploadForm {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    UploadForm {
        key: get("key").trim().to_string(),
        text: get("text"),
    }
}

fn registered(kind: Kind, key: &str, version: u32, created: bool) -> HttpResponse {
    let notice = if created {
        "version-registered"
    } else {
        "version-unchanged"
    };
    HttpResponse::SeeOther()
        .insert_header((
            "location",
            format!("{}/{key}/{version}?notice={notice}", kind.path()),
        ))
        .finish()
}

/// `POST /admin/workflows`
pub async fn workflow(
    state: web::Data<AppState>,
    posted: PostedFiles,
) -> Result<HttpResponse, PageError> {
    let PostedFiles {
        viewer,
        fields,
        files,
    } = posted;
    let form = form_of(&fields);
    let file = files.iter().find(|f| f.field == "file");
    let refusal = match register_workflow(&state, viewer.locale, &form, file).await {
        Ok(Ok(response)) => return Ok(response),
        Ok(Err(refusal)) => refusal,
        Err(error) => return Err(error.in_locale(viewer.locale)),
    };
    let rows = workflow_rows(&state, viewer.locale).await?;
    Ok(refused(catalog_page(
        &viewer,
        Kind::Workflow,
        &rows,
        &form,
        Some(&refusal),
    )))
}

async fn register_workflow(
    state: &AppState,
    locale: Locale,
    form: &UploadForm,
    file: Option<&FilePart>,
) -> Result<Result<HttpResponse, Refusal>, PageError> {
    let (source, text) = match upload_text(locale, form, file, state.body_limit) {
        Ok(sent) => sent,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let catalog = &state.engine.catalog;
    catalog.refresh_if_stale(&state.engine.store).await?;
    let format = format_for(file, &text);
    let definition = match catalog.parse_workflow_text(&source, &text, format) {
        Ok(definition) => definition,
        Err(error) => return Ok(Err(error.into())),
    };
    match catalog.put_workflow(&state.engine.store, definition).await {
        Ok(done) => Ok(Ok(registered(
            Kind::Workflow,
            &done.key,
            done.version,
            done.created,
        ))),
        Err(error) => engine_refusal(&source, error),
    }
}

/// `POST /admin/forms`
pub async fn form(
    state: web::Data<AppState>,
    posted: PostedFiles,
) -> Result<HttpResponse, PageError> {
    let PostedFiles {
        viewer,
        fields,
        files,
    } = posted;
    let form = form_of(&fields);
    let file = files.iter().find(|f| f.field == "file");
    let refusal = match register_form(&state, viewer.locale, &form, file).await {
        Ok(Ok(response)) => return Ok(response),
        Ok(Err(refusal)) => refusal,
        Err(error) => return Err(error.in_locale(viewer.locale)),
    };
    let rows = form_rows(&state).await?;
    Ok(refused(catalog_page(
        &viewer,
        Kind::Form,
        &rows,
        &form,
        Some(&refusal),
    )))
}

async fn register_form(
    state: &AppState,
    locale: Locale,
    form: &UploadForm,
    file: Option<&FilePart>,
) -> Result<Result<HttpResponse, Refusal>, PageError> {
    let (source, text) = match upload_text(locale, form, file, state.body_limit) {
        Ok(sent) => sent,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if form.key.is_empty() {
        return Ok(Err(Refusal::whole(
            &source,
            locale.pick("کلید فرم را بنویسید.", "Give the form's key."),
        )));
    }
    let schema = match checked_schema(&source, &form.key, &text) {
        Ok(schema) => schema,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let catalog = &state.engine.catalog;
    match catalog
        .put_form(&state.engine.store, &form.key, schema)
        .await
    {
        Ok(done) => Ok(Ok(registered(
            Kind::Form,
            &done.key,
            done.version,
            done.created,
        ))),
        Err(error) => engine_refusal(&source, error),
    }
}

/// The catalog's own refusals (a schema it would not register, a race with another node)
/// are shown with the others; anything else is an error page.
fn engine_refusal(
    source: &str,
    error: EngineError,
) -> Result<Result<HttpResponse, Refusal>, PageError> {
    match error {
        EngineError::Invalid(reason) | EngineError::Conflict(reason) => {
            Ok(Err(Refusal::whole(source, reason)))
        }
        other => Err(other.into()),
    }
}

fn refused(page: Markup) -> HttpResponse {
    HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}
