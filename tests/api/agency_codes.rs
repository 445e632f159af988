//! Agency codes inside a submission must name registered agencies: each unknown one is
//! refused with its JSON Pointer; `unknown` is an answer, kept and reported as unmatched.

use reqwest::Method;
use serde_json::json;

use crate::on_both_backends;
use crate::reports::world;
use crate::support::TestDb;
use crate::support::seed::fixture;

async fn unknown_agency_codes_are_refused_at_submission_with_pointers(db: TestDb) {
    let w = world(db).await;
    let head = w.app.head_position().await;
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    let mut data = fixture("tests/fixtures/inventories/IRICA.json");
    data["needs"][0]["provider_agency"] = json!("XYZ");
    data["offers"][0]["consumer_agencies"][1] = json!("NOPE");
    let problem = w
        .app
        .expect(
            Method::POST,
            &path,
            &w.irica,
            Some(json!({"data": data})),
            422,
        )
        .await;
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["instance_path"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        ["/needs/0/provider_agency", "/offers/0/consumer_agencies/1"]
    );
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"XYZ\"")
    );
    assert_eq!(w.app.head_position().await, head, "nothing is appended");
}

async fn a_need_from_an_unknown_provider_is_kept_and_listed_unmatched(db: TestDb) {
    let w = world(db).await;
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    // "unknown" is an answer, not an error: the need is kept and listed as unmatched.
    let mut data = fixture("tests/fixtures/inventories/IRICA.json");
    data["needs"][0]["provider_agency"] = json!("unknown");
    w.app
        .expect(
            Method::POST,
            &path,
            &w.irica,
            Some(json!({"data": data})),
            201,
        )
        .await;
    let review = json!({"decision": "accept"});
    let path = format!("/v1/tasks/{}/review", w.irica_task);
    w.app
        .expect(Method::POST, &path, &w.secretariat, Some(review), 200)
        .await;
    let matrix = w
        .app
        .get(
            &format!("/v1/exchange-matrix?case={}", w.case),
            &w.secretariat,
        )
        .await;
    let unmatched = matrix["unmatched_needs"].as_array().unwrap();
    let first = unmatched
        .iter()
        .find(|u| u["ref"] == "IRICA/needs/0")
        .unwrap();
    assert_eq!(first["reason"], "provider_unknown");
    assert_eq!(first["provider_agency"], "unknown");
}

on_both_backends!(
    unknown_agency_codes_are_refused_at_submission_with_pointers,
    a_need_from_an_unknown_provider_is_kept_and_listed_unmatched,
);
