//! `/v1/agencies`: the cluster's member agencies and the outside providers of data.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::auth::Caller;
use super::error::ApiError;
use super::{AppState, body, paging};
use crate::engine::AgencyInput;

pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: AgencyInput = body::json(&request, &bytes)?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let agency = state.engine.register_agency(&caller.actor, input).await?;
        Ok((StatusCode::CREATED, json!(agency)))
    })
    .await
}

pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<paging::PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = paging::limit(query.limit)?;
    let mut agencies = state.engine.agencies().await?;
    agencies.retain(|a| {
        query
            .after
            .as_deref()
            .is_none_or(|after| a.code.as_str() > after)
    });
    agencies.truncate(limit as usize);
    Ok(HttpResponse::Ok().json(paging::page(agencies, limit, |a| Some(a.code.clone()))))
}

pub use crate::engine::{ImportFile, ImportReport};

pub async fn import(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let file: ImportFile = body::json(&request, &bytes)?;
    // Checked before the idempotency record, so a bad file is refused the same each time.
    crate::engine::check_import(&file).map_err(|p| ApiError::unprocessable(p.to_string()))?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let report = state.engine.import_agencies(&caller.actor, file).await?;
        let status = if report.created.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok((status, json!(report)))
    })
    .await
}
