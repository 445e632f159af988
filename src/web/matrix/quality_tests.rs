//! The page on a matrix with a need met by a lookup key only and a conflict of masters.

use std::collections::BTreeMap;

use serde_json::json;
use uuid::Uuid;

use super::matrix_page;
use super::view::{CellCounts, CellState, MatrixView};
use crate::domain::Role;
use crate::engine::Member;
use crate::reports::catalogue_index::CatalogueIndex;
use crate::reports::{MatrixDocument, build_matrix};
use crate::web::session::Viewer;

#[test]
fn a_lookup_key_only_need_and_a_conflict_are_shown_apart() {
    let master = json!({"system_name": "سامانه", "is_authoritative_master": true});
    let inventories = vec![
        (
            "CBI".to_string(),
            json!({"needs": [{"title": "بدهی", "provider_agency": "INTA", "data_items": [{"name": "گواهی مفاصاحساب"}], "lookup_keys": ["legal_entity_national_id"]}],
                   "offers": [{"title": "اعتبار", "consumer_agencies": "any_with_legal_basis", "data_items": [{"name": "وضعیت اعتباری"}], "lookup_keys": [], "source_register": master}]}),
        ),
        (
            "INTA".to_string(),
            json!({"needs": [], "offers": [{"title": "مالیات", "consumer_agencies": ["CBI"], "data_items": [{"name": "بدهی مالیاتی"}, {"name": "وضعيت اعتباري"}], "lookup_keys": ["legal_entity_national_id"], "source_register": master}]}),
        ),
    ];
    let codes = vec!["CBI".to_string(), "INTA".to_string()];
    let document = MatrixDocument {
        case: Uuid::from_u128(7),
        sources: Vec::new(),
        matrix: build_matrix(&codes, &inventories, &CatalogueIndex::default()),
    };
    let names: BTreeMap<String, String> = BTreeMap::new();
    let view = MatrixView {
        document: &document,
        names: &names,
        focus: None,
        reviews: true,
    };
    let cell = view.cell("CBI", "INTA").unwrap();
    assert_eq!(CellCounts::of(cell).state(), CellState::Unmatched);
    let member = Member {
        id: "s".into(),
        name: "مریم کریمی".into(),
        email: "s@x.example".into(),
        agency: Some("MIMT".into()),
        roles: vec![Role::Secretariat],
        supervisor_id: None,
        locale: "fa".into(),
        version: 1,
        disabled: false,
    };
    let now = chrono::DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z").unwrap();
    let staff = Viewer::rendering_for(member, now.into());
    let page = matrix_page(&staff, &view, "احصا", Some(cell)).into_string();
    assert!(
        page.contains("✕ ۰/۱"),
        "a lookup key is not a need met: {page}"
    );
    assert!(page.contains("کلید ۱"), "but it is counted apart: {page}");
    assert!(page.contains("✕ تنها کلید استعلام مشترک: ۱"), "{page}");
    assert!(
        page.contains("هم‌کلید با: "),
        "the offers it shares a key with"
    );
    // Both claim the master copy of the credit status, spelled two ways; shown as CBI wrote it.
    let conflicts = page.split(r#"id="conflicts""#).nth(1).expect("the list");
    assert!(
        conflicts.contains("<strong>وضعیت اعتباری</strong>"),
        "{conflicts}"
    );
    assert!(conflicts.contains("CBI/offers/0") && conflicts.contains("INTA/offers/0"));
}
