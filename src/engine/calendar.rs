//! The calendar in force: the loaded tables plus the closures announced at run time, which
//! are `ClosureAdded` events of the `calendar` stream (so audit and verify cover them).
//!
//! Every node must see a closure soon after any node records it, yet reading the stream on
//! every command would add a query to the write path. So the engine keeps a snapshot and
//! reads only the stream's tail, at most every [`REFRESH`]: other nodes see a closure within
//! seconds, and the node that records one sees it at once.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::calendar::{BusinessCalendar, Closure, ClosureRefused, JalaliDate, tehran_date};
use crate::domain::{Actor, Command, Role};
use crate::event_store::{AppendRequest, ExpectedVersion, NewEvent, StoreError};

use super::{Engine, EngineError};

/// The stream of closures.
pub const CALENDAR_STREAM: &str = "calendar";

/// How old a snapshot may be before a reader looks at the stream's tail again.
const REFRESH: Duration = Duration::from_secs(2);

/// The longest closure reason (characters).
const MAX_REASON_CHARS: usize = 500;

/// The shipped (or loaded) tables, and the snapshot with the closures read so far.
pub struct LiveCalendar {
    snapshot: RwLock<Snapshot>,
}

#[derive(Clone)]
struct Snapshot {
    calendar: Arc<BusinessCalendar>,
    /// The `calendar` stream version folded in.
    version: i64,
    /// When the stream was last read; `None` before the first read.
    read_at: Option<Instant>,
}

impl Snapshot {
    fn is_fresh(&self) -> bool {
        self.read_at.is_some_and(|at| at.elapsed() < REFRESH)
    }
}

impl LiveCalendar {
    pub fn new(tables: BusinessCalendar) -> Self {
        Self {
            snapshot: RwLock::new(Snapshot {
                calendar: Arc::new(tables),
                version: 0,
                read_at: None,
            }),
        }
    }

    fn get(&self) -> Snapshot {
        self.snapshot.read().expect("calendar lock").clone()
    }

    /// The snapshot, and whether this caller should read the stream's tail: only the first
    /// caller after [`REFRESH`] does (it marks the snapshot read, and the others go on with
    /// one a little older), so concurrent commands do not all query the log at once.
    fn get_or_claim_refresh(&self) -> (Snapshot, bool) {
        let snapshot = self.get();
        if snapshot.is_fresh() {
            return (snapshot, false);
        }
        let mut current = self.snapshot.write().expect("calendar lock");
        if current.is_fresh() {
            return (current.clone(), false);
        }
        // Never read yet: every caller reads, as none may go on without the closures.
        if current.read_at.is_some() {
            current.read_at = Some(Instant::now());
        }
        (current.clone(), true)
    }

    /// Keeps the newer of the snapshot in place and `next`.
    fn offer(&self, next: Snapshot) {
        let mut snapshot = self.snapshot.write().expect("calendar lock");
        if next.version >= snapshot.version {
            *snapshot = next;
        }
    }
}

/// `ClosureAdded`: an administrator closed offices on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ClosureAdded {
    date_jalali: JalaliDate,
    reason: String,
    by: String,
}

/// A closure as the API shows it: the day, why, who, and the tasks whose deadline it moved.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ClosureView {
    #[serde(flatten)]
    pub closure: Closure,
    pub by: String,
    /// The calendar version in force once the closure is recorded.
    pub calendar_version: String,
    pub moved_tasks: Vec<Uuid>,
}

impl Engine {
    /// The calendar in force, with every closure recorded up to a few seconds ago (and every
    /// closure this node recorded).
    pub async fn calendar(&self) -> Result<Arc<BusinessCalendar>, EngineError> {
        match self.calendar.get_or_claim_refresh() {
            (snapshot, false) => Ok(snapshot.calendar),
            (snapshot, true) => Ok(self.refresh_calendar(snapshot).await?.calendar),
        }
    }

    /// Folds the closures appended since `snapshot` into it.
    async fn refresh_calendar(&self, snapshot: Snapshot) -> Result<Snapshot, EngineError> {
        let newer = self
            .store
            .read_stream(CALENDAR_STREAM, snapshot.version + 1)
            .await?;
        let mut next = Snapshot {
            read_at: Some(Instant::now()),
            ..snapshot
        };
        if !newer.is_empty() {
            let mut calendar = (*next.calendar).clone();
            for event in &newer {
                next.version = event.version;
                // The stream holds closures only; another kind would be a later version's.
                if event.event_type != "ClosureAdded" {
                    continue;
                }
                let added: ClosureAdded = serde_json::from_value(event.data.clone())
                    .map_err(|e| EngineError::Internal(e.into()))?;
                calendar.add_closure(Closure {
                    date_jalali: added.date_jalali,
                    reason: added.reason,
                });
            }
            next.calendar = Arc::new(calendar);
        }
        self.calendar.offer(next.clone());
        Ok(next)
    }

