//! The words the tests are written in: the case's ids and the commands sent to it. Ids
//! follow the documented derivation (a case's task for an agency is
//! `derive_id(case, ["task", step, agency, round])`), written out here rather than read back
//! from the code under test.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{INVENTORY, directory, form_fixture};
use crate::domain::{Command, ReviewDecision, Role, VoteChoice, derive_id};

pub const TITLE: &str = "Industry and Trade cluster: data needs and offers";
pub const RESOLUTION_TITLE: &str = "Resolution 1405/1: inventory of data needs and offers";

/// The case every scenario is about.
pub fn case_id() -> Uuid {
    Uuid::from_u128(0x0193_6f2a_4c00_7000_8000_0000_0000_0001)
}

/// The submission task of `agency` (first round).
pub fn task_of(agency: &str) -> Uuid {
    derive_id(case_id(), &["task", "submit", agency, "0"])
}

/// The vote task of a member.
pub fn ballot_of(member_id: &str) -> Uuid {
    derive_id(case_id(), &["vote", "vote", member_id])
}

pub fn submission_of(agency: &str, number: u32) -> Uuid {
    derive_id(task_of(agency), &["submission", &number.to_string()])
}

/// The five holders of `member`, in the order their ballots are assigned.
pub fn voters() -> Vec<&'static str> {
    directory()
        .iter()
        .filter(|m| m.roles.contains(&Role::Member))
        .map(|m| m.id.as_str())
        .collect()
}

/// A data-exchange inventory that passes `schemas/data-exchange-inventory.schema.json`.
pub fn inventory_data() -> Value {
    form_fixture("data-exchange-inventory/valid/05-minimal-need.json")
}

// ---- commands ----

pub fn open_case(title: &str, participants: &[&str]) -> Command {
    Command::OpenCase {
        case_id: case_id(),
        workflow_version: 1,
        title: title.into(),
        participants: participants.iter().map(|a| a.to_string()).collect(),
        params: json!({}),
        parent_case: None,
    }
}

pub fn open_resolution() -> Command {
    Command::OpenCase {
        case_id: case_id(),
        workflow_version: 1,
        title: RESOLUTION_TITLE.into(),
        participants: Vec::new(),
        params: resolution_params(),
        parent_case: None,
    }
}

pub fn resolution_params() -> Value {
    json!({"on_approval": {"workflow": INVENTORY, "participants": "all"}})
}

pub fn submit(task_id: Uuid, data: Value) -> Command {
    Command::Submit {
        task_id,
        data: data.into(),
        form_version: 1,
        attachments: Vec::new(),
    }
}

pub fn accept(task_id: Uuid) -> Command {
    Command::Review {
        task_id,
        decision: ReviewDecision::Accept,
        comment: None,
    }
}

pub fn accept_with(task_id: Uuid, comment: &str) -> Command {
    Command::Review {
        task_id,
        decision: ReviewDecision::Accept,
        comment: Some(comment.into()),
    }
}

pub fn return_for(task_id: Uuid, comment: Option<&str>) -> Command {
    Command::Review {
        task_id,
        decision: ReviewDecision::Return,
        comment: comment.map(str::to_string),
    }
}

pub fn vote(task_id: Uuid, choice: VoteChoice) -> Command {
    Command::Vote {
        task_id,
        choice,
        comment: None,
    }
}

/// What the scheduler sends when the vote's deadline passes.
pub fn close_vote() -> Command {
    Command::CloseVoteAtDeadline
}

pub fn reassign(task_id: Uuid, member_id: &str) -> Command {
    let member = directory().iter().find(|m| m.id == member_id).unwrap();
    Command::Reassign {
        task_id,
        member: member.clone(),
    }
}

pub fn cancel(reason: &str) -> Command {
    Command::Cancel {
        reason: reason.into(),
    }
}
