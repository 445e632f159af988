//! `/v1/workflows` and `/v1/forms`: administrators write definitions and schemas (each change
//! a new version), everyone reads them.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::Value;

use super::error::ApiError;
use super::paging::Page;
use super::{AppState, body};
use crate::forms::SchemaViolation;
use crate::workflow::{DefinitionError, Format, Title, WorkflowVersion};

fn definition_problem(error: DefinitionError) -> ApiError {
    let mut api = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-definition",
        format!(
            "the definition is invalid: {} problem(s)",
            error.issues.len()
        ),
    );
    api.errors = Some(
        error
            .issues
            .iter()
            .map(|i| SchemaViolation {
                instance_path: i.pointer.clone(),
                schema_path: i.kind.code().to_string(),
                message: i.message(),
            })
            .collect(),
    );
    api
}

fn format_of(request: &HttpRequest) -> Result<Format, ApiError> {
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "application/json" => Ok(Format::Json),
        "application/yaml" | "application/x-yaml" | "text/yaml" => Ok(Format::Yaml),
        other => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            format!("send the definition as application/yaml or application/json, not {other:?}"),
        )),
    }
}

/// A workflow version as read: its key, number, content hash, title and the definition as
/// registered.
#[derive(Serialize, schemars::JsonSchema)]
pub struct WorkflowView<'a> {
    pub key: &'a str,
    pub version: u32,
    pub hash: &'a str,
    pub title: &'a Title,
    /// The definition as registered (`schemas/workflow.schema.json`).
    pub definition: &'a Value,
}

fn view(version: &WorkflowVersion) -> WorkflowView<'_> {
    let d = &version.definition;
    WorkflowView {
        key: d.key(),
        version: version.version,
        hash: d.content_hash(),
        title: d.title(),
        definition: d.source(),
    }
}

/// A form version as read: its JSON Schema and what identifies it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct FormView<'a> {
    pub key: &'a str,
    pub version: u32,
    pub hash: &'a str,
    pub schema: &'a Value,
}

/// What a PUT registered (or found unchanged).
#[derive(Serialize, schemars::JsonSchema)]
pub struct Registered {
    pub key: String,
    pub version: u32,
    pub hash: String,
}

pub async fn put(
    state: web::Data<AppState>,
    request: HttpRequest,
    key: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let format = format_of(&request)?;
    let bytes = body::read(payload, &state).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::bad_request("the definition is not UTF-8 text"))?;
    let definition = state
        .engine
        .catalog
        .parse_workflow_text("request body", text, format)
        .map_err(definition_problem)?;
    if definition.key() != key.as_str() {
        return Err(ApiError::unprocessable(format!(
            "the definition's key {:?} does not match the path's {:?}",
            definition.key(),
            key.as_str()
        )));
    }
    let registered = state
        .engine
        .catalog
        .put_workflow(&state.engine.store, definition)
        .await?;
    let status = if registered.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(Registered {
        key: registered.key,
        version: registered.version,
        hash: registered.hash,
    }))
}

pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state
        .engine
        .catalog
        .refresh_if_stale(&state.engine.store)
        .await?;
    let registry = state.engine.catalog.workflows.read().expect("catalog lock");
    let mut latest: std::collections::BTreeMap<String, WorkflowVersion> = Default::default();
    for version in registry.list() {
        let key = version.definition.key().to_string();
        if latest.get(&key).is_none_or(|v| v.version < version.version) {
            latest.insert(key, version);
        }
    }
    let items: Vec<WorkflowView> = latest.values().map(view).collect();
    Ok(HttpResponse::Ok().json(Page::whole(items)))
}

pub async fn get(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let version = state
        .engine
        .catalog
        .current_workflow(&state.engine.store, &key)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no workflow {key}")))?;
    Ok(HttpResponse::Ok()
        .insert_header(("etag", format!("\"{}\"", version.version)))
        .json(view(&version)))
}

pub async fn get_version(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (key, n) = path.into_inner();
    state
        .engine
        .catalog
        .refresh_if_stale(&state.engine.store)
        .await?;
    let n: u32 = n
        .parse()
        .map_err(|_| ApiError::bad_request(format!("version {n:?} is not a number")))?;
    let version = state
        .engine
        .catalog
        .workflows
        .read()
        .expect("catalog lock")
        .get(&key, n)
        .ok_or_else(|| ApiError::not_found(format!("no version {n} of workflow {key}")))?;
    Ok(HttpResponse::Ok().json(view(&version)))
}

pub async fn put_form(
    state: web::Data<AppState>,
    request: HttpRequest,
    key: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let schema: Value = body::json(&request, &bytes)?;
    if !schema.is_object() {
        // `true`/`false` are valid JSON Schemas, but a form needs fields to describe.
        return Err(ApiError::unprocessable(
            "a form's schema must be a JSON Schema object",
        ));
    }
    let registered = state
        .engine
        .catalog
        .put_form(&state.engine.store, &key, schema)
        .await?;
    let status = if registered.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(Registered {
        key: registered.key,
        version: registered.version,
        hash: registered.hash,
    }))
}

pub async fn get_form(
    state: web::Data<AppState>,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .engine
        .catalog
        .refresh_if_stale(&state.engine.store)
        .await?;
    let form = state
        .engine
        .catalog
        .forms
        .read()
        .expect("catalog lock")
        .get(&key, None)
        .ok_or_else(|| ApiError::not_found(format!("no form {key}")))?;
    Ok(HttpResponse::Ok().json(FormView {
        key: form.key(),
        version: form.version(),
        hash: form.hash(),
        schema: form.schema(),
    }))
}
