//! Who may act: the checks that come before the case's state in every decision, so a caller
//! who may never do something learns nothing about where a case or task stands. Pure, like
//! the rest of the domain.

use uuid::Uuid;

use super::actor::{Actor, Role};
use super::command::{Context, DomainError};
use super::state::{CaseState, Task};
use crate::workflow::StepKind;

/// Who opens cases: asked first, before the workflow or the participants are looked up.
pub fn may_open_cases(actor: &Actor) -> Result<(), DomainError> {
    if actor.has(Role::Secretariat) || actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "only the secretariat or an admin opens cases".into(),
        ))
    }
}

/// Whether the actor holds the role that some step of this kind asks for (of the task's
/// agency, for a step assigned per participant). Checked before the case's state, so a
/// caller who may never do this to the task learns nothing about where it stands.
pub(super) fn require_step_role(
    ctx: &Context,
    task: &Task,
    action: &str,
    is_kind: impl Fn(&StepKind) -> bool,
) -> Result<(), DomainError> {
    let assignees = ctx
        .definition
        .steps()
        .iter()
        .filter(|s| is_kind(&s.kind))
        .filter_map(|s| s.assignee());
    let mut roles = Vec::new();
    for assignee in assignees {
        let of_agency = !assignee.is_per_participant()
            || task.agency.as_deref().is_some_and(|a| ctx.actor.is_of(a));
        if ctx.actor.has_named(&assignee.role) && of_agency {
            return Ok(());
        }
        if !roles.contains(&assignee.role.as_str()) {
            roles.push(assignee.role.as_str());
        }
    }
    Err(DomainError::Forbidden(format!(
        "only the {} may {action} this task",
        roles.join(" or ")
    )))
}

/// The task, if the actor may see it: staff see every task, a member only its agency's.
pub(super) fn visible_task<'s>(
    state: &'s CaseState,
    ctx: &Context,
    task_id: Uuid,
) -> Result<&'s Task, DomainError> {
    let task = state
        .task(task_id)
        .ok_or_else(|| DomainError::NotFound(format!("no task {task_id}")))?;
    let staff = [Role::Secretariat, Role::Admin, Role::Auditor]
        .iter()
        .any(|r| ctx.actor.has(*r));
    let own = task.agency.as_deref().is_some_and(|a| ctx.actor.is_of(a))
        || task.assignee.as_deref() == Some(&ctx.actor.member_id);
    if staff || own {
        Ok(task)
    } else {
        Err(DomainError::NotFound(format!("no task {task_id}")))
    }
}
