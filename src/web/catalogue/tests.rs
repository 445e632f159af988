//! The catalogue's pages from their views, and the refusals put at their fields, without a
//! server.

use chrono::{DateTime, Utc};

use super::page::{item_page, list_page};
use super::*;
use crate::catalogue::{Catalogue, Item};
use crate::engine::Member;

fn viewer(roles: Vec<Role>) -> Viewer {
    let member = Member {
        id: "sec".into(),
        name: "دبیر".into(),
        email: "sec@mimt.example".into(),
        agency: Some("MIMT".into()),
        roles,
        supervisor_id: None,
        locale: "fa".into(),
        version: 1,
        disabled: false,
    };
    let now = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    Viewer::rendering_for(member, now)
}

fn item(id: &str, name: &str, synonyms: &[&str]) -> Item {
    Item {
        id: id.into(),
        name: name.into(),
        synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
        name_en: None,
        lookup_key: Some("national_id".into()),
        description: None,
        agencies: 4,
        former_ids: vec![],
    }
}

#[test]
fn a_refused_merge_is_shown_at_the_into_field_with_the_typed_id() {
    let refusal = refusal(
        Locale::Fa,
        "merge",
        EngineError::Invalid("into: an item cannot be merged into itself (DI-1)".into()),
    )
    .unwrap();
    assert_eq!(refusal.field, "into");
    assert!(refusal.message.contains("دور"));
    let item = item("DI-1", "کد ملی", &["شماره ملی"]);
    let keys = vec![(
        "national_id".to_string(),
        "کد ملی (اشخاص حقیقی)".to_string(),
    )];
    let view = ItemPage {
        item: &item,
        others: vec![],
        history: vec![],
        keys,
    };
    let typed = Typed {
        action: "merge".into(),
        into: "DI-1".into(),
        ..Typed::default()
    };
    let html = item_page(
        &viewer(vec![Role::Secretariat]),
        &view,
        &typed,
        Some(&refusal),
    )
    .into_string();
    assert!(html.contains(r#"id="merge-into-error""#), "{html}");
    assert!(
        html.contains(r#"name="into" list="merge-targets" value="DI-1""#),
        "{html}"
    );
    assert!(
        html.contains("کد ملی (اشخاص حقیقی)"),
        "the lookup key by its Persian label"
    );
}

#[test]
fn a_name_taken_is_a_refusal_at_the_name_and_an_unknown_case_at_the_case() {
    let taken = refusal(
        Locale::En,
        "add",
        EngineError::Conflict("«x» already reads as DI-3 («x»)".into()),
    )
    .unwrap();
    assert_eq!(
        (taken.field.as_str(), taken.message.as_str()),
        ("name", "Another item already has this name.")
    );
    let seed = refusal(
        Locale::En,
        "seed",
        EngineError::NotFound("no case 0190".into()),
    )
    .unwrap();
    assert_eq!(seed.field, "case");
    assert!(refusal(Locale::En, "add", EngineError::Unavailable("down".into())).is_err());
}

#[test]
fn a_member_reads_the_list_without_the_curators_forms() {
    let mut catalogue = Catalogue::default();
    catalogue
        .items
        .insert("DI-1".into(), item("DI-1", "کد ملی", &["شماره ملی"]));
    let keys = vec![];
    let member = list_page(
        &viewer(vec![Role::Member]),
        &catalogue,
        &keys,
        &Typed::default(),
        None,
    )
    .into_string();
    assert!(
        member.contains("شماره ملی") && member.contains("۴"),
        "{member}"
    );
    assert!(!member.contains(r#"action="/catalogue""#));
    let staff = list_page(
        &viewer(vec![Role::Secretariat]),
        &catalogue,
        &keys,
        &Typed::default(),
        None,
    )
    .into_string();
    assert!(staff.contains(r#"action="/catalogue""#));
}
