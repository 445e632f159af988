//! Case commands: open, submit, review, vote, reassign, cancel, close a vote at its
//! deadline — all through one `execute` loop.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::documents::SideWrite;
use crate::domain::{
    Actor, CaseEvent, CaseState, Command, Context, DomainError, MemberRef, ReviewDecision,
    VoteChoice, decide,
};
use crate::domain::{finished, timers_for};
use crate::event_store::{AppendRequest, ExpectedVersion, ReadAll, StoreError};
use crate::timers::TimerRow;
use crate::workflow::WorkflowDefinition;

use super::codec::{case_stream, decode, encode};
use super::{Engine, EngineError, projection};

/// How many times a command is re-decided after losing a race to another node.
const MAX_ATTEMPTS: usize = 50;

/// The largest submission accepted (serialized JSON bytes).
pub const MAX_SUBMISSION_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ParticipantsInput {
    All(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenCase {
    pub workflow: String,
    pub title: String,
    pub participants: Option<ParticipantsInput>,
    pub params: Value,
    pub parent_case: Option<Uuid>,
    pub case_id: Option<Uuid>,
}

impl Engine {
    /// The case as of its newest event, or `None`.
    pub async fn case(&self, case_id: Uuid) -> Result<Option<CaseState>, EngineError> {
        let state = self.replay_case(case_id, None).await?;
        Ok(state.exists().then_some(state))
    }

    /// Folds the case's stream, up to `up_to_position` when given.
    pub async fn replay_case(
        &self,
        case_id: Uuid,
        up_to_position: Option<i64>,
    ) -> Result<CaseState, EngineError> {
        let events = self.store.read_stream(&case_stream(case_id), 1).await?;
        let mut state = CaseState::default();
        for stored in events
            .iter()
            .take_while(|e| up_to_position.is_none_or(|p| e.position <= p))
        {
            let (event, at) =
                decode(stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
            state = state.apply(&event, at);
        }
        Ok(state)
    }

    /// Brings a cached state up to date with events other nodes may have appended.
    async fn catch_up(
        &self,
        case_id: Uuid,
        cached: Option<CaseState>,
    ) -> Result<CaseState, EngineError> {
        let mut state = cached.unwrap_or_default();
        let newer = self
            .store
            .read_stream(&case_stream(case_id), state.version + 1)
            .await?;
        for stored in &newer {
            let (event, at) =
                decode(stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
            state = state.apply(&event, at);
        }
        Ok(state)
    }

    /// Decides and appends one command; returns the case after it.
    pub(crate) async fn execute(
        &self,
        case_id: Uuid,
        actor: &Actor,
        command: Command,
    ) -> Result<CaseState, EngineError> {
        self.execute_with(case_id, actor, command, &[]).await
    }

    /// Like `execute`, with `extra` side writes committed alongside the events (if any).
    pub(crate) async fn execute_with(
        &self,
        case_id: Uuid,
        actor: &Actor,
        command: Command,
        extra: &[SideWrite],
    ) -> Result<CaseState, EngineError> {
        let slot = self.slot(case_id);
        let mut cached = slot.lock().await;
        for _ in 0..MAX_ATTEMPTS {
            let state = self.catch_up(case_id, cached.take()).await?;
            let hash = match &command {
                Command::OpenCase { .. } => None,
                _ if !state.exists() => {
                    return Err(DomainError::NotFound(format!("no case {case_id}")).into());
                }
                _ => Some(state.workflow_hash.clone()),
            };
            let definition = match hash {
                Some(hash) => {
                    self.catalog
                        .find_workflow(&self.store, &hash)
                        .await?
                        .ok_or_else(|| {
                            EngineError::Internal(anyhow::anyhow!(
                                "workflow version {hash} is not in the catalog"
                            ))
                        })?
                        .definition
                }
                None => {
                    return Err(EngineError::Internal(anyhow::anyhow!(
                        "open_case passes its definition"
                    )));
                }
            };
            let members = if definition.steps().iter().any(|s| s.type_name() == "vote") {
                self.member_refs().await?
            } else {
                Vec::new()
            };
            let now = self.clock.now();
            let ctx = Context {
                now,
                actor,
                definition: &definition,
                calendar: &self.calendar,
                members: &members,
            };
            let events = decide(&state, command.clone(), &ctx)?;
            match self
                .commit(&state, &events, actor, now, &definition, extra)
                .await?
            {
                Some(next) => {
                    *cached = Some(next.clone());
                    drop(cached);
                    self.open_ordered_children(&next, &events).await;
                    return Ok(next);
                }
                None => *cached = None,
            }
        }
        Err(EngineError::Unavailable(format!(
            "case {case_id} is too busy; try again"
        )))
    }

    /// Appends the events and read models; `None` when another writer got there first.
    async fn commit(
        &self,
        state: &CaseState,
        events: &[CaseEvent],
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
        definition: &WorkflowDefinition,
        extra: &[SideWrite],
    ) -> Result<Option<CaseState>, EngineError> {
        if events.is_empty() {
            return Ok(Some(state.clone()));
        }
        let next = events.iter().fold(state.clone(), |s, e| s.apply(e, now));
        let expected = if state.exists() {
            ExpectedVersion::Exact(state.version)
        } else {
            ExpectedVersion::NoStream
        };
        let stored: Vec<_> = events.iter().map(|e| encode(e, now)).collect();
        let mut writes = side_writes(state, &next, events, definition, extra);
        writes.extend(self.mail_writes(&next, events, &stored, now).await?);
        let schedules = writes
            .iter()
            .any(|w| matches!(w, SideWrite::ScheduleTimer(_)));
        let mails = writes.iter().any(|w| matches!(w, SideWrite::Enqueue(_)));
        let request = AppendRequest::new(case_stream(next.id), expected, stored)
            .with_metadata(self.metadata(actor))
            .with_side_writes(writes);
        match self.store.append(request).await {
            Ok(_) => {
                if schedules {
                    self.timer_wake.notify_one();
                }
                if mails {
                    self.mail_wake.notify_one();
                }
                Ok(Some(next))
            }
            Err(StoreError::VersionConflict { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn open_case(
        &self,
        actor: &Actor,
        request: OpenCase,
    ) -> Result<CaseState, EngineError> {
        let version = self
            .catalog
            .current_workflow(&self.store, &request.workflow)
            .await?
            .ok_or_else(|| {
                EngineError::Invalid(format!("unknown workflow {:?}", request.workflow))
            })?;
        let participants = self.resolve_participants(request.participants).await?;
        let case_id = request.case_id.unwrap_or_else(Uuid::now_v7);
        let command = Command::OpenCase {
            case_id,
            workflow_version: version.version,
            title: request.title,
            participants,
            params: request.params,
            parent_case: request.parent_case,
        };
        let slot = self.slot(case_id);
        let mut cached = slot.lock().await;
        let state = self.catch_up(case_id, cached.take()).await?;
        let members = self.member_refs().await?;
        let now = self.clock.now();
        let ctx = Context {
            now,
            actor,
            definition: &version.definition,
            calendar: &self.calendar,
            members: &members,
        };
        let events = decide(&state, command, &ctx)?;
        let next = self
            .commit(&state, &events, actor, now, &version.definition, &[])
            .await?
            .ok_or_else(|| EngineError::Conflict(format!("case {case_id} already exists")))?;
        *cached = Some(next.clone());
        drop(cached);
        self.open_ordered_children(&next, &events).await;
        Ok(next)
    }

    async fn resolve_participants(
        &self,
        input: Option<ParticipantsInput>,
    ) -> Result<Vec<String>, EngineError> {
        let known: Vec<String> = self.agencies().await?.into_iter().map(|a| a.code).collect();
        match input {
            None => Ok(Vec::new()),
            Some(ParticipantsInput::All(all)) if all == "all" => Ok(known),
            Some(ParticipantsInput::All(other)) => Err(EngineError::Invalid(format!(
                "participants must be \"all\" or a list of agency codes, not {other:?}"
            ))),
            Some(ParticipantsInput::List(codes)) => {
                let mut seen = Vec::new();
                for code in codes {
                    if !known.contains(&code) {
                        return Err(EngineError::Invalid(format!(
                            "agency {code:?} is not registered"
                        )));
                    }
                    if seen.contains(&code) {
                        return Err(EngineError::Invalid(format!(
                            "agency {code:?} is listed twice"
                        )));
                    }
                    seen.push(code);
                }
                Ok(seen)
            }
        }
    }

    /// The task's read model, which names its case, agency and form.
    pub async fn task_view(&self, task_id: Uuid) -> Result<Value, EngineError> {
        let doc = self
            .documents
            .get("task", &task_id.to_string())
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no task {task_id}")))?;
        serde_json::from_str(&doc).map_err(|e| EngineError::Internal(e.into()))
    }

    /// The case a task belongs to.
    pub async fn case_of_task(&self, task_id: Uuid) -> Result<Uuid, EngineError> {
        let view = self.task_view(task_id).await?;
        view["case"]
            .as_str()
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| EngineError::Internal(anyhow::anyhow!("task {task_id} has no case")))
    }

    pub async fn submit(
        &self,
        actor: &Actor,
        task_id: Uuid,
        data: Value,
    ) -> Result<CaseState, EngineError> {
        let view = self.task_view(task_id).await?;
        let case_id = view["case"]
            .as_str()
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| EngineError::NotFound(format!("no task {task_id}")))?;
        let staff =
            actor.has(crate::domain::Role::Secretariat) || actor.has(crate::domain::Role::Admin);
        if !staff && view["agency"].as_str().is_some_and(|a| !actor.is_of(a)) {
            // Validate nothing for someone who may not even see the task.
            return Err(DomainError::NotFound(format!("no task {task_id}")).into());
        }
        if serde_json::to_vec(&data)
            .map(|b| b.len())
            .unwrap_or(usize::MAX)
            > MAX_SUBMISSION_BYTES
        {
            return Err(EngineError::Invalid(format!(
                "submission data is over {MAX_SUBMISSION_BYTES} bytes"
            )));
        }
        let form_key = view["form"].as_str().unwrap_or_default().to_string();
        self.catalog.refresh_if_stale(&self.store).await?;
        let form = self
            .catalog
            .forms
            .read()
            .expect("catalog lock")
            .get(&form_key, None);
        let form_version = match form {
            Some(form) if data.is_object() => {
                form.validate(&data)
                    .map_err(|violations| EngineError::Schema {
                        form: form_key.clone(),
                        violations,
                    })?;
                self.check_agency_refs(&form, &data).await?;
                form.version()
            }
            Some(form) => form.version(),
            None => 0,
        };
        self.execute(
            case_id,
            actor,
            Command::Submit {
                task_id,
                data,
                form_version,
            },
        )
        .await
    }

    pub async fn review(
        &self,
        actor: &Actor,
        task_id: Uuid,
        decision: ReviewDecision,
        comment: Option<String>,
    ) -> Result<CaseState, EngineError> {
        let case_id = self.case_of_task(task_id).await?;
        self.execute(
            case_id,
            actor,
            Command::Review {
                task_id,
                decision,
                comment,
            },
        )
        .await
    }

    pub async fn vote(
        &self,
        actor: &Actor,
        task_id: Uuid,
        choice: VoteChoice,
        comment: Option<String>,
    ) -> Result<CaseState, EngineError> {
        let case_id = self.case_of_task(task_id).await?;
        self.execute(
            case_id,
            actor,
            Command::Vote {
                task_id,
                choice,
                comment,
            },
        )
        .await
    }

    pub async fn reassign(
        &self,
        actor: &Actor,
        task_id: Uuid,
        member_id: &str,
    ) -> Result<CaseState, EngineError> {
        let case_id = self.case_of_task(task_id).await?;
        let member = self.member(member_id).await?.ok_or_else(|| {
            EngineError::Invalid(format!("member {member_id:?} is not registered"))
        })?;
        let member = MemberRef {
            id: member.id,
            agency: member.agency.unwrap_or_default(),
            roles: member.roles,
        };
        self.execute(case_id, actor, Command::Reassign { task_id, member })
            .await
    }

    pub async fn cancel(
        &self,
        actor: &Actor,
        case_id: Uuid,
        reason: String,
    ) -> Result<CaseState, EngineError> {
        self.execute(case_id, actor, Command::Cancel { reason })
            .await
    }

    pub async fn close_vote_at_deadline(&self, case_id: Uuid) -> Result<CaseState, EngineError> {
        self.execute(case_id, &Actor::system(), Command::CloseVoteAtDeadline)
            .await
    }

    /// Opens the cases an approved resolution ordered. Child ids are derived, so doing this
    /// twice (a retry, a restart) opens each child once.
    async fn open_ordered_children(&self, parent: &CaseState, events: &[CaseEvent]) {
        for event in events {
            if let CaseEvent::ChildCaseOrdered {
                child_case_id,
                workflow,
                participants,
                params,
                ..
            } = event
            {
                let participants = serde_json::from_value(participants.clone()).ok();
                let request = OpenCase {
                    workflow: workflow.clone(),
                    title: parent.title.clone(),
                    participants,
                    params: params.clone(),
                    parent_case: Some(parent.id),
                    case_id: Some(*child_case_id),
                };
                match Box::pin(self.open_case(&Actor::system(), request)).await {
                    Ok(_)
                    | Err(EngineError::Domain(DomainError::Conflict(_)))
                    | Err(EngineError::Conflict(_)) => {}
                    Err(error) => {
                        tracing::error!(%error, child = %child_case_id, "could not open an ordered case")
                    }
                }
            }
        }
    }

    /// At start: open any ordered child case that a crash left unopened.
    pub(crate) async fn resume_child_cases(&self) -> Result<(), EngineError> {
        let mut query = ReadAll::after(0, 1000);
        query.event_types = vec!["ChildCaseOrdered".into()];
        loop {
            let page = self.store.read_all(&query).await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            query.after = last.position;
            for stored in &page {
                let child = stored.data["child_case_id"]
                    .as_str()
                    .and_then(|c| c.parse::<Uuid>().ok());
                let parent = stored
                    .stream_id
                    .strip_prefix("case-")
                    .and_then(|c| c.parse::<Uuid>().ok());
                if let (Some(child), Some(parent)) = (child, parent)
                    && self.case(child).await?.is_none()
                    && let Some(parent) = self.case(parent).await?
                {
                    let (event, _) =
                        decode(stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
                    self.open_ordered_children(&parent, &[event]).await;
                }
            }
        }
    }
}

/// Read models and timers implied by `events`, plus the caller's `extra` writes.
fn side_writes(
    before: &CaseState,
    next: &CaseState,
    events: &[CaseEvent],
    definition: &WorkflowDefinition,
    extra: &[SideWrite],
) -> Vec<SideWrite> {
    let mut writes = projection::documents(next, before.version);
    writes.extend(crate::reports::documents(next, Some(events)));
    for timer in timers_for(next, events, definition) {
        writes.push(SideWrite::ScheduleTimer(TimerRow {
            id: timer.id.to_string(),
            case_id: timer.case_id.to_string(),
            task_id: timer.task_id.map(|t| t.to_string()),
            kind: serde_json::to_string(&timer.kind).expect("timer kinds serialize"),
            due_at_us: timer.due_at.timestamp_micros(),
        }));
    }
    for task in finished(events) {
        writes.push(SideWrite::CancelTimers {
            case_id: next.id.to_string(),
            task_id: task.map(|t| t.to_string()),
        });
    }
    writes.extend_from_slice(extra);
    writes
}
