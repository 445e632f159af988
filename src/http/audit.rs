//! Audit (auditor, admin): the log as envelopes, a case's history, a case as it was at any
//! point, and hash-chain verification.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::auth::Caller;
use super::cases::parse_id;
use super::error::ApiError;
use super::{AppState, paging};
use crate::domain::Role;
use crate::engine::{case_stream, projection::case_view};
use crate::event_store::ReadAll;

const AUDIT: [Role; 2] = [Role::Auditor, Role::Admin];

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
    caller: Caller,
    request: HttpRequest,
    filter: web::Query<EventFilter>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&AUDIT)?;
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
fn ndjson_stream(
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
                        let event = raw
                            .decode()
                            .map_err(actix_web::error::ErrorInternalServerError);
                        match event {
                            Ok(event) => {
                                serde_json::to_writer(&mut chunk, &event).ok();
                                chunk.push(b'\n');
                            }
                            Err(e) => return Some((Err(e), None)),
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
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&AUDIT)?;
    let case_id = parse_id(&id, "case")?;
    let events = state.store.read_stream(&case_stream(case_id), 1).await?;
    if events.is_empty() {
        return Err(ApiError::not_found(format!("no case {case_id}")));
    }
    Ok(HttpResponse::Ok().json(json!({"items": events, "next": null})))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AtQuery {
    pub at: Option<String>,
}

pub async fn state_at(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<AtQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&AUDIT)?;
    let case_id = parse_id(&id, "case")?;
    let events = state.store.read_stream(&case_stream(case_id), 1).await?;
    let first = events
        .first()
        .ok_or_else(|| ApiError::not_found(format!("no case {case_id}")))?;
    let up_to = match query.at.as_deref() {
        None => None,
        Some(raw) => Some(position_at(&state, raw, &events).await?),
    };
    if up_to.is_some_and(|p| p < first.position) {
        return Err(ApiError::not_found(format!(
            "case {case_id} did not exist yet at {}",
            query.at.as_deref().unwrap_or_default()
        )));
    }
    let case = state.engine.replay_case(case_id, up_to).await?;
    Ok(HttpResponse::Ok().json(json!({"at_position": up_to.unwrap_or(case_last(&events)), "case": case_view(&case), "state": case})))
}

fn case_last(events: &[crate::event_store::StoredEvent]) -> i64 {
    events.last().map(|e| e.position).unwrap_or(0)
}

/// `at` is a log position or an RFC 3339 time; either must not be in the future.
async fn position_at(
    state: &AppState,
    raw: &str,
    events: &[crate::event_store::StoredEvent],
) -> Result<i64, ApiError> {
    let (head, _) = state.store.head().await?;
    if let Ok(position) = raw.parse::<i64>() {
        if position < 0 || position > head {
            return Err(ApiError::unprocessable(format!(
                "at={position} is outside the log (0..={head})"
            )));
        }
        return Ok(position);
    }
    let time: DateTime<Utc> = DateTime::parse_from_rfc3339(raw)
        .map_err(|_| {
            ApiError::bad_request(format!(
                "at={raw:?} is neither a log position nor an RFC 3339 time"
            ))
        })?
        .with_timezone(&Utc);
    if time > Utc::now() {
        return Err(ApiError::unprocessable(format!(
            "at={raw} is in the future"
        )));
    }
    Ok(events
        .iter()
        .take_while(|e| e.recorded_at <= time)
        .last()
        .map(|e| e.position)
        .unwrap_or(0))
}

pub async fn verify(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require(&AUDIT)?;
    let report = state.store.verify(1, None).await?;
    Ok(HttpResponse::Ok().json(report))
}
