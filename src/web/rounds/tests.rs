//! The pages as markup, from hand-made reports.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use chrono::DateTime;
use serde_json::json;
use uuid::Uuid;

use super::{Choice, Outcome, diff_page, services_page};
use crate::domain::Role;
use crate::engine::Member;
use crate::web::session::Viewer;

fn viewer(locale: &str) -> Viewer {
    let member = Member {
        id: "sec".into(),
        name: "مریم کریمی".into(),
        email: "m@x.example".into(),
        agency: Some("MIMT".into()),
        roles: vec![Role::Secretariat],
        supervisor_id: None,
        locale: locale.into(),
        version: 1,
        disabled: false,
    };
    let now = DateTime::parse_from_rfc3339("2026-12-06T08:00:00Z").unwrap();
    Viewer::rendering_for(member, now.into())
}

fn rounds() -> Vec<Choice> {
    vec![
        Choice {
            id: Uuid::from_u128(2),
            title: "احصای ۱۴۰۵".into(),
        },
        Choice {
            id: Uuid::from_u128(1),
            title: "احصای ۱۴۰۴".into(),
        },
    ]
}

fn names() -> BTreeMap<String, String> {
    BTreeMap::from([("IRICA".to_string(), "گمرک".to_string())])
}

#[test]
fn the_diff_page_lists_each_change_under_its_heading() {
    let d = serde_json::from_value(json!({
        "from": Uuid::from_u128(1), "to": Uuid::from_u128(2),
        "needs_met": [{"agency": "IRICA", "title": "پروانه کالا", "provider_agency": "INSO",
                       "from_ref": "IRICA/needs/0", "to_ref": "IRICA/needs/3", "was": "unmet", "now": "met"}],
        "needs_unmet": [], "needs_withdrawn": [],
        "offers_added": [{"ref": "INSO/offers/0", "agency": "INSO", "title": "پروانه", "consumer_agencies": ["IRICA"]}],
        "offers_withdrawn": []
    }))
    .unwrap();
    let picked = (Some(Uuid::from_u128(1)), Some(Uuid::from_u128(2)));
    let html = diff_page(
        &viewer("fa"),
        &rounds(),
        picked,
        &Outcome::Done(d),
        &names(),
    )
    .into_string();
    assert!(html.contains("نیازهای برآورده‌شده از آن پس (۱)"), "{html}");
    assert!(html.contains("نیازهای تازه برآورده‌نشده (۰)"), "{html}");
    assert!(
        html.contains("IRICA/needs/0 → IRICA/needs/3"),
        "a moved need shows both refs"
    );
    assert!(html.contains("گمرک"), "agency names, not codes");
    assert!(html.contains("عرضه‌های افزوده (۱)"));
    let selected = format!("value=\"{}\" selected", Uuid::from_u128(2));
    assert!(html.contains(&selected), "the picks are kept: {html}");
}

#[test]
fn a_refused_comparison_keeps_the_picks_and_says_why() {
    let same = Some(Uuid::from_u128(1));
    let outcome = Outcome::Refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "from and to are the same case".into(),
    );
    let html = diff_page(&viewer("en"), &rounds(), (same, same), &outcome, &names()).into_string();
    assert!(html.contains("from and to are the same case"), "{html}");
    assert!(html.contains("role=\"alert\""));
    assert_eq!(html.matches(" selected").count(), 2, "{html}");
    assert!(!html.contains("Needs met since"));
}

#[test]
fn the_services_page_shows_what_each_inquiry_found() {
    let report = serde_json::from_value(json!({
        "cards_case": Uuid::from_u128(3), "inventory_case": Uuid::from_u128(2),
        "services_checked": 4,
        "services": [{"agency": "IRICA", "task": Uuid::from_u128(9), "service_code": "IRICA-B", "title_fa": "ترخیص",
                      "inquiries": [{"index": 0, "provider_agency": "INSO", "data_need_ref": "needs/9", "standing": "ref_not_found"},
                                    {"index": 1, "provider_agency": "INSO", "data_need_ref": null, "standing": "items_offered_by_nobody",
                                     "offered_by_nobody": ["سوابق بازرسی"]}]}]
    }))
    .unwrap();
    let cards = vec![Choice {
        id: Uuid::from_u128(3),
        title: "شناسنامه‌ها".into(),
    }];
    let picked = (Some(Uuid::from_u128(3)), Some(Uuid::from_u128(2)));
    let html = services_page(
        &viewer("fa"),
        (&cards, &rounds()),
        picked,
        &Outcome::Done(report),
        &names(),
    )
    .into_string();
    assert!(html.contains("۱ خدمت در خطر از ۴ خدمت بررسی‌شده"), "{html}");
    assert!(html.contains("ارجاع یافت نشد"));
    assert!(html.contains("سوابق بازرسی"));
    assert!(html.contains("IRICA-B"));
    let csv = format!(
        "href=\"/reports/services-at-risk.csv?cards={}&amp;inventory={}\"",
        Uuid::from_u128(3),
        Uuid::from_u128(2)
    );
    assert!(html.contains(&csv), "the report as CSV: {html}");
}
