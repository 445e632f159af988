//! The people's pages, served by `daftar serve` beside the API: Persian and right to left
//! first, server-rendered with maud (templates checked at compile time, escaped by
//! default), enhanced by htmx, no request to anywhere but this server. Pages call the
//! engine in-process exactly as `src/http` handlers do: same roles, same agency isolation
//! (another agency's task is a 404 page), same validation and events. No SQL and no rule in
//! a page.
//!
//! # Adding a page
//! 1. Write the handler in the file of its family (`inbox.rs`, `task.rs`, …): a GET page
//!    takes [`Viewer`] (signed in, roles checked) and returns `Result<Markup, PageError>`,
//!    built with [`layout::page`]; a form posts to a handler taking [`Posted<T>`] (origin,
//!    session and CSRF checked, `T` deserialized from the urlencoded body, e.g.
//!    `Vec<(String, String)>` for every field) that answers with a redirect (303, with
//!    `?notice=<key>` from [`layout::notice_text`]) or a page.
//! 2. Add a line to `page_table!` below: method, path, who may open it
//!    ([`Access::SignedIn`], [`Access::Roles`], [`Access::Public`]). The roles are checked
//!    by the extractors from this table, before the handler runs.
//! 3. Engine refusals convert with `?` into error pages ([`PageError`]: 403, 404, 409, 422,
//!    429, 500, in the viewer's language).
//!
//! # The API of the foundation
//! - [`session`]: `Viewer { member, actor, csrf, locale, path, notice, now }` (and
//!   `Viewer::rendering_for(member, now)` to render a page in a unit test), the session
//!   cookie; [`csrf`]: `Posted<T> { viewer, form }` (the token may also come in the
//!   `X-CSRF-Token` header, for htmx requests outside a form), `PublicForm<T>`.
//! - [`layout`]: `page(&viewer, title, body)`, `titled_page(&viewer, title, heading, body)`,
//!   `bare_page(locale, title, body)`, `csrf_field(&viewer)` (in every
//!   `<form method="post">`), `error_page`, `notice_text` (add a key there for a new
//!   notice). An htmx response that is a whole page refreshes the `<title>`; use
//!   `hx-select` to swap a part of it.
//! - [`format`](mod@format): `date(locale, instant)` (Jalali with weekday in a `<time>`),
//!   `jalali_text`, `clock_time`, `Remaining::between(due, now).text(locale)`, `digits`,
//!   `number`, `bdi`.
//! - [`i18n`]: `Locale::{Fa, En}`, `locale.pick(fa, en)`, `locale.text(Text::…)`.
//! - [`store`]: the web tables (sessions, sign-in links, `task_drafts`: `save_draft`,
//!   `draft`, `delete_draft` — reach it through `web::Data<WebState>`'s `store`).
//! - [`form`]: any form from its JSON Schema (`form::render`) and back (`form::parse`).
//! - [`assets`]: htmx, Vazirmatn and `daftar.css` at hashed URLs. The Content-Security-Policy
//!   allows only this server's scripts, styles and fonts: no inline `<script>` and no
//!   `style=""` attributes in markup; htmx is configured by a meta tag.
//! - [`error::PageError`]: `not_found()`, `forbidden()`, `bad_request(detail)`,
//!   `new(status, detail)`; `From<EngineError>`/`From<ApiError>` for `?`.
//! - Browser tests: `tests/ui/harness.rs` (one server and one chromedriver for the run;
//!   see its `//!`), tests listed in `tests/ui/main.rs`.

pub mod admin;
pub mod admin_people;
pub mod assets;
pub mod audit;
pub mod board;
pub mod cases;
pub mod catalogue;
pub mod csrf;
pub mod error;
pub mod form;
pub mod format;
pub mod i18n;
mod inbox;
pub mod layout;
pub mod matrix;
pub mod multipart;
pub mod review;
pub mod rounds;
pub mod session;
mod signin;
pub mod store;
mod task;

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::Role;

pub use csrf::{Posted, PublicForm};
pub use error::PageError;
pub use session::{Viewer, WebState};

/// Who may open a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in, assets).
    Public,
    /// Any signed-in member.
    SignedIn,
    /// A signed-in member with one of these roles; others get a 403 page.
    Roles(&'static [Role]),
}

/// One page route.
pub struct PageSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    register: fn(&mut web::ServiceConfig),
}

macro_rules! page_table {
    ($( $method:ident $path:literal => $handler:path, $access:expr ; )*) => {
        /// Every page route, in matching order.
        pub const PAGES: &[PageSpec] = &[$(
            PageSpec {
                method: stringify!($method),
                path: $path,
                access: $access,
                register: |config| { config.route($path, web::$method().to($handler)); },
            },
        )*];
    };
}

