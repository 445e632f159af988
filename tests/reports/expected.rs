//! The matrix written the way `expected-matrix.json` writes it — one line per fact, lists
//! sorted — so the two compare line by line and a difference reads as a sentence. A cell's
//! `counts` are [full, partial, lookup_key_only, none].

use std::collections::BTreeMap;

use daftar::reports::ExchangeMatrix;
use daftar::reports::duplicates::DuplicateKind;
use daftar::reports::matrix::{Basis, Quality};
use serde_json::Value;

use crate::support::seed::fixture;

fn sorted<T: ToString>(items: Vec<T>) -> String {
    let mut items: Vec<String> = items.iter().map(ToString::to_string).collect();
    items.sort();
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

/// The list after the last ": " sorted, so the hand-written file need not sort Persian by
/// code point.
fn canonical(line: &str) -> String {
    match line.rsplit_once(": ") {
        Some((head, list)) if list != "-" => {
            format!(
                "{head}: {}",
                sorted(list.split(", ").map(str::to_string).collect())
            )
        }
        _ => line.to_string(),
    }
}

fn lines(value: &Value) -> Vec<String> {
    let mut lines: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|l| canonical(l.as_str().unwrap()))
        .collect();
    lines.sort();
    lines
}

fn cells(m: &ExchangeMatrix) -> BTreeMap<String, Value> {
    m.cells
        .iter()
        .map(|c| {
            let needs: Vec<&str> = c.needs.iter().map(|n| n.reference.as_str()).collect();
            let offers: Vec<&str> = c.offers.iter().map(|o| o.reference.as_str()).collect();
            let key = format!("{} → {}", c.consumer, c.provider);
            let q = c.counts;
            let counts = [q.full, q.partial, q.lookup_key_only, q.none];
            let cell = serde_json::json!({"needs": needs, "offers": offers, "counts": counts});
            (key, cell)
        })
        .collect()
}

fn matches(m: &ExchangeMatrix) -> Vec<String> {
    let mut lines: Vec<String> = m
        .cells
        .iter()
        .flat_map(|c| &c.matched)
        .map(|x| {
            let on = match x.on {
                Basis::DataItems => "data_items",
                Basis::CatalogueItems => "catalogue_items",
            };
            let quality = match x.quality {
                Quality::Full => "full".to_string(),
                Quality::Partial => format!("partial, missing {}", x.missing_items.join(" + ")),
            };
            format!(
                "{} → {} on {on}, {quality}: {}",
                x.need,
                x.offer,
                sorted(x.data_items.to_vec())
            )
        })
        .collect();
    lines.sort();
    lines
}

fn unmatched(m: &ExchangeMatrix) -> Vec<String> {
    let mut lines: Vec<String> = m
        .unmatched_needs
        .iter()
        .map(|u| {
            let reason = serde_json::to_value(u.reason).unwrap();
            let reason = reason.as_str().unwrap();
            let candidates = sorted(u.candidates.clone());
            let offers = match u.offers.is_empty() {
                true => String::new(),
                false => format!("; offers: {}", u.offers.join(" + ")),
            };
            format!(
                "{} {reason}{offers}; candidates: {candidates}",
                u.need.reference
            )
        })
        .collect();
    lines.sort();
    lines
}

fn duplicates(m: &ExchangeMatrix) -> Vec<String> {
    let mut lines: Vec<String> = m
        .duplicates
        .iter()
        .map(|d| {
            let kind = match d.kind {
                DuplicateKind::Need => format!("need from {}", d.provider.as_deref().unwrap()),
                DuplicateKind::Offer => "offer".to_string(),
            };
            let shared = sorted(d.data_items.clone());
            format!("{kind}: {}; shared: {shared}", d.entries.join(", "))
        })
        .collect();
    lines.sort();
    lines
}

fn conflicts(m: &ExchangeMatrix) -> Vec<String> {
    let mut lines: Vec<String> = m
        .conflicts
        .iter()
        .map(|c| {
            let offers = c.offers.join(" + ");
            let providers = sorted(c.providers.clone());
            format!("{} ← {offers} claimed by: {providers}", c.item)
        })
        .collect();
    lines.sort();
    lines
}

pub fn assert_matches_hand_worked_result(m: &ExchangeMatrix) {
    let expected = fixture("tests/fixtures/inventories/expected-matrix.json");
    let want: BTreeMap<String, Value> = serde_json::from_value(expected["cells"].clone()).unwrap();
    let got = cells(m);
    for key in want.keys().chain(got.keys()) {
        assert_eq!(got.get(key), want.get(key), "cell {key}");
    }
    assert_eq!(matches(m), lines(&expected["matches"]));
    assert_eq!(unmatched(m), lines(&expected["unmatched_needs"]));
    let unused: Vec<String> = m
        .unused_offers
        .iter()
        .map(|o| o.reference.to_string())
        .collect();
    assert_eq!(unused, lines(&expected["unused_offers"]));
    assert_eq!(duplicates(m), lines(&expected["duplicates"]));
    assert_eq!(conflicts(m), lines(&expected["conflicts"]));
    let t = m.totals;
    let totals = serde_json::json!({"full": t.full, "partial": t.partial, "lookup_key_only": t.lookup_key_only, "none": t.none});
    assert_eq!(totals, expected["totals"]);
}
