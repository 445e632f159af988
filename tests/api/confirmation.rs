//! Provider confirmation rounds over HTTP: opened only from an inventory case with an
//! accepted inventory, answers only for the needs addressed to the provider, and the
//! accepted answers shown in the inventory case's matrix.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::reports::world;
use crate::support::TestDb;
use crate::support::seed::fixture;

fn task_of(case: &Value, code: &str) -> String {
    let tasks = case["tasks"].as_array().unwrap();
    let task = tasks.iter().find(|t| t["agency"] == code).unwrap();
    task["id"].as_str().unwrap().to_string()
}

fn round_path(case: &str) -> String {
    format!("/v1/cases/{case}/confirmation-round")
}

/// The states the matrix gives need `need`, wherever it is (matched entries or unmatched).
fn states_of(matrix: &Value, need: &str) -> Vec<String> {
    let mut states = Vec::new();
    for cell in matrix["cells"].as_array().unwrap() {
        for entry in cell["matched"].as_array().unwrap() {
            if entry["need"] == need {
                states.push(
                    entry["confirmation"]["state"]
                        .as_str()
                        .unwrap_or("none")
                        .into(),
                );
            }
        }
    }
    for unmatched in matrix["unmatched_needs"].as_array().unwrap() {
        if unmatched["ref"] == need {
            states.push(
                unmatched["confirmation"]["state"]
                    .as_str()
                    .unwrap_or("none")
                    .into(),
            );
        }
    }
    states
}

async fn refused(app: &TestApp, path: &str, token: &str, status: u16) -> Value {
    let before = app.head_position().await;
    let response = app.call(Method::POST, path, Some(token), None).await;
    assert_eq!(response.status().as_u16(), status, "{path}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        app.head_position().await,
        before,
        "a refusal appends nothing"
    );
    body
}

async fn a_round_is_opened_only_from_an_accepted_inventory(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let cards = json!({"workflow": "service-identity-cards", "title": "شناسنامه", "participants": ["MIMT"]});
    let cards = app
        .expect(Method::POST, "/v1/cases", &w.secretariat, Some(cards), 201)
        .await;
    let problem = refused(
        app,
        &round_path(cards["id"].as_str().unwrap()),
        &w.secretariat,
        422,
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("inventor"),
        "{problem}"
    );
    let fresh = json!({"workflow": "data-exchange-inventory", "title": "احصای دوم", "participants": ["IRICA"]});
    let fresh = app
        .expect(Method::POST, "/v1/cases", &w.secretariat, Some(fresh), 201)
        .await;
    refused(
        app,
        &round_path(fresh["id"].as_str().unwrap()),
        &w.secretariat,
        422,
    )
    .await;
    refused(app, &round_path(&w.case), &w.irica, 403).await;
}

