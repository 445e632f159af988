//! Provider confirmation rounds of an inventory case: `POST /v1/cases/{id}/confirmation-round`
//! opens one (the secretariat), `GET /v1/cases/{id}/confirmation-rounds` lists their progress.
//!
//! Rules, as api.md states them: the case must be a `data-exchange-inventory` case with at
//! least one accepted inventory (else 422, nothing recorded); one task per provider agency
//! of the cluster named by any accepted need, listing the needs addressed to it (the round
//! case's `params.needs_by_provider[CODE]`). A second round may be opened once the previous
//! one is closed (completed or cancelled; 409 while it is open); in the matrix, for each
//! need, the answer of the latest round that has an accepted answer for it wins.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::auth::Caller;
use super::cases::{load_visible, parse_id};
use super::error::ApiError;
use super::{AppState, body};
use crate::engine::projection::case_view;
use crate::reports::confirmations::RoundProgress;

/// Nothing to say yet: the round is worked out from the case (an empty body will do).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenRoundBody {}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Rounds {
    /// Oldest first; each with how many providers answered.
    pub items: Vec<RoundProgress>,
}

pub async fn open_round(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    let bytes = body::read(payload, &state).await?;
    if !bytes.is_empty() {
        let _: OpenRoundBody = body::json(&request, &bytes)?;
    }
    load_visible(&state, &caller, case_id).await?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let round = state
            .engine
            .open_confirmation_round(&caller.actor, case_id)
            .await?;
        Ok((StatusCode::CREATED, case_view(&round)))
    })
    .await
}

pub async fn rounds(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    load_visible(&state, &caller, case_id).await?;
    let mut items = Vec::new();
    for round in state.engine.confirmation_rounds(case_id).await? {
        let progress = state
            .engine
            .with_case(round, crate::reports::confirmations::round_progress)
            .await?;
        items.extend(progress);
    }
    Ok(HttpResponse::Ok().json(Rounds { items }))
}
