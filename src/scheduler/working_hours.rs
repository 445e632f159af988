//! The calendar at firing time. Timers are planned for office hours on working days, but a
//! closure announced after planning can fall on them. Rather than re-plan every timer a
//! closure touches, a timer is looked at again when it comes due:
//! - a reminder or escalation waits for offices to open (its row is postponed);
//! - a deadline on a day closed since becomes `ApplyClosure`, which moves it (and its
//!   timers) to the next working day instead of making the task overdue. The closure's own
//!   request moves such deadlines at once; this catches any it missed, e.g. on a node that
//!   stopped between recording the closure and moving them.

use chrono::DateTime;
use uuid::Uuid;

use super::EngineTimers;
use crate::calendar::{DayOff, tehran_date};
use crate::domain::{Command, TimerKind};
use crate::engine::EngineError;
use crate::timers::TimerRow;

impl EngineTimers {
    /// When a reminder or escalation due now may reach people, by the calendar in force:
    /// `None` when it may go now (and always for a deadline: overdue is a fact of its
    /// instant).
    pub(super) async fn later_moment(&self, kind: &TimerKind) -> Result<Option<i64>, EngineError> {
        let now = self.engine.clock.now();
        let calendar = self.engine.calendar().await?;
        let moment = match kind {
            TimerKind::Remind { .. } => calendar.at_work(now),
            TimerKind::Escalate { .. } => calendar.escalation_moment(now),
            TimerKind::Due | TimerKind::VoteDeadline => return Ok(None),
        };
        Ok(moment
            .ok()
            .filter(|moment| *moment > now)
            .map(|moment| moment.timestamp_micros()))
    }

    /// The command `timer` becomes: `FireTimer`, or `ApplyClosure` for a deadline on a
    /// closed day.
    pub(super) async fn command_for(
        &self,
        timer: &TimerRow,
        task_id: Option<Uuid>,
        kind: TimerKind,
    ) -> Result<Command, EngineError> {
        let fire = Command::FireTimer { task_id, kind };
        if !matches!(
            fire,
            Command::FireTimer {
                kind: TimerKind::Due,
                ..
            }
        ) {
            return Ok(fire);
        }
        let Some(day) =
            DateTime::from_timestamp_micros(timer.due_at_us).and_then(|due| tehran_date(due).ok())
        else {
            return Ok(fire);
        };
        let calendar = self.engine.calendar().await?;
        Ok(match calendar.day_off(day) {
            Ok(Some(DayOff::Closure(closure))) => Command::ApplyClosure {
                date: day,
                reason: closure.reason.clone(),
            },
            _ => fire,
        })
    }
}
