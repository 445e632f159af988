//! The facts a given history is made of and the events a test expects, spelled out field by
//! field.

use serde_json::{Value, json};

use super::vocabulary::*;
use super::{CARDS, INVENTORY, RESOLUTION, at, calendar, days_later, definition, directory};
use super::{member, now, secretariat};
use crate::domain::{CaseEvent, Deadline, Role, TaskKind, VoteChoice, VoteOutcome, derive_id};
use crate::workflow::{DueRule, IsoDuration, JalaliPeriod};

pub fn opened(workflow: &str, title: &str, participants: &[&str], params: Value) -> CaseEvent {
    CaseEvent::CaseOpened {
        case_id: case_id(),
        workflow: workflow.into(),
        workflow_version: 1,
        workflow_hash: definition(workflow).content_hash().into(),
        title: title.into(),
        participants: participants.iter().map(|a| a.to_string()).collect(),
        params,
        parent_case: None,
        opened_at: now(),
    }
}

pub fn submission_task(agency: &str, form: &str, due: Deadline) -> CaseEvent {
    CaseEvent::TaskAssigned {
        task_id: task_of(agency),
        step: "submit".into(),
        kind: TaskKind::Submission,
        agency: Some(agency.into()),
        assignee: None,
        role: "member".into(),
        form: Some(form.into()),
        due: Some(due),
    }
}

pub fn deadline(rule: DueRule, due_at: &str, due_jalali: &str) -> Deadline {
    Deadline {
        rule,
        due_at: at(due_at),
        due_jalali: due_jalali.into(),
        calendar_version: calendar().version(),
        nominal: None,
    }
}

/// 30 Azar 1405, 23:59:59 Tehran.
pub fn end_of_azar() -> Deadline {
    let rule = DueRule::EndOf(JalaliPeriod::JalaliMonth);
    deadline(rule, "2026-12-21T20:29:59Z", "1405-09-30")
}

/// The end of 1405: nominally 29 Esfand, a holiday, moved past Nowruz to Saturday
/// 7 Farvardin 1406, 23:59:59 Tehran.
pub fn end_of_1405() -> Deadline {
    let rule = DueRule::EndOf(JalaliPeriod::JalaliYear);
    Deadline {
        nominal: Some(crate::domain::NominalDue {
            at: at("2027-03-20T20:29:59Z"),
            jalali: "1405-12-29".into(),
        }),
        ..deadline(rule, "2027-03-27T20:29:59Z", "1406-01-07")
    }
}

/// Seven days after opening is Thursday 12 Azar 1405, a day off: the vote is due at the end
/// of Saturday 14 Azar.
pub fn vote_deadline() -> Deadline {
    let rule = DueRule::After(IsoDuration::parse("P7D").unwrap());
    Deadline {
        nominal: Some(crate::domain::NominalDue {
            at: days_later(7),
            jalali: "1405-09-12".into(),
        }),
        ..deadline(rule, "2026-12-05T20:29:59Z", "1405-09-14")
    }
}

/// An inventory case with one submission task per agency, due at the end of Azar.
pub fn opened_inventory(agencies: &[&str]) -> Vec<CaseEvent> {
    let mut events = vec![opened(INVENTORY, TITLE, agencies, json!({}))];
    for agency in agencies {
        events.push(submission_task(agency, INVENTORY, end_of_azar()));
    }
    events
}

/// A service-identity-cards case, one task per agency, due at the end of the year.
pub fn opened_cards(agencies: &[&str]) -> Vec<CaseEvent> {
    let mut events = vec![opened(CARDS, TITLE, agencies, json!({}))];
    for agency in agencies {
        events.push(submission_task(agency, CARDS, end_of_1405()));
    }
    events
}

/// A resolution put to the vote of the five members, approval opening an inventory, as it
/// was opened before votes were per agency: one ballot per member (old logs hold this).
pub fn opened_resolution() -> Vec<CaseEvent> {
    let mut events = vec![
        opened(RESOLUTION, RESOLUTION_TITLE, &[], resolution_params()),
        CaseEvent::VoteOpened {
            step: "vote".into(),
            voters: 5,
            quorum: 0.5,
            pass: 0.5,
        },
    ];
    for voter in directory()
        .iter()
        .filter(|m| m.roles.contains(&Role::Member))
    {
        events.push(CaseEvent::TaskAssigned {
            task_id: ballot_of(&voter.id),
            step: "vote".into(),
            kind: TaskKind::Vote,
            agency: Some(voter.agency.clone()),
            assignee: Some(voter.id.clone()),
            role: "member".into(),
            form: None,
            due: Some(vote_deadline()),
        });
    }
    events
}

/// The agency's focal point submitted its `number`th inventory; it awaits review.
pub fn submitted(agency: &str, number: u32) -> Vec<CaseEvent> {
    vec![CaseEvent::SubmissionReceived {
        task_id: task_of(agency),
        submission_id: submission_of(agency, number),
        number,
        form: INVENTORY.into(),
        form_version: 1,
        data: inventory_data().into(),
        submitted_by: member(agency).member_id,
        review_step: Some("review".into()),
        attachments: Vec::new(),
    }]
}

pub fn returned(agency: &str, number: u32, comment: &str) -> Vec<CaseEvent> {
    vec![CaseEvent::SubmissionReturned {
        task_id: task_of(agency),
        submission_id: submission_of(agency, number),
        comment: comment.into(),
        reviewed_by: secretariat().member_id,
        step: "submit".into(),
    }]
}

pub fn accepted(agency: &str, number: u32) -> Vec<CaseEvent> {
    vec![CaseEvent::SubmissionAccepted {
        task_id: task_of(agency),
        submission_id: submission_of(agency, number),
        comment: None,
        reviewed_by: secretariat().member_id,
    }]
}

pub fn reassigned(agency: &str, member_id: &str) -> Vec<CaseEvent> {
    vec![CaseEvent::TaskReassigned {
        task_id: task_of(agency),
        member_id: member_id.into(),
        by: secretariat().member_id,
    }]
}

pub fn voted(member_id: &str, choice: VoteChoice) -> Vec<CaseEvent> {
    vec![CaseEvent::VoteCast {
        task_id: ballot_of(member_id),
        choice,
        comment: None,
        voter: member_id.into(),
    }]
}

pub fn vote_closed(
    outcome: VoteOutcome,
    approve: usize,
    reject: usize,
    abstain: usize,
) -> CaseEvent {
    CaseEvent::VoteClosed {
        step: "vote".into(),
        outcome,
        approve,
        reject,
        abstain,
        voters: 5,
    }
}

/// The inventory an approved resolution orders, for every agency.
pub fn inventory_ordered() -> CaseEvent {
    CaseEvent::ChildCaseOrdered {
        step: "publish".into(),
        child_case_id: derive_id(case_id(), &["child", "publish", "0"]),
        workflow: INVENTORY.into(),
        participants: json!("all"),
        params: json!({}),
        title: None,
    }
}

pub fn completed(outcome: Option<&str>) -> CaseEvent {
    CaseEvent::CaseCompleted {
        outcome: outcome.map(str::to_string),
    }
}

pub fn cancelled(reason: &str) -> Vec<CaseEvent> {
    vec![CaseEvent::CaseCancelled {
        reason: reason.into(),
        by: secretariat().member_id,
    }]
}
