//! Moving a case through its workflow: entering steps (assigning tasks, opening votes,
//! ordering child cases) and noticing when the case is finished. A [`Decision`] applies each
//! event it emits to a working copy of the state, so later rules in the same decision see
//! the earlier effects (e.g. the last acceptance completes the case).

use serde_json::Value;

use super::command::{Context, DomainError};
use super::deadline::resolve_deadline_as;
use super::events::{CaseEvent, TaskKind};
use super::ids::derive_id;
use super::ordered_due::{self, ordered_due};
use super::state::{CaseState, CaseStatus};
use super::vote::Tally;
use crate::workflow::{DueRule, StepKind, Target};

mod vote_step;

pub(crate) struct Decision<'c> {
    state: CaseState,
    events: Vec<CaseEvent>,
    ctx: &'c Context<'c>,
}

impl<'c> Decision<'c> {
    pub(crate) fn new(state: CaseState, ctx: &'c Context<'c>) -> Self {
        Self {
            state,
            events: Vec::new(),
            ctx,
        }
    }

    pub(crate) fn emit(&mut self, event: CaseEvent) {
        self.state = std::mem::take(&mut self.state).apply(&event, self.ctx.now);
        self.events.push(event);
    }

    fn deadline(
        &self,
        step: &str,
        rule: &DueRule,
    ) -> Result<super::deadline::Deadline, DomainError> {
        let roll = self
            .ctx
            .definition
            .step(step)
            .map(|s| s.roll())
            .unwrap_or_default();
        resolve_deadline_as(rule, roll, self.ctx.now, self.ctx.calendar).map_err(|e| {
            DomainError::Invalid(format!("step {step:?}: cannot resolve its deadline: {e}"))
        })
    }

    /// Moves the track of `agency` (or the whole case, for `None`) to `target`.
    pub(crate) fn enter(
        &mut self,
        target: &Target,
        agency: Option<&str>,
    ) -> Result<(), DomainError> {
        let id = match target {
            Target::Done => return Ok(()),
            Target::End => {
                let outcome = self
                    .state
                    .resolution_outcome()
                    .map(|o| o.as_str())
                    .unwrap_or("ended");
                self.emit(CaseEvent::CaseCompleted {
                    outcome: Some(outcome.to_string()),
                });
                return Ok(());
            }
            Target::Step(id) => id.clone(),
        };
        let step = self
            .ctx
            .definition
            .step(&id)
            .ok_or_else(|| DomainError::Invalid(format!("unknown step {id:?}")))?;
        match &step.kind {
            StepKind::Submission(spec) => {
                let agency = agency.filter(|_| spec.assignee.is_per_participant());
                let round = self
                    .state
                    .tasks
                    .iter()
                    .filter(|t| t.origin_step == id && t.agency.as_deref() == agency)
                    .count();
                let task_id = derive_id(
                    self.state.id,
                    &["task", &id, agency.unwrap_or("-"), &round.to_string()],
                );
                let rule = match ordered_due(&self.state.params)? {
                    // Only the track's first round: a resolution sets when the work is due,
                    // not how long a later round takes.
                    Some(rule) if spec.due_override.is_some() && round == 0 => rule,
                    _ => spec.due.clone(),
                };
                let due = Some(self.deadline(&id, &rule)?);
                self.emit(CaseEvent::TaskAssigned {
                    task_id,
                    step: id,
                    kind: TaskKind::Submission,
                    agency: agency.map(str::to_string),
                    assignee: None,
                    role: spec.assignee.role.clone(),
                    form: spec.form.clone(),
                    due,
                });
                Ok(())
            }
            StepKind::Review(_) => Err(DomainError::Invalid(format!(
                "step {id:?} is a review; only a submission leads to it"
            ))),
            StepKind::Vote(spec) => self.enter_vote(&id, spec),
            StepKind::StartCases(spec) => {
                let next = spec.next.clone();
                self.order_child_cases(&id)?;
                self.enter(&next, agency)
            }
        }
    }

    /// `params.on_approval` names the case (or list of cases) to open.
    fn order_child_cases(&mut self, step: &str) -> Result<(), DomainError> {
        let orders = match self.state.params.get("on_approval") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(one) => vec![one.clone()],
        };
        for (i, order) in orders.iter().enumerate() {
            let workflow = order
                .get("workflow")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    DomainError::Invalid(format!("params.on_approval[{i}] must name a workflow"))
                })?;
            self.emit(CaseEvent::ChildCaseOrdered {
                step: step.to_string(),
                child_case_id: derive_id(self.state.id, &["child", step, &i.to_string()]),
                workflow: workflow.to_string(),
                participants: order
                    .get("participants")
                    .cloned()
                    .unwrap_or(Value::String("all".into())),
                params: self.order_params(order)?,
                title: None,
            });
        }
        Ok(())
    }

    /// An order's params, with a relative `due` fixed to the day it names (counted from the
    /// meeting day, or from now: the approval moment).
    fn order_params(&self, order: &Value) -> Result<Value, DomainError> {
        let mut params = order
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        if let Some(rule) = ordered_due(&params)? {
            let from = ordered_due::anchor(self.state.meeting.as_ref(), self.ctx.now);
            let rule = ordered_due::fixed(&rule, from, self.ctx.calendar)?;
            params["due"] = serde_json::to_value(rule).expect("due rules serialize");
        }
        Ok(params)
    }

    /// Closes the open vote if its outcome is settled (or, at the deadline, whatever it is)
    /// and follows the matching transition.
    pub(crate) fn settle_vote(&mut self, at_deadline: bool) -> Result<(), DomainError> {
        let Some(vote) = self.state.vote.clone().filter(|v| v.outcome.is_none()) else {
            return Ok(());
        };
        let (approve, reject, abstain) = self.state.tally();
        let tally = Tally {
            voters: vote.voters,
            approve,
            reject,
            abstain,
        };
        let outcome = if at_deadline {
            Some(tally.at_deadline(vote.quorum, vote.pass))
        } else {
            tally.settled(vote.quorum, vote.pass)
        };
        let Some(outcome) = outcome else {
            return Ok(());
        };
        self.emit(CaseEvent::VoteClosed {
            step: vote.step.clone(),
            outcome,
            approve,
            reject,
            abstain,
            voters: vote.voters,
        });
        let Some(StepKind::Vote(spec)) = self.ctx.definition.step(&vote.step).map(|s| &s.kind)
        else {
            return Err(DomainError::Invalid(format!(
                "step {:?} is not a vote",
                vote.step
            )));
        };
        let target = match outcome {
            super::events::VoteOutcome::Approved => spec.on_approved.clone(),
            super::events::VoteOutcome::Rejected => spec.on_rejected.clone(),
            super::events::VoteOutcome::Expired => spec.on_expired.clone(),
        };
        self.enter(&target, None)
    }

    /// The events, plus `CaseCompleted` when nothing is left to do.
    pub(crate) fn finish(mut self) -> Result<Vec<CaseEvent>, DomainError> {
        let idle = !self.state.tasks.iter().any(|t| t.status.is_pending());
        let vote_open = self
            .state
            .vote
            .as_ref()
            .is_some_and(|v| v.outcome.is_none());
        if self.state.status == CaseStatus::Open && idle && !vote_open && !self.events.is_empty() {
            let outcome = self
                .state
                .resolution_outcome()
                .map(|o| o.as_str().to_string());
            self.emit(CaseEvent::CaseCompleted { outcome });
        }
        Ok(self.events)
    }
}
