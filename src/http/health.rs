//! `/health` says the process is up; `/ready` says it can serve: the database answers and the
//! migrations are applied (the log head exists).

use actix_web::ResponseError;
use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::error::ApiError;

use super::AppState;

/// `/health`: always `{"status": "ok"}` while the process runs.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Health {
    /// `ok`
    pub status: &'static str,
}

/// `/ready`: `{"status": "ready", head_position}`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Readiness {
    /// `ready`
    pub status: &'static str,
    pub head_position: i64,
}

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.store.head().await {
        Ok((position, _)) => HttpResponse::Ok().json(Readiness {
            status: "ready",
            head_position: position,
        }),
        Err(error) => {
            tracing::warn!(%error, "not ready");
            let mut problem = ApiError::unavailable();
            problem.slug = "not-ready";
            problem.detail = "the database is not reachable or not migrated".into();
            problem.error_response()
        }
    }
}
