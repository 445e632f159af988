//! Timers: what a deadline implies (reminders before it, the deadline itself, the escalation
//! ladder after it, a vote's close) and what firing one decides. Firing is idempotent — the
//! state records what already happened — so a timer fired twice by two nodes after a crash
//! still yields its events once.
//!
//! Reminders and escalations are for people at work: one whose moment falls on a day off or
//! outside office hours is planned for the next office hour of a working day, and an
//! escalation also waits out a no-escalation period (Nowruz). The deadline and a vote's close
//! stay at the deadline itself: being overdue is a fact of that instant, not a message.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::command::{Context, DomainError};
use super::events::{CaseEvent, TaskKind};
use super::ids::derive_id;
use super::state::{CaseState, CaseStatus, Task, TaskStatus};
use crate::calendar::BusinessCalendar;
use crate::workflow::{IsoDuration, WorkflowDefinition};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimerKind {
    Remind { index: usize },
    Due,
    Escalate { level: u32 },
    VoteDeadline,
}

impl TimerKind {
    fn name(&self) -> String {
        match self {
            TimerKind::Remind { index } => format!("remind-{index}"),
            TimerKind::Due => "due".into(),
            TimerKind::Escalate { level } => format!("escalate-{level}"),
            TimerKind::VoteDeadline => "vote-deadline".into(),
        }
    }
}

/// A timer to schedule, with an id derived from what it is for (scheduling twice is a no-op).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerPlan {
    pub id: Uuid,
    pub case_id: Uuid,
    pub task_id: Option<Uuid>,
    pub kind: TimerKind,
    pub due_at: DateTime<Utc>,
}

fn seconds(duration: &IsoDuration) -> Duration {
    Duration::seconds(i64::try_from(duration.as_seconds()).unwrap_or(i64::MAX / 4))
}

/// `generation` tells a moved deadline's timers from the first deadline's: timer ids are
/// unique, and scheduling an id that already exists is a no-op.
fn plan_for(
    case_id: Uuid,
    task_id: Option<Uuid>,
    kind: TimerKind,
    due_at: DateTime<Utc>,
    generation: Option<&str>,
) -> TimerPlan {
    let owner = task_id.map(|t| t.to_string()).unwrap_or_default();
    let name = match generation {
        None => kind.name(),
        Some(generation) => format!("{}@{generation}", kind.name()),
    };
    TimerPlan {
        id: derive_id(case_id, &["timer", &owner, &name]),
        case_id,
        task_id,
        kind,
        due_at,
    }
}

/// The timers that the tasks assigned by `events`, and the deadlines they moved, need, with
/// reminders and escalations moved to when `calendar` says people are at work.
pub fn timers_for(
    state: &CaseState,
    events: &[CaseEvent],
    definition: &WorkflowDefinition,
    calendar: &BusinessCalendar,
) -> Vec<TimerPlan> {
    let planner = Planner {
        state,
        definition,
        calendar,
    };
    let mut timers = Vec::new();
    for event in events {
        match event {
            CaseEvent::TaskAssigned {
                task_id,
                step,
                kind,
                due: Some(due),
                ..
            } => planner.plan_deadline(*task_id, step, *kind, due, None, &mut timers),
            CaseEvent::DeadlineMoved { task_id, due, .. } => {
                let Some(task) = state.task(*task_id) else {
                    continue;
                };
                let generation = due.due_at.timestamp_micros().to_string();
                planner.plan_deadline(
                    *task_id,
                    &task.origin_step,
                    task.kind,
                    due,
                    Some(&generation),
                    &mut timers,
                );
            }
            _ => {}
        }
    }
    timers
}

/// What planning a deadline's timers needs besides the deadline.
struct Planner<'a> {
    state: &'a CaseState,
    definition: &'a WorkflowDefinition,
    calendar: &'a BusinessCalendar,
}

