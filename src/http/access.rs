//! Who may call a route, declared in its row of [`super::ROUTES`] and enforced here, once,
//! in front of every route: a handler cannot forget it. The check runs before the handler
//! reads a byte of the body or looks anything up, so a caller whose roles never allow the
//! action learns nothing about the object (403, not 404, 409 or 422). Rules that depend on
//! the object (an agency's own task, the voter of a ballot) stay in the domain.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use super::AppState;
use super::auth::{Caller, authenticate};
use super::error::ApiError;
use crate::domain::{Actor, Role};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token needed (operations: health, metrics, the OpenAPI document).
    Public,
    /// Any caller with a valid token; what it sees is narrowed by the handler.
    Authenticated,
    /// A caller holding at least one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn needs_token(self) -> bool {
        self != Access::Public
    }

    /// The roles allowed; every role for `Public` and `Authenticated`.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Access::Roles(roles) => roles,
            Access::Public | Access::Authenticated => &Role::ALL,
        }
    }

    pub fn allows(self, actor: &Actor) -> bool {
        match self {
            Access::Public | Access::Authenticated => true,
            Access::Roles(roles) => roles.iter().any(|r| actor.has(*r)),
        }
    }

    /// For people and for `/openapi.json`: "Roles: admin, secretariat."
    pub fn describe(self) -> String {
        match self {
            Access::Public => "No token needed.".into(),
            Access::Authenticated => "Any caller with a token.".into(),
            Access::Roles(roles) => {
                let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                format!("Roles: {}.", names.join(", "))
            }
        }
    }

    fn refusal(self) -> ApiError {
        let names: Vec<&str> = self.roles().iter().map(|r| r.as_str()).collect();
        ApiError::forbidden(format!("this needs the role {}", names.join(" or ")))
    }
}

/// The access of the route `method path`; `path` is the route's template, either as served
/// (`/v1/cases/{id:[^/:]+}:cancel`) or as in `/openapi.json` (`/v1/cases/{id}:cancel`).
pub fn route_access(method: &str, path: &str) -> Option<Access> {
    super::ROUTES
        .iter()
        .find(|r| {
            r.method.eq_ignore_ascii_case(method)
                && (r.path == path || super::openapi_path(r.path) == path)
        })
        .map(|r| r.access)
}

/// The roles that may call `method path` (every role for a route any caller may use);
/// `None` for a route that does not exist.
pub fn route_roles(method: &str, path: &str) -> Option<&'static [Role]> {
    route_access(method, path).map(Access::roles)
}

/// The wrapper in front of each route: authenticates (401, 429) and checks the route's roles
/// (403), then hands the caller to the handler through the request's extensions.
pub async fn enforce(
    access: Access,
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !access.needs_token() {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(refuse(request, ApiError::unauthorized("no application state")).await);
    };
    let caller = match authenticate(&state, request.request()).await {
        Ok(caller) if access.allows(&caller.actor) => caller,
        Ok(_) => return Ok(refuse(request, access.refusal()).await),
        Err(error) => return Ok(refuse(request, error).await),
    };
    request.extensions_mut().insert(caller);
    next.call(request)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// A refused request's body is read and dropped up to this many bytes …
const DRAIN_LIMIT: usize = 64 * 1024;
/// … for at most this long; a larger or slower body closes the connection instead.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// The refusal. Its body is read first (the handler that would have read it never runs):
/// a body left unread stops the connection from carrying the client's next request, and a
/// connection closed with unread bytes is reset by the client's TCP stack, which may lose
/// the answer. A body too large or too slow to drain is not waited for: the connection
/// closes after the answer.
async fn refuse(mut request: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    let drained = drain(request.take_payload()).await;
    let mut response = request.error_response(error);
    if !drained {
        response
            .response_mut()
            .head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
    }
    response
}

/// Whether the whole body was read within [`DRAIN_LIMIT`] and [`DRAIN_TIME`].
async fn drain(mut payload: actix_web::dev::Payload) -> bool {
    use futures_util::StreamExt;
    let read = async {
        let mut seen = 0usize;
        while let Some(chunk) = payload.next().await {
            match chunk {
                Ok(bytes) if seen + bytes.len() <= DRAIN_LIMIT => seen += bytes.len(),
                _ => return false,
            }
        }
        true
    };
    tokio::time::timeout(DRAIN_TIME, read)
        .await
        .unwrap_or(false)
}

/// Taken by [`Caller`]'s extractor: the caller [`enforce`] authenticated, if it ran.
pub(super) fn authenticated_caller(request: &actix_web::HttpRequest) -> Option<Caller> {
    request.extensions().get::<Caller>().cloned()
}
