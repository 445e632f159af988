//! The HTTP surface (actix-web). Handlers stay thin: parse, call the engine or a read model,
//! render. One file per resource. The route table below is the single source of both the
//! served routes and `/openapi.json`, so the two cannot drift apart.

mod agencies;
mod audit;
mod auth;
mod body;
mod cases;
pub mod error;
mod health;
mod members;
mod metrics;
mod openapi;
mod paging;
pub(crate) mod rate_limit;
mod reports;
mod tasks;
mod workflows;

use actix_web::web;

use crate::config::Protection;
use crate::db::Database;
use crate::engine::Engine;
use crate::event_store::EventStore;

pub use metrics::Metrics;
pub use openapi::{openapi_document, openapi_path};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub database: Database,
    pub store: EventStore,
    pub engine: Engine,
    pub body_limit: usize,
    pub idempotency: std::sync::Arc<body::Idempotency>,
    pub metrics: std::sync::Arc<Metrics>,
    pub outbox: crate::outbox::Outbox,
    pub protection: std::sync::Arc<Protection>,
    pub auth_failures: std::sync::Arc<rate_limit::FailureLimiter>,
}

impl AppState {
    pub fn new(
        database: Database,
        store: EventStore,
        engine: Engine,
        body_limit: usize,
        protection: Protection,
    ) -> Self {
        let outbox = crate::outbox::Outbox::new(database.clone());
        let auth_failures = rate_limit::FailureLimiter::new(protection.auth_failures_per_minute);
        Self {
            database,
            store,
            engine,
            body_limit,
            idempotency: Default::default(),
            metrics: Default::default(),
            outbox,
            protection: std::sync::Arc::new(protection),
            auth_failures: std::sync::Arc::new(auth_failures),
        }
    }
}

/// One served route: its method, its actix path, what it does, whether it needs a token, and
/// what `/openapi.json` says about its input and output (generated from the handlers' own
/// serde types, so the document follows the code).
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub authenticated: bool,
    /// The OpenAPI `requestBody` object.
    pub body: Option<fn(&mut schemars::SchemaGenerator) -> serde_json::Value>,
    /// The OpenAPI query parameters.
    pub query: Option<fn(&mut schemars::SchemaGenerator) -> Vec<serde_json::Value>>,
    /// The OpenAPI success responses, when not the usual JSON 200/201/204.
    pub success: Option<fn() -> serde_json::Value>,
    register: fn(&mut web::ServiceConfig),
}

macro_rules! route_table {
    ($( $method:ident $path:literal => $handler:path, $auth:literal, $summary:literal
        $(, body: $body:expr)? $(, query: $query:ty)? $(, success: $success:expr)? ; )*) => {
        /// Every route daftar serves, in matching order.
        pub const ROUTES: &[RouteSpec] = &[$(
            RouteSpec {
                method: stringify!($method),
                path: $path,
                summary: $summary,
                authenticated: $auth,
                body: route_table!(@some $($body)?),
                query: route_table!(@some $(openapi::query_parameters::<$query>)?),
                success: route_table!(@some $($success)?),
                register: |config| { config.route($path, web::$method().to($handler)); },
            },
        )*];
    };
    (@some) => { None };
    (@some $value:expr) => { Some($value) };
}

use crate::engine::{AgencyInput, MemberInput};
use openapi::{created_or_ok, definition_body, json_body, json_or, optional_json_body};

