//! Services at risk against a hand-made inventory round, with the answers worked out by hand.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{AcceptedCards, InquiryStanding, services_at_risk};
use crate::reports::{MatrixDocument, Reason, build_matrix};

fn items(names: &[&str]) -> Vec<Value> {
    names.iter().map(|n| json!({"name": n})).collect()
}

/// X needs a licence status of Z (met: Z offers it to X) and a product name of Z (unmet);
/// Z offers exchange rates to Y alone.
fn inventory() -> MatrixDocument {
    let need =
        |t: &str, i: &[&str]| json!({"title": t, "provider_agency": "Z", "data_items": items(i)});
    let offer = |t: &str, to: &str, i: &[&str]| json!({"title": t, "consumer_agencies": [to], "data_items": items(i)});
    let inventories = vec![
        (
            "X".to_string(),
            json!({"needs": [need("پروانه", &["وضعیت پروانه"]), need("کالا", &["نام کالا"])], "offers": []}),
        ),
        ("Y".to_string(), json!({"needs": [], "offers": []})),
        (
            "Z".to_string(),
            json!({"needs": [], "offers": [offer("پروانه", "X", &["وضعیت پروانه"]), offer("ارز", "Y", &["نرخ ارز"])]}),
        ),
    ];
    let participants: Vec<String> = ["X", "Y", "Z"].map(String::from).to_vec();
    MatrixDocument {
        case: Uuid::from_u128(2),
        sources: Vec::new(),
        matrix: build_matrix(&participants, &inventories, &Default::default()),
    }
}

fn inquiry(reference: Option<&str>, names: &[&str]) -> Value {
    let mut q = json!({"provider_agency": "Z", "data_items": names, "mode": "online"});
    if let Some(r) = reference {
        q["data_need_ref"] = json!(r);
    }
    q
}

fn card(code: &str, inquiries: Vec<Value>) -> Value {
    json!({"service_code": code, "title_fa": format!("خدمت {code}"), "inquiries": inquiries})
}

fn cards() -> Vec<AcceptedCards> {
    let x = json!({"services": [
        card("100", vec![inquiry(Some("X/needs/0"), &["وضعیت پروانه"])]),
        card("200", vec![inquiry(Some("needs/1"), &["نام کالا"]), inquiry(Some("كالا"), &["نام کالا"])]),
        card("300", vec![inquiry(Some("X/needs/7"), &["وضعیت پروانه"])]),
        card("400", vec![inquiry(None, &["نرخ ارز", "کد ملی"])]),
        card("500", vec![inquiry(None, &["وضعيت پروانه"])]),
        card("600", vec![inquiry(Some("Y/needs/0"), &["وضعیت پروانه"])]),
    ]});
    let y = json!({"services": [
        card("700", vec![inquiry(None, &["نرخ ارز"])]),
        card("800", vec![inquiry(Some("ارز"), &["نرخ ارز"])]),
    ]});
    vec![
        AcceptedCards {
            agency: "X".into(),
            task: Uuid::from_u128(10),
            data: x,
        },
        AcceptedCards {
            agency: "Y".into(),
            task: Uuid::from_u128(11),
            data: y,
        },
    ]
}

#[test]
fn services_whose_inquiries_find_no_offer_are_listed() {
    let report = services_at_risk(Uuid::from_u128(1), &cards(), &inventory());
    assert_eq!(report.services_checked, 8);
    assert_eq!(
        (report.cards_case, report.inventory_case),
        (Uuid::from_u128(1), Uuid::from_u128(2))
    );
    let listed: Vec<(&str, &str)> = report
        .services
        .iter()
        .map(|s| (s.agency.as_str(), s.service_code.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("X", "200"),
            ("X", "300"),
            ("X", "400"),
            ("X", "600"),
            ("Y", "800")
        ]
    );
    use InquiryStanding::*;
    let standings = |i: usize| -> Vec<InquiryStanding> {
        report.services[i]
            .inquiries
            .iter()
            .map(|q| q.standing)
            .collect()
    };
    // By position and by a title typed with an Arabic kaf: the same unmet need.
    assert_eq!(standings(0), [NeedUnmet, NeedUnmet]);
    for q in &report.services[0].inquiries {
        assert_eq!(q.need.as_deref(), Some("X/needs/1"));
        assert_eq!(q.reason, Some(Reason::NoMatchingOffer));
    }
    assert_eq!(standings(1), [RefNotFound], "X has no need 7");
    // Exchange rates are offered to Y alone; the national id is a lookup key, not data.
    assert_eq!(standings(2), [ItemsOfferedByNobody]);
    assert_eq!(
        report.services[2].inquiries[0].offered_by_nobody,
        ["نرخ ارز"]
    );
    assert_eq!(standings(3), [RefNotFound], "Y's need is not X's to cite");
    assert_eq!(standings(4), [RefNotFound], "Y declared no needs");
    assert_eq!(report.services[4].task, Uuid::from_u128(11));
}

#[test]
fn a_member_reads_its_own_services() {
    let report = services_at_risk(Uuid::from_u128(1), &cards(), &inventory()).seen_by("Y");
    let codes: Vec<&str> = report
        .services
        .iter()
        .map(|s| s.service_code.as_str())
        .collect();
    assert_eq!(codes, ["800"]);
    assert_eq!(report.services_checked, 2, "its own two cards");
}