page_table! {
    get "/assets/{file}" => assets::serve, Access::Public;
    get "/sign-in" => signin::form, Access::Public;
    post "/sign-in/token" => signin::with_token, Access::Public;
    post "/sign-in/link" => signin::send_link, Access::Public;
    get "/sign-in/link" => signin::confirm_link, Access::Public;
    post "/sign-in/link/use" => signin::use_link, Access::Public;
    post "/sign-out" => signin::sign_out, Access::SignedIn;
    get "/" => inbox::show, Access::SignedIn;
    get "/cases" => cases::list, Access::Roles(cases::READERS);
    get "/cases/new" => cases::open::form, Access::Roles(cases::STAFF);
    post "/cases/new" => cases::open::open, Access::Roles(cases::STAFF);
    get "/cases/new/agencies" => cases::open::agencies, Access::Roles(cases::STAFF);
    get "/cases/{id}" => cases::case::show, Access::SignedIn;
    get "/cases/{id}/board" => cases::case::board_fragment, Access::SignedIn;
    get "/cases/{id}/board.csv" => cases::case::board_csv, Access::SignedIn;
    get "/cases/{id}/confirmation-round" => cases::confirmation::confirm, Access::Roles(&[Role::Secretariat]);
    post "/cases/{id}/confirmation-round" => cases::confirmation::open, Access::Roles(&[Role::Secretariat]);
    get "/cases/{id}/cancel" => cases::actions::confirm_cancel, Access::Roles(cases::STAFF);
    post "/cases/{id}/cancel" => cases::actions::cancel, Access::Roles(cases::STAFF);
    get "/tasks/{id}/review" => review::page::show, Access::Roles(cases::STAFF);
    post "/tasks/{id}/review" => review::page::decide, Access::Roles(cases::STAFF);
    get "/tasks/{id}/reassign" => cases::actions::reassign_form, Access::Roles(cases::STAFF);
    post "/tasks/{id}/reassign" => cases::actions::reassign, Access::Roles(cases::STAFF);
    get "/tasks/{id}" => task::show, Access::SignedIn;
    post "/tasks/{id}" => task::act, Access::SignedIn;
    post "/tasks/{id}/upload" => task::upload, Access::SignedIn;
    post "/tasks/{id}/vote" => task::vote, Access::SignedIn;
    get "/tasks/{id}/submission.json" => task::download, Access::SignedIn;
    post "/tasks/{id}/extend" => task::extend, Access::Roles(&[Role::Secretariat]);
    post "/tasks/{id}/withdraw" => task::withdraw, Access::SignedIn;
    post "/cases/{id}/extend" => cases::practice::extend, Access::Roles(&[Role::Secretariat]);
    post "/cases/{id}/remind" => cases::practice::remind, Access::Roles(&[Role::Secretariat]);
    post "/tasks/{id}/attachments" => task::attach, Access::SignedIn;
    get "/files/{sha256}" => task::file, Access::SignedIn;
    get "/catalogue" => catalogue::list, Access::SignedIn;
    post "/catalogue" => catalogue::add, Access::Roles(catalogue::CURATORS);
    get "/catalogue/suggest" => catalogue::suggest, Access::SignedIn;
    get "/catalogue/{id}" => catalogue::show, Access::SignedIn;
    post "/catalogue/{id}" => catalogue::change, Access::Roles(catalogue::CURATORS);
    get "/admin" => admin::landing, Access::Roles(admin::ADMINS);
    get "/admin/workflows" => admin::catalog::workflows, Access::Roles(admin::ADMINS);
    post "/admin/workflows" => admin::upload::workflow, Access::Roles(admin::ADMINS);
    get "/admin/workflows/{key}/{version}" => admin::catalog::workflow_version, Access::Roles(admin::ADMINS);
    get "/admin/forms" => admin::catalog::forms, Access::Roles(admin::ADMINS);
    post "/admin/forms" => admin::upload::form, Access::Roles(admin::ADMINS);
    get "/admin/forms/{key}/{version}" => admin::catalog::form_version, Access::Roles(admin::ADMINS);
    get "/admin/notifications" => admin::notifications::list, Access::Roles(admin::MAIL_READERS);
    get "/admin/calendar" => admin::calendar::show, Access::Roles(admin::ADMINS);
    post "/admin/calendar/closures" => admin::calendar::add_closure, Access::Roles(admin::ADMINS);
    get "/audit/events" => audit::events::show, Access::Roles(audit::AUDITORS);
    get "/audit/events.ndjson" => audit::events::download, Access::Roles(audit::AUDITORS);
    get "/audit/verify" => audit::verify::show, Access::Roles(audit::AUDITORS);
    get "/cases/{id}/timeline" => audit::timeline::show, Access::Roles(audit::AUDITORS);
    get "/cases/{id}/state" => audit::state::show, Access::Roles(audit::AUDITORS);
    get "/admin/agencies" => admin_people::agencies::show, Access::Roles(admin_people::ADMINS);
    post "/admin/agencies" => admin_people::agencies::add, Access::Roles(admin_people::ADMINS);
    post "/admin/agencies/import" => admin_people::agencies::import, Access::Roles(admin_people::ADMINS);
    get "/admin/members" => admin_people::members::list, Access::Roles(admin_people::ADMINS);
    post "/admin/members" => admin_people::members::add, Access::Roles(admin_people::ADMINS);
    get "/admin/members/{id}" => admin_people::member_actions::show, Access::Roles(admin_people::ADMINS);
    post "/admin/members/{id}" => admin_people::member_actions::change, Access::Roles(admin_people::ADMINS);
    post "/admin/members/{id}/disable" => admin_people::member_actions::disable, Access::Roles(admin_people::ADMINS);
    post "/admin/members/{id}/enable" => admin_people::member_actions::enable, Access::Roles(admin_people::ADMINS);
    post "/admin/members/{id}/tokens" => admin_people::member_actions::issue, Access::Roles(admin_people::ADMINS);
    post "/admin/members/{id}/tokens/{token_id}/revoke" => admin_people::member_actions::revoke, Access::Roles(admin_people::ADMINS);
    get "/cases/{id}/matrix" => matrix::show, Access::SignedIn;
    get "/cases/{id}/matrix.csv" => matrix::csv, Access::SignedIn;
    get "/exchange-matrix/diff" => rounds::show_diff, Access::SignedIn;
    get "/reports/services-at-risk" => rounds::show_services, Access::SignedIn;
    get "/reports/services-at-risk.csv" => rounds::services_csv, Access::SignedIn;
}

