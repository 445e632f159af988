//! `/v1/cases`: opening, reading, listing and cancelling cases.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::auth::Caller;
use super::error::ApiError;
use super::{AppState, body, paging};
use crate::documents::CaseList;
use crate::engine::projection::case_view;
use crate::engine::{OpenCase, ParticipantsInput};

pub fn parse_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::bad_request(format!("{raw:?} is not a {what} id (a UUID)")))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenCaseBody {
    pub workflow: String,
    pub title: String,
    #[serde(default)]
    pub participants: Option<ParticipantsInput>,
    /// The case's parameters. A resolution takes `text`, `on_approval: {workflow,
    /// participants, params?: {due?}}` (the case(s) its approval opens; `due` a due rule
    /// setting their first deadline where the workflow's `due_override` allows it) and,
    /// when adopted in a meeting, `adopted_in_meeting: {meeting_no, meeting_date_jalali,
    /// resolution_no, minutes, attachments?}`: approved at once, without a vote.
    #[serde(default)]
    pub params: Option<Value>,
}

pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: OpenCaseBody = body::json(&request, &bytes)?;
    if input.params.as_ref().is_some_and(|p| !p.is_object()) {
        return Err(ApiError::unprocessable("params must be a JSON object"));
    }
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let open = OpenCase {
            workflow: input.workflow,
            title: input.title,
            participants: input.participants,
            params: input.params.unwrap_or(json!({})),
            parent_case: None,
            case_id: None,
        };
        let case = state.engine.open_case(&caller.actor, open).await?;
        Ok((StatusCode::CREATED, case_view(&case)))
    })
    .await
}

/// A member sees a case its agency takes part in (or has a task in).
fn visible(caller: &Caller, case: &Value) -> bool {
    if caller.is_staff() {
        return true;
    }
    caller
        .member
        .agency
        .as_deref()
        .is_some_and(|agency| takes_part(case, agency))
}

/// Whether `agency` takes part in the case (its read model): a participant, or the agency
/// of one of its tasks.
pub fn takes_part(case: &Value, agency: &str) -> bool {
    let participates = case["participants"]
        .as_array()
        .is_some_and(|p| p.iter().any(|a| a == agency));
    participates
        || case["tasks"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["agency"] == agency))
}

pub async fn load_visible(state: &AppState, caller: &Caller, id: Uuid) -> Result<Value, ApiError> {
    let case = crate::engine::case_document(&state.engine.documents, &id.to_string()).await?;
    case.filter(|c| visible(caller, c))
        .ok_or_else(|| ApiError::not_found(format!("no case {id}")))
}

pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let case = load_visible(&state, &caller, parse_id(&id, "case")?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("etag", format!("\"{}\"", case["version"])))
        .json(case))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub workflow: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<CaseFilter>,
) -> Result<HttpResponse, ApiError> {
    let limit = paging::limit(filter.limit)?;
    if let Some(status) = &filter.status
        && !["open", "completed", "cancelled"].contains(&status.as_str())
    {
        return Err(ApiError::bad_request(format!(
            "status must be open, completed or cancelled, not {status:?}"
        )));
    }
    // Staff see every case; a member the cases its agency takes part in (none without one).
    let agency = if caller.is_staff() {
        None
    } else {
        let Some(agency) = caller.member.agency.clone() else {
            return Ok(HttpResponse::Ok().json(paging::Page::<Value>::whole(Vec::new())));
        };
        Some(agency)
    };
    let list = CaseList {
        agency,
        status: filter.status.clone(),
        workflow: filter.workflow.clone(),
        after: filter.after.clone(),
        limit,
    };
    let documents = &state.engine.documents;
    let stored = documents.list_cases(&list).await?.into_iter();
    let stored = stored.map(|(_, doc)| serde_json::from_str(&doc).unwrap_or_default());
    let items = crate::engine::case_documents(documents, stored.collect()).await?;
    Ok(HttpResponse::Ok().json(paging::page(items, limit, |c| {
        c["id"].as_str().map(str::to_string)
    })))
}

#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    #[serde(default)]
    pub reason: Option<String>,
}

pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    let bytes = body::read(payload, &state).await?;
    let input: CancelBody = if bytes.is_empty() {
        CancelBody::default()
    } else {
        body::json(&request, &bytes)?
    };
    let current = load_visible(&state, &caller, case_id).await?;
    super::tasks::check_if_match(&request, &current["version"])?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .cancel(&caller.actor, case_id, input.reason.unwrap_or_default())
            .await?;
        Ok((StatusCode::OK, case_view(&case)))
    })
    .await
}
