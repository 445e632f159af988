//! The catalogue's rules, given / when / then, with expected answers written by hand.

use chrono::{TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use super::decide::{CatalogueCommand as C, Details};
use super::*;

fn any_key(key: &str) -> bool {
    ["national_id", "postal_code"].contains(&key)
}

fn given(events: Vec<CatalogueEvent>) -> Catalogue {
    let mut state = Catalogue::default();
    for (i, event) in events.into_iter().enumerate() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        state.apply(i as i64 + 1, at, event);
    }
    state
}

fn added(id: &str, name: &str, synonyms: &[&str]) -> CatalogueEvent {
    CatalogueEvent::ItemAdded {
        id: id.into(),
        name: name.into(),
        synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
        name_en: None,
        lookup_key: None,
        description: None,
        by: "sec".into(),
    }
}

fn when(state: &Catalogue, command: C) -> Result<Vec<CatalogueEvent>, CatalogueError> {
    decide(state, command, "sec", &any_key)
}

fn merged(from: &str, into: &str) -> CatalogueEvent {
    CatalogueEvent::ItemsMerged {
        from: from.into(),
        into: into.into(),
        by: "sec".into(),
    }
}

fn merge(from: &str, into: &str) -> C {
    C::Merge {
        from: from.into(),
        into: into.into(),
    }
}

fn pointer(result: Result<Vec<CatalogueEvent>, CatalogueError>) -> String {
    match result {
        Err(CatalogueError::Invalid(pointer, _)) => pointer,
        other => panic!("expected an invalid command, got {other:?}"),
    }
}

#[test]
fn an_added_item_takes_the_next_number_and_a_tidied_name() {
    let state = given(vec![added("DI-1", "کد ملی", &[])]);
    let events = when(
        &state,
        C::Add {
            name: "  تاریخ   تولد ".into(),
            synonyms: vec!["زادروز".into()],
            details: Details {
                lookup_key: Some(" ".into()),
                ..Details::default()
            },
        },
    )
    .unwrap();
    assert_eq!(
        events,
        vec![CatalogueEvent::ItemAdded {
            id: "DI-2".into(),
            name: "تاریخ تولد".into(),
            synonyms: vec!["زادروز".into()],
            name_en: None,
            lookup_key: None,
            description: None,
            by: "sec".into(),
        }]
    );
}

#[test]
fn a_name_another_item_reads_is_refused_naming_that_item() {
    let state = given(vec![added("DI-1", "کد ملی", &["شماره ملی"])]);
    // Arabic kaf and yeh, and a ZWNJ: the same name folded.
    let result = when(
        &state,
        C::Add {
            name: "شماره‌ ملي".into(),
            synonyms: vec![],
            details: Details::default(),
        },
    );
    assert!(
        matches!(result, Err(CatalogueError::NameTaken(ref id, _)) if id == "DI-1"),
        "{result:?}"
    );
    let state = given(vec![
        added("DI-1", "کد ملی", &[]),
        added("DI-2", "کد پستی", &[]),
    ]);
    let result = when(
        &state,
        C::AddSynonym {
            id: "DI-2".into(),
            synonym: "كد ملی".into(),
        },
    );
    assert!(matches!(result, Err(CatalogueError::NameTaken(ref id, _)) if id == "DI-1"));
}

#[test]
fn a_merged_item_becomes_synonyms_of_the_survivor_and_its_id_resolves_there() {
    let state = given(vec![
        added("DI-1", "کد ملی", &[]),
        added("DI-2", "شماره ملی", &["کدملی فرد"]),
        merged("DI-2", "DI-1"),
    ]);
    let survivor = &state.items["DI-1"];
    assert_eq!(survivor.synonyms, vec!["شماره ملی", "کدملی فرد"]);
    assert_eq!(survivor.former_ids, vec!["DI-2"]);
    assert!(!state.items.contains_key("DI-2"));
    assert_eq!(state.resolve("DI-2").map(|i| i.id.as_str()), Some("DI-1"));
    let index = state.index();
    assert_eq!(index.resolve("x", Some("DI-2")), Some("DI-1"));
    assert_eq!(index.resolve("کدملی فرد", None), Some("DI-1"));
    assert_eq!(index.version, 3);
}

#[test]
fn merging_an_item_into_itself_is_refused() {
    let state = given(vec![added("DI-1", "کد ملی", &[])]);
    assert_eq!(pointer(when(&state, merge("DI-1", "DI-1"))), "/into");
}

