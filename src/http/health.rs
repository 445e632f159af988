//! `/health` says the process is up; `/ready` says it can serve: the database answers and the
//! migrations are applied (the log head exists).

use actix_web::ResponseError;
use actix_web::{HttpResponse, web};
use serde_json::json;

use super::error::ApiError;

use super::AppState;

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.store.head().await {
        Ok((position, _)) => {
            HttpResponse::Ok().json(json!({"status": "ready", "head_position": position}))
        }
        Err(error) => {
            tracing::warn!(%error, "not ready");
            let mut problem = ApiError::unavailable();
            problem.slug = "not-ready";
            problem.detail = "the database is not reachable or not migrated".into();
            problem.error_response()
        }
    }
}
