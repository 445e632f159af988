//! Match quality, the counts of cells and totals, catalogue items and conflicts of
//! authoritative masters, each against an answer worked out by hand.

use serde_json::{Value, json};

use super::*;

fn master(mut offer: Value, authoritative: bool) -> Value {
    offer["source_register"] =
        json!({"system_name": "سامانه", "is_authoritative_master": authoritative});
    offer
}

#[test]
fn an_offer_with_some_of_the_items_is_partial_and_names_the_rest_as_submitted() {
    let m = build(vec![
        inventory(
            "IRICA",
            vec![need(
                "MIMT",
                &["وضعيت كارت بازرگاني", "تاريخ انقضاء كارت", "رشته فعالیت"],
                &["commercial_card_no"],
            )],
            vec![],
        ),
        inventory(
            "MIMT",
            vec![],
            vec![
                offer(
                    json!(["IRICA"]),
                    &["وضعیت کارت بازرگانی"],
                    &["commercial_card_no"],
                ),
                offer(
                    json!("any_with_legal_basis"),
                    &["وضعیت کارت بازرگانی", "تاریخ انقضای کارت", "رشته‌ی فعالیت"],
                    &["other"],
                ),
            ],
        ),
    ]);
    let found: Vec<(&str, Quality, Vec<String>)> = m.cells[0]
        .matched
        .iter()
        .map(|x| {
            (
                x.offer.as_str(),
                x.quality,
                x.missing_items
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "MIMT/offers/0",
                Quality::Partial,
                vec!["تاريخ انقضاء كارت".to_string(), "رشته فعالیت".to_string()]
            ),
            // «انقضاء»/«انقضای» does not fold: the ی of the ezafe written as a letter stays.
            (
                "MIMT/offers/1",
                Quality::Partial,
                vec!["تاريخ انقضاء كارت".to_string()]
            ),
        ]
    );
    let c = m.cells[0].counts;
    assert_eq!((c.full, c.partial, c.lookup_key_only, c.none), (0, 1, 0, 0));
}

#[test]
fn cells_and_totals_count_each_need_once_by_its_best_match() {
    let any = || json!("any_with_legal_basis");
    let m = build(vec![
        inventory(
            "GDPO",
            vec![
                // Full through offers/1, partial through offers/0: full.
                need("MIMT", &["نام واحد", "وضعیت پروانه"], &["other"]),
                need("MIMT", &["نام واحد", "ظرفیت اسمی"], &["other"]),
                need("MIMT", &["میزان تولید"], &["national_id"]),
                need("MIMT", &["سهم بازار"], &["other"]),
                need("unknown", &["نام واحد"], &["other"]),
            ],
            vec![],
        ),
        inventory(
            "MIMT",
            vec![],
            vec![
                offer(any(), &["نام واحد"], &["national_id"]),
                offer(any(), &["وضعیت پروانه", "نام واحد"], &["other"]),
            ],
        ),
    ]);
    let c = m.cells[0].counts;
    assert_eq!((c.full, c.partial, c.lookup_key_only, c.none), (1, 1, 1, 1));
    let t = m.totals;
    assert_eq!(
        (t.full, t.partial, t.lookup_key_only, t.none),
        (1, 1, 1, 2),
        "the need of unknown has no cell but counts"
    );
    let reasons: Vec<(String, Reason)> = m
        .unmatched_needs
        .iter()
        .map(|u| (u.need.reference.to_string(), u.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ("GDPO/needs/2".to_string(), Reason::LookupKeyOnly),
            ("GDPO/needs/3".to_string(), Reason::NoMatchingOffer),
            ("GDPO/needs/4".to_string(), Reason::ProviderUnknown),
        ]
    );
}

#[test]
fn the_new_identifiers_are_lookup_keys_not_data() {
    // Both name the order by its registration number: that finds the record, it is not
    // what is wanted.
    let m = build(vec![
        inventory(
            "CBI",
            vec![need("MIMT", &["شماره ثبت سفارش", "ارز تخصیصی"], &["other"])],
            vec![],
        ),
        inventory(
            "MIMT",
            vec![],
            vec![offer(
                json!(["CBI"]),
                &["شماره‌ی ثبت سفارش", "ارزش ثبت سفارش"],
                &["other"],
            )],
        ),
    ]);
    assert!(matched(&m).is_empty());
    assert_eq!(
        unmatched(&m),
        [("CBI/needs/0".into(), Reason::LookupKeyOnly, vec![])]
    );
    assert_eq!(m.unmatched_needs[0].offers, ["MIMT/offers/0"]);
}

fn catalogue() -> CatalogueIndex {
    let mut index = CatalogueIndex::default();
    index.insert_item(
        "DI-1",
        ["وضعیت کارت بازرگانی", "اعتبار کارت بازرگانی"],
        None,
    );
    index.insert_item("DI-2", ["ایران کد کالا", "شناسه کالا"], Some("iran_code"));
    index.insert_item("DI-3", ["نام کالا"], None);
    index.insert_former_id("DI-9", "DI-1");
    index
}

