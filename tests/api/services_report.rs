//! `GET /v1/reports/services-at-risk`: services whose identity cards inquire for data
//! nobody offers yet, read against the inventory round the reader names.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::member_view::{accepted_case, need, offer};
use crate::on_both_backends;
use crate::support::TestDb;
use crate::support::seed::fixture;

fn card(code: &str, agency: &str, inquiries: Value) -> Value {
    let template =
        fixture("tests/fixtures/forms/service-identity-cards/valid/03-inso-minimal-card.json");
    let mut card = template["services"][0].clone();
    card["service_code"] = json!(code);
    card["provider_agency"] = json!(agency);
    card["inquiries"] = inquiries;
    card
}

fn inquiry(items: &[&str], reference: Option<&str>) -> Value {
    let mut q = json!({"provider_agency": "INSO", "data_items": items, "mode": "online"});
    if let Some(r) = reference {
        q["data_need_ref"] = json!(r);
    }
    q
}

struct World {
    app: TestApp,
    secretariat: String,
    irica: String,
    cppo: String,
    cards: String,
    first: String,
    second: String,
}

/// Two inventory rounds: IRICA's need of INSO for a licence status is unmet in the first
/// and met in the second. IRICA's cards cite that need (IRICA-A) and a need it never had
/// (IRICA-B); MIMT's card asks INSO, without a ref, for data offered to nobody (MIMT-C).
async fn world(db: TestDb) -> World {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let inso = app.member("m-inso", "INSO", &["member"]).await;
    let cppo = app.member("m-cppo", "CPPO", &["member"]).await;
    let needs = json!({"needs": [need("پروانه کالا", "INSO", &["وضعیت پروانه"])], "offers": []});
    let stats = offer("آمار", json!("any_with_legal_basis"), &["تعداد واحدها"]);
    let licence = offer("پروانه", json!(["IRICA"]), &["وضعیت پروانه"]);
    let rounds = [
        json!({"needs": [], "offers": [stats.clone()]}),
        json!({"needs": [], "offers": [licence, stats]}),
    ];
    let mut ids = Vec::new();
    for inso_data in rounds {
        let answers = [
            ("IRICA", irica.as_str(), needs.clone()),
            ("INSO", inso.as_str(), inso_data),
        ];
        ids.push(accepted_case(&app, &secretariat, "data-exchange-inventory", &answers).await);
    }
    let irica_cards = json!({"services": [
        card("IRICA-A", "IRICA", json!([inquiry(&["وضعیت پروانه"], Some("IRICA/needs/0"))])),
        card("IRICA-B", "IRICA", json!([inquiry(&["وضعیت پروانه"], Some("needs/9"))])),
    ]});
    let mimt_cards = json!({"services": [
        card("MIMT-C", "MIMT", json!([inquiry(&["کد ملی", "سوابق بازرسی"], None), inquiry(&["تعداد واحدها"], None)])),
    ]});
    let answers = [
        ("IRICA", irica.as_str(), irica_cards),
        ("MIMT", mimt.as_str(), mimt_cards),
    ];
    let cards = accepted_case(&app, &secretariat, "service-identity-cards", &answers).await;
    World {
        app,
        secretariat,
        irica,
        cppo,
        cards,
        second: ids.pop().unwrap(),
        first: ids.pop().unwrap(),
    }
}

fn codes(report: &Value) -> Vec<String> {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap().to_string())
        .collect()
}

async fn services_citing_unmet_needs_are_at_risk(db: TestDb) {
    let w = world(db).await;
    let path = |inventory: &str| {
        format!(
            "/v1/reports/services-at-risk?cards={}&inventory={inventory}",
            w.cards
        )
    };
    let report = w.app.get(&path(&w.first), &w.secretariat).await;
    assert_eq!(report["services_checked"], 3);
    assert_eq!(codes(&report), ["IRICA-A", "IRICA-B", "MIMT-C"]);
    let services = report["services"].as_array().unwrap();
    let a = &services[0]["inquiries"][0];
    assert_eq!(
        (&a["standing"], &a["need"], &a["reason"]),
        (
            &json!("need_unmet"),
            &json!("IRICA/needs/0"),
            &json!("no_matching_offer")
        )
    );
    assert_eq!(services[1]["inquiries"][0]["standing"], "ref_not_found");
    let c = services[2]["inquiries"].as_array().unwrap();
    assert_eq!(c[0]["standing"], "items_offered_by_nobody");
    assert_eq!(
        c[0]["offered_by_nobody"],
        json!(["سوابق بازرسی"]),
        "a national id is a lookup key"
    );
    assert_eq!(
        c[1]["standing"], "items_offered",
        "INSO's statistics are open to anyone"
    );

    // The same report as CSV, for spreadsheet tools: one row per inquiry listed.
    let response = w
        .app
        .call(
            Method::GET,
            &format!("{}&format=csv", path(&w.first)),
            Some(&w.secretariat),
            None,
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        rows[0],
        "agency,service_code,title_fa,task,inquiry,provider_agency,data_need_ref,standing,need,reason,offered_by_nobody"
    );
    let inquiries: usize = services
        .iter()
        .map(|s| s["inquiries"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), 1 + inquiries, "{text}");
    assert!(rows[1].starts_with("IRICA,IRICA-A,"), "{text}");
    assert!(
        rows[1].ends_with(",need_unmet,IRICA/needs/0,no_matching_offer,وضعیت پروانه"),
        "{text}"
    );
    assert!(
        text.contains(",items_offered_by_nobody,,,سوابق بازرسی"),
        "{text}"
    );

    // Once INSO offers the licence status to IRICA, IRICA-A is no longer at risk.
    let later = w.app.get(&path(&w.second), &w.secretariat).await;
    assert_eq!(codes(&later), ["IRICA-B", "MIMT-C"]);

    // A member reads its own agency's services.
    let mine = w.app.get(&path(&w.first), &w.irica).await;
    assert_eq!(codes(&mine), ["IRICA-A", "IRICA-B"]);
    assert_eq!(mine["services_checked"], 2);
}

async fn the_services_report_refuses_bad_input(db: TestDb) {
    let w = world(db).await;
    let (cards, first) = (&w.cards, &w.first);
    let missing = "00000000-0000-7000-8000-000000000000";
    let base = "/v1/reports/services-at-risk";
    let refusals = [
        (base.to_string(), 400),
        (format!("{base}?cards={cards}"), 400),
        (format!("{base}?inventory={first}"), 400),
        (format!("{base}?cards=x&inventory={first}"), 400),
        (format!("{base}?cards={missing}&inventory={first}"), 404),
        (format!("{base}?cards={cards}&inventory={missing}"), 404),
        (format!("{base}?cards={first}&inventory={first}"), 422),
        (format!("{base}?cards={cards}&inventory={cards}"), 422),
        (
            format!("{base}?cards={cards}&inventory={first}&format=xml"),
            400,
        ),
    ];
    for (path, expected) in refusals {
        let response = w
            .app
            .call(Method::GET, &path, Some(&w.secretariat), None)
            .await;
        let status = response.status().as_u16();
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        let problem: Value = response.json().await.unwrap();
        assert_eq!(
            (status, kind.as_str()),
            (expected, "application/problem+json"),
            "{path}: {problem}"
        );
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
    }
    let path = format!("{base}?cards={cards}&inventory={first}");
    let response = w.app.call(Method::GET, &path, Some(&w.cppo), None).await;
    assert_eq!(
        response.status().as_u16(),
        404,
        "CPPO takes part in neither case"
    );
}

on_both_backends!(
    services_citing_unmet_needs_are_at_risk,
    the_services_report_refuses_bad_input,
);
