//! `decide` is a function: the same command on the same state gives the very same events,
//! ids included (they are derived, never drawn), so a retried command is harmless.

use serde_json::json;
use uuid::Uuid;

use super::facts::*;
use super::vocabulary::*;
use super::{Actor, CaseEvent, Command, INVENTORY, RESOLUTION, days_later};
use super::{Scenario, given, member, no_case_of, person, secretariat};
use crate::domain::VoteChoice::Approve;

/// Decides `command` twice, each time on its own copy of the case, and returns both answers.
fn decide_twice(
    case: &Scenario,
    command: Command,
    actor: Actor,
) -> (Vec<CaseEvent>, Vec<CaseEvent>) {
    let first = case
        .clone()
        .when(command.clone())
        .by(actor.clone())
        .events()
        .to_vec();
    let second = case.clone().when(command).by(actor).events().to_vec();
    (first, second)
}

#[test]
fn opening_the_same_case_twice_gives_identical_events() {
    let (first, second) = decide_twice(
        &no_case_of(INVENTORY),
        open_case(TITLE, &["IRICA", "MIMT", "CBI"]),
        secretariat(),
    );
    assert_eq!(first, second);
    assert_eq!(first.len(), 4);
}

#[test]
fn the_same_submission_gets_the_same_submission_id() {
    let case = given(&[opened_inventory(&["IRICA", "MIMT"])]);
    let (first, second) = decide_twice(
        &case,
        submit(task_of("IRICA"), inventory_data()),
        member("IRICA"),
    );
    assert_eq!(first, second);
}

#[test]
fn the_last_acceptance_completes_the_case_the_same_way_twice() {
    let case = given(&[opened_inventory(&["IRICA"]), submitted("IRICA", 1)]);
    let (first, second) = decide_twice(&case, accept(task_of("IRICA")), secretariat());
    assert_eq!(first, second);
    assert_eq!(first.len(), 2);
}

#[test]
fn the_deciding_ballot_orders_the_same_child_case_twice() {
    let history = [
        opened_resolution(),
        voted("cbi.focal", Approve),
        voted("cppo.focal", Approve),
    ];
    let (first, second) = decide_twice(
        &given(&history),
        vote(ballot_of("irica.deputy"), Approve),
        person("irica.deputy"),
    );
    assert_eq!(first, second);
    assert!(first.contains(&inventory_ordered()));
}

#[test]
fn the_deadline_close_is_the_same_twice() {
    let case = given(&[opened_resolution(), voted("cbi.focal", Approve)]);
    let first = case
        .clone()
        .when(close_vote())
        .at(days_later(10))
        .by(Actor::system());
    let second = case
        .when(close_vote())
        .at(days_later(10))
        .by(Actor::system());
    assert_eq!(first.events(), second.events());
}

#[test]
fn a_state_rebuilt_from_the_same_history_decides_the_same() {
    let history = [opened_inventory(&["IRICA", "MIMT"]), submitted("IRICA", 1)];
    let once = given(&history)
        .when(return_for(task_of("IRICA"), Some("Fix")))
        .by(secretariat());
    let again = given(&history)
        .when(return_for(task_of("IRICA"), Some("Fix")))
        .by(secretariat());
    assert_eq!(once.events(), again.events());
}

#[test]
fn another_case_gets_other_task_ids() {
    let open = |case_id: Uuid| Command::OpenCase {
        case_id,
        workflow_version: 1,
        title: TITLE.into(),
        participants: vec!["IRICA".into()],
        params: json!({}),
        parent_case: None,
    };
    let task_ids = |case_id| {
        let case = no_case_of(INVENTORY)
            .when(open(case_id))
            .by(secretariat())
            .accepted();
        case.state().tasks.iter().map(|t| t.id).collect::<Vec<_>>()
    };
    assert_eq!(task_ids(case_id()), [task_of("IRICA")]);
    assert_ne!(task_ids(Uuid::from_u128(2)), [task_of("IRICA")]);
    let ballots = no_case_of(RESOLUTION)
        .when(open_resolution())
        .by(secretariat())
        .accepted();
    assert!(
        ballots
            .state()
            .tasks
            .iter()
            .all(|t| t.id != task_of("IRICA"))
    );
}
