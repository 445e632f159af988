//! Duplicates, determinism and the JSON shape.

use serde_json::json;

use super::*;
use crate::reports::duplicates::DuplicateKind;

#[test]
fn the_same_need_from_two_agencies_is_a_duplicate_but_not_from_one() {
    let m = build(vec![
        inventory(
            "CPPO",
            vec![need("INSO", &["شماره گواهی انطباق"], &["other"])],
            vec![],
        ),
        inventory(
            "IRICA",
            vec![
                need(
                    "INSO",
                    &["شماره گواهی انطباق", "وضعیت اعتبار گواهی"],
                    &["other"],
                ),
                need("INSO", &["وضعیت اعتبار گواهی"], &["other"]),
            ],
            vec![],
        ),
        inventory(
            "GDPO",
            vec![need("MIMT", &["شماره گواهی انطباق"], &["other"])],
            vec![],
        ),
    ]);
    assert_eq!(m.duplicates.len(), 1, "{:?}", m.duplicates);
    let d = &m.duplicates[0];
    assert_eq!(d.kind, DuplicateKind::Need);
    assert_eq!(d.provider.as_deref(), Some("INSO"));
    assert_eq!(d.agencies, ["CPPO", "IRICA"]);
    assert_eq!(
        d.entries,
        ["CPPO/needs/0", "IRICA/needs/0", "IRICA/needs/1"]
    );
    assert_eq!(
        d.data_items,
        ["شماره گواهی انطباق"],
        "only IRICA names the status"
    );
}

#[test]
fn offers_are_duplicates_when_they_share_two_items_or_a_whole_one_item_offer() {
    let any = || json!("any_with_legal_basis");
    let m = build(vec![
        inventory(
            "MIMT",
            vec![],
            vec![offer(
                any(),
                &[
                    "وضعیت کارت بازرگانی",
                    "تاریخ پایان اعتبار کارت",
                    "کد تعرفه کالا",
                ],
                &["other"],
            )],
        ),
        inventory(
            "ICCIMA",
            vec![],
            vec![offer(
                any(),
                &["وضعیت کارت بازرگانی", "تاریخ پایان اعتبار کارت"],
                &["other"],
            )],
        ),
        // One generic item in common with MIMT's: not the same data.
        inventory(
            "IRICA",
            vec![],
            vec![offer(any(), &["کد تعرفه کالا", "ارزش گمرکی"], &["other"])],
        ),
        // A one-item offer wholly inside another provider's offer.
        inventory(
            "POST",
            vec![],
            vec![offer(any(), &["نشانی کامل"], &["postal_code"])],
        ),
        inventory(
            "ICG",
            vec![],
            vec![offer(any(), &["نشانی کامل", "نوع رسته صنفی"], &["other"])],
        ),
    ]);
    let groups: Vec<(DuplicateKind, Vec<String>)> = m
        .duplicates
        .iter()
        .map(|d| {
            (
                d.kind,
                d.entries
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                DuplicateKind::Offer,
                vec!["ICCIMA/offers/0".to_string(), "MIMT/offers/0".to_string()]
            ),
            (
                DuplicateKind::Offer,
                vec!["ICG/offers/0".to_string(), "POST/offers/0".to_string()]
            ),
        ]
    );
    assert_eq!(m.duplicates[0].data_items.len(), 2);
    assert!(m.duplicates[0].provider.is_none());
}

/// CPPO needs ICG's licence numbers; ICG offers them to CPPO.
fn licence_need_and_offer() -> ((String, Value), (String, Value)) {
    let a = inventory(
        "CPPO",
        vec![need("ICG", &["شماره پروانه کسب"], &["national_id"])],
        vec![],
    );
    let b = inventory(
        "ICG",
        vec![],
        vec![offer(
            json!(["CPPO"]),
            &["شماره پروانه کسب"],
            &["national_id"],
        )],
    );
    (a, b)
}

#[test]
fn order_of_inventories_does_not_matter_and_a_later_one_replaces_an_earlier() {
    let (a, b) = licence_need_and_offer();
    let old = inventory(
        "ICG",
        vec![],
        vec![offer(json!(["GDPO"]), &["چیز دیگر"], &["other"])],
    );
    let forward = build(vec![a.clone(), old.clone(), b.clone()]);
    let participants: Vec<String> = vec!["ICG".into(), "CPPO".into()];
    let backward = built(&participants, &[old, b, a], &CatalogueIndex::default());
    assert_eq!(forward, backward);
    assert_eq!(matched(&forward).len(), 1);
}

#[test]
fn codes_that_differ_only_in_spaces_are_one_agency_whose_later_inventory_counts() {
    let (a, b) = licence_need_and_offer();
    let spaced = inventory(
        " ICG ",
        vec![],
        vec![offer(json!(["GDPO"]), &["چیز دیگر"], &["other"])],
    );
    let participants: Vec<String> = vec!["CPPO".into(), "ICG".into()];
    let m = built(&participants, &[a, spaced, b], &CatalogueIndex::default());
    let codes: Vec<&str> = m.agencies.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        codes,
        ["CPPO", "ICG"],
        "GDPO was named only by the replaced inventory"
    );
    assert_eq!(matched(&m).len(), 1);
    assert_eq!(
        m.unused_offers.len(),
        0,
        "the spaced inventory was replaced"
    );
}

#[test]
fn the_matrix_round_trips_through_json_in_the_documented_shape() {
    let m = build(vec![inventory(
        "IRICA",
        vec![need("unknown", &["x"], &["other"])],
        vec![offer(json!("any_with_legal_basis"), &["y"], &["other"])],
    )]);
    let value = serde_json::to_value(&m).unwrap();
    for key in [
        "agencies",
        "cells",
        "unmatched_needs",
        "unused_offers",
        "duplicates",
    ] {
        assert!(value[key].is_array(), "{key}");
    }
    assert_eq!(value["unmatched_needs"][0]["ref"], "IRICA/needs/0");
    assert_eq!(value["unmatched_needs"][0]["reason"], "provider_unknown");
    assert_eq!(
        value["unused_offers"][0]["consumer_agencies"],
        "any_with_legal_basis"
    );
    assert_eq!(serde_json::from_value::<ExchangeMatrix>(value).unwrap(), m);
}