#[test]
fn catalogue_items_meet_through_ids_synonyms_and_former_ids() {
    let items = |list: &[(&str, Option<&str>)]| -> Vec<Value> {
        list.iter()
            .map(|(name, id)| match id {
                Some(id) => json!({"name": name, "catalogue_id": id}),
                None => json!({"name": name}),
            })
            .collect()
    };
    let inventories = vec![
        (
            "IRICA".to_string(),
            json!({"needs": [
                // By a former id and by a synonym: DI-1 both.
                {"title": "کارت", "provider_agency": "MIMT", "data_items": items(&[("اعتبار کارت", Some("DI-9"))]), "lookup_keys": ["other"]},
                // A catalogue identifier and a name the catalogue does not know.
                {"title": "کالا", "provider_agency": "MIMT", "data_items": items(&[("کد کالا", Some("DI-2")), ("وزن کالا", None)]), "lookup_keys": ["other"]},
            ], "offers": []}),
        ),
        (
            "MIMT".to_string(),
            json!({"needs": [], "offers": [
                {"title": "کارت", "consumer_agencies": "any_with_legal_basis", "data_items": items(&[("اعتبار کارت بازرگانی", None), ("وزن کالا", None)]), "lookup_keys": ["iran_code"]},
            ]}),
        ),
    ];
    let m = built(&["IRICA".to_string()], &inventories, &catalogue());
    let found: Vec<(&str, Basis, Quality, Vec<String>)> = m.cells[0]
        .matched
        .iter()
        .map(|x| {
            (
                x.need.as_str(),
                x.on,
                x.quality,
                x.data_items
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "IRICA/needs/0",
                Basis::CatalogueItems,
                Quality::Full,
                vec!["اعتبار کارت".to_string()]
            ),
            // «وزن کالا» is no catalogue item: it meets by name; DI-2 is the iran_code key.
            (
                "IRICA/needs/1",
                Basis::DataItems,
                Quality::Full,
                vec!["وزن کالا".to_string()]
            ),
        ]
    );
    assert_eq!(m.cells[0].matched[1].lookup_keys, ["iran_code"]);
    // Without the catalogue «اعتبار کارت» meets nothing, and «کد کالا» is an item.
    let plain = built(
        &["IRICA".to_string()],
        &inventories,
        &CatalogueIndex::default(),
    );
    let c = plain.cells[0].counts;
    assert_eq!((c.full, c.partial, c.lookup_key_only, c.none), (0, 1, 0, 1));
}

#[test]
fn two_providers_claiming_the_master_copy_of_an_item_are_a_conflict() {
    let any = || json!("any_with_legal_basis");
    let m = build(vec![
        inventory(
            "ICCIMA",
            vec![],
            vec![master(
                offer(any(), &["وضعيت كارت بازرگاني", "نام دارنده"], &["other"]),
                true,
            )],
        ),
        inventory(
            "MIMT",
            vec![],
            vec![
                master(
                    offer(any(), &["وضعیت کارت بازرگانی", "نام دارنده"], &["other"]),
                    true,
                ),
                master(offer(any(), &["وضعیت کارت‌بازرگانی"], &["other"]), true),
            ],
        ),
        // A replica, not a claim.
        inventory(
            "IRICA",
            vec![],
            vec![master(offer(any(), &["نام دارنده"], &["other"]), false)],
        ),
        // The master of something else, and an identifier (never an item).
        inventory(
            "NOCR",
            vec![],
            vec![master(
                offer(any(), &["تاریخ تولد", "کد ملی"], &["other"]),
                true,
            )],
        ),
        inventory(
            "SSAA",
            vec![],
            vec![master(offer(any(), &["کد ملی", "نشانی"], &["other"]), true)],
        ),
    ]);
    let conflicts: Vec<(&str, Vec<String>, Vec<String>)> = m
        .conflicts
        .iter()
        .map(|c| {
            (
                c.item.as_str(),
                c.providers
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                c.offers.iter().map(ToString::to_string).collect::<Vec<_>>(),
            )
        })
        .collect();
    let codes = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        conflicts,
        [
            (
                "وضعيت كارت بازرگاني",
                codes(&["ICCIMA", "MIMT"]),
                codes(&["ICCIMA/offers/0", "MIMT/offers/0", "MIMT/offers/1"])
            ),
            (
                "نام دارنده",
                codes(&["ICCIMA", "MIMT"]),
                codes(&["ICCIMA/offers/0", "MIMT/offers/0"])
            ),
        ]
    );
    assert_eq!(
        serde_json::to_value(&m.conflicts[1]).unwrap(),
        json!({"item": "نام دارنده", "providers": ["ICCIMA", "MIMT"], "offers": ["ICCIMA/offers/0", "MIMT/offers/0"]})
    );
}