route_table! {
    get "/health" => health::health, false, "The process is up";
    get "/ready" => health::ready, false, "The database answers and is migrated";
    get "/metrics" => metrics::render, false, "Prometheus metrics", success: || json_or("text/plain; version=0.0.4", false);
    get "/openapi.json" => openapi::serve, false, "This API's OpenAPI 3.1 document";
    post "/v1/agencies:import" => agencies::import, true, "Import agencies in the shape of fixtures/agencies.json (admin)", body: json_body::<agencies::ImportFile>;
    post "/v1/agencies" => agencies::create, true, "Register an agency (admin)", body: json_body::<AgencyInput>;
    get "/v1/agencies" => agencies::list, true, "List agencies", query: paging::PageQuery;
    post "/v1/members" => members::create, true, "Register a member (admin)", body: json_body::<MemberInput>;
    get "/v1/members/{id}" => members::get, true, "A member";
    post "/v1/members/{id}/tokens" => members::issue_token, true, "Issue a token for a member, shown once (admin)";
    delete "/v1/tokens/{token_id}" => members::revoke_token, true, "Revoke a token (admin)";
    put "/v1/workflows/{key}" => workflows::put, true, "Register a workflow definition, YAML or JSON (admin)", body: definition_body, success: created_or_ok;
    get "/v1/workflows" => workflows::list, true, "Workflow definitions, latest versions";
    get "/v1/workflows/{key}" => workflows::get, true, "A workflow's latest version";
    get "/v1/workflows/{key}/versions/{n}" => workflows::get_version, true, "One version of a workflow";
    put "/v1/forms/{key}" => workflows::put_form, true, "Register a form's JSON Schema (admin)", body: openapi::form_body, success: created_or_ok;
    get "/v1/forms/{key}" => workflows::get_form, true, "A form's latest schema";
    post "/v1/cases" => cases::create, true, "Open a case (secretariat, admin)", body: json_body::<cases::OpenCaseBody>;
    get "/v1/cases" => cases::list, true, "List cases", query: cases::CaseFilter;
    post "/v1/cases/{id:[^/:]+}:cancel" => cases::cancel, true, "Cancel a case (secretariat, admin)", body: optional_json_body::<cases::CancelBody>;
    get "/v1/cases/{id:[^/:]+}/history" => audit::history, true, "A case's events (auditor, admin)";
    get "/v1/cases/{id:[^/:]+}/state" => audit::state_at, true, "A case as it was at a position or time (auditor, admin)", query: audit::AtQuery;
    get "/v1/cases/{id:[^/:]+}/board" => reports::board, true, "The case's status board: one row per participant; ?format=csv, ?locale=fa|en", query: reports::BoardQuery, success: || json_or("text/csv; charset=utf-8", true);
    get "/v1/cases/{id:[^/:]+}/timeline" => audit::timeline, true, "A case's events as who did what, when, under which versions (auditor, admin)";
    get "/v1/cases/{id:[^/:]+}" => cases::get, true, "A case";
    get "/v1/tasks" => tasks::list, true, "Tasks the caller may see", query: tasks::TaskFilter;
    get "/v1/tasks/{id}" => tasks::get, true, "A task";
    post "/v1/tasks/{id}/submissions" => tasks::submit, true, "Submit the task's form", body: json_body::<tasks::SubmitBody>;
    post "/v1/tasks/{id}/review" => tasks::review, true, "Accept or return a submission (secretariat)", body: json_body::<tasks::ReviewBody>;
    post "/v1/tasks/{id}/vote" => tasks::vote, true, "Cast the task's vote", body: json_body::<tasks::VoteBody>;
    post "/v1/tasks/{id}/reassign" => tasks::reassign, true, "Reassign a task", body: json_body::<tasks::ReassignBody>;
    get "/v1/notifications" => metrics::notifications, true, "Notifications (secretariat, admin, auditor)", query: metrics::NotificationFilter;
    get "/v1/events" => audit::events, true, "The event log (auditor, admin); NDJSON with Accept: application/x-ndjson", query: audit::EventFilter, success: || json_or("application/x-ndjson", true);
    get "/v1/audit/verify" => audit::verify, true, "Verify the hash chain, against ?expect_head=POSITION:HASH if given (auditor, admin)";
    get "/v1/exchange-matrix" => reports::exchange_matrix, true, "The data-exchange matrix of an inventory case (?case=ID); ?format=csv", query: reports::MatrixQuery, success: || json_or("text/csv; charset=utf-8", true);
}

pub fn routes(config: &mut web::ServiceConfig) {
    for route in ROUTES {
        (route.register)(config);
    }
}

/// Unknown paths and extractor failures answer in problem+json too.
pub fn not_found() -> error::ApiError {
    error::ApiError::not_found("no such resource")
}