async fn providers_answer_and_the_matrix_shows_it(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let mimt = app.member("m2-mimt", "MIMT", &["member"]).await;
    let data = json!({"data": fixture("tests/fixtures/inventories/IRICA.json")});
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    app.expect(Method::POST, &path, &w.irica, Some(data), 201)
        .await;
    let path = format!("/v1/tasks/{}/review", w.irica_task);
    let accept = json!({"decision": "accept"});
    app.expect(
        Method::POST,
        &path,
        &w.secretariat,
        Some(accept.clone()),
        200,
    )
    .await;

    let round = app
        .expect(
            Method::POST,
            &round_path(&w.case),
            &w.secretariat,
            None,
            201,
        )
        .await;
    // Every provider named by MIMT's and IRICA's needs, once; `unknown` is asked nothing.
    let mut asked: Vec<&str> = round["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["agency"].as_str().unwrap())
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            "CBI", "DOE", "IFDA", "INSO", "INTA", "IRICA", "IVO", "MIMT", "NOCR", "PMO", "PPO",
            "SSAA"
        ]
    );
    let id = round["id"].as_str().unwrap().to_string();
    let case = app.get(&format!("/v1/cases/{id}"), &w.irica).await;
    let irica_asked = &case["params"]["needs_by_provider"]["IRICA"];
    assert_eq!(irica_asked.as_array().unwrap().len(), 1, "{irica_asked}");
    assert_eq!(irica_asked[0]["need"], "MIMT/needs/0");
    assert_eq!(irica_asked[0]["consumer"], "MIMT");
    assert_eq!(irica_asked[0]["offer"], "IRICA/offers/0");
    assert_eq!(case["params"]["inventory_case"], w.case.as_str());
    // A second round waits for this one.
    refused(app, &round_path(&w.case), &w.secretariat, 409).await;

    let agree = json!({"need": "MIMT/needs/0", "decision": "agree",
        "interface": {"type": "nix_gsb", "service_identifier": "customs-declaration-v2"},
        "available_from": "1405-10-01"});
    let stray = json!({"need": "IRICA/needs/0", "decision": "decline",
        "legal_reason": {"law_title": "قانون امور گمرکی"}});
    let irica_task = task_of(&round, "IRICA");
    let submit = format!("/v1/tasks/{irica_task}/submissions");
    let before = app.head_position().await;
    let bad = json!({"data": {"answers": [agree.clone(), stray]}});
    let response = app
        .call(Method::POST, &submit, Some(&w.irica), Some(bad))
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let problem: Value = response.json().await.unwrap();
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["instance_path"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/answers/1/need"], "{problem}");
    assert_eq!(app.head_position().await, before, "nothing appended");
    // An agreement without its date fails the form itself.
    let undated = json!({"data": {"answers": [{"need": "MIMT/needs/0", "decision": "agree",
        "interface": {"type": "rest"}}]}});
    let response = app
        .call(Method::POST, &submit, Some(&w.irica), Some(undated))
        .await;
    assert_eq!(response.status().as_u16(), 422);

    let good = json!({"data": {"answers": [agree]}});
    app.expect(Method::POST, &submit, &w.irica, Some(good), 201)
        .await;
    let mimt_answers = json!({"data": {"answers": [
        {"need": "IRICA/needs/0", "decision": "agree_with_conditions",
         "interface": {"type": "nix_gsb"}, "available_from": "1405-11-01",
         "conditions": "تفاهم‌نامهٔ دوجانبه"},
        {"need": "IRICA/needs/6", "decision": "decline",
         "legal_reason": {"law_title": "قانون تجارت", "article": "۱۲"}}
    ]}});
    let mimt_task = task_of(&round, "MIMT");
    let submit = format!("/v1/tasks/{mimt_task}/submissions");
    app.expect(Method::POST, &submit, &mimt, Some(mimt_answers), 201)
        .await;

    let matrix_path = format!("/v1/exchange-matrix?case={}", w.case);
    let matrix = app.get(&matrix_path, &w.secretariat).await;
    assert_eq!(
        states_of(&matrix, "MIMT/needs/0"),
        ["none"],
        "not yet accepted"
    );
    for task in [&irica_task, &mimt_task] {
        let path = format!("/v1/tasks/{task}/review");
        app.expect(
            Method::POST,
            &path,
            &w.secretariat,
            Some(accept.clone()),
            200,
        )
        .await;
    }
    let matrix = app.get(&matrix_path, &w.secretariat).await;
    assert_eq!(
        states_of(&matrix, "MIMT/needs/0"),
        ["confirmed"],
        "{matrix}"
    );
    assert_eq!(states_of(&matrix, "IRICA/needs/0"), ["conditional"]);
    assert_eq!(states_of(&matrix, "IRICA/needs/6"), ["declined"]);
    assert_eq!(
        states_of(&matrix, "MIMT/needs/1"),
        ["none"],
        "SSAA has not answered"
    );
    // The member's part carries the same answers.
    let part = app.get(&matrix_path, &w.irica).await;
    assert_eq!(states_of(&part, "MIMT/needs/0"), ["confirmed"]);

    let rounds = app
        .get(
            &format!("/v1/cases/{}/confirmation-rounds", w.case),
            &w.irica,
        )
        .await;
    assert_eq!(rounds["items"][0]["round"], id.as_str());
    assert_eq!(rounds["items"][0]["providers"], 12);
    assert_eq!(rounds["items"][0]["accepted"], 2);
    assert_eq!(rounds["items"][0]["status"], "open");
}

on_both_backends!(
    a_round_is_opened_only_from_an_accepted_inventory,
    providers_answer_and_the_matrix_shows_it,
);
