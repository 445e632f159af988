//! A member's restricted view over HTTP: of the matrix (JSON and CSV) only the cells where
//! its agency is consumer or provider, the offers open to it and the duplicates it is part
//! of; of the board every agency's status but not other agencies' people.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, inventory, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

/// A need of `provider` for `items` (matched on data items only: its lookup key is `other`).
pub fn need(title: &str, provider: &str, items: &[&str]) -> Value {
    let mut need = inventory()["needs"][0].clone();
    need["title"] = json!(title);
    need["provider_agency"] = json!(provider);
    need["lookup_keys"] = json!(["other"]);
    need["data_items"] = items
        .iter()
        .map(|n| json!({"name": n, "datatype": "string"}))
        .collect();
    need
}

/// An offer of `items` to `consumers` (a list of codes, or "any_with_legal_basis").
pub fn offer(title: &str, consumers: Value, items: &[&str]) -> Value {
    let mut offer = inventory()["offers"][0].clone();
    offer["title"] = json!(title);
    offer["consumer_agencies"] = consumers;
    offer["lookup_keys"] = json!(["other"]);
    offer["data_items"] = items
        .iter()
        .map(|n| json!({"name": n, "datatype": "string"}))
        .collect();
    offer
}

/// Opens a case of `workflow` with the agencies of `answers` as participants; each agency's
/// member (token) submits its data and the secretariat accepts it. Returns the case's id.
pub async fn accepted_case(
    app: &TestApp,
    secretariat: &str,
    workflow: &str,
    answers: &[(&str, &str, Value)],
) -> String {
    let codes: Vec<&str> = answers.iter().map(|(code, _, _)| *code).collect();
    let body = json!({"workflow": workflow, "title": "دور", "participants": codes});
    let case = app
        .expect(Method::POST, "/v1/cases", secretariat, Some(body), 201)
        .await;
    for (code, token, data) in answers {
        let task = case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == *code)
            .unwrap();
        let id = task["id"].as_str().unwrap();
        let path = format!("/v1/tasks/{id}/submissions");
        app.expect(Method::POST, &path, token, Some(json!({"data": data})), 201)
            .await;
        let path = format!("/v1/tasks/{id}/review");
        app.expect(
            Method::POST,
            &path,
            secretariat,
            Some(json!({"decision": "accept"})),
            200,
        )
        .await;
    }
    case["id"].as_str().unwrap().to_string()
}

struct World {
    app: TestApp,
    secretariat: String,
    irica: String,
    case: String,
}

/// IRICA needs of INSO what INSO offers to MIMT alone; MIMT's same need of INSO is met;
/// MIMT and INSO offer CPPO the same goods data; INSO offers statistics to anyone.
async fn world(db: TestDb) -> World {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let inso = app.member("m-inso", "INSO", &["member"]).await;
    let goods = ["نام کالا", "وزن کالا"];
    let answers = [
        (
            "IRICA",
            irica.as_str(),
            json!({"needs": [need("پروانه", "INSO", &["وضعیت پروانه"])], "offers": []}),
        ),
        (
            "MIMT",
            mimt.as_str(),
            json!({"needs": [need("پروانه", "INSO", &["وضعیت پروانه"])], "offers": [offer("کالا", json!(["CPPO"]), &goods)]}),
        ),
        (
            "INSO",
            inso.as_str(),
            json!({"needs": [], "offers": [
                offer("پروانه", json!(["MIMT"]), &["وضعیت پروانه"]),
                offer("کالا", json!(["CPPO"]), &goods),
                offer("آمار", json!("any_with_legal_basis"), &["تعداد واحدها"]),
            ]}),
        ),
    ];
    let case = accepted_case(&app, &secretariat, "data-exchange-inventory", &answers).await;
    World {
        app,
        secretariat,
        irica,
        case,
    }
}

fn refs(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_string())
        .collect()
}

