//! The HTTP surface (actix-web). Handlers stay thin: parse, call the engine or a read model,
//! render. One file per resource. The route table below is the single source of the served
//! routes, of who may call each ([`access`]) and of `/openapi.json`, so none can drift apart.

pub mod access;
mod agencies;
pub(crate) mod audit;
mod auth;
mod body;
mod calendar;
mod cases;
mod catalogue;
mod confirmation;
pub mod error;
pub(crate) mod files;
mod health;
mod housekeeping;
mod members;
mod metrics;
mod openapi;
mod paging;
mod practice;
pub(crate) mod rate_limit;
mod reports;
mod rounds;
mod tasks;
mod workflows;

use actix_web::web;

use crate::config::Protection;
use crate::db::Database;
use crate::engine::Engine;
use crate::event_store::EventStore;

pub use access::{Access, route_access, route_roles};
pub use cases::takes_part;
pub use housekeeping::run as housekeeping;
pub use metrics::Metrics;
pub use openapi::{openapi_document, openapi_path};
pub use reports::readable_matrix;
pub use rounds::{matrix_diff, services_report};

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
    pub write_limits: std::sync::Arc<rate_limit::WriteLimiter>,
}

impl AppState {
    pub fn new(
        database: Database,
        store: EventStore,
        engine: Engine,
        body_limit: usize,
        protection: Protection,
        workers: metrics::WorkerMetrics,
    ) -> Self {
        let outbox = crate::outbox::Outbox::new(database.clone());
        let auth_failures = rate_limit::FailureLimiter::new(protection.auth_failures_per_minute);
        let write_limits = rate_limit::WriteLimiter::new(protection.writes_per_minute);
        let idempotency = body::Idempotency::new(
            crate::idempotency::IdempotencyRecords::new(database.clone()),
            protection.idempotency_ttl(),
        );
        let metrics = Metrics::new(&store, workers);
        Self {
            database,
            store,
            engine,
            body_limit,
            idempotency: std::sync::Arc::new(idempotency),
            metrics: std::sync::Arc::new(metrics),
            outbox,
            protection: std::sync::Arc::new(protection),
            auth_failures: std::sync::Arc::new(auth_failures),
            write_limits: std::sync::Arc::new(write_limits),
        }
    }
}

/// One served route: its method, its actix path, what it does, who may call it, and what
/// `/openapi.json` says about its input and output (generated from the handlers' own serde
/// types, so the document follows the code).
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    /// Checked in front of the handler by [`access::enforce`].
    pub access: Access,
    /// The OpenAPI `requestBody` object.
    pub body: Option<fn(&mut schemars::SchemaGenerator) -> serde_json::Value>,
    /// The OpenAPI query parameters.
    pub query: Option<fn(&mut schemars::SchemaGenerator) -> Vec<serde_json::Value>>,
    /// The JSON Schema of the JSON a success answers with (the type the handler serializes).
    pub returns: Option<fn(&mut schemars::SchemaGenerator) -> serde_json::Value>,
    /// The OpenAPI success responses, when not the usual JSON 200/201/204.
    pub success: Option<fn() -> serde_json::Value>,
    register: fn(&mut web::ServiceConfig),
}

/// A row: `method "path" => handler, access, "summary" [, body: …] [, query: …]
/// [, returns: Type] [, success: …];`
/// where access is `public` (no token), `any` (any caller with a token) or a list of roles,
/// `[Admin, Secretariat]`, of which the caller must hold one.
macro_rules! route_table {
    ($( $method:ident $path:literal => $handler:path, $access:tt, $summary:literal
        $(, body: $body:expr)? $(, query: $query:ty)? $(, returns: $returns:ty)?
        $(, success: $success:expr)? ; )*) => {
        /// Every route daftar serves, in matching order.
        pub const ROUTES: &[RouteSpec] = &[$(
            RouteSpec {
                method: stringify!($method),
                path: $path,
                summary: $summary,
                access: route_table!(@access $access),
                body: route_table!(@some $($body)?),
                query: route_table!(@some $(openapi::query_parameters::<$query>)?),
                returns: route_table!(@some $(openapi::response_schema::<$returns>)?),
                success: route_table!(@some $($success)?),
                // The method guard sits on the resource (as `ServiceConfig::route` puts it), so
                // a path served under several methods falls through to the next row instead of
                // answering 405; the access wrapper runs only for the row that matched.
                register: |config| {
                    let method = actix_web::http::Method::from_bytes(
                        stringify!($method).to_ascii_uppercase().as_bytes(),
                    )
                    .expect("an HTTP method");
                    config.service(
                        web::resource($path)
                            .guard(actix_web::guard::Method(method))
                            .route(web::$method().to($handler))
                            .wrap(actix_web::middleware::from_fn(|request, next| {
                                access::enforce(route_table!(@access $access), request, next)
                            })),
                    );
                },
            },
        )*];
    };
    (@access public) => { Access::Public };
    (@access any) => { Access::Authenticated };
    (@access [$($role:ident),+]) => { Access::Roles(&[$(Role::$role),+]) };
    (@some) => { None };
    (@some $value:expr) => { Some($value) };
}

