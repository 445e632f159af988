//! The contract, typed: every success answer in /openapi.json has a schema, and the answers
//! of the routes other tests do not reach match theirs (the API tests' `expect` checks every
//! JSON success it receives against /openapi.json).

use daftar::http::ROUTES;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, spawn_app};
use crate::support;

#[test]
fn every_success_answer_has_a_schema() {
    let spec = daftar::http::openapi_document();
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                if !status.starts_with('2') || status == "204" {
                    continue;
                }
                let content = response["content"].as_object();
                assert!(
                    content.is_some_and(|c| !c.is_empty()),
                    "{method} {path} {status} says nothing of its content"
                );
                for (media, body) in content.unwrap() {
                    let schema = &body["schema"];
                    assert!(
                        schema.as_object().is_some_and(|s| !s.is_empty()),
                        "{method} {path} {status} {media}: empty schema {schema}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= ROUTES.len());
}

#[test]
#[should_panic(expected = "does not match /openapi.json")]
fn an_answer_unlike_its_schema_fails_the_contract_check() {
    let task = json!({"id": 5, "status": "pondering"});
    crate::helpers::assert_conforms(
        &Method::GET,
        "/v1/tasks/00000000-0000-7000-8000-000000000000",
        200,
        &task,
    );
}

#[tokio::test]
async fn the_answers_of_every_route_match_the_contract() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;
    for path in ["/health", "/ready", "/openapi.json", "/v1/agencies?limit=3"] {
        app.get(path, &auditor).await;
    }
    let agency = json!({"code": "NEWCO", "name_fa": "نو"});
    app.expect(Method::POST, "/v1/agencies", ADMIN_TOKEN, Some(agency), 201)
        .await;
    app.get("/v1/members/sec", &auditor).await;
    let workflows = app.get("/v1/workflows", &auditor).await;
    let key = workflows["items"][0]["key"].as_str().unwrap();
    app.get(&format!("/v1/workflows/{key}"), &auditor).await;
    app.get(&format!("/v1/workflows/{key}/versions/1"), &auditor)
        .await;
    let form = json!({"type": "object", "properties": {"note": {"type": "string"}}});
    app.expect(
        Method::PUT,
        "/v1/forms/note",
        ADMIN_TOKEN,
        Some(form.clone()),
        201,
    )
    .await;
    app.expect(Method::PUT, "/v1/forms/note", ADMIN_TOKEN, Some(form), 200)
        .await;
    app.get("/v1/forms/note", &auditor).await;
    let body =
        json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["IRICA"]});
    let case = app
        .expect(Method::POST, "/v1/cases", &secretariat, Some(body), 201)
        .await;
    let id = case["id"].as_str().unwrap();
    app.get(&format!("/v1/cases/{id}/timeline"), &auditor).await;
    app.get(&format!("/v1/cases/{id}/board"), &auditor).await;
    app.get("/v1/cases?limit=1", &auditor).await;
    let cancel = json!({"reason": "superseded"});
    app.expect(
        Method::POST,
        &format!("/v1/cases/{id}:cancel"),
        &secretariat,
        Some(cancel),
        200,
    )
    .await;
    app.get(&format!("/v1/cases/{id}/state"), &auditor).await;
    app.get("/v1/events?limit=5", &auditor).await;
}
