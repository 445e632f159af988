//! The secretariat's and agencies' commands besides the happy path: extend a deadline (one
//! task or a whole case), remind now, withdraw a submission — each through `execute`.

use std::sync::Arc;

use uuid::Uuid;

use crate::domain::{Actor, CaseState, Command, NewDue, TaskStatus};

use super::{Engine, EngineError};

impl Engine {
    /// Moves one task's deadline later.
    pub async fn extend_task(
        &self,
        actor: &Actor,
        task_id: Uuid,
        due: NewDue,
        reason: String,
    ) -> Result<Arc<CaseState>, EngineError> {
        let case_id = self.case_of_task(task_id).await?;
        let command = Command::Extend {
            task_id: Some(task_id),
            due,
            reason,
        };
        self.execute(case_id, actor, command).await
    }

    /// Moves the deadline of every pending submission task of the case that is due earlier.
    pub async fn extend_case(
        &self,
        actor: &Actor,
        case_id: Uuid,
        due: NewDue,
        reason: String,
    ) -> Result<Arc<CaseState>, EngineError> {
        let command = Command::Extend {
            task_id: None,
            due,
            reason,
        };
        self.execute(case_id, actor, command).await
    }

    /// Reminds every agency whose task waits on it; returns their codes (none: nothing was
    /// recorded).
    pub async fn remind_now(
        &self,
        actor: &Actor,
        case_id: Uuid,
        message: Option<String>,
    ) -> Result<Vec<String>, EngineError> {
        let case = self
            .execute(case_id, actor, Command::RemindNow { message })
            .await?;
        // A reminder changes no task, so the tasks waiting now are the ones reminded.
        let mut agencies: Vec<String> = case
            .tasks
            .iter()
            .filter(|t| matches!(t.status, TaskStatus::Open | TaskStatus::Returned))
            .filter_map(|t| t.agency.clone())
            .collect();
        agencies.sort();
        agencies.dedup();
        Ok(agencies)
    }

    /// Takes back the task's submission that awaits review.
    pub async fn withdraw(
        &self,
        actor: &Actor,
        task_id: Uuid,
    ) -> Result<Arc<CaseState>, EngineError> {
        let case_id = self.case_of_task(task_id).await?;
        self.execute(case_id, actor, Command::Withdraw { task_id })
            .await
    }
}