use crate::domain::Role;
use crate::engine::projection::{CaseView, TaskView};
use crate::engine::{AgencyInput, Member, MemberInput};
use crate::event_store::StoredEvent;
use openapi::{created_or_ok, definition_body, json_body, json_or, optional_json_body};
use paging::Page;

route_table! {
    get "/health" => health::health, public, "The process is up", returns: health::Health;
    get "/ready" => health::ready, public, "The database answers and is migrated", returns: health::Readiness;
    get "/metrics" => metrics::render, public, "Prometheus metrics", success: || json_or(metrics::CONTENT_TYPE, false);
    get "/openapi.json" => openapi::serve, public, "This API's OpenAPI 3.1 document", returns: serde_json::Map<String, serde_json::Value>;
    post "/v1/agencies:import" => agencies::import, [Admin], "Import agencies in the shape of fixtures/agencies.json", body: json_body::<agencies::ImportFile>, returns: agencies::ImportReport;
    post "/v1/agencies" => agencies::create, [Admin], "Register an agency: a member of the cluster, or (in_cluster: false) an outside provider of data that receives no tasks", body: json_body::<AgencyInput>, returns: AgencyInput;
    get "/v1/agencies" => agencies::list, any, "List agencies, each with in_cluster", query: paging::PageQuery, returns: Page<AgencyInput>;
    post "/v1/members" => members::create, [Admin], "Register a member", body: json_body::<MemberInput>, returns: Member;
    post "/v1/members/{id:[^/:]+}:disable" => members::disable, [Admin], "Disable a member: its tokens and sessions stop, its open tasks stay with its agency", returns: Member;
    post "/v1/members/{id:[^/:]+}:enable" => members::enable, [Admin], "Enable a disabled member again", returns: Member;
    get "/v1/members/{id}" => members::get, any, "A member", returns: Member;
    patch "/v1/members/{id}" => members::change, [Admin], "Change a member's roles, locale or supervisor (a field left out stays; supervisor_id: null removes it); If-Match on its version", body: json_body::<crate::engine::MemberChange>, returns: Member;
    post "/v1/members/{id}/tokens" => members::issue_token, [Admin], "Issue a token for a member, shown once; optional expires_at", body: optional_json_body::<Option<members::IssueTokenBody>>, returns: members::IssuedToken;
    get "/v1/members/{id}/tokens" => members::list_tokens, [Admin], "A member's tokens: ids, issued, last used, expiry, revoked; never the token", returns: Page<crate::engine::TokenInfo>;
    delete "/v1/tokens/{token_id}" => members::revoke_token, [Admin], "Revoke a token";
    put "/v1/workflows/{key}" => workflows::put, [Admin], "Register a workflow definition, YAML or JSON", body: definition_body, returns: workflows::Registered, success: created_or_ok;
    get "/v1/workflows" => workflows::list, any, "Workflow definitions, latest versions", returns: Page<workflows::WorkflowView<'static>>;
    get "/v1/workflows/{key}" => workflows::get, any, "A workflow's latest version", returns: workflows::WorkflowView<'static>;
    get "/v1/workflows/{key}/versions/{n}" => workflows::get_version, any, "One version of a workflow", returns: workflows::WorkflowView<'static>;
    put "/v1/forms/{key}" => workflows::put_form, [Admin], "Register a form's JSON Schema", body: openapi::form_body, returns: workflows::Registered, success: created_or_ok;
    get "/v1/forms/{key}" => workflows::get_form, any, "A form's latest schema", returns: workflows::FormView<'static>;
    post "/v1/cases" => cases::create, [Secretariat, Admin], "Open a case; a resolution is put to the agencies' vote, or recorded as adopted in a meeting (params.adopted_in_meeting) and opens its cases at once", body: json_body::<cases::OpenCaseBody>, returns: CaseView<'static>;
    get "/v1/cases" => cases::list, any, "List cases", query: cases::CaseFilter, returns: Page<CaseView<'static>>;
    post "/v1/cases/{id:[^/:]+}:cancel" => cases::cancel, [Secretariat, Admin], "Cancel a case", body: optional_json_body::<cases::CancelBody>, returns: CaseView<'static>;
    get "/v1/cases/{id:[^/:]+}/history" => audit::history, [Auditor, Admin], "A case's events", returns: Page<StoredEvent>;
    get "/v1/cases/{id:[^/:]+}/state" => audit::state_at, [Auditor, Admin], "A case as it was at a position or time", query: audit::AtQuery, returns: crate::audit::replay::CaseAtView<'static>;
    get "/v1/cases/{id:[^/:]+}/board" => reports::board, any, "The case's status board: one row per participant; ?format=csv, ?locale=fa|en", query: reports::BoardQuery, returns: crate::reports::board::Board, success: || json_or("text/csv; charset=utf-8", true);
    get "/v1/cases/{id:[^/:]+}/timeline" => audit::timeline, [Auditor, Admin], "A case's events as who did what, when, under which versions", returns: crate::audit::timeline::Timeline;
    post "/v1/cases/{id:[^/:]+}/confirmation-round" => confirmation::open_round, [Secretariat, Admin], "Open a provider confirmation round from a data-exchange inventory case with at least one accepted inventory (else 422): one task per provider named by a need; 409 while the case's latest round is open", body: optional_json_body::<confirmation::OpenRoundBody>, returns: CaseView<'static>;
    get "/v1/cases/{id:[^/:]+}/confirmation-rounds" => confirmation::rounds, any, "The confirmation rounds opened from an inventory case, oldest first, with how many providers answered", returns: confirmation::Rounds;
    get "/v1/cases/{id:[^/:]+}" => cases::get, any, "A case", returns: CaseView<'static>;
    get "/v1/tasks" => tasks::list, any, "Tasks the caller may see", query: tasks::TaskFilter, returns: Page<TaskView<'static>>;
    get "/v1/tasks/{id}" => tasks::get, any, "A task", returns: TaskView<'static>;
    post "/v1/tasks/{id}/submissions" => tasks::submit, [Member], "Submit the task's form (a member of the task's agency)", body: json_body::<tasks::SubmitBody>, returns: tasks::Submitted<'static>;
    post "/v1/tasks/{id}/review" => tasks::review, [Secretariat], "Accept or return a submission", body: json_body::<tasks::ReviewBody>, returns: TaskView<'static>;
    post "/v1/tasks/{id}/vote" => tasks::vote, any, "Cast the vote of the task's agency: any of its members holding the voters' role, once (a second vote of the agency is a 409)", body: json_body::<tasks::VoteBody>, returns: TaskView<'static>;
    post "/v1/tasks/{id}/reassign" => tasks::reassign, [Secretariat, Member], "Reassign a task (a member: within its own agency)", body: json_body::<tasks::ReassignBody>, returns: TaskView<'static>;
    post "/v1/tasks/{id}/extend" => practice::extend_task, [Secretariat], "Extend a task's deadline, with a reason: {due: RFC 3339 | {on: Jalali date}, reason}", body: json_body::<practice::ExtendBody>, returns: TaskView<'static>;
    post "/v1/tasks/{id}/withdraw" => practice::withdraw, [Member], "Withdraw the task's submission while it awaits review (a member of the task's agency)", body: optional_json_body::<practice::WithdrawBody>, returns: TaskView<'static>;
    post "/v1/cases/{id:[^/:]+}:extend" => practice::extend_case, [Secretariat], "Extend every pending submission task of a case that is due earlier, with a reason", body: json_body::<practice::ExtendBody>, returns: practice::Extended<'static>;
    post "/v1/cases/{id:[^/:]+}:remind" => practice::remind, [Secretariat], "Remind now every agency whose task is open or returned (optional message); an empty list, recording nothing, when every agency has answered", body: optional_json_body::<practice::RemindBody>, returns: practice::Reminded;
    get "/v1/notifications" => metrics::notifications, [Secretariat, Admin, Auditor], "Notifications", query: metrics::NotificationFilter, returns: Page<crate::outbox::Notification>;
    get "/v1/events" => audit::events, [Auditor, Admin], "The event log; NDJSON with Accept: application/x-ndjson", query: audit::EventFilter, returns: Page<StoredEvent>, success: || json_or("application/x-ndjson", true);
    get "/v1/audit/verify" => audit::verify, [Auditor, Admin], "Verify the hash chain, against ?expect_head=POSITION:HASH if given", returns: crate::audit::checkpoint::Verification;
    post "/v1/calendar/closures" => calendar::add_closure, [Admin], "Close offices on a day (today or later): deadlines of pending tasks due that day move to the next working day", body: json_body::<calendar::ClosureBody>, returns: crate::engine::ClosureView;
    get "/v1/calendar" => calendar::get, any, "The business calendar in force: version, working weekdays, office hours, holidays, closures; ?year=", query: calendar::CalendarQuery, returns: calendar::CalendarView;
    post "/v1/files" => files::upload, any, "Upload an attachment (PDF, PNG or JPEG, up to DAFTAR_ATTACHMENT_MAX_BYTES): the raw bytes with Content-Type and Content-Disposition; the same bytes again answer 200 with the same sha256", body: files::binary_body, returns: files::UploadedFile, success: files::created_or_stored;
    get "/v1/files/{sha256}" => files::download, any, "An attachment's bytes, for whoever may see the submission or case that names it (a file nothing names: its uploaders); 404 otherwise", success: files::file_content;
    get "/v1/catalogue" => catalogue::list, any, "The catalogue of data items: names, synonyms, lookup key, how many agencies used each", returns: Page<crate::catalogue::Item>;
    post "/v1/catalogue" => catalogue::create, [Secretariat, Admin], "Add a data item to the catalogue; a name or synonym another item reads is a 409", body: json_body::<catalogue::NewItemBody>, returns: catalogue::ItemView;
    get "/v1/catalogue/search" => catalogue::search, any, "Catalogue items whose name or a synonym starts with or contains ?q= (compared folded), best first; for suggestions while typing", query: catalogue::SearchQuery, returns: Page<crate::catalogue::search::Suggestion>;
    post "/v1/catalogue:seed" => catalogue::seed, [Secretariat, Admin], "Add every data item name of an inventory case's accepted submissions that the catalogue does not read yet, with how many agencies used each", body: json_body::<catalogue::SeedBody>, returns: catalogue::Seeded;
    post "/v1/catalogue/{id:[^/:]+}:merge" => catalogue::merge, [Secretariat, Admin], "Merge the item into another (it becomes its synonym; its id resolves to the survivor)", body: json_body::<catalogue::MergeBody>, returns: catalogue::ItemView;
    post "/v1/catalogue/{id:[^/:]+}:rename" => catalogue::rename, [Secretariat, Admin], "Rename the item (its former name stays a synonym)", body: json_body::<catalogue::RenameBody>, returns: catalogue::ItemView;
    post "/v1/catalogue/{id:[^/:]+}:split" => catalogue::split, [Secretariat, Admin], "Split a synonym off into an item of its own; answers with the new item", body: json_body::<catalogue::SynonymBody>, returns: catalogue::ItemView;
    post "/v1/catalogue/{id:[^/:]+}:remove-synonym" => catalogue::remove_synonym, [Secretariat, Admin], "Remove a synonym of the item", body: json_body::<catalogue::SynonymBody>, returns: catalogue::ItemView;
    post "/v1/catalogue/{id:[^/:]+}:add-synonym" => catalogue::add_synonym, [Secretariat, Admin], "Add a synonym to the item", body: json_body::<catalogue::SynonymBody>, returns: catalogue::ItemView;
    patch "/v1/catalogue/{id:[^/:]+}" => catalogue::edit, [Secretariat, Admin], "Set the item's English name, lookup key and description (a field left out is cleared)", body: json_body::<catalogue::DetailsBody>, returns: catalogue::ItemView;
    get "/v1/catalogue/{id:[^/:]+}" => catalogue::get, any, "A catalogue item (an id merged away answers with its survivor) and every change that touched it", returns: catalogue::ItemView;
    get "/v1/exchange-matrix" => reports::exchange_matrix, any, "The data-exchange matrix of an inventory case (?case=ID); ?format=csv", query: reports::MatrixQuery, returns: crate::reports::MatrixDocument, success: || json_or("text/csv; charset=utf-8", true);
    get "/v1/exchange-matrix/diff" => rounds::exchange_matrix_diff, any, "What changed between two inventory rounds (?from=CASE&to=CASE, two different inventory cases): needs met since, needs newly unmet, needs withdrawn, offers added and withdrawn. Refs are positions and change between rounds, so a need (or offer) is the same in both when its agency and its title, compared folded (Arabic ي/ك as ی/ک, spaces, half-spaces and diacritics ignored), are; several of one agency with the same title pair up in order. A member reads the changes its agency is part of (its needs, needs naming it, offers of it or open to it)", query: rounds::DiffQuery, returns: crate::reports::diff::MatrixDiff;
    get "/v1/reports/services-at-risk" => rounds::services_at_risk_report, any, "Services whose identity cards inquire for data nobody offers yet (?cards=CARDS_CASE&inventory=INVENTORY_CASE). An inquiry's data_need_ref names a need of the card's agency in that inventory case (AGENCY/needs/N, needs/N, or its title compared folded): at risk when no offer meets it, ref_not_found when it names none; without a ref, at risk when a data item is in no offer open to the agency. A member reads its own agency's services; ?format=csv", query: rounds::ServicesQuery, returns: crate::reports::services::ServicesReport, success: || json_or("text/csv; charset=utf-8", true);
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
