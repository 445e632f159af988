//! `/v1/tasks`: what people do — submit, review, vote, reassign.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::auth::Caller;
use super::cases::parse_id;
use super::error::ApiError;
use super::{AppState, body, paging};
use crate::documents::DocumentQuery;
use crate::domain::{ReviewDecision, VoteChoice};
use crate::engine::projection::{TaskView, task_view};

/// `If-Match: "<version>"` must name the resource's current version (412 otherwise).
pub fn check_if_match(request: &HttpRequest, version: &Value) -> Result<(), ApiError> {
    let Some(header) = request.headers().get("if-match") else {
        return Ok(());
    };
    let wanted = header
        .to_str()
        .unwrap_or("")
        .trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .to_string();
    if wanted == "*" || version.as_i64().is_some_and(|v| v.to_string() == wanted) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            format!("If-Match {wanted:?} does not match the current version {version}"),
        ))
    }
}

/// The task's view if the caller may see it (404 otherwise: no existence leak).
pub(super) async fn load_visible(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<Value, ApiError> {
    let view = match state.engine.task_view(id).await {
        Ok(view) => view,
        Err(crate::engine::EngineError::NotFound(_)) => {
            return Err(ApiError::not_found(format!("no task {id}")));
        }
        Err(e) => return Err(e.into()),
    };
    let own = view["agency"]
        .as_str()
        .is_some_and(|a| caller.member.agency.as_deref() == Some(a))
        || view["assignee"] == caller.member.id.as_str();
    if caller.is_staff() || own {
        Ok(view)
    } else {
        Err(ApiError::not_found(format!("no task {id}")))
    }
}

pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = load_visible(&state, &caller, parse_id(&id, "task")?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("etag", format!("\"{}\"", view["version"])))
        .json(view))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskFilter {
    pub status: Option<String>,
    pub case: Option<String>,
    pub agency: Option<String>,
    pub limit: Option<i64>,
    pub after: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    filter: web::Query<TaskFilter>,
) -> Result<HttpResponse, ApiError> {
    let limit = paging::limit(filter.limit)?;
    let case = filter
        .case
        .as_deref()
        .map(|c| parse_id(c, "case"))
        .transpose()?;
    // A member sees only its own agency's tasks, whatever it asks for.
    let agency = if caller.is_staff() {
        filter.agency.clone()
    } else {
        caller.member.agency.clone().or(Some(String::new()))
    };
    if !caller.is_staff()
        && filter
            .agency
            .as_ref()
            .is_some_and(|a| Some(a) != caller.member.agency.as_ref())
    {
        return Ok(HttpResponse::Ok().json(paging::Page::<Value>::whole(Vec::new())));
    }
    let query = DocumentQuery {
        case_id: case.map(|c| c.to_string()),
        agency,
        status: filter.status.clone(),
        after: filter.after.clone(),
        limit,
    };
    let items: Vec<Value> = state
        .engine
        .documents
        .list("task", &query)
        .await?
        .into_iter()
        .filter_map(|(_, d)| serde_json::from_str(&d).ok())
        .collect();
    Ok(HttpResponse::Ok().json(paging::page(items, limit, |t| {
        t["id"].as_str().map(str::to_string)
    })))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    pub data: Value,
    /// Uploaded files (`POST /v1/files`) sent with the data, at most 5.
    #[serde(default)]
    pub attachments: Vec<crate::domain::AttachmentRef>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub decision: ReviewDecision,
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    pub choice: VoteChoice,
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignBody {
    pub member_id: String,
}

/// A task command as read: the task's id, the parsed body, its bytes, the task as it stands.
struct Prepared<T> {
    task_id: Uuid,
    input: T,
    bytes: web::Bytes,
    /// The task's view, when it was read (an `If-Match` compares its version).
    current: Option<Value>,
}

/// The shared preamble of a task command: id, visibility, body, If-Match.
async fn prepare<T: serde::de::DeserializeOwned + schemars::JsonSchema + 'static>(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    id: &str,
    payload: web::Payload,
) -> Result<Prepared<T>, ApiError> {
    let task_id = parse_id(id, "task")?;
    let bytes = body::read(payload, state).await?;
    let input: T = body::json(request, &bytes)?;
    let current = if request.headers().contains_key(header::IF_MATCH) {
        let current = load_visible(state, caller, task_id).await?;
        check_if_match(request, &current["version"])?;
        Some(current)
    } else {
        check_visible(state, caller, task_id).await?;
        None
    };
    Ok(Prepared {
        task_id,
        input,
        bytes,
        current,
    })
}

