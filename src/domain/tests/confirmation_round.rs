//! Opening a provider confirmation round from an inventory case.

use serde_json::json;
use uuid::Uuid;

use super::facts::*;
use super::vocabulary::*;
use super::{given, member, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid};
use crate::domain::{CaseEvent, Command, RoundOrder, derive_id};

fn order(rounds_seen: usize) -> Command {
    Command::OrderConfirmationRound(RoundOrder {
        title: "Confirmation".into(),
        providers: vec!["IRICA".into()],
        params: json!({"inventory_case": case_id().to_string()}),
        rounds_seen,
    })
}

fn first_round() -> Uuid {
    // Written out: sha256(case id, "confirmation-round", "1") is what derive_id computes; the
    // test pins the parts, not the digest.
    derive_id(case_id(), &["confirmation-round", "1"])
}

fn ordered(round: Uuid) -> CaseEvent {
    CaseEvent::ChildCaseOrdered {
        step: "confirmation-round".into(),
        child_case_id: round,
        workflow: "needs-confirmation".into(),
        participants: json!(["IRICA"]),
        params: json!({"inventory_case": case_id().to_string()}),
        title: Some("Confirmation".into()),
    }
}

#[test]
fn the_secretariat_orders_a_round_from_an_accepted_inventory() {
    let case = given(&[
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
    ])
    .when(order(0))
    .by(secretariat())
    .then(&[ordered(first_round())]);
    assert_eq!(case.state().children, vec![first_round()]);
}

#[test]
fn a_second_round_is_the_next_child() {
    given(&[
        opened_inventory(&["MIMT"]),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
        vec![ordered(first_round())],
    ])
    .when(order(1))
    .by(secretariat())
    .then(&[ordered(derive_id(case_id(), &["confirmation-round", "2"]))]);
}

#[test]
fn a_round_opened_meanwhile_makes_the_order_stale() {
    given(&[
        opened_inventory(&["MIMT"]),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
        vec![ordered(first_round())],
    ])
    .when(order(0))
    .by(secretariat())
    .then_refused(Conflict);
}

#[test]
fn no_round_without_an_accepted_inventory() {
    given(&[opened_inventory(&["IRICA", "MIMT"]), submitted("MIMT", 1)])
        .when(order(0))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn no_round_from_a_case_that_collects_no_inventories() {
    given(&[opened_cards(&["MIMT"])])
        .when(order(0))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn no_round_without_a_provider_to_ask() {
    let empty = Command::OrderConfirmationRound(RoundOrder {
        title: "Confirmation".into(),
        providers: Vec::new(),
        params: json!({}),
        rounds_seen: 0,
    });
    given(&[
        opened_inventory(&["MIMT"]),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
    ])
    .when(empty)
    .by(secretariat())
    .then_refused(Invalid);
}

#[test]
fn a_member_may_not_order_a_round() {
    given(&[
        opened_inventory(&["MIMT"]),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
    ])
    .when(order(0))
    .by(member("MIMT"))
    .then_refused(Forbidden);
}
