//! Audit (auditor, admin): the log as envelopes, a case's history and timeline, a case as it
//! was at any point, and hash-chain verification (against a checkpoint when given). The
//! work is in [`crate::audit`], shared with the CLI; this file only maps it to HTTP.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use super::cases::parse_id;
use super::error::ApiError;
use super::{AppState, paging};
use crate::audit::checkpoint::{self, Checkpoint};
use crate::audit::replay::{self, At};
use crate::audit::{AuditError, timeline};
use crate::engine::{EngineError, case_stream};
use crate::event_store::{Envelope, ReadAll};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFilter {
    pub after: Option<i64>,
    pub limit: Option<i64>,
    pub stream: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub case: Option<String>,
}

fn query_of(filter: &EventFilter, limit: i64) -> Result<ReadAll, ApiError> {
    let after = filter.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::bad_request(format!(
            "after must be a position ≥ 0, not {after}"
        )));
    }
    let mut query = ReadAll::after(after, limit);
    query.stream_prefix = match (&filter.case, &filter.stream) {
        (Some(case), _) => Some(case_stream(parse_id(case, "case")?)),
        (None, Some(stream)) => Some(stream.clone()),
        (None, None) => None,
    };
    query.event_types = filter
        .event_type
        .iter()
        .flat_map(|t| t.split(','))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    Ok(query)
}

pub async fn events(
    state: web::Data<AppState>,
    request: HttpRequest,
    filter: web::Query<EventFilter>,
) -> Result<HttpResponse, ApiError> {
    let ndjson = request
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/x-ndjson"));
    if ndjson {
        let query = query_of(&filter, 1000)?;
        return Ok(HttpResponse::Ok()
            .content_type("application/x-ndjson")
            .streaming(ndjson_stream(state.store.clone(), query)));
    }
    let limit = paging::limit(filter.limit)?;
    let query = query_of(&filter, limit)?;
    let items: Vec<_> = state
        .store
        .read_all(&query)
        .await?
        .into_iter()
        .map(|e| json!(e))
        .collect();
    Ok(HttpResponse::Ok().json(paging::page(items, limit, |e| {
        e["position"].as_i64().map(|p| p.to_string())
    })))
}

/// Every match, a page at a time: memory stays flat however long the log is.
pub(crate) fn ndjson_stream(
    store: crate::event_store::EventStore,
    query: ReadAll,
) -> impl futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    futures_util::stream::unfold(Some(query), move |query| {
        let store = store.clone();
        async move {
            let mut query = query?;
            match store.read_all_raw(&query).await {
                Ok(page) if page.is_empty() => None,
                Ok(page) => {
                    query.after = page.last().map(|e| e.position).unwrap_or(query.after);
                    let mut chunk = Vec::with_capacity(page.len() * 512);
                    for raw in page {
                        match Envelope::from_raw(raw) {
                            Ok(envelope) => envelope.write_line(&mut chunk),
                            Err(e) => {
                                let e = actix_web::error::ErrorInternalServerError(e);
                                return Some((Err(e), None));
                            }
                        }
                    }
                    Some((Ok(web::Bytes::from(chunk)), Some(query)))
                }
                Err(e) => Some((
                    Err(actix_web::error::ErrorServiceUnavailable(e.to_string())),
                    None,
                )),
            }
        }
    })
}

pub async fn history(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    let events = state.store.read_stream(&case_stream(case_id), 1).await?;
    if events.is_empty() {
        return Err(ApiError::not_found(format!("no case {case_id}")));
    }
    Ok(HttpResponse::Ok().json(paging::Page::whole(events)))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AtQuery {
    pub at: Option<String>,
}

pub async fn state_at(
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<AtQuery>,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    let at = query.at.as_deref().map(At::parse).transpose()?;
    let case = replay::case_at(&state.store, case_id, at, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(case.view()))
}

pub async fn timeline(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    Ok(HttpResponse::Ok().json(timeline::timeline(&state.store, case_id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyQuery {
    /// `POSITION:HASH` from an earlier verify or export: detects a deleted tail.
    pub expect_head: Option<String>,
}

pub async fn verify(
    state: web::Data<AppState>,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, ApiError> {
    let checkpoint = query
        .expect_head
        .as_deref()
        .map(str::parse::<Checkpoint>)
        .transpose()
        .map_err(ApiError::bad_request)?;
    let verification =
        checkpoint::verify(&state.store, &state.engine.files(), checkpoint.as_ref()).await?;
    Ok(HttpResponse::Ok().json(verification))
}

impl From<AuditError> for ApiError {
    fn from(error: AuditError) -> Self {
        match error {
            AuditError::BadInput(d) => ApiError::bad_request(d),
            AuditError::OutOfRange(d) => ApiError::unprocessable(d),
            AuditError::NotFound(d) => ApiError::not_found(d),
            AuditError::Store(e) => e.into(),
            other => EngineError::Internal(anyhow::Error::new(other)).into(),
        }
    }
}
