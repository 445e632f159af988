//! Which offers meet a need, and why a need stays unmatched.

use serde_json::json;

use super::*;

#[test]
fn a_shared_item_spelled_differently_meets_the_need_of_a_listed_consumer() {
    let m = build(vec![
        inventory(
            "IRICA",
            vec![need(
                "MIMT",
                &["وضعيت كارت بازرگاني"],
                &["commercial_card_no"],
            )],
            vec![],
        ),
        inventory(
            "MIMT",
            vec![],
            vec![offer(
                json!(["IRICA"]),
                &["وضعیت کارت\u{200c} بازرگانی", "نام دارنده"],
                &["commercial_card_no"],
            )],
        ),
    ]);
    assert_eq!(
        matched(&m),
        [triple("IRICA/needs/0", "MIMT/offers/0", Basis::DataItems)]
    );
    let cell = &m.cells[0];
    assert_eq!(
        (cell.consumer.as_str(), cell.provider.as_str()),
        ("IRICA", "MIMT")
    );
    assert_eq!(cell.offers[0].reference, "MIMT/offers/0");
    // Shown as the need wrote it (Arabic ي/ك), never in the folded spelling.
    assert_eq!(cell.matched[0].data_items, ["وضعيت كارت بازرگاني"]);
    assert_eq!(*cell.needs[0].data_items, ["وضعيت كارت بازرگاني"]);
    assert_eq!(
        cell.offers[0].data_items,
        ["وضعیت کارت\u{200c} بازرگانی", "نام دارنده"]
    );
    assert_eq!(cell.matched[0].quality, Quality::Full);
    assert!(cell.matched[0].missing_items.is_empty());
    assert_eq!(cell.matched[0].lookup_keys, ["commercial_card_no"]);
    assert!(m.unmatched_needs.is_empty() && m.unused_offers.is_empty());
}

#[test]
fn a_name_typed_with_spaces_around_it_is_shown_without_them_every_time() {
    let padded = "  نشانی کارگاه ";
    let m = build(vec![
        inventory(
            "IRICA",
            vec![
                need("MIMT", &[padded, "نام دارنده"], &["other"]),
                need("MIMT", &[padded], &["other"]),
            ],
            vec![],
        ),
        inventory(
            "MIMT",
            vec![],
            vec![offer(
                json!("any_with_legal_basis"),
                &["نشانی کارگاه"],
                &["other"],
            )],
        ),
    ]);
    let cell = &m.cells[0];
    assert_eq!(cell.matched.len(), 2, "the second need meets it too");
    for need in &cell.needs {
        assert_eq!(need.data_items[0], "نشانی کارگاه");
    }
    assert_eq!(cell.matched[0].data_items, ["نشانی کارگاه"]);
    assert_eq!(cell.matched[0].missing_items, ["نام دارنده"]);
    assert_eq!(cell.matched[1].quality, Quality::Full);
}

#[test]
fn an_offer_closed_to_the_consumer_leaves_the_need_unmatched_with_a_candidate() {
    let m = build(vec![
        inventory(
            "IDRO",
            vec![need("IRICA", &["ارزش گمرکی"], &["customs_declaration_no"])],
            vec![],
        ),
        inventory(
            "IRICA",
            vec![],
            vec![
                offer(
                    json!(["MIMT"]),
                    &["ارزش گمرکی"],
                    &["customs_declaration_no"],
                ),
                // Open to all and keyed the same way, but about other data: not a fallback.
                offer(
                    json!("any_with_legal_basis"),
                    &["آمار صادرات"],
                    &["customs_declaration_no"],
                ),
            ],
        ),
    ]);
    assert!(matched(&m).is_empty());
    assert_eq!(
        unmatched(&m),
        [(
            "IDRO/needs/0".into(),
            Reason::NotOfferedToConsumer,
            vec!["IRICA/offers/0".into()]
        )]
    );
    assert_eq!(m.cells.len(), 1, "the pair still has its cell");
    assert!(m.cells[0].offers.is_empty());
    assert_eq!(m.unused_offers.len(), 2);
}

#[test]
fn any_with_legal_basis_is_open_to_every_agency() {
    let m = build(vec![
        inventory(
            "ECDC",
            vec![need("NOCR", &["نام", "نام خانوادگی"], &["national_id"])],
            vec![],
        ),
        inventory(
            "NOCR",
            vec![],
            vec![offer(
                json!("any_with_legal_basis"),
                &["نام خانوادگی"],
                &["national_id"],
            )],
        ),
    ]);
    assert_eq!(
        matched(&m),
        [triple("ECDC/needs/0", "NOCR/offers/0", Basis::DataItems)]
    );
}

