//! `/v1/members` and their tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::auth::Caller;
use super::error::ApiError;
use super::{AppState, body};
use crate::engine::MemberInput;

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

/// A new token, shown this once.
#[derive(Serialize, schemars::JsonSchema)]
pub struct IssuedToken {
    pub token_id: Uuid,
    pub member_id: String,
    pub token: String,
}

/// Not idempotent by key on purpose: replaying the response would mean storing the token.
pub async fn issue_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (token_id, token) = state.engine.issue_token(&caller.actor, &id).await?;
    Ok(HttpResponse::Created().json(IssuedToken {
        token_id,
        member_id: id.into_inner(),
        token,
    }))
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
