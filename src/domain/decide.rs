//! The rules: `decide(&state, command, ctx)` returns the events a command causes, or why it
//! is refused. Pure and synchronous — no clock, no database, no randomness (ids are derived).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::actor::Role;
use super::command::{Command, Context, DomainError, MAX_COMMENT_CHARS};
use super::events::{CaseEvent, TaskKind};
use super::flow::Decision;
use super::permissions::{may_open_cases, visible_task};
use super::state::{CaseState, CaseStatus};
use crate::workflow::{Step, Target};

pub(super) type Decided = Result<Vec<CaseEvent>, DomainError>;

pub fn decide(state: &CaseState, command: Command, ctx: &Context) -> Decided {
    if let Command::OpenCase {
        case_id,
        workflow_version,
        title,
        participants,
        params,
        parent_case,
    } = command
    {
        return open_case(
            state,
            ctx,
            case_id,
            workflow_version,
            title,
            participants,
            params,
            parent_case,
        );
    }
    if !state.exists() {
        return Err(DomainError::NotFound("no such case".into()));
    }
    match command {
        Command::OpenCase { .. } => unreachable!("handled above"),
        Command::Submit {
            task_id,
            data,
            form_version,
            attachments,
        } => super::submission::submit(state, ctx, task_id, data, form_version, attachments),
        Command::Review {
            task_id,
            decision,
            comment,
        } => super::submission::review(state, ctx, task_id, decision, comment),
        Command::Vote {
            task_id,
            choice,
            comment,
        } => super::ballot::vote(state, ctx, task_id, choice, comment),
        Command::Reassign { task_id, member } => reassign(state, ctx, task_id, &member),
        Command::Cancel { reason } => cancel(state, ctx, reason),
        Command::CloseVoteAtDeadline => close_vote_at_deadline(state, ctx),
        Command::FireTimer {
            kind: super::timers::TimerKind::VoteDeadline,
            ..
        } => {
            let open = state.status == CaseStatus::Open
                && state.vote.as_ref().is_some_and(|v| v.outcome.is_none());
            if open {
                close_vote_at_deadline(state, ctx)
            } else {
                Ok(Vec::new())
            }
        }
        Command::FireTimer { task_id, kind } => super::timers::fire(state, ctx, task_id, &kind),
        Command::Extend {
            task_id,
            due,
            reason,
        } => super::extension::extend(state, ctx, task_id, due, reason),
        Command::RemindNow { message } => super::practice::remind_now(state, ctx, message),
        Command::Withdraw { task_id } => super::practice::withdraw(state, ctx, task_id),
        Command::ApplyClosure { date, reason } => {
            super::closure::apply_closure(state, ctx, date, reason)
        }
        Command::OrderConfirmationRound(order) => {
            super::confirmation::order_round(state, ctx, order)
        }
    }
}

fn now(ctx: &Context) -> DateTime<Utc> {
    ctx.now
}

#[allow(clippy::too_many_arguments)]
fn open_case(
    state: &CaseState,
    ctx: &Context,
    case_id: Uuid,
    workflow_version: u32,
    title: String,
    participants: Vec<String>,
    params: serde_json::Value,
    parent_case: Option<Uuid>,
) -> Decided {
    may_open_cases(ctx.actor)?;
    if state.exists() {
        return Err(DomainError::Conflict(format!(
            "case {case_id} already exists"
        )));
    }
    let title = title.trim().to_string();
    if title.is_empty() || title.chars().count() > 500 {
        return Err(DomainError::Invalid(
            "title must be 1 to 500 characters".into(),
        ));
    }
    let per_agency = ctx.definition.participants() == crate::workflow::Participants::Agencies;
    if per_agency && participants.is_empty() {
        return Err(DomainError::Invalid(
            "this workflow needs at least one participant agency".into(),
        ));
    }
    if !per_agency && !participants.is_empty() {
        return Err(DomainError::Invalid(format!(
            "workflow {} takes no participants",
            ctx.definition.key()
        )));
    }
    // One track per agency: a repeated code would assign the agency a second task (round 1)
    // that must also be accepted before the case completes.
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = participants.iter().find(|a| !seen.insert(a.as_str())) {
        return Err(DomainError::Invalid(format!(
            "agency {twice} is listed twice; each agency takes part once"
        )));
    }
    check_resolution_params(ctx, &params)?;
    let mut decision = Decision::new(state.clone(), ctx);
    decision.emit(CaseEvent::CaseOpened {
        case_id,
        workflow: ctx.definition.key().to_string(),
        workflow_version,
        workflow_hash: ctx.definition.content_hash().to_string(),
        title,
        participants: participants.clone(),
        params,
        parent_case,
        opened_at: now(ctx),
    });
    let first = Target::Step(ctx.definition.first_step().id.clone());
    if per_agency {
        for agency in &participants {
            decision.enter(&first, Some(agency))?;
        }
    } else {
        decision.enter(&first, None)?;
    }
    decision.finish()
}