#[test]
fn a_shared_lookup_key_alone_is_not_a_match() {
    let m = build(vec![
        inventory(
            "CBI",
            vec![need(
                "INTA",
                &["شماره گواهی مفاصاحساب"],
                &["legal_entity_national_id", "other"],
            )],
            vec![],
        ),
        inventory(
            "INTA",
            vec![],
            vec![
                offer(
                    json!(["CBI"]),
                    &["بدهی مالیاتی قطعی"],
                    &["legal_entity_national_id"],
                ),
                offer(json!(["CBI"]), &["کد اقتصادی"], &["other"]),
                // Keyed the same, but not open to CBI: not named.
                offer(
                    json!(["MIMT"]),
                    &["درآمد مشمول مالیات"],
                    &["legal_entity_national_id"],
                ),
            ],
        ),
    ]);
    assert!(matched(&m).is_empty());
    assert_eq!(
        unmatched(&m),
        [("CBI/needs/0".into(), Reason::LookupKeyOnly, vec![])]
    );
    assert_eq!(m.unmatched_needs[0].offers, ["INTA/offers/0"]);
    let counts = m.cells[0].counts;
    assert_eq!(
        (
            counts.full,
            counts.partial,
            counts.lookup_key_only,
            counts.none
        ),
        (0, 0, 1, 0)
    );
    assert!(m.cells[0].offers.is_empty(), "a lookup key meets nothing");
    assert_eq!(m.unused_offers.len(), 3);
}

#[test]
fn identifier_items_count_as_lookup_keys_not_as_data() {
    // Both list «کد ملی», which says how to find a person, not what is wanted.
    let m = build(vec![
        inventory(
            "INTA",
            vec![need("NOCR", &["کد ملی", "تاریخ فوت"], &["other"])],
            vec![],
        ),
        inventory(
            "NOCR",
            vec![],
            vec![
                offer(
                    json!("any_with_legal_basis"),
                    &["کد ملی", "نام"],
                    &["other"],
                ),
                offer(
                    json!("any_with_legal_basis"),
                    &["کدملی", "تاریخ فوت"],
                    &["other"],
                ),
            ],
        ),
    ]);
    assert_eq!(
        matched(&m),
        [triple("INTA/needs/0", "NOCR/offers/1", Basis::DataItems)]
    );
    assert_eq!(m.cells[0].matched[0].lookup_keys, ["national_id"]);
    assert_eq!(m.unused_offers[0].reference, "NOCR/offers/0");
}

#[test]
fn nothing_shared_is_no_matching_offer() {
    let m = build(vec![
        inventory(
            "PPO",
            vec![need(
                "IRICA",
                &["نوع محصول وارداتی"],
                &["customs_declaration_no"],
            )],
            vec![],
        ),
        inventory(
            "IRICA",
            vec![],
            vec![offer(
                json!("any_with_legal_basis"),
                &["آمار صادرات"],
                &["other"],
            )],
        ),
    ]);
    assert_eq!(
        unmatched(&m),
        [("PPO/needs/0".into(), Reason::NoMatchingOffer, vec![])]
    );
}

#[test]
fn an_unknown_provider_is_listed_with_where_the_data_may_be() {
    let m = build(vec![
        inventory(
            "IRICA",
            vec![need("unknown", &["نام تجاری كالا"], &["other"])],
            vec![],
        ),
        inventory(
            "IRANCODE",
            vec![],
            vec![offer(
                json!("any_with_legal_basis"),
                &["نام تجاری کالا"],
                &["other"],
            )],
        ),
    ]);
    assert_eq!(
        unmatched(&m),
        [(
            "IRICA/needs/0".into(),
            Reason::ProviderUnknown,
            vec!["IRANCODE/offers/0".into()]
        )]
    );
    assert!(m.cells.is_empty(), "unknown is not an agency: no cell");
    assert_eq!(m.unused_offers.len(), 1, "a candidate is not a match");
    assert!(m.agencies.iter().all(|a| a.code != "unknown"));
}

#[test]
fn a_provider_without_an_accepted_inventory_is_named_as_the_reason() {
    let inventories = vec![inventory(
        "CPPO",
        vec![need("ICG", &["شماره پروانه کسب"], &["national_id"])],
        vec![],
    )];
    let participants = vec!["CPPO".to_string(), "ICG".to_string()];
    let m = built(&participants, &inventories, &CatalogueIndex::default());
    assert_eq!(
        unmatched(&m),
        [(
            "CPPO/needs/0".into(),
            Reason::ProviderHasNoAcceptedInventory,
            vec![]
        )]
    );
    let icg = m.agencies.iter().find(|a| a.code == "ICG").unwrap();
    assert!(icg.participant && !icg.inventory_accepted);
}

#[test]
fn agencies_named_but_not_participating_are_on_the_axes() {
    let m = build(vec![inventory(
        "IRICA",
        vec![],
        vec![offer(json!(["MIMT", "CBI"]), &["ارزش گمرکی"], &["other"])],
    )]);
    let codes: Vec<(&str, bool)> = m
        .agencies
        .iter()
        .map(|a| (a.code.as_str(), a.participant))
        .collect();
    assert_eq!(codes, [("CBI", false), ("IRICA", true), ("MIMT", false)]);
}

#[test]
fn an_agencys_own_offer_is_not_a_candidate_for_its_need() {
    let m = build(vec![
        inventory(
            "IVO",
            vec![need("IRICA", &["کشور مبدا"], &["customs_declaration_no"])],
            vec![offer(
                json!(["IRICA"]),
                &["کشور مبدا"],
                &["customs_declaration_no"],
            )],
        ),
        inventory(
            "IRICA",
            vec![],
            vec![offer(
                json!(["MIMT"]),
                &["کشور مبدا"],
                &["customs_declaration_no"],
            )],
        ),
    ]);
    assert_eq!(
        unmatched(&m),
        [(
            "IVO/needs/0".into(),
            Reason::NotOfferedToConsumer,
            vec!["IRICA/offers/0".into()]
        )]
    );
}
