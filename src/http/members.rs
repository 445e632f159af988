//! `/v1/members` and their tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::auth::Caller;
use super::error::ApiError;
use super::paging::Page;
use super::{AppState, body};
use crate::engine::{MemberChange, MemberInput};

pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: MemberInput = body::json(&request, &bytes)?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let member = state.engine.register_member(&caller.actor, input).await?;
        Ok((StatusCode::CREATED, json!(member)))
    })
    .await
}

pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let member = state.engine.member(&id).await?.filter(|m| {
        caller.is_staff()
            || m.id == caller.member.id
            || (m.agency.is_some() && m.agency == caller.member.agency)
    });
    let member = member.ok_or_else(|| ApiError::not_found(format!("no member {id}")))?;
    Ok(HttpResponse::Ok()
        .insert_header(("etag", format!("\"{}\"", member.version)))
        .json(member))
}

/// The body of `POST /v1/members/{id}/tokens`, which may be empty.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueTokenBody {
    /// RFC 3339; from then on the token is refused. Absent: valid until revoked.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new token, shown this once.
#[derive(Serialize, schemars::JsonSchema)]
pub struct IssuedToken {
    pub token_id: Uuid,
    pub member_id: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub token: String,
}

/// Not idempotent by key on purpose: replaying the response would mean storing the token.
pub async fn issue_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    // No body, `null` and `{}` all mean "no options", as before tokens could expire.
    let input: IssueTokenBody = if bytes.is_empty() {
        IssueTokenBody::default()
    } else {
        body::json::<Option<IssueTokenBody>>(&request, &bytes)?.unwrap_or_default()
    };
    let (token_id, token) = state
        .engine
        .issue_token(&caller.actor, &id, input.expires_at)
        .await?;
    Ok(HttpResponse::Created().json(IssuedToken {
        token_id,
        member_id: id.into_inner(),
        expires_at: input.expires_at,
        token,
    }))
}

/// A member's tokens: ids, times, who issued and revoked them; never a token or its hash.
pub async fn list_tokens(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tokens = state.engine.member_tokens(&caller.actor, &id).await?;
    Ok(HttpResponse::Ok().json(Page::whole(tokens)))
}

pub async fn revoke_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let token_id: Uuid = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{id:?} is not a token id (UUID)")))?;
    state.engine.revoke_token(&caller.actor, token_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Disables a member: its tokens and sessions are refused from now on (every node within
/// `SESSION_TTL`); its open tasks stay with its agency.
pub async fn disable(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let member = state.engine.disable_member(&caller.actor, &id).await?;
    Ok(HttpResponse::Ok().json(member))
}

pub async fn enable(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let member = state.engine.enable_member(&caller.actor, &id).await?;
    Ok(HttpResponse::Ok().json(member))
}

/// `PATCH /v1/members/{id}`: roles, locale or supervisor; `If-Match` names the version the
/// caller saw (412 if the member has moved on since).
pub async fn change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: MemberChange = body::json(&request, &bytes)?;
    let current = state
        .engine
        .member(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no member {id}")))?;
    super::tasks::check_if_match(&request, &json!(current.version))?;
    let member = state
        .engine
        .change_member(&caller.actor, &id, input, Some(current.version))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("etag", format!("\"{}\"", member.version)))
        .json(member))
}