/// A meeting record only on a workflow with a vote to pass over; a `due` only where the
/// first step lets a resolution set it, and within its limit.
fn check_resolution_params(ctx: &Context, params: &serde_json::Value) -> Result<(), DomainError> {
    if params
        .get("adopted_in_meeting")
        .is_some_and(|m| !m.is_null())
    {
        let votes = ctx
            .definition
            .steps()
            .iter()
            .any(|s| s.type_name() == "vote");
        if !votes {
            return Err(DomainError::Invalid(format!(
                "params.adopted_in_meeting: workflow {} has no vote to record a meeting for",
                ctx.definition.key()
            )));
        }
        super::meeting::MeetingRecord::from_params(params, ctx.now)?;
    }
    if let Some(rule) = super::ordered_due::ordered_due(params)? {
        super::ordered_due::allowed_deadline(ctx.definition, &rule, ctx.now, ctx.calendar)?;
    }
    Ok(())
}

pub(super) fn require_open(state: &CaseState) -> Result<(), DomainError> {
    match state.status {
        CaseStatus::Open => Ok(()),
        CaseStatus::Completed => Err(DomainError::Conflict(
            "the case is completed; it accepts nothing more".into(),
        )),
        CaseStatus::Cancelled => Err(DomainError::Conflict(
            "the case is cancelled; it accepts nothing more".into(),
        )),
    }
}

pub(super) fn step<'d>(ctx: &'d Context, id: &str) -> Result<&'d Step, DomainError> {
    ctx.definition.step(id).ok_or_else(|| {
        DomainError::Conflict(format!(
            "step {id:?} is not in workflow version {}",
            ctx.definition.content_hash()
        ))
    })
}

pub(super) fn check_comment(comment: &Option<String>) -> Result<(), DomainError> {
    match comment {
        Some(text) if text.chars().count() > MAX_COMMENT_CHARS => Err(DomainError::Invalid(
            format!("a comment may have at most {MAX_COMMENT_CHARS} characters"),
        )),
        _ => Ok(()),
    }
}

fn close_vote_at_deadline(state: &CaseState, ctx: &Context) -> Decided {
    require_open(state)?;
    let Some(vote) = state.vote.as_ref().filter(|v| v.outcome.is_none()) else {
        return Err(DomainError::Conflict("there is no open vote".into()));
    };
    let due = state
        .tasks
        .iter()
        .filter(|t| t.step == vote.step)
        .filter_map(|t| t.due.as_ref())
        .map(|d| d.due_at)
        .min();
    if due.is_some_and(|due| ctx.now < due) {
        return Err(DomainError::Conflict("the vote is not due yet".into()));
    }
    let mut decision = Decision::new(state.clone(), ctx);
    decision.settle_vote(true)?;
    decision.finish()
}

fn reassign(
    state: &CaseState,
    ctx: &Context,
    task_id: Uuid,
    member: &super::actor::MemberRef,
) -> Decided {
    let task = visible_task(state, ctx, task_id)?;
    let within_agency =
        ctx.actor.has(Role::Member) && task.agency.as_deref().is_some_and(|a| ctx.actor.is_of(a));
    if !(ctx.actor.has(Role::Secretariat) || within_agency) {
        return Err(DomainError::Forbidden(
            "only the secretariat, or a member of the task's agency, reassigns it".into(),
        ));
    }
    require_open(state)?;
    if task.kind == TaskKind::Vote || !task.status.is_pending() {
        return Err(DomainError::Conflict(format!(
            "a {} task cannot be reassigned",
            task.status.as_str()
        )));
    }
    // One answer whatever the reason (unknown, without the role, of another agency): the
    // difference would tell a caller which members exist in which agency.
    let holds_role = member.roles.iter().any(|r| r.as_str() == task.role);
    let of_agency = task.agency.as_deref().is_none_or(|a| a == member.agency);
    if !(holds_role && of_agency) {
        return Err(DomainError::Invalid(format!(
            "member {:?} cannot take this task: it goes to a registered {} of the task's agency",
            member.id, task.role
        )));
    }
    Ok(vec![CaseEvent::TaskReassigned {
        task_id,
        member_id: member.id.clone(),
        by: ctx.actor.member_id.clone(),
    }])
}

fn cancel(state: &CaseState, ctx: &Context, reason: String) -> Decided {
    if !(ctx.actor.has(Role::Secretariat) || ctx.actor.has(Role::Admin)) {
        return Err(DomainError::Forbidden(
            "only the secretariat or an admin cancels cases".into(),
        ));
    }
    require_open(state)?;
    let reason = reason.trim().to_string();
    if reason.chars().count() > MAX_COMMENT_CHARS {
        return Err(DomainError::Invalid(format!(
            "a reason may have at most {MAX_COMMENT_CHARS} characters"
        )));
    }
    Ok(vec![CaseEvent::CaseCancelled {
        reason,
        by: ctx.actor.member_id.clone(),
    }])
}
