//! The domain: cases and their tasks as an event-sourced aggregate. Pure and synchronous —
//! it knows nothing of sqlx, actix or tokio. Everything a rule needs (the time, the workflow
//! definition, the actor, the member directory) comes in as arguments:
//! `decide(&state, command, &ctx) -> Result<Vec<CaseEvent>, DomainError>` and
//! `state.apply(&event, at) -> state`.

mod actor;
mod ballot;
mod command;
mod deadline;
mod decide;
mod events;
mod flow;
mod ids;
mod meeting;
mod ordered_due;
mod permissions;
mod state;
mod submission;
mod timers;
mod vote;

pub use actor::{Actor, MemberRef, Role};
pub use command::{Command, Context, DomainError, MAX_COMMENT_CHARS, ReviewDecision};
pub use deadline::{Deadline, resolve_deadline};
pub use decide::decide;
pub use events::{CaseEvent, DeadlineCause, TaskKind, VoteChoice, VoteOutcome};
pub use ids::derive_id;
pub use meeting::{MAX_MINUTES_CHARS, MeetingRecord, typed_jalali};
pub use ordered_due::check_order_due;
pub use permissions::may_open_cases;
pub use state::{CaseState, CaseStatus, Comment, Submission, Task, TaskStatus, VoteState};
pub use timers::{TimerKind, TimerPlan, finished, moved, timers_for};
pub use vote::Tally;

#[cfg(test)]
mod tests;