    /// Records a closure and moves the deadlines of the pending tasks due that day.
    pub async fn add_closure(
        &self,
        actor: &Actor,
        date_jalali: &str,
        reason: &str,
    ) -> Result<ClosureView, EngineError> {
        if !actor.has(Role::Admin) {
            return Err(crate::domain::DomainError::Forbidden(
                "only an administrator closes offices".into(),
            )
            .into());
        }
        let closure = self.checked_closure(date_jalali, reason)?;
        let calendar = self.record_closure(actor, &closure).await?;
        let moved_tasks = self.move_deadlines_off(actor, &closure).await?;
        Ok(ClosureView {
            closure,
            by: actor.member_id.clone(),
            calendar_version: calendar.version(),
            moved_tasks,
        })
    }

    /// The closure asked for, when its date exists, is not past and has a reason.
    fn checked_closure(&self, date_jalali: &str, reason: &str) -> Result<Closure, EngineError> {
        let date: JalaliDate = date_jalali
            .parse()
            .map_err(|e| EngineError::Invalid(format!("date_jalali: {e}")))?;
        let today =
            tehran_date(self.clock.now()).map_err(|e| EngineError::Internal(anyhow::anyhow!(e)))?;
        // Today is allowed: an unplanned closure is often announced the same morning.
        if date < today {
            return Err(EngineError::Invalid(format!(
                "date_jalali: {date} is already past (today is {today} in Tehran)"
            )));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(EngineError::Invalid(format!(
                "reason must be 1 to {MAX_REASON_CHARS} characters"
            )));
        }
        Ok(Closure {
            date_jalali: date,
            reason: reason.to_owned(),
        })
    }

    /// Appends `ClosureAdded` after the stream version it was checked against; another
    /// node's closure in between sends it round again.
    async fn record_closure(
        &self,
        actor: &Actor,
        closure: &Closure,
    ) -> Result<Arc<BusinessCalendar>, EngineError> {
        for _ in 0..10 {
            let snapshot = self.refresh_calendar(self.calendar.get()).await?;
            snapshot
                .calendar
                .check_closure(closure)
                .map_err(|refused| match refused {
                    ClosureRefused::Invalid(text) => EngineError::Invalid(text),
                    ClosureRefused::AlreadyOff(text) => EngineError::Conflict(text),
                })?;
            let event = ClosureAdded {
                date_jalali: closure.date_jalali,
                reason: closure.reason.clone(),
                by: actor.member_id.clone(),
            };
            let request = AppendRequest::new(
                CALENDAR_STREAM,
                ExpectedVersion::Exact(snapshot.version),
                vec![NewEvent::new("ClosureAdded", json!(event))],
            )
            .with_metadata(self.metadata(actor));
            match self.store.append(request).await {
                Ok(_) => return Ok(self.refresh_calendar(snapshot).await?.calendar),
                Err(StoreError::VersionConflict { .. }) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(EngineError::Unavailable(
            "the calendar is too busy; try again".into(),
        ))
    }

    /// Sends `ApplyClosure` to every case with a timer pending on the closed day (its
    /// tasks' deadlines are among them, found by the timers' due index, not by reading the
    /// log); returns the tasks whose deadline moved.
    async fn move_deadlines_off(
        &self,
        actor: &Actor,
        closure: &Closure,
    ) -> Result<Vec<Uuid>, EngineError> {
        let day = closure.date_jalali;
        let start = crate::calendar::end_of_day(day.previous_day().unwrap_or(day));
        let end = crate::calendar::end_of_day(day);
        let timers = crate::timers::Timers::new(self.documents.database().clone());
        let cases = timers
            .cases_due_between(start.timestamp_micros(), end.timestamp_micros())
            .await?;
        let mut moved = Vec::new();
        for case_id in cases {
            let Ok(case_id) = case_id.parse::<Uuid>() else {
                continue;
            };
            let command = Command::ApplyClosure {
                date: day,
                reason: closure.reason.clone(),
            };
            // The closure is recorded: a case that cannot be moved now is no reason to fail
            // the request. Its deadline moves when its timer comes due
            // (`scheduler::working_hours`).
            match self.execute(case_id, actor, command).await {
                Ok(after) => moved.extend(
                    after
                        .tasks
                        .iter()
                        .filter(|t| moved_by(t, day))
                        .map(|t| t.id),
                ),
                Err(error) => {
                    tracing::warn!(%error, %case_id, "a closure could not move the case's deadlines yet");
                }
            }
        }
        Ok(moved)
    }
}

/// The task's last deadline move was a closure of `day`.
fn moved_by(task: &crate::domain::Task, day: JalaliDate) -> bool {
    task.due_moved.as_ref().is_some_and(|m| {
        m.cause == crate::domain::DeadlineCause::Closure
            && tehran_date(m.previous_due_at).ok() == Some(day)
    })
}