impl Planner<'_> {
    fn plan_deadline(
        &self,
        task_id: Uuid,
        step: &str,
        kind: TaskKind,
        due: &super::deadline::Deadline,
        generation: Option<&str>,
        timers: &mut Vec<TimerPlan>,
    ) {
        let Some(step) = self.definition.step(step) else {
            return;
        };
        let (case, task) = (self.state.id, Some(task_id));
        for (index, before) in step.reminders().iter().enumerate() {
            let moment = self.reminder_moment(due.due_at - seconds(before));
            let kind = TimerKind::Remind { index };
            timers.push(plan_for(case, task, kind, moment, generation));
        }
        timers.push(plan_for(case, task, TimerKind::Due, due.due_at, generation));
        for (i, level) in step.escalations().iter().enumerate() {
            let moment = self.escalation_moment(due.due_at + seconds(&level.after));
            let kind = TimerKind::Escalate {
                level: i as u32 + 1,
            };
            timers.push(plan_for(case, task, kind, moment, generation));
        }
        if kind == TaskKind::Vote {
            let kind = TimerKind::VoteDeadline;
            timers.push(plan_for(case, None, kind, due.due_at, generation));
        }
    }

    /// The next office hour of a working day from `moment`; `moment` itself for a year the
    /// calendar has no table for (it cannot tell, so it does not delay).
    fn reminder_moment(&self, moment: DateTime<Utc>) -> DateTime<Utc> {
        self.calendar.at_work(moment).unwrap_or(moment)
    }

    /// Like [`Planner::reminder_moment`], and after any no-escalation period.
    fn escalation_moment(&self, moment: DateTime<Utc>) -> DateTime<Utc> {
        self.calendar.escalation_moment(moment).unwrap_or(moment)
    }
}

/// Tasks whose deadline `events` moved: their pending timers are dropped before the new
/// deadline's are scheduled.
pub fn moved(events: &[CaseEvent]) -> Vec<Uuid> {
    events
        .iter()
        .filter_map(|e| match e {
            CaseEvent::DeadlineMoved { task_id, .. } => Some(*task_id),
            _ => None,
        })
        .collect()
}

/// Tasks that `events` finished, whose timers can be dropped; `None` inside means the whole
/// case ended.
pub fn finished(events: &[CaseEvent]) -> Vec<Option<Uuid>> {
    events
        .iter()
        .filter_map(|e| match e {
            CaseEvent::SubmissionAccepted { task_id, .. } | CaseEvent::VoteCast { task_id, .. } => {
                Some(Some(*task_id))
            }
            CaseEvent::CaseCompleted { .. } | CaseEvent::CaseCancelled { .. } => Some(None),
            _ => None,
        })
        .collect()
}

/// Waiting on its assignee (not on the secretariat, not finished).
fn waits_on_assignee(task: &Task) -> bool {
    matches!(task.status, TaskStatus::Open | TaskStatus::Returned)
}

/// What firing a timer decides. Nothing (an empty list) when its moment has passed
/// meaningfully: the task was done, the reminder would come after the deadline, the level
/// was already reached.
pub fn fire(
    state: &CaseState,
    ctx: &Context,
    task_id: Option<Uuid>,
    kind: &TimerKind,
) -> Result<Vec<CaseEvent>, DomainError> {
    if ctx.actor.member_id != "system" {
        return Err(DomainError::Forbidden(
            "only the scheduler fires timers".into(),
        ));
    }
    if state.status != CaseStatus::Open {
        return Ok(Vec::new());
    }
    let Some(task) = task_id.and_then(|id| state.task(id)) else {
        return Ok(Vec::new());
    };
    let Some(due) = task.due.as_ref() else {
        return Ok(Vec::new());
    };
    if !waits_on_assignee(task) {
        return Ok(Vec::new());
    }
    let step = ctx.definition.step(&task.origin_step);
    // The deadline passing is recorded once, by whichever timer of that moment fires first.
    let overdue = (ctx.now >= due.due_at && !task.overdue).then_some(CaseEvent::TaskOverdue {
        task_id: task.id,
        due_at: due.due_at,
    });
    let mut events: Vec<CaseEvent> = Vec::new();
    match kind {
        TimerKind::Remind { index } => {
            // A reminder planned for an earlier deadline (one that moved since) finds its
            // moment not yet come, and stays silent.
            let before = step.and_then(|s| s.reminders().get(*index));
            if let Some(before) = before.filter(|b| {
                ctx.now < due.due_at
                    && ctx.now >= due.due_at - seconds(b)
                    && !task.reminders_sent.contains(index)
            }) {
                events.push(CaseEvent::TaskReminded {
                    task_id: task.id,
                    index: *index,
                    before: before.to_string(),
                    due_at: due.due_at,
                });
            }
        }
        TimerKind::Due | TimerKind::VoteDeadline => events.extend(overdue),
        TimerKind::Escalate { level } => {
            events.extend(overdue);
            // Levels are recorded in order: a later level firing first brings the earlier ones
            // with it, so every level is recorded exactly once.
            let ladder = step.map(|s| s.escalations()).unwrap_or_default();
            for reached in task.escalation_level + 1..=*level {
                if let Some(rung) = ladder
                    .get(reached as usize - 1)
                    .filter(|r| ctx.now >= due.due_at + seconds(&r.after))
                {
                    events.push(CaseEvent::DeadlineEscalated {
                        task_id: task.id,
                        level: reached,
                        notify: rung.notify.clone(),
                    });
                }
            }
        }
    }
    Ok(events)
}
