//! The HTTP surface (actix-web). Handlers stay thin: parse the request, call the engine or a
//! read model, render the answer. One file per resource.

mod health;

use actix_web::web;

use crate::db::Database;
use crate::event_store::EventStore;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub database: Database,
    pub store: EventStore,
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready));
}
