//! `/v1/agencies`: the cluster's member agencies and the outside providers of data.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::auth::Caller;
use super::error::ApiError;
use super::{AppState, body, paging};
use crate::engine::{AgencyInput, EngineError};

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

/// The shape of `fixtures/agencies.json`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    #[serde(default)]
    pub cluster: Option<Value>,
    /// Accepted for the fixture's shape; the secretariat is a role of members, not stored here.
    #[serde(default)]
    #[allow(dead_code)]
    pub secretariat_agency: Option<String>,
    pub agencies: Vec<ImportedAgency>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedAgency {
    pub code: String,
    pub name_fa: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub cluster: Option<String>,
    /// Accepted for the fixture's shape; not stored.
    #[serde(default)]
    #[allow(dead_code)]
    pub named_in_source: Option<bool>,
    /// False for an outside provider; absent, a member of the cluster.
    #[serde(default)]
    pub in_cluster: Option<bool>,
}

/// What an import did: the codes it registered and those that already existed.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ImportReport {
    pub created: Vec<String>,
    pub existing: Vec<String>,
}

pub async fn import(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let file: ImportFile = body::json(&request, &bytes)?;
    // Check everything first, so a bad entry imports nothing.
    for (i, agency) in file.agencies.iter().enumerate() {
        if !crate::engine::valid_agency_code(&agency.code) || agency.name_fa.trim().is_empty() {
            return Err(ApiError::unprocessable(format!(
                "/agencies/{i}: code {:?} or name_fa is invalid",
                agency.code
            )));
        }
    }
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let (mut created, mut existing) = (Vec::new(), Vec::new());
        let default_cluster = file
            .cluster
            .as_ref()
            .and_then(|c| c["key"].as_str())
            .map(str::to_string);
        for agency in file.agencies {
            let cluster = agency.cluster.or_else(|| default_cluster.clone());
            let input = AgencyInput {
                code: agency.code.clone(),
                name_fa: agency.name_fa,
                name_en: agency.name_en,
                cluster,
                in_cluster: agency.in_cluster.unwrap_or(true),
            };
            match state.engine.register_agency(&caller.actor, input).await {
                Ok(_) => created.push(agency.code),
                Err(EngineError::Conflict(_)) => existing.push(agency.code),
                Err(e) => return Err(e.into()),
            }
        }
        let status = if created.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        Ok((status, json!(ImportReport { created, existing })))
    })
    .await
}