async fn a_member_reads_nothing_between_two_other_agencies(db: TestDb) {
    let w = world(db).await;
    let path = format!("/v1/exchange-matrix?case={}", w.case);
    let whole = w.app.get(&path, &w.secretariat).await;
    let cells = |m: &Value| -> Vec<String> {
        m["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{}>{}",
                    c["consumer"].as_str().unwrap(),
                    c["provider"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(cells(&whole), ["IRICA>INSO", "MIMT>INSO"]);
    assert_eq!(
        refs(&whole["unused_offers"], "ref"),
        ["INSO/offers/1", "INSO/offers/2", "MIMT/offers/0"]
    );
    assert_eq!(whole["duplicates"].as_array().unwrap().len(), 2);
    assert_eq!(
        whole["unmatched_needs"][0]["candidates"],
        json!(["INSO/offers/0"])
    );

    let part = w.app.get(&path, &w.irica).await;
    assert_eq!(cells(&part), ["IRICA>INSO"], "not MIMT's cell with INSO");
    let unmatched = &part["unmatched_needs"];
    assert_eq!(refs(unmatched, "ref"), ["IRICA/needs/0"]);
    assert_eq!(unmatched[0]["reason"], "not_offered_to_consumer");
    assert_eq!(
        unmatched[0]["candidates"],
        json!([]),
        "INSO's offer to MIMT alone is not named"
    );
    assert_eq!(
        refs(&part["unused_offers"], "ref"),
        ["INSO/offers/2"],
        "open to any agency"
    );
    // IRICA and MIMT need the same of INSO: IRICA is part of it. MIMT and INSO offer the
    // same to CPPO: IRICA is not.
    let duplicates = part["duplicates"].as_array().unwrap();
    assert_eq!(duplicates.len(), 1, "{part}");
    assert_eq!(
        duplicates[0]["entries"],
        json!(["IRICA/needs/0", "MIMT/needs/0"])
    );
    assert_eq!(refs(&part["sources"], "agency"), ["IRICA"]);

    let response = w
        .app
        .call(
            Method::GET,
            &format!("{path}&format=csv"),
            Some(&w.irica),
            None,
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("IRICA/needs/0"), "{text}");
    assert!(text.contains("INSO/offers/2"), "{text}");
    for hidden in [
        "INSO/offers/0",
        "INSO/offers/1",
        "MIMT/offers/0",
        "match,,MIMT,INSO",
    ] {
        assert!(!text.contains(hidden), "{hidden} in IRICA's CSV: {text}");
    }
    let whole_csv = w
        .app
        .call(
            Method::GET,
            &format!("{path}&format=csv"),
            Some(&w.secretariat),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    for shown in [
        "INSO/offers/0",
        "INSO/offers/1",
        "MIMT/offers/0",
        "match,,MIMT,INSO",
    ] {
        assert!(
            whole_csv.contains(shown),
            "{shown} in the whole CSV: {whole_csv}"
        );
    }
}

async fn a_member_reads_every_agencys_status_but_not_its_people(db: TestDb) {
    let w = world(db).await;
    let body = json!({"workflow": "data-exchange-inventory", "title": "دور دوم", "participants": ["IRICA", "MIMT"]});
    let case = w
        .app
        .expect(Method::POST, "/v1/cases", &w.secretariat, Some(body), 201)
        .await;
    let task = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "MIMT")
        .unwrap();
    let reassign = format!("/v1/tasks/{}/reassign", task["id"].as_str().unwrap());
    let to = json!({"member_id": "m-mimt"});
    w.app
        .expect(Method::POST, &reassign, &w.secretariat, Some(to), 200)
        .await;
    let path = format!("/v1/cases/{}/board", case["id"].as_str().unwrap());
    let whole = w.app.get(&path, &w.secretariat).await;
    let part = w.app.get(&path, &w.irica).await;
    let row = |b: &Value, code: &str| {
        b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agency"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&whole, "MIMT")["assignee"], "m-mimt");
    assert_eq!(
        part["rows"].as_array().unwrap().len(),
        2,
        "every participant's row"
    );
    let theirs = row(&part, "MIMT");
    assert_eq!(theirs["status"], "open", "MIMT's status is IRICA's to see");
    assert_eq!(theirs["due_jalali"], row(&whole, "MIMT")["due_jalali"]);
    assert!(
        theirs["assignee"].is_null(),
        "who holds MIMT's task is MIMT's business: {theirs}"
    );
    // The CSV is the same board.
    let response = w
        .app
        .call(
            Method::GET,
            &format!("{path}?format=csv"),
            Some(&w.irica),
            None,
        )
        .await;
    assert!(!response.text().await.unwrap().contains("m-mimt"));
}

on_both_backends!(
    a_member_reads_nothing_between_two_other_agencies,
    a_member_reads_every_agencys_status_but_not_its_people,
);
