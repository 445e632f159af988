//! What people (and the scheduler) ask of a case, and what a decision may need to know.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::actor::{Actor, MemberRef};
use super::events::VoteChoice;
use crate::calendar::BusinessCalendar;
use crate::workflow::WorkflowDefinition;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    Accept,
    Return,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    OpenCase {
        case_id: Uuid,
        workflow_version: u32,
        title: String,
        /// Agency codes, already resolved from `"all"` and checked against the registry.
        participants: Vec<String>,
        params: Value,
        parent_case: Option<Uuid>,
    },
    /// `data` has already passed the form's JSON Schema (`form_version`); each attachment
    /// names a stored file, with its size and type as stored. Shared, as in the event it
    /// becomes, so that deciding again after a lost race copies no document.
    Submit {
        task_id: Uuid,
        data: super::SubmittedData,
        form_version: u32,
        attachments: Vec<super::Attachment>,
    },
    Review {
        task_id: Uuid,
        decision: ReviewDecision,
        comment: Option<String>,
    },
    Vote {
        task_id: Uuid,
        choice: VoteChoice,
        comment: Option<String>,
    },
    Reassign {
        task_id: Uuid,
        member: MemberRef,
    },
    Cancel {
        reason: String,
    },
    /// The vote's deadline passed (sent by the scheduler).
    CloseVoteAtDeadline,
    /// A timer fell due (sent by the scheduler).
    FireTimer {
        task_id: Option<Uuid>,
        kind: super::timers::TimerKind,
    },
    /// The secretariat moves a deadline later: one task's (`task_id`), or every pending
    /// submission task's of the case (`None`).
    Extend {
        task_id: Option<Uuid>,
        due: super::extension::NewDue,
        reason: String,
    },
    /// The secretariat reminds, now, every agency whose task waits on it.
    RemindNow {
        message: Option<String>,
    },
    /// A member of the task's agency takes back a submission not yet reviewed.
    Withdraw {
        task_id: Uuid,
    },
    /// An administrator closed offices on `date` (already in the context's calendar): the
    /// deadlines of the case's pending tasks that fall on it move to the next working day.
    ApplyClosure {
        date: crate::calendar::JalaliDate,
        reason: String,
    },
    /// The secretariat opens a provider confirmation round from this inventory case.
    OrderConfirmationRound(super::confirmation::RoundOrder),
}

/// Everything a decision depends on besides the state: passed in, never fetched.
pub struct Context<'a> {
    pub now: DateTime<Utc>,
    pub actor: &'a Actor,
    /// The definition version the case runs on.
    pub definition: &'a WorkflowDefinition,
    pub calendar: &'a BusinessCalendar,
    /// The active members of the cluster's agencies, for choosing which agencies vote.
    pub members: &'a [MemberRef],
}

/// Why a command was refused. Each maps to one HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// No such thing, or not visible to this actor (404: no existence leak).
    #[error("{0}")]
    NotFound(String),
    /// Visible, but this actor may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// Not possible in the current state (409).
    #[error("{0}")]
    Conflict(String),
    /// A rule of the workflow or the domain is broken by the input (422).
    #[error("{0}")]
    Invalid(String),
}

/// The longest comment a review or vote may carry (characters).
pub const MAX_COMMENT_CHARS: usize = 10_000;