/// Registers every page.
pub fn pages(config: &mut web::ServiceConfig) {
    for page in PAGES {
        (page.register)(config);
    }
}

/// Who may open the page matched by `pattern` (the route's path as in the table).
pub fn page_access(method: &Method, pattern: &str) -> Option<Access> {
    let method = if *method == Method::HEAD {
        "get"
    } else {
        method.as_str()
    };
    PAGES
        .iter()
        .find(|p| p.path == pattern && p.method.eq_ignore_ascii_case(method))
        .map(|p| p.access)
}

/// What a browser is sent besides the page: only this server's scripts, styles and fonts;
/// never inside a frame; no referrer to elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Runs on every response: HTML gets the security headers, and an error page is rendered in
/// the viewer's language.
pub fn finish(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let mut response = error::localise(response);
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        let headers = response.headers_mut();
        for (name, value) in [
            ("content-security-policy", CONTENT_SECURITY_POLICY),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
            ("x-frame-options", "DENY"),
            ("cache-control", "no-store"),
        ] {
            headers.insert(
                header::HeaderName::from_static(name),
                header::HeaderValue::from_static(value),
            );
        }
    }
    response
}

/// Whether the request is a person's browser asking for a page (not the API).
fn wants_page(request: &HttpRequest) -> bool {
    let html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    html && !request.path().starts_with("/v1/")
}

/// Unknown paths: a page for browsers, problem+json for programs (and under `/v1/`).
pub async fn not_found(request: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    if wants_page(&request) {
        Err(PageError::not_found().into())
    } else {
        Err(crate::http::not_found().into())
    }
}

/// A query string or path that does not parse: a 400 page for browsers, problem+json
/// otherwise.
pub fn bad_request(request: &HttpRequest, detail: String) -> actix_web::Error {
    if wants_page(request) {
        PageError::bad_request(detail).into()
    } else {
        crate::http::error::ApiError::bad_request(detail).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_route_is_unique_and_has_its_access() {
        for (i, page) in PAGES.iter().enumerate() {
            assert!(
                !PAGES[..i]
                    .iter()
                    .any(|p| p.path == page.path && p.method == page.method),
                "{} {} twice",
                page.method,
                page.path
            );
            assert!(
                !page.path.starts_with("/v1"),
                "pages stay out of the API's paths"
            );
        }
        assert_eq!(page_access(&Method::GET, "/"), Some(Access::SignedIn));
        assert_eq!(page_access(&Method::HEAD, "/"), Some(Access::SignedIn));
        assert_eq!(
            page_access(&Method::POST, "/sign-in/token"),
            Some(Access::Public)
        );
        assert_eq!(page_access(&Method::DELETE, "/"), None);
    }
}
