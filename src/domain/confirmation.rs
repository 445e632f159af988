//! The rule for opening a provider confirmation round from a data-exchange inventory case,
//! and the fact that records it: a `ChildCaseOrdered` in the inventory case's own stream, so
//! the inventory case lists its rounds (`children`) and the engine opens the round's case
//! from the order exactly as it opens a resolution's ordered cases (once, even after a crash).
//!
//! What the round asks each provider (its `params`) is worked out by the caller from the
//! inventory case's matrix; this module checks only what the case's state can tell.

use serde_json::{Value, json};

use super::command::{Context, DomainError};
use super::decide::Decided;
use super::events::CaseEvent;
use super::ids::derive_id;
use super::permissions::may_open_cases;
use super::state::{CaseState, CaseStatus, TaskStatus};

/// The shipped workflow a round runs.
pub const CONFIRMATION_WORKFLOW: &str = "needs-confirmation";
/// The `step` its order is recorded under (not a step of the inventory workflow).
pub const ROUND_STEP: &str = "confirmation-round";
/// The form whose accepted submissions make a case an inventory case with something to
/// confirm (the same key as `reports::INVENTORY_FORM`; the domain does not depend on reports).
const INVENTORY_FORM: &str = "data-exchange-inventory";

/// What the secretariat's request becomes once the engine has read the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundOrder {
    pub title: String,
    /// The cluster agencies that get a task: every provider named by a need.
    pub providers: Vec<String>,
    /// The round case's params (the needs addressed to each provider).
    pub params: Value,
    /// How many rounds the engine saw, all of them closed: a round opened meanwhile (a
    /// second click, another node) makes this stale and the order is refused.
    pub rounds_seen: usize,
}

/// The confirmation rounds ordered from this case, oldest first.
pub fn rounds_of(state: &CaseState) -> &[uuid::Uuid] {
    // Only confirmation rounds are ordered from an inventory case; a resolution's children
    // are its ordered cases, and a resolution is never an inventory case.
    &state.children
}

pub(super) fn order_round(state: &CaseState, ctx: &Context, order: RoundOrder) -> Decided {
    may_open_cases(ctx.actor)?;
    let inventories: Vec<_> = state
        .tasks
        .iter()
        .filter(|t| t.form.as_deref() == Some(INVENTORY_FORM))
        .collect();
    if inventories.is_empty() {
        return Err(DomainError::Invalid(format!(
            "case {} runs the workflow {:?}, which collects no data-exchange inventories; a \
             confirmation round is opened from an inventory case",
            state.id, state.workflow
        )));
    }
    if !inventories.iter().any(|t| t.status == TaskStatus::Accepted) {
        return Err(DomainError::Invalid(
            "no inventory of this case is accepted yet; a confirmation round asks providers \
             about accepted needs"
                .into(),
        ));
    }
    if state.status == CaseStatus::Cancelled {
        return Err(DomainError::Invalid("the case is cancelled".into()));
    }
    if order.providers.is_empty() {
        return Err(DomainError::Invalid(
            "no accepted need names a provider of the cluster: there is nobody to ask".into(),
        ));
    }
    let rounds = rounds_of(state).len();
    if rounds != order.rounds_seen {
        return Err(DomainError::Conflict(
            "another confirmation round was opened meanwhile".into(),
        ));
    }
    let number = (rounds + 1).to_string();
    Ok(vec![CaseEvent::ChildCaseOrdered {
        step: ROUND_STEP.into(),
        child_case_id: derive_id(state.id, &[ROUND_STEP, &number]),
        workflow: CONFIRMATION_WORKFLOW.into(),
        participants: json!(order.providers),
        params: order.params,
        title: Some(order.title),
    }])
}
