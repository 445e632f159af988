//! Attachments from the task page. `POST /tasks/{id}/attachments` takes the whole task form
//! as `multipart/form-data` (its "Attach" and "Remove" buttons post it there), checks the
//! chosen files exactly as `POST /v1/files` does, stores them, and shows the page again with
//! everything typed kept and the files listed for the next "Submit" — or with a readable
//! reason and nothing added. `GET /files/{sha256}` serves a file to whoever may read it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::act::agency_options;
use super::attachments::PENDING_FIELD;
use super::{Shown, acts_for, form_of, html, load, render};
use crate::domain::{AttachmentRef, check_refs};
use crate::files::{FileRefusal, StoredFile, check_upload, is_sha256};
use crate::http::AppState;
use crate::http::files::{file_response, not_modified};
use crate::web::error::PageError;
use crate::web::form::{self, FormContext};
use crate::web::i18n::Locale;
use crate::web::multipart::{FilePart, PostedFiles};
use crate::web::session::{Viewer, WebState};

fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The files chosen so far, as the form carries them (the engine checks them again on submit).
pub(super) fn pending_of(fields: &[(String, String)]) -> Vec<AttachmentRef> {
    field(fields, PENDING_FIELD)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// Persian or Arabic-Indic digits and `/` as typed, to `1405-09-30`; empty as none.
fn typed(text: Option<&str>, date: bool) -> Option<String> {
    let text = text?.trim();
    if text.is_empty() {
        return None;
    }
    if !date {
        return Some(text.to_string());
    }
    Some(
        text.chars()
            .map(|c| match c {
                '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
                '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
                '/' => '-',
                c => c,
            })
            .collect(),
    )
}

/// Why a chosen file was not taken, for people.
fn refusal_text(locale: Locale, file: &FilePart, refusal: &FileRefusal) -> String {
    match refusal {
        FileRefusal::WrongType(_) => format!(
            "{} «{}» {}",
            locale.pick("پرونده", "The file"),
            file.filename,
            locale.pick(
                "پذیرفته نشد: فقط PDF، PNG و JPEG پذیرفته می‌شود و محتوای پرونده باید با نوع و پسوند نامش بخواند.",
                "was not taken: only PDF, PNG and JPEG are accepted, and the file's content must match its type and extension.",
            )
        ),
        FileRefusal::Invalid(detail) => format!(
            "{} «{}» {} ({detail})",
            locale.pick("پرونده", "The file"),
            file.filename,
            locale.pick("پذیرفته نشد: خالی است یا نامش مجاز نیست.", "was not taken: it is empty or its name is not allowed."),
        ),
    }
}

/// Checks every chosen file and the letter's details, then stores the files and adds them
/// to `pending`; on a refusal nothing is added.
async fn add_files(
    state: &AppState,
    viewer: &Viewer,
    pending: &mut Vec<AttachmentRef>,
    files: Vec<FilePart>,
    fields: &[(String, String)],
) -> Result<(), (StatusCode, String)> {
    let locale = viewer.locale;
    if files.is_empty() {
        let text = locale.pick("پرونده‌ای برگزیده نشده است.", "No file was chosen.");
        return Err((StatusCode::UNPROCESSABLE_ENTITY, text.into()));
    }
    let limit = state.protection.attachment_max_bytes;
    let at_us = viewer.now.timestamp_micros();
    let mut checked = Vec::new();
    for file in &files {
        if file.bytes.len() > limit {
            let text = format!(
                "{} «{}» {} {} MB.",
                locale.pick("پرونده", "The file"),
                file.filename,
                locale.pick("بزرگ‌تر از حد مجاز است:", "is over the limit of"),
                limit / (1024 * 1024)
            );
            return Err((StatusCode::PAYLOAD_TOO_LARGE, text));
        }
        let kind = check_upload(&file.content_type, &file.filename, &file.bytes).map_err(|r| {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                refusal_text(locale, file, &r),
            )
        })?;
        checked.push(StoredFile::upload(
            kind,
            &file.filename,
            &viewer.member.id,
            at_us,
            file.bytes.clone(),
        ));
    }
    let mut next = pending.clone();
    next.extend(checked.iter().map(|file| AttachmentRef {
        sha256: file.meta.sha256.clone(),
        filename: file.meta.filename.clone(),
        letter_no: typed(field(fields, "letter_no"), false),
        letter_date_jalali: typed(field(fields, "letter_date"), true),
    }));
    check_refs("attachments", &next)
        .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let store = state.engine.files();
    for file in &checked {
        store
            .store(file)
            .await
            .map_err(|e| (StatusCode::SERVICE_UNAVAILABLE, e.to_string()))?;
    }
    *pending = next;
    Ok(())
}

/// `POST /tasks/{id}/attachments`: "Attach" or "Remove" on the task's form.
pub async fn attach(
    state: web::Data<AppState>,
    web_state: web::Data<WebState>,
    posted: PostedFiles,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let PostedFiles {
        viewer,
        fields,
        files,
    } = posted;
    let locale = viewer.locale;
    let loaded = load(&state, &viewer, &id).await?;
    if !acts_for(&viewer, &loaded.task) || !loaded.task.accepts_submission() {
        return Err(PageError::forbidden().in_locale(locale));
    }
    let form =
        form_of(&state, &loaded.view).ok_or_else(|| PageError::not_found().in_locale(locale))?;
    let agencies = agency_options(&state).await?;
    let action = format!("/tasks/{}", loaded.task.id);
    let ctx = FormContext {
        locale,
        agencies: &agencies,
        action: &action,
    };
    let data = form::parse(form.schema(), &fields, &ctx).data;
    let mut pending = pending_of(&fields);
    let outcome = match field(&fields, "detach") {
        Some(sha256) => {
            pending.retain(|a| a.sha256 != sha256);
            Ok(())
        }
        None => add_files(&state, &viewer, &mut pending, files, &fields).await,
    };
    let (status, problem) = match outcome {
        Ok(()) => (StatusCode::OK, None),
        Err((status, text)) => (status, Some(text)),
    };
    let shown = Shown {
        data,
        errors: Vec::new(),
        problem,
        draft_saved_at: None,
        announce: None,
        pending,
    };
    Ok(html(
        status,
        render(&state, &web_state, &viewer, &loaded, Some(shown)).await?,
    ))
}

/// `GET /files/{sha256}`: a file, to whoever may read it (as `GET /v1/files/{sha256}`).
pub async fn file(
    state: web::Data<AppState>,
    viewer: Viewer,
    request: HttpRequest,
    sha256: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let not_found = || PageError::not_found().in_locale(viewer.locale);
    if !is_sha256(&sha256) {
        return Err(not_found());
    }
    let Some((meta, name)) = state.engine.readable_file(&viewer.actor, &sha256).await? else {
        return Err(not_found());
    };
    if let Some(unchanged) = not_modified(&request, &meta) {
        return Ok(unchanged);
    }
    let stored = state
        .engine
        .files()
        .get(&meta.sha256)
        .await?
        .ok_or_else(not_found)?;
    Ok(file_response(&meta, &name, stored.bytes))
}
