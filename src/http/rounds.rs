//! Reports across cases: `GET /v1/exchange-matrix/diff?from=&to=` (what changed between two
//! inventory rounds, [`crate::reports::diff`]) and `GET /v1/reports/services-at-risk?cards=
//! &inventory=` (services whose cards inquire for data nobody offers yet,
//! [`crate::reports::services`]). Each case must be one the caller may see (404 otherwise,
//! as for the case itself). Both are built from the whole matrix and then narrowed for a
//! member to what its agency is part of, so a change is never judged on half the picture.
//! The pages read them through [`matrix_diff`] and [`services_report`] too.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::AppState;
use super::auth::Caller;
use super::cases::{load_visible, parse_id};
use super::error::ApiError;
use super::reports::{csv_response, wants_csv};
use crate::domain::Actor;
use crate::engine::Member;
use crate::engine::case_matrix;
use crate::reports::MatrixDocument;
use crate::reports::diff::{MatrixDiff, diff};
use crate::reports::services::{CARDS_FORM, ServicesReport, case_cards, services_at_risk};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The earlier round: the id of an inventory case.
    pub from: Option<String>,
    /// The later round: the id of another inventory case.
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServicesQuery {
    /// The id of a service identity card case.
    pub cards: Option<String>,
    /// The id of the inventory case whose needs and offers the cards are read against.
    pub inventory: Option<String>,
    /// `json` (the default) or `csv`; without it, `Accept: text/csv` asks for CSV.
    pub format: Option<String>,
}

/// The pages call in with a session's member and actor, as the API with a token's.
fn caller_of(member: &Member, actor: &Actor) -> Caller {
    Caller {
        member: member.clone(),
        actor: actor.clone(),
    }
}

fn required(value: Option<&str>, name: &str, what: &str) -> Result<Uuid, ApiError> {
    let raw =
        value.ok_or_else(|| ApiError::bad_request(format!("?{name}= is required: {what}")))?;
    parse_id(raw, name)
}

/// The whole matrix of an inventory case the caller may see.
async fn whole_matrix(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<MatrixDocument, ApiError> {
    load_visible(state, caller, id).await?;
    let found = case_matrix(&state.engine, id).await?;
    let matrix = found
        .matrix
        .clone()
        .ok_or_else(|| crate::engine::not_an_inventory(id, &found.workflow))?;
    Ok(matrix)
}

/// The agency whose part a caller reads, `None` for staff (the whole).
fn member_agency(caller: &Caller) -> Option<&str> {
    if caller.is_staff() {
        None
    } else {
        // A member without an agency sees no case, so `load_visible` has refused already.
        caller.member.agency.as_deref()
    }
}

/// The diff of two rounds as the caller may read it.
pub async fn matrix_diff(
    state: &AppState,
    member: &Member,
    actor: &Actor,
    from: Uuid,
    to: Uuid,
) -> Result<MatrixDiff, ApiError> {
    let caller = &caller_of(member, actor);
    if from == to {
        return Err(ApiError::unprocessable(format!(
            "from and to are the same case {from}: compare two different inventory rounds"
        )));
    }
    let earlier = whole_matrix(state, caller, from).await?;
    let later = whole_matrix(state, caller, to).await?;
    let changes = diff(&earlier, &later);
    Ok(match member_agency(caller) {
        Some(agency) => changes.seen_by(agency),
        None => changes,
    })
}

pub async fn exchange_matrix_diff(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    let from = required(
        query.from.as_deref(),
        "from",
        "the id of the earlier inventory case",
    )?;
    let to = required(
        query.to.as_deref(),
        "to",
        "the id of the later inventory case",
    )?;
    let changes = matrix_diff(&state, &caller.member, &caller.actor, from, to).await?;
    Ok(HttpResponse::Ok().json(changes))
}

/// The services-at-risk report as the caller may read it.
pub async fn services_report(
    state: &AppState,
    member: &Member,
    actor: &Actor,
    cards: Uuid,
    inventory: Uuid,
) -> Result<ServicesReport, ApiError> {
    let caller = &caller_of(member, actor);
    load_visible(state, caller, cards).await?;
    let found = state
        .engine
        .derive(cards, case_cards)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no case {cards}")))?;
    let accepted = found.cards.as_ref().ok_or_else(|| {
        ApiError::unprocessable(format!(
            "case {cards} runs the workflow {:?}, which collects no {CARDS_FORM} forms; \
             ?cards= names a service identity card case",
            found.workflow
        ))
    })?;
    let matrix = whole_matrix(state, caller, inventory).await?;
    let report = services_at_risk(cards, accepted, &matrix);
    Ok(match member_agency(caller) {
        Some(agency) => report.seen_by(agency),
        None => report,
    })
}

pub async fn services_at_risk_report(
    request: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ServicesQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(&request, query.format.as_deref())?;
    let cards = required(
        query.cards.as_deref(),
        "cards",
        "the id of a service identity card case",
    )?;
    let inventory = required(
        query.inventory.as_deref(),
        "inventory",
        "the id of the inventory case to read the cards against",
    )?;
    let report = services_report(&state, &caller.member, &caller.actor, cards, inventory).await?;
    if csv {
        Ok(csv_response(
            crate::reports::csv::services_csv(&report),
            &format!("services-at-risk-{cards}"),
        ))
    } else {
        Ok(HttpResponse::Ok().json(report))
    }
}
