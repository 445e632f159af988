//! `/v1/files`: attachments. An upload is the file's raw bytes (not JSON, so not held to
//! the JSON body limit but to `DAFTAR_ATTACHMENT_MAX_BYTES`), checked by
//! [`crate::files::check`] and stored by the SHA-256 of its bytes. A download answers with
//! the bytes to whoever may see what names the file, and 404 to everyone else — the same
//! answer as for a hash nobody uploaded.

use actix_web::http::{ConnectionType, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::Serialize;
use serde_json::{Value, json};

use super::auth::Caller;
use super::error::ApiError;
use super::{AppState, body};
use crate::files::{FileMeta, FileRefusal, StoredFile, check_upload, disposition, is_sha256};

/// What an upload answers: the name to attach the file by.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct UploadedFile {
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub filename: String,
}

/// The OpenAPI request body of an upload: the file's bytes.
pub fn binary_body(_: &mut schemars::SchemaGenerator) -> Value {
    let binary =
        json!({"schema": {"type": "string", "contentMediaType": "application/octet-stream"}});
    json!({"required": true, "description": "The file's bytes, with Content-Type and Content-Disposition: attachment; filename=\"…\" (or filename*=UTF-8''…)", "content": {
        "application/pdf": binary, "image/png": binary, "image/jpeg": binary,
    }})
}

/// 201 for new bytes, 200 when the same bytes were stored already.
pub fn created_or_stored() -> Value {
    let body = json!({"content": {"application/json": {"schema": {}}}});
    let (mut created, mut stored) = (body.clone(), body);
    created["description"] = json!("Stored");
    stored["description"] = json!("These bytes were stored already: the same file");
    json!({"201": created, "200": stored})
}

/// A download: the bytes, as their type.
pub fn file_content() -> Value {
    let binary =
        json!({"schema": {"type": "string", "contentMediaType": "application/octet-stream"}});
    json!({
        "200": {"description": "The file's bytes", "content": {
            "application/pdf": binary, "image/png": binary, "image/jpeg": binary,
        }},
        "304": {"description": "Not modified (If-None-Match named its ETag)"},
    })
}

/// A header's value as text: UTF-8 is taken as sent, since clients put Persian file names
/// in `filename="…"` raw as often as they use `filename*`.
fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get(name)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
}

/// A refusal sent before the body was read whole: the connection closes after it, since
/// the rest of the body is still on its way.
fn refuse_unread(error: ApiError) -> HttpResponse {
    let mut response = error.error_response();
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        format!("the file is over the limit of {limit} bytes"),
    )
}

fn refused(refusal: FileRefusal) -> ApiError {
    match refusal {
        FileRefusal::WrongType(detail) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            detail,
        ),
        FileRefusal::Invalid(detail) => ApiError::unprocessable(detail),
    }
}

pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limit = state.protection.attachment_max_bytes;
    let announced = header(&request, "content-length").and_then(|l| l.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return Ok(refuse_unread(too_large(limit)));
    }
    let bytes = match body::read_up_to(payload, &state, limit).await {
        Ok(bytes) => bytes,
        Err(error) if error.status == StatusCode::PAYLOAD_TOO_LARGE => {
            return Ok(refuse_unread(too_large(limit)));
        }
        Err(error) => return Err(error),
    };
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let content_type = header(&request, "content-type").unwrap_or_default();
        let filename = header(&request, "content-disposition")
            .ok_or_else(|| {
                "send the file's name: Content-Disposition: attachment; filename=\"…\"".to_string()
            })
            .and_then(disposition::filename_of)
            .map_err(ApiError::unprocessable)?;
        let kind = check_upload(content_type, &filename, &bytes).map_err(refused)?;
        let at_us = state.engine.clock.now().timestamp_micros();
        let file = StoredFile::upload(kind, &filename, &caller.member.id, at_us, bytes.to_vec());
        let created = state.engine.files().store(&file).await?;
        let answer = UploadedFile {
            sha256: file.meta.sha256,
            size: file.meta.size,
            content_type: file.meta.content_type,
            filename,
        };
        let status = if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Ok((status, json!(answer)))
    })
    .await
}

pub async fn download(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    sha256: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::not_found(format!("no file {sha256}"));
    if !is_sha256(&sha256) {
        return Err(not_found());
    }
    let Some((meta, name)) = state.engine.readable_file(&caller.actor, &sha256).await? else {
        return Err(not_found());
    };
    if let Some(unchanged) = not_modified(&request, &meta) {
        return Ok(unchanged);
    }
    let file = state
        .engine
        .files()
        .get(&meta.sha256)
        .await?
        .ok_or_else(not_found)?;
    Ok(file_response(&meta, &name, file.bytes))
}

/// 304 when the client already holds this file (`If-None-Match` names its ETag): the
/// hash is the content, so the tag never goes stale.
pub fn not_modified(request: &HttpRequest, meta: &FileMeta) -> Option<HttpResponse> {
    let etag = etag_of(meta);
    header(request, "if-none-match")
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag))
        .then(|| {
            HttpResponse::NotModified()
                .insert_header(("etag", etag))
                .finish()
        })
}

fn etag_of(meta: &FileMeta) -> String {
    format!("\"{}\"", meta.sha256)
}

/// A file's bytes as a download under `name`, for the API and the pages alike: its own
/// type, never sniffed, with its hash as a strong ETag.
pub fn file_response(meta: &FileMeta, name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(meta.content_type.as_str())
        .insert_header(("content-disposition", disposition::attachment_header(name)))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("cache-control", "private, no-cache"))
        .insert_header(("etag", etag_of(meta)))
        .body(bytes)
}
