//! Reports: `GET /v1/exchange-matrix?case=` and `GET /v1/cases/{id}/board`, as JSON or, with
//! `?format=csv` (or `Accept: text/csv`), as CSV for spreadsheet tools. Each is built alone
//! from the case as it stands (the engine's cached state, caught up with the log), outside
//! the case's lock, and kept until the case changes. Who may read: the secretariat, admins
//! and auditors every case; a member the cases its agency takes part in (404 otherwise, as
//! for the case itself), of the matrix only its agency's part
//! ([`MatrixDocument::seen_by`]), and of the board every agency's status but not other
//! agencies' people ([`Board::seen_by`]).

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::AppState;
use super::auth::Caller;
use super::cases::{load_visible, parse_id};
use super::error::ApiError;
use crate::domain::Actor;
use crate::engine::Member;
use crate::engine::{CaseMatrix, agency_names, case_board, case_matrix};
use crate::reports::{self, Board, Locale, MatrixDocument};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixQuery {
    pub case: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    pub format: Option<String>,
    /// The language of due days and agency names; the caller's own locale by default.
    pub locale: Option<String>,
}

/// CSV when asked by `?format=csv` or, without `format`, by an `Accept: text/csv` header.
pub(super) fn wants_csv(request: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!(
            "format must be json or csv, not {other:?}"
        ))),
        None => Ok(request
            .headers()
            .get("accept")
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"))),
    }
}

pub(super) fn csv_response(body: String, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(body)
}

pub async fn exchange_matrix(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<MatrixQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(&request, query.format.as_deref())?;
    let raw = query.case.as_deref().ok_or_else(|| {
        ApiError::bad_request("?case= is required: the id of a data-exchange inventory case")
    })?;
    let case_id = parse_id(raw, "case")?;
    let found = readable_matrix(&state, &caller.member, &caller.actor, case_id).await?;
    let matrix = found
        .matrix
        .as_ref()
        .ok_or_else(|| crate::engine::not_an_inventory(case_id, &found.workflow))?;
    if csv {
        Ok(csv_response(
            reports::csv::matrix_csv(&matrix.matrix),
            &format!("exchange-matrix-{case_id}"),
        ))
    } else {
        Ok(HttpResponse::Ok().json(matrix))
    }
}

/// The case's matrix as this member may read it: the whole for staff, its agency's part
/// for a member of a case its agency takes part in, 404 for any other case. The matrix
/// pages read it through here too.
pub async fn readable_matrix(
    state: &AppState,
    member: &Member,
    actor: &Actor,
    case_id: Uuid,
) -> Result<Arc<CaseMatrix>, ApiError> {
    let caller = Caller {
        member: member.clone(),
        actor: actor.clone(),
    };
    load_visible(state, &caller, case_id).await?;
    let found = case_matrix(&state.engine, case_id).await?;
    let agency = caller.member.agency.as_deref();
    match (&found.matrix, agency) {
        (Some(matrix), Some(agency)) if !caller.is_staff() => Ok(Arc::new(CaseMatrix {
            workflow: found.workflow.clone(),
            matrix: Some(MatrixDocument::seen_by(matrix, agency)),
        })),
        _ => Ok(found),
    }
}

pub async fn board(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(&request, query.format.as_deref())?;
    let locale = match query.locale.as_deref() {
        Some(text) => Locale::parse(text).ok_or_else(|| {
            ApiError::bad_request(format!("locale must be fa or en, not {text:?}"))
        })?,
        None => Locale::parse(&caller.member.locale).unwrap_or(Locale::Fa),
    };
    let case_id = parse_id(&id, "case")?;
    load_visible(&state, &caller, case_id).await?;
    let mut board = Board::clone(&*case_board(&state.engine, case_id).await?);
    if let (false, Some(agency)) = (caller.is_staff(), caller.member.agency.as_deref()) {
        board = board.seen_by(agency);
    }
    board.localise(
        locale,
        &agency_names(&state.engine.documents, locale).await?,
    );
    if csv {
        Ok(csv_response(
            reports::csv::board_csv(&board),
            &format!("board-{case_id}"),
        ))
    } else {
        Ok(HttpResponse::Ok()
            .insert_header(("etag", format!("\"{}\"", board.version)))
            .json(board))
    }
}
