//! The process as practised (design.md §7): the secretariat extends deadlines and reminds
//! agencies now; an agency withdraws a submission not yet reviewed. Thin, like every
//! handler: parse, check visibility and `If-Match`, call the engine, render.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::auth::Caller;
use super::cases::parse_id;
use super::error::ApiError;
use super::tasks::check_if_match;
use super::{AppState, body};
use crate::domain::{CaseState, NewDue, TaskKind};
use crate::engine::projection::{TaskView, task_view};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    /// An RFC 3339 instant, or `{on: "1405-10-15"}` (the end of that Jalali day, Tehran).
    pub due: NewDue,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindBody {
    #[serde(default)]
    pub message: Option<String>,
}

/// A withdrawal takes no input; an empty body or `{}`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {}

/// Every pending submission task of the case after the extension (those due later than
/// the new deadline kept theirs).
#[derive(Serialize, schemars::JsonSchema)]
pub struct Extended<'a> {
    pub tasks: Vec<TaskView<'a>>,
}

/// The agencies reminded (codes); empty when no task waited on an agency.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Reminded {
    pub reminded: Vec<String>,
}

/// A body that may be left out: empty means `T::default()`.
fn optional<T: serde::de::DeserializeOwned + schemars::JsonSchema + Default + 'static>(
    request: &HttpRequest,
    bytes: &[u8],
) -> Result<T, ApiError> {
    if bytes.is_empty() {
        Ok(T::default())
    } else {
        body::json(request, bytes)
    }
}

fn task_json(case: &CaseState, task_id: Uuid) -> Value {
    case.task(task_id).map(task_view).unwrap_or(Value::Null)
}

/// `POST /v1/tasks/{id}/extend`
pub async fn extend_task(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let task_id = parse_id(&id, "task")?;
    let bytes = body::read(payload, &state).await?;
    let input: ExtendBody = body::json(&request, &bytes)?;
    let current = super::tasks::load_visible(&state, &caller, task_id).await?;
    check_if_match(&request, &current["version"])?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .extend_task(&caller.actor, task_id, input.due, input.reason)
            .await?;
        Ok((StatusCode::OK, task_json(&case, task_id)))
    })
    .await
}

/// `POST /v1/cases/{id}:extend`
pub async fn extend_case(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    let bytes = body::read(payload, &state).await?;
    let input: ExtendBody = body::json(&request, &bytes)?;
    let current = super::cases::load_visible(&state, &caller, case_id).await?;
    check_if_match(&request, &current["version"])?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .extend_case(&caller.actor, case_id, input.due, input.reason)
            .await?;
        let pending = case
            .tasks
            .iter()
            .filter(|t| t.kind == TaskKind::Submission && t.status.is_pending());
        let extended = Extended {
            tasks: pending.map(TaskView::of).collect(),
        };
        Ok((StatusCode::OK, json!(extended)))
    })
    .await
}

/// `POST /v1/cases/{id}:remind`
pub async fn remind(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let case_id = parse_id(&id, "case")?;
    let bytes = body::read(payload, &state).await?;
    let input: RemindBody = optional(&request, &bytes)?;
    let current = super::cases::load_visible(&state, &caller, case_id).await?;
    check_if_match(&request, &current["version"])?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let reminded = state
            .engine
            .remind_now(&caller.actor, case_id, input.message)
            .await?;
        Ok((StatusCode::OK, json!(Reminded { reminded })))
    })
    .await
}

/// `POST /v1/tasks/{id}/withdraw`
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let task_id = parse_id(&id, "task")?;
    let bytes = body::read(payload, &state).await?;
    let _: WithdrawBody = optional(&request, &bytes)?;
    let current = super::tasks::load_visible(&state, &caller, task_id).await?;
    check_if_match(&request, &current["version"])?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state.engine.withdraw(&caller.actor, task_id).await?;
        Ok((StatusCode::OK, task_json(&case, task_id)))
    })
    .await
}