#[test]
fn merging_into_an_item_merged_away_into_oneself_is_a_cycle() {
    // DI-2 is now a synonym of DI-1: merging DI-1 into DI-2 would merge DI-1 into itself.
    let state = given(vec![
        added("DI-1", "الف", &[]),
        added("DI-2", "ب", &[]),
        merged("DI-2", "DI-1"),
    ]);
    match when(&state, merge("DI-1", "DI-2")) {
        Err(CatalogueError::Invalid(pointer, why)) => {
            assert_eq!(pointer, "/into");
            assert!(why.contains("cycle"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pointer(when(&state, merge("DI-2", "DI-1"))), "/from");
}

#[test]
fn a_chain_of_merges_resolves_every_former_id_to_the_last_survivor() {
    let state = given(vec![
        added("DI-1", "الف", &[]),
        added("DI-2", "ب", &[]),
        added("DI-3", "پ", &[]),
        merged("DI-1", "DI-2"),
        merged("DI-2", "DI-3"),
    ]);
    assert_eq!(state.merged.get("DI-1").map(String::as_str), Some("DI-3"));
    assert_eq!(state.items["DI-3"].synonyms, vec!["ب", "الف"]);
    assert_eq!(state.items["DI-3"].former_ids, vec!["DI-2", "DI-1"]);
    // DI-1 was merged (through DI-2) into DI-3: merging DI-3 into DI-1 is a cycle.
    assert_eq!(pointer(when(&state, merge("DI-3", "DI-1"))), "/into");
}

#[test]
fn unknown_ids_are_not_found() {
    let state = given(vec![added("DI-1", "الف", &[])]);
    for command in [
        merge("DI-1", "DI-9"),
        merge("DI-9", "DI-1"),
        C::Rename {
            id: "DI-9".into(),
            name: "ب".into(),
        },
        C::Split {
            id: "DI-9".into(),
            synonym: "ب".into(),
        },
    ] {
        assert!(matches!(
            when(&state, command),
            Err(CatalogueError::NotFound(_))
        ));
    }
}

#[test]
fn a_rename_keeps_the_former_name_as_a_synonym_and_refuses_an_empty_name() {
    let state = given(vec![added("DI-1", "شماره ملی", &["کد ملی"])]);
    let events = when(
        &state,
        C::Rename {
            id: "DI-1".into(),
            name: "کد ملی".into(),
        },
    )
    .unwrap();
    let state = given(vec![
        added("DI-1", "شماره ملی", &["کد ملی"]),
        events[0].clone(),
    ]);
    assert_eq!(state.items["DI-1"].name, "کد ملی");
    assert_eq!(state.items["DI-1"].synonyms, vec!["شماره ملی"]);
    assert_eq!(
        pointer(when(
            &state,
            C::Rename {
                id: "DI-1".into(),
                name: " \u{200c} ".into()
            }
        )),
        "/name"
    );
}

#[test]
fn a_split_makes_a_synonym_an_item_of_its_own_and_refuses_anything_else() {
    let state = given(vec![
        added("DI-1", "کد ملی", &["کد پستی"]),
        added("DI-2", "نام", &[]),
    ]);
    let events = when(
        &state,
        C::Split {
            id: "DI-1".into(),
            synonym: "كد پستي".into(),
        },
    )
    .unwrap();
    assert_eq!(
        events,
        vec![CatalogueEvent::ItemSplit {
            from: "DI-1".into(),
            synonym: "کد پستی".into(),
            id: "DI-3".into(),
            by: "sec".into(),
        }]
    );
    let mut after = state.clone();
    after.apply(3, Utc::now(), events[0].clone());
    assert!(after.items["DI-1"].synonyms.is_empty());
    assert_eq!(after.items["DI-3"].name, "کد پستی");
    assert_eq!(
        pointer(when(
            &state,
            C::Split {
                id: "DI-1".into(),
                synonym: "کد ملی".into()
            }
        )),
        "/synonym"
    );
    assert_eq!(
        pointer(when(
            &state,
            C::Split {
                id: "DI-1".into(),
                synonym: "نام".into()
            }
        )),
        "/synonym"
    );
}

#[test]
fn an_edit_refuses_a_lookup_key_the_form_does_not_know() {
    let state = given(vec![added("DI-1", "کد ملی", &[])]);
    let edit = |key: &str| C::Edit {
        id: "DI-1".into(),
        details: Details {
            lookup_key: Some(key.into()),
            ..Details::default()
        },
    };
    assert_eq!(pointer(when(&state, edit("passport"))), "/lookup_key");
    assert_eq!(when(&state, edit("national_id")).unwrap().len(), 1);
}

#[test]
fn a_seed_adds_each_new_name_once_under_the_most_used_spelling() {
    let a = json!({"needs": [{"data_items": [{"name": "كد ملي"}, {"name": "نام"}]}]});
    let b = json!({"offers": [{"data_items": [{"name": "کد ملی"}]}]});
    let c = json!({"needs": [{"data_items": [{"name": "کد  ملی"}, {"name": "x", "catalogue_id": "DI-1"}]}]});
    let inventories = vec![
        ("A".to_string(), &a),
        ("B".to_string(), &b),
        ("C".to_string(), &c),
    ];
    let state = given(vec![added("DI-1", "نام", &[])]);
    let case = Uuid::nil();
    let event = seed::seed(&state, case, &inventories, "sec");
    // «کد ملی» written by B and (with a double space) C, «كد ملي» by A: 3 agencies, shown as
    // B and C wrote it. «نام» is DI-1 already: used by A, and by C through its id. «x» is
    // named by id, so it is no new item.
    assert_eq!(
        event,
        CatalogueEvent::CatalogueSeeded {
            case,
            added: vec![SeededItem {
                id: "DI-2".into(),
                name: "کد ملی".into()
            }],
            counts: [("DI-1".to_string(), 2), ("DI-2".to_string(), 3)].into(),
            by: "sec".into(),
        }
    );
}

#[test]
fn search_ranks_prefix_matches_first_then_the_widely_used() {
    let mut state = given(vec![
        added("DI-1", "تاریخ صدور کد", &[]),
        added("DI-2", "کد پستی", &[]),
        added("DI-3", "کد ملی", &["شناسه"]),
    ]);
    state.items.get_mut("DI-3").unwrap().agencies = 5;
    let ids: Vec<String> = search::search(&state, "كد", 10)
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, vec!["DI-3", "DI-2", "DI-1"]);
    let found = search::search(&state, "شناس", 10);
    assert_eq!(
        (found[0].id.as_str(), found[0].matched.as_str()),
        ("DI-3", "شناسه")
    );
    assert!(search::search(&state, " ", 10).is_empty());
}

#[test]
fn every_event_reads_back_from_its_envelope() {
    let event = merged("DI-2", "DI-1");
    let (kind, data) = event.encode();
    assert_eq!(kind, "ItemsMerged");
    assert_eq!(data, json!({"from": "DI-2", "into": "DI-1", "by": "sec"}));
    assert_eq!(CatalogueEvent::decode(&kind, &data).unwrap(), event);
}