/// [`load_visible`]'s answer without reading the task where what never changes about it
/// (its agency, read once per node) settles it: staff see every task, a member its own
/// agency's. Anyone else is answered from the task's document.
async fn check_visible(state: &AppState, caller: &Caller, id: Uuid) -> Result<(), ApiError> {
    let facts = match state.engine.task_facts(id).await {
        Ok(facts) => facts,
        Err(crate::engine::EngineError::NotFound(_)) => {
            return Err(ApiError::not_found(format!("no task {id}")));
        }
        Err(e) => return Err(e.into()),
    };
    let own_agency = facts
        .agency
        .as_deref()
        .is_some_and(|a| caller.member.agency.as_deref() == Some(a));
    if caller.is_staff() || own_agency {
        return Ok(());
    }
    load_visible(state, caller, id).await.map(drop)
}

/// Whether the task is assigned to a member other than the caller: from the view read, or
/// from the node's copy of the case when that says it is not, otherwise from the task's
/// document. This check only spares the caller the form's answer on a task that is not
/// theirs; either source may be older than the log by the time the case's lock is taken, and
/// the domain decides again under it.
async fn assigned_to_another(
    state: &AppState,
    caller: &Caller,
    task_id: Uuid,
    current: Option<Value>,
) -> Result<bool, ApiError> {
    let elsewhere = |assignee: Option<&str>| assignee.is_some_and(|m| m != caller.member.id);
    if current.is_none()
        && let Some(remembered) = state.engine.remembered_assignee(task_id).await
        && !elsewhere(remembered.as_deref())
    {
        return Ok(false);
    }
    let current = match current {
        Some(current) => current,
        None => load_visible(state, caller, task_id).await?,
    };
    Ok(elsewhere(current["assignee"].as_str()))
}

fn task_of(case: &crate::domain::CaseState, task_id: Uuid) -> Value {
    case.task(task_id).map(task_view).unwrap_or(Value::Null)
}

/// The answer to a submission: its id and the task as it now stands.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Submitted<'a> {
    pub submission_id: Option<Uuid>,
    pub task: TaskView<'a>,
}

pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Prepared {
        task_id,
        input,
        bytes,
        current,
    } = prepare::<SubmitBody>(&state, &caller, &request, &id, payload).await?;
    // A task reassigned to a colleague: refused before its data is validated, so the caller
    // learns nothing from the form's answer (the domain refuses it again, under the lock).
    if assigned_to_another(&state, &caller, task_id, current).await? {
        return Err(ApiError::forbidden(
            "this task is assigned to another member",
        ));
    }
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .submit_with(&caller.actor, task_id, input.data, input.attachments)
            .await?;
        let task = case
            .task(task_id)
            .ok_or_else(|| ApiError::not_found(format!("no task {task_id}")))?;
        let submitted = Submitted {
            submission_id: task.submissions.last().map(|s| s.id),
            task: TaskView::of(task),
        };
        Ok((StatusCode::CREATED, json!(submitted)))
    })
    .await
}

pub async fn review(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Prepared {
        task_id,
        input,
        bytes,
        ..
    } = prepare::<ReviewBody>(&state, &caller, &request, &id, payload).await?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .review(&caller.actor, task_id, input.decision, input.comment)
            .await?;
        Ok((StatusCode::OK, task_of(&case, task_id)))
    })
    .await
}

pub async fn vote(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Prepared {
        task_id,
        input,
        bytes,
        ..
    } = prepare::<VoteBody>(&state, &caller, &request, &id, payload).await?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .vote(&caller.actor, task_id, input.choice, input.comment)
            .await?;
        Ok((StatusCode::OK, task_of(&case, task_id)))
    })
    .await
}

pub async fn reassign(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let Prepared {
        task_id,
        input,
        bytes,
        ..
    } = prepare::<ReassignBody>(&state, &caller, &request, &id, payload).await?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let case = state
            .engine
            .reassign(&caller.actor, task_id, &input.member_id)
            .await?;
        Ok((StatusCode::OK, task_of(&case, task_id)))
    })
    .await
}
