//! The domain: cases and their tasks as an event-sourced aggregate. Pure and synchronous —
//! it knows nothing of sqlx, actix or tokio. Everything a rule needs (the time, the workflow
//! definition, the actor, the member directory) comes in as arguments:
//! `decide(&state, command, &ctx) -> Result<Vec<CaseEvent>, DomainError>` and
//! `state.apply(&event, at) -> state`.

mod actor;
mod attachment;
mod ballot;
mod closure;
mod command;
mod confirmation;
mod deadline;
mod decide;
mod events;
mod extension;
mod flow;
mod ids;
mod meeting;
mod member;
mod ordered_due;
mod permissions;
mod practice;
mod state;
mod submission;
mod submitted;
mod timers;
mod vote;

pub use actor::{Actor, MemberRef, Role};
pub use attachment::{Attachment, AttachmentRef, MAX_ATTACHMENTS, check_count, check_refs};
pub use command::{Command, Context, DomainError, MAX_COMMENT_CHARS, ReviewDecision};
pub use confirmation::{CONFIRMATION_WORKFLOW, ROUND_STEP, RoundOrder, rounds_of};
pub use deadline::{Deadline, NominalDue, resolve_deadline, resolve_deadline_as};
pub use decide::decide;
pub use events::{CaseEvent, DeadlineCause, TaskKind, VoteChoice, VoteOutcome};
pub use extension::{MAX_REASON_CHARS, NewDue, OnDay};
pub use ids::derive_id;
pub use meeting::{MAX_MINUTES_CHARS, MeetingRecord, typed_jalali};
pub use member::Member;
pub use ordered_due::check_order_due;
pub use permissions::may_open_cases;
pub use practice::MAX_MESSAGE_CHARS;
pub use state::{CaseState, CaseStatus, Comment, DueMove, Submission, Task, TaskStatus, VoteState};
pub use submitted::SubmittedData;
pub use timers::{TimerKind, TimerPlan, finished, moved, timers_for};
pub use vote::Tally;

#[cfg(test)]
mod tests;
