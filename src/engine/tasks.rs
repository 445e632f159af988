//! Task commands: submit (validated against the form first), review, vote, reassign,
//! cancel, close a vote at its deadline — each through `execute`.

use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;

use crate::domain::{
    Actor, AttachmentRef, CaseState, Command, DomainError, MemberRef, ReviewDecision, VoteChoice,
};

use super::{Engine, EngineError};

/// The largest submission accepted (serialized JSON bytes).
pub const MAX_SUBMISSION_BYTES: usize = 1024 * 1024;

impl Engine {
    /// The task's read model, which names its case, agency and form.
    pub async fn task_view(&self, task_id: Uuid) -> Result<Value, EngineError> {
        let doc = self
            .documents
            .get("task", &task_id.to_string())
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("no task {task_id}")))?;
        serde_json::from_str(&doc).map_err(|e| EngineError::Internal(e.into()))
    }

    /// What never changes about a task (its case, agency and form), read once and then
    /// kept in memory.
    pub async fn task_facts(&self, task_id: Uuid) -> Result<TaskFacts, EngineError> {
        if let Some(facts) = self
            .task_facts
            .lock()
            .expect("task facts lock")
            .get(&task_id)
        {
            return Ok(facts.clone());
        }
        let view = self.task_view(task_id).await?;
        let facts = TaskFacts {
            case_id: view["case"]
                .as_str()
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| {
                    EngineError::Internal(anyhow::anyhow!("task {task_id} has no case"))
                })?,
            agency: view["agency"].as_str().map(str::to_string),
            form: view["form"].as_str().map(str::to_string),
        };
        let mut cache = self.task_facts.lock().expect("task facts lock");
        if cache.len() >= super::CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(task_id, facts.clone());
        Ok(facts)
    }

    /// Who the task is assigned to in the copy of its case this node holds (`None`: it holds
    /// none, or a command on the case is running). The copy may be older than the log, so this
    /// is a hint: act on it only where acting on an older answer is harmless.
    pub async fn remembered_assignee(&self, task_id: Uuid) -> Option<Option<String>> {
        let case_id = self.task_facts(task_id).await.ok()?.case_id;
        let slot = self.slot(case_id);
        let cached = slot.try_lock().ok()?;
        Some(cached.as_ref()?.task(task_id)?.assignee.clone())
    }

    /// The case a task belongs to.
    pub async fn case_of_task(&self, task_id: Uuid) -> Result<Uuid, EngineError> {
        Ok(self.task_facts(task_id).await?.case_id)
    }

    pub async fn submit(
        &self,
        actor: &Actor,
        task_id: Uuid,
        data: Value,
    ) -> Result<Arc<CaseState>, EngineError> {
        self.submit_with(actor, task_id, data, Vec::new()).await
    }

    /// Submits with files: each must have been uploaded (see [`Engine::attachments_of`]).
    pub async fn submit_with(
        &self,
        actor: &Actor,
        task_id: Uuid,
        data: Value,
        attachments: Vec<AttachmentRef>,
    ) -> Result<Arc<CaseState>, EngineError> {
        let facts = self.task_facts(task_id).await?;
        let case_id = facts.case_id;
        let staff =
            actor.has(crate::domain::Role::Secretariat) || actor.has(crate::domain::Role::Admin);
        if !staff && facts.agency.as_deref().is_some_and(|a| !actor.is_of(a)) {
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
        let form_key = facts.form.unwrap_or_default();
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
                if form_key == crate::reports::INVENTORY_FORM {
                    self.check_catalogue_ids(&data).await?;
                }
                if form_key == crate::reports::confirmations::CONFIRMATION_FORM {
                    self.check_confirmation(case_id, facts.agency.as_deref(), &data)
                        .await?;
                }
                form.version()
            }
            Some(form) => form.version(),
            None => 0,
        };
        let attachments = self
            .attachments_of(actor, "attachments", attachments)
            .await?;
        self.execute(
            case_id,
            actor,
            Command::Submit {
                task_id,
                data: data.into(),
                form_version,
                attachments,
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
    ) -> Result<Arc<CaseState>, EngineError> {
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
    ) -> Result<Arc<CaseState>, EngineError> {
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
    ) -> Result<Arc<CaseState>, EngineError> {
        let case_id = self.case_of_task(task_id).await?;
        // An unknown or disabled member holds no role and no agency: the domain refuses it
        // with the same answer, at the same point, as a member who may not take the task.
        let member = match self.member(member_id).await?.filter(|m| !m.disabled) {
            Some(member) => MemberRef {
                id: member.id,
                agency: member.agency.unwrap_or_default(),
                roles: member.roles,
            },
            None => MemberRef {
                id: member_id.to_string(),
                agency: String::new(),
                roles: Vec::new(),
            },
        };
        self.execute(case_id, actor, Command::Reassign { task_id, member })
            .await
    }

    pub async fn cancel(
        &self,
        actor: &Actor,
        case_id: Uuid,
        reason: String,
    ) -> Result<Arc<CaseState>, EngineError> {
        self.execute(case_id, actor, Command::Cancel { reason })
            .await
    }

    pub async fn close_vote_at_deadline(
        &self,
        case_id: Uuid,
    ) -> Result<Arc<CaseState>, EngineError> {
        self.execute(case_id, &Actor::system(), Command::CloseVoteAtDeadline)
            .await
    }
}

/// The parts of a task that are fixed when it is assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFacts {
    pub case_id: Uuid,
    pub agency: Option<String>,
    pub form: Option<String>,
}
