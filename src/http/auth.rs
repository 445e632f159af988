//! `Authorization: Bearer <token>` → the calling member. Missing or unknown token → 401.
//! An auditor changes nothing: every non-GET request from a caller whose only role is
//! `auditor` is refused here with 403, before any handler runs. Guessing is throttled
//! ([`super::rate_limit`]): past its allowance of unknown tokens a client address gets 429
//! on everything, and the log names the address — never the token. Past its allowance of
//! writes, a member gets 429 on its writes.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::AppState;
use super::error::ApiError;
use super::rate_limit::{Failure, client_address};
use crate::domain::{Actor, Role};
use crate::engine::Member;

/// The authenticated member making the request.
#[derive(Clone)]
pub struct Caller {
    pub member: Member,
    pub actor: Actor,
}

impl Caller {
    pub fn is_staff(&self) -> bool {
        [Role::Admin, Role::Secretariat, Role::Auditor]
            .iter()
            .any(|r| self.actor.has(*r))
    }
}

fn bearer(request: &HttpRequest) -> Result<String, ApiError> {
    let header = request
        .headers()
        .get("authorization")
        .ok_or_else(|| ApiError::unauthorized("missing Authorization: Bearer <token>"))?;
    let text = header
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not text"))?;
    // Exactly "Bearer <token>": a token with stray spaces is a different token.
    text.strip_prefix("Bearer ")
        .map(str::to_string)
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be: Bearer <token>"))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    /// The caller [`super::access::enforce`] authenticated in front of the route, or, for a
    /// route declared without a token, one authenticated here.
    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        if let Some(caller) = super::access::authenticated_caller(request) {
            return Box::pin(async move { Ok(caller) });
        }
        let request = request.clone();
        Box::pin(async move {
            let state = request
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::unauthorized("no application state"))?;
            authenticate(&state, &request).await
        })
    }
}

/// The member whose token the request carries. Throttled guessing answers 429 before the
/// token is looked at; auditors are refused every request that could change something.
pub async fn authenticate(state: &AppState, request: &HttpRequest) -> Result<Caller, ApiError> {
    let client = client_address(request, &state.protection.trusted_proxies);
    if let Err(wait) = state.auth_failures.check(client) {
        return Err(ApiError::too_many_requests(
            "too many failed token attempts from this address; wait and retry",
            wait.as_secs(),
        ));
    }
    let token = bearer(request)?;
    let Some(member) = state.engine.authenticate(&token).await? else {
        return Err(refuse_unknown_token(state, client));
    };
    let actor = member.actor();
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    if writes && actor.roles.iter().all(|r| *r == Role::Auditor) {
        return Err(ApiError::forbidden("auditors have read-only access"));
    }
    if writes && let Err(wait) = state.write_limits.record_write(&member.id) {
        return Err(ApiError::too_many_requests(
            "too many writes by this member; wait and retry",
            wait.as_secs(),
        ));
    }
    Ok(Caller { member, actor })
}

/// Counts an unknown or revoked token against its client and says why it was refused.
fn refuse_unknown_token(state: &AppState, client: std::net::IpAddr) -> ApiError {
    match state.auth_failures.record_failure(client) {
        Failure::Counted => {
            tracing::warn!(client = %client, "rejected an unknown or revoked token");
        }
        Failure::Exhausted => {
            tracing::warn!(
                client = %client,
                per_minute = state.protection.auth_failures_per_minute,
                "too many unknown tokens from this client: throttling it (429)"
            );
        }
    }
    ApiError::unauthorized("unknown or revoked token")
}
