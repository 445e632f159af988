//! Case commands: open, submit, review, vote, reassign, cancel, close a vote at its
//! deadline — all through one `execute` loop.

use std::sync::Arc;

use uuid::Uuid;

use crate::calendar::BusinessCalendar;
use crate::domain::{Actor, CaseEvent, CaseState, Command, Context, DomainError, decide};
use crate::domain::{finished, moved, timers_for};
use crate::event_store::{AppendRequest, ExpectedVersion, StoreError};
use crate::side_writes::SideWrite;
use crate::timers::TimerRow;
use crate::workflow::WorkflowDefinition;

use super::codec::{apply_raw, case_stream, encode};
use super::projection::{self, Prior};
use super::{Engine, EngineError};

/// How many times a command is re-decided after losing a race to another node.
const MAX_ATTEMPTS: usize = 50;

impl Engine {
    /// The case as of its newest event, or `None`.
    pub async fn case(&self, case_id: Uuid) -> Result<Option<CaseState>, EngineError> {
        let state = self.replay_case(case_id, None).await?;
        Ok(state.exists().then_some(state))
    }

    /// `read` of the case as it stands now: this node's cached state brought up to date with
    /// one read of the newer events, under the case's lock; or, for a case no command touched
    /// lately, a replay of its stream that is not kept (reads alone do not fill the cache),
    /// without the lock, so a long stream's read never delays a write. `None` when there is
    /// no such case. `read` runs under the lock when the case is cached: keep it short, or use
    /// [`Engine::derive`].
    pub async fn with_case<T>(
        &self,
        case_id: Uuid,
        read: impl FnOnce(&CaseState) -> T,
    ) -> Result<Option<T>, EngineError> {
        let slot = self.slot(case_id);
        let mut cached = slot.lock().await;
        if cached.is_none() {
            drop(cached);
            let state = self.catch_up(case_id, None).await?;
            return Ok(state.exists().then(|| read(&state)));
        }
        let state = self.catch_up(case_id, cached.take()).await?;
        let answer = state.exists().then(|| read(&state));
        *cached = Some(state);
        Ok(answer)
    }

    /// Folds the case's stream, up to `up_to_position` when given.
    pub async fn replay_case(
        &self,
        case_id: Uuid,
        up_to_position: Option<i64>,
    ) -> Result<CaseState, EngineError> {
        let events = self.store.read_stream_raw(&case_stream(case_id), 1).await?;
        let mut state = CaseState::default();
        for stored in events
            .iter()
            .take_while(|e| up_to_position.is_none_or(|p| e.position <= p))
        {
            state =
                apply_raw(state, stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
        }
        Ok(state)
    }

    /// Brings a cached state up to date with events other nodes may have appended (copied
    /// first only when there are some and the state is still shared).
    pub(super) async fn catch_up(
        &self,
        case_id: Uuid,
        cached: Option<Arc<CaseState>>,
    ) -> Result<Arc<CaseState>, EngineError> {
        let cached = cached.unwrap_or_default();
        let newer = self
            .store
            .read_stream_raw(&case_stream(case_id), cached.version + 1)
            .await?;
        if newer.is_empty() {
            return Ok(cached);
        }
        let mut state = Arc::unwrap_or_clone(cached);
        for stored in &newer {
            state =
                apply_raw(state, stored).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
        }
        Ok(Arc::new(state))
    }

    /// Decides and appends one command; returns the case after it.
    pub(crate) async fn execute(
        &self,
        case_id: Uuid,
        actor: &Actor,
        command: Command,
    ) -> Result<Arc<CaseState>, EngineError> {
        self.execute_with(case_id, actor, command, &[]).await
    }

    /// Like `execute`, with `extra` side writes committed alongside the events (if any).
    pub(crate) async fn execute_with(
        &self,
        case_id: Uuid,
        actor: &Actor,
        command: Command,
        extra: &[SideWrite],
    ) -> Result<Arc<CaseState>, EngineError> {
        let slot = self.slot(case_id);
        let mut cached = slot.lock().await;
        // The cached state is trusted without reading the stream first: an append from it
        // names the version it was decided on, so if another node or process appended since,
        // the store refuses it and the next attempt catches up. A refusal or a command that
        // appends nothing has no such check, so either is decided again on a caught-up state.
        let mut caught_up = false;
        for _ in 0..MAX_ATTEMPTS {
            let state = match cached.take() {
                Some(state) if !caught_up => state,
                stale => {
                    caught_up = true;
                    self.catch_up(case_id, stale).await?
                }
            };
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
            let calendar = self.calendar().await?;
            let now = self.clock.now();
            let ctx = Context {
                now,
                actor,
                definition: &definition,
                calendar: &calendar,
                members: &members,
            };
            let decided = decide(&state, command.clone(), &ctx);
            if !caught_up && decided.as_ref().map_or(true, Vec::is_empty) {
                *cached = Some(state);
                caught_up = true;
                continue;
            }
            let events = match decided {
                Ok(events) => events,
                Err(refused) => {
                    // A refusal changes nothing: the state stays good for the next command.
                    *cached = Some(state);
                    return Err(refused.into());
                }
            };
            match self
                .commit(state, &events, actor, now, &definition, &calendar, extra)
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

    /// Appends the events and read models; `None` when another writer got there first. The
    /// state is folded forward in place (copied only if someone still holds it).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn commit(
        &self,
        state: Arc<CaseState>,
        events: &[CaseEvent],
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
        definition: &WorkflowDefinition,
        calendar: &BusinessCalendar,
        extra: &[SideWrite],
    ) -> Result<Option<Arc<CaseState>>, EngineError> {
        if events.is_empty() {
            return Ok(Some(state));
        }
        let before = Prior::of(&state);
        let expected = if state.exists() {
            ExpectedVersion::Exact(state.version)
        } else {
            ExpectedVersion::NoStream
        };
        let next = events
            .iter()
            .fold(Arc::unwrap_or_clone(state), |s, e| s.apply(e, now));
        let stored: Vec<_> = events.iter().map(|e| encode(e, now)).collect();
        let mut writes = side_writes(&before, &next, events, definition, calendar, extra);
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
                Ok(Some(Arc::new(next)))
            }
            Err(StoreError::VersionConflict { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// Read models and timers implied by `events`, plus the caller's `extra` writes.
fn side_writes(
    before: &Prior,
    next: &CaseState,
    events: &[CaseEvent],
    definition: &WorkflowDefinition,
    calendar: &BusinessCalendar,
    extra: &[SideWrite],
) -> Vec<SideWrite> {
    let mut writes = projection::documents(next, before.version);
    writes.extend(projection::case_agencies(before, next));
    for task in moved(events) {
        writes.push(SideWrite::CancelTimers {
            case_id: next.id.to_string(),
            task_id: Some(task.to_string()),
        });
    }
    for timer in timers_for(next, events, definition, calendar) {
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
