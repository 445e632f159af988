//! The rules of submitting and reviewing: who may submit what, numbering of resubmissions,
//! accept or return (a return needs a comment) and where each decision leads.

use uuid::Uuid;

use super::command::{Context, DomainError, ReviewDecision};
use super::decide::{Decided, check_comment, require_open, step};
use super::events::{CaseEvent, TaskKind};
use super::flow::Decision;
use super::permissions::{require_step_role, visible_task};
use super::state::{CaseState, TaskStatus};
use crate::workflow::{StepKind, Target};

pub(super) fn submit(
    state: &CaseState,
    ctx: &Context,
    task_id: Uuid,
    data: super::SubmittedData,
    form_version: u32,
    attachments: Vec<super::Attachment>,
) -> Decided {
    let task = visible_task(state, ctx, task_id)?;
    require_step_role(ctx, task, "submit", |k| {
        matches!(k, StepKind::Submission(_))
    })?;
    if task
        .assignee
        .as_deref()
        .is_some_and(|m| m != ctx.actor.member_id)
    {
        return Err(DomainError::Forbidden(
            "this task is assigned to another member".into(),
        ));
    }
    require_open(state)?;
    let StepKind::Submission(spec) = &step(ctx, &task.step)?.kind else {
        let why = if task.status == TaskStatus::Submitted {
            "awaits review"
        } else {
            "takes no submission"
        };
        return Err(DomainError::Conflict(format!(
            "task is {}; it {why}",
            task.status.as_str()
        )));
    };
    if task.kind != TaskKind::Submission
        || !matches!(task.status, TaskStatus::Open | TaskStatus::Returned)
    {
        return Err(DomainError::Conflict(format!(
            "task is {}; it takes no submission",
            task.status.as_str()
        )));
    }
    if !ctx.actor.has_named(&spec.assignee.role)
        || task.agency.as_deref().is_some_and(|a| !ctx.actor.is_of(a))
    {
        return Err(DomainError::Forbidden(format!(
            "only a {} of {} may submit this task",
            spec.assignee.role,
            task.agency.as_deref().unwrap_or("the assigned agency")
        )));
    }
    if !data.is_object() {
        return Err(DomainError::Invalid(
            "submission data must be a JSON object".into(),
        ));
    }
    super::attachment::check_count("attachments", attachments.len())?;
    let number = task.submissions.len() as u32 + 1;
    let submission_id = super::ids::derive_id(task.id, &["submission", &number.to_string()]);
    let review_step = spec.next.step_id().filter(|id| {
        matches!(
            ctx.definition.step(id).map(|s| &s.kind),
            Some(StepKind::Review(_))
        )
    });
    let mut decision = Decision::new(state.clone(), ctx);
    decision.emit(CaseEvent::SubmissionReceived {
        task_id,
        submission_id,
        number,
        form: task.form.clone().unwrap_or_default(),
        form_version,
        data,
        submitted_by: ctx.actor.member_id.clone(),
        review_step: review_step.map(str::to_string),
        attachments,
    });
    if review_step.is_none() {
        decision.emit(CaseEvent::SubmissionAccepted {
            task_id,
            submission_id,
            comment: None,
            reviewed_by: "system".into(),
        });
        decision.enter(&spec.next, task.agency.as_deref())?;
    }
    decision.finish()
}

pub(super) fn review(
    state: &CaseState,
    ctx: &Context,
    task_id: Uuid,
    decision_kind: ReviewDecision,
    comment: Option<String>,
) -> Decided {
    let task = visible_task(state, ctx, task_id)?;
    require_step_role(ctx, task, "review", |k| matches!(k, StepKind::Review(_)))?;
    require_open(state)?;
    let StepKind::Review(spec) = &step(ctx, &task.step)?.kind else {
        return Err(DomainError::Conflict(format!(
            "task is {}; it is not awaiting review",
            task.status.as_str()
        )));
    };
    let own_agency_only = spec.assignee.is_per_participant()
        && task.agency.as_deref().is_some_and(|a| !ctx.actor.is_of(a));
    if !ctx.actor.has_named(&spec.assignee.role) || own_agency_only {
        return Err(DomainError::Forbidden(format!(
            "only the {} may review this task",
            spec.assignee.role
        )));
    }
    if task.status != TaskStatus::Submitted {
        return Err(DomainError::Conflict(format!(
            "task is {}; it is not awaiting review",
            task.status.as_str()
        )));
    }
    check_comment(&comment)?;
    let submission_id = task.submissions.last().map(|s| s.id).unwrap_or_default();
    let mut decision = Decision::new(state.clone(), ctx);
    match decision_kind {
        ReviewDecision::Return => {
            let comment = comment
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty());
            let Some(comment) = comment else {
                return Err(DomainError::Invalid(
                    "a return needs a comment saying what to fix".into(),
                ));
            };
            match spec.on_return.as_ref().map_or(&Target::End, |r| &r.step) {
                Target::Step(back) => {
                    decision.emit(CaseEvent::SubmissionReturned {
                        task_id,
                        submission_id,
                        comment,
                        reviewed_by: ctx.actor.member_id.clone(),
                        step: back.clone(),
                    });
                    let rule = spec.on_return.as_ref().and_then(|r| r.due);
                    if let Some(moved) = super::extension::moved_by_return(task, rule, ctx)? {
                        decision.emit(moved);
                    }
                }
                other => decision.enter(other, task.agency.as_deref())?,
            }
        }
        ReviewDecision::Accept => {
            let comment = comment.filter(|c| !c.trim().is_empty());
            decision.emit(CaseEvent::SubmissionAccepted {
                task_id,
                submission_id,
                comment,
                reviewed_by: ctx.actor.member_id.clone(),
            });
            decision.enter(&spec.on_accept, task.agency.as_deref())?;
        }
    }
    decision.finish()
}
