//! The matrix on small hand-made inventories: the matching rule one clause at a time
//! ([`matching`]), then duplicates and the shape of the result ([`shape`]).

use serde_json::{Value, json};

mod matching;
mod nil_return;
mod quality;
mod shape;

use super::*;

pub(super) fn need(provider: &str, items: &[&str], keys: &[&str]) -> Value {
    let items: Vec<Value> = items.iter().map(|n| json!({"name": n})).collect();
    json!({"title": format!("نیاز از {provider}"), "provider_agency": provider, "data_items": items, "lookup_keys": keys})
}

pub(super) fn offer(consumers: Value, items: &[&str], keys: &[&str]) -> Value {
    let items: Vec<Value> = items.iter().map(|n| json!({"name": n})).collect();
    json!({"title": "عرضه", "consumer_agencies": consumers, "data_items": items, "lookup_keys": keys})
}

pub(super) fn inventory(agency: &str, needs: Vec<Value>, offers: Vec<Value>) -> (String, Value) {
    (
        agency.to_string(),
        json!({"needs": needs, "offers": offers}),
    )
}

pub(super) fn build(inventories: Vec<(String, Value)>) -> ExchangeMatrix {
    let participants: Vec<String> = inventories.iter().map(|(a, _)| a.clone()).collect();
    built(&participants, &inventories, &CatalogueIndex::default())
}

/// [`build_matrix`], checked to give the same matrix whether the inventories are read in
/// one part or in two (on two threads, numbered apart, then renumbered).
pub(super) fn built(
    participants: &[String],
    inventories: &[(String, Value)],
    catalogue: &CatalogueIndex,
) -> ExchangeMatrix {
    let whole = super::build(participants, inventories, catalogue, Some(false));
    let parts = super::build(participants, inventories, catalogue, Some(true));
    assert_eq!(
        whole, parts,
        "read in two parts, the inventories give another matrix"
    );
    whole
}

pub(super) fn matched(m: &ExchangeMatrix) -> Vec<(String, String, Basis)> {
    m.cells
        .iter()
        .flat_map(|c| &c.matched)
        .map(|m| (m.need.to_string(), m.offer.to_string(), m.on))
        .collect()
}

pub(super) fn unmatched(m: &ExchangeMatrix) -> Vec<(String, Reason, Vec<String>)> {
    m.unmatched_needs
        .iter()
        .map(|u| {
            (
                u.need.reference.to_string(),
                u.reason,
                u.candidates
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

pub(super) fn triple(need: &str, offer: &str, on: Basis) -> (String, String, Basis) {
    (need.into(), offer.into(), on)
}
