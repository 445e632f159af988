//! `/health` says the process is up; `/ready` says it can serve: the database answers and the
//! migrations are applied (the log head exists).

use actix_web::{HttpResponse, web};
use serde_json::json;

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
            HttpResponse::ServiceUnavailable()
                .content_type("application/problem+json")
                .json(json!({
                    "type": "https://daftar.example/problems/not-ready",
                    "title": "Not ready",
                    "status": 503,
                    "detail": "the database is not reachable or not migrated",
                }))
        }
    }
}
