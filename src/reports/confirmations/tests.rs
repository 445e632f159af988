//! Rounds in the matrix, with answers written out by hand.

use serde_json::{Value, json};
use uuid::Uuid;

use super::*;
use crate::reports::build_matrix;

/// MIMT needs the goods' description from IRICA (IRICA offers it to MIMT), the exchange
/// rate from CBI (CBI submitted nothing), and something from an unknown provider.
fn matrix() -> ExchangeMatrix {
    let mimt = json!({
        "needs": [
            {"title": "شرح کالا", "data_items": [{"name": "شرح کالا"}], "lookup_keys": [],
             "provider_agency": "IRICA"},
            {"title": "نرخ ارز", "data_items": [{"name": "نرخ ارز"}], "lookup_keys": [],
             "provider_agency": "CBI"},
            {"title": "نامعلوم", "data_items": [{"name": "چیزی"}], "lookup_keys": [],
             "provider_agency": "unknown"}
        ],
        "offers": []
    });
    let irica = json!({
        "needs": [],
        "offers": [
            {"title": "اظهارنامه", "data_items": [{"name": "شرح کالا"}], "lookup_keys": [],
             "consumer_agencies": ["MIMT"]}
        ]
    });
    let participants = vec!["IRICA".to_string(), "MIMT".to_string()];
    build_matrix(
        &participants,
        &[("IRICA".to_string(), irica), ("MIMT".to_string(), mimt)],
        &Default::default(),
    )
}

fn addressed(need: &str, title: &str, offer: Option<&str>) -> AddressedNeed {
    AddressedNeed {
        need: need.into(),
        consumer: "MIMT".into(),
        title: title.into(),
        data_items: vec![title.into()],
        offer: offer.map(str::to_string),
    }
}

fn round(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn answer(provider: &str, need: &str, state: ConfirmationState, round_no: u128) -> Answer {
    Answer {
        provider: provider.into(),
        need: need.into(),
        confirmation: Confirmation {
            state,
            round: round(round_no),
            interface: None,
            available_from: None,
            conditions: None,
            legal_reason: None,
        },
    }
}

#[test]
fn each_named_provider_is_asked_about_its_needs_matched_or_not() {
    let by_provider = addressed_needs(&matrix());
    assert_eq!(
        by_provider.keys().collect::<Vec<_>>(),
        vec!["CBI", "IRICA"],
        "`unknown` is asked nothing"
    );
    assert_eq!(
        by_provider["IRICA"],
        vec![addressed("MIMT/needs/0", "شرح کالا", Some("IRICA/offers/0"))]
    );
    assert_eq!(
        by_provider["CBI"],
        vec![addressed("MIMT/needs/1", "نرخ ارز", None)]
    );
}

#[test]
fn the_round_params_give_each_provider_its_list() {
    let params = json!({"needs_by_provider": addressed_needs(&matrix())});
    assert_eq!(addressed_to(&params, "CBI").len(), 1);
    assert_eq!(addressed_to(&params, "MIMT"), Vec::new());
}

fn pointers(addressed: &[AddressedNeed], data: Value) -> Vec<String> {
    check_answers(addressed, &data)
        .into_iter()
        .map(|v| v.instance_path)
        .collect()
}

#[test]
fn an_answer_for_a_need_not_addressed_is_refused_at_its_pointer() {
    let asked = [addressed("MIMT/needs/0", "شرح کالا", None)];
    let data = json!({"answers": [
        {"need": "MIMT/needs/0", "decision": "agree"},
        {"need": "MIMT/needs/1", "decision": "decline"}
    ]});
    assert_eq!(pointers(&asked, data), vec!["/answers/1/need"]);
}

#[test]
fn a_need_answered_twice_is_refused_at_the_second_answer() {
    let asked = [addressed("MIMT/needs/0", "شرح کالا", None)];
    let data = json!({"answers": [
        {"need": "MIMT/needs/0", "decision": "agree"},
        {"need": "MIMT/needs/0", "decision": "decline"}
    ]});
    assert_eq!(pointers(&asked, data), vec!["/answers/1/need"]);
}

#[test]
fn every_addressed_need_must_be_answered() {
    let asked = [
        addressed("MIMT/needs/0", "شرح کالا", None),
        addressed("MIMT/needs/1", "نرخ ارز", None),
    ];
    let data = json!({"answers": [{"need": "MIMT/needs/1", "decision": "agree"}]});
    let violations = check_answers(&asked, &data);
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].instance_path, "/answers");
    assert!(violations[0].message.contains("MIMT/needs/0"));
    let all = json!({"answers": [
        {"need": "MIMT/needs/1", "decision": "agree"},
        {"need": "MIMT/needs/0", "decision": "decline"}
    ]});
    assert_eq!(pointers(&asked, all), Vec::<String>::new());
}

#[test]
fn accepted_answers_mark_matched_entries_and_unmatched_needs() {
    let mut m = matrix();
    apply_confirmations(
        &mut m,
        &[
            answer("IRICA", "MIMT/needs/0", ConfirmationState::Confirmed, 1),
            answer("CBI", "MIMT/needs/1", ConfirmationState::Declined, 1),
        ],
    );
    let cell = m.cells.iter().find(|c| c.provider == "IRICA").unwrap();
    let state = cell.matched[0].confirmation.as_ref().map(|c| c.state);
    assert_eq!(state, Some(ConfirmationState::Confirmed));
    let cbi = m
        .unmatched_needs
        .iter()
        .find(|u| u.need.reference == "MIMT/needs/1")
        .unwrap();
    assert_eq!(
        cbi.confirmation.as_ref().map(|c| c.state),
        Some(ConfirmationState::Declined)
    );
    assert_eq!(
        cell_confirmations(&m),
        vec![
            CellConfirmations {
                consumer: "MIMT".into(),
                provider: "CBI".into(),
                confirmed: 0,
                conditional: 0,
                declined: 1,
            },
            CellConfirmations {
                consumer: "MIMT".into(),
                provider: "IRICA".into(),
                confirmed: 1,
                conditional: 0,
                declined: 0,
            },
        ]
    );
}

#[test]
fn only_the_named_provider_confirms_and_the_latest_answer_wins() {
    let mut m = matrix();
    apply_confirmations(
        &mut m,
        &[
            answer("CBI", "MIMT/needs/0", ConfirmationState::Declined, 1),
            answer("IRICA", "MIMT/needs/0", ConfirmationState::Declined, 1),
            answer("IRICA", "MIMT/needs/0", ConfirmationState::Conditional, 2),
        ],
    );
    let cell = m.cells.iter().find(|c| c.provider == "IRICA").unwrap();
    let confirmation = cell.matched[0].confirmation.as_ref().unwrap();
    assert_eq!(confirmation.state, ConfirmationState::Conditional);
    assert_eq!(confirmation.round, round(2));
    assert!(m.unmatched_needs.iter().all(|u| u.confirmation.is_none()));
}

#[test]
fn a_matrix_without_answers_serializes_as_before() {
    let mut m = matrix();
    apply_confirmations(&mut m, &[]);
    assert!(!serde_json::to_string(&m).unwrap().contains("confirmation"));
    assert_eq!(cell_confirmations(&m), Vec::new());
}
