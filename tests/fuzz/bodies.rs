//! Request bodies through the real HTTP app (in process, on SQLite): for every route that
//! takes a body, arbitrary JSON documents, mutations of a valid body, and arbitrary bytes,
//! sent with the token of a caller allowed to use the route. Every answer must be a success
//! or a problem+json 4xx — never a 5xx — and the server must keep answering.

use std::path::Path;

use daftar::config::Settings;
use daftar::engine::EngineConfig;
use daftar::startup::Application;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use reqwest::Method;
use serde_json::{Value, json};

use crate::{cases, json_value};

const ADMIN: &str = "bootstrap-token-for-fuzzing-0123456789";

async fn spawn(db: &crate::support::TestDb) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut settings = Settings::for_database(db.url.clone());
    settings.engine = EngineConfig {
        schemas_dir: root.join("schemas"),
        workflows_dir: root.join("workflows"),
        calendar_dir: None,
    };
    settings.bootstrap_token = Some(ADMIN.into());
    settings.mail.mail_dir = std::env::temp_dir();
    // Thousands of writes by one admin: the per-member write limit would answer most of
    // them with 429 and leave their bodies unparsed.
    settings.protection.writes_per_minute = 0;
    let app = Application::build(settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

/// Sends `body` as the admin and checks the answer is not a 5xx; returns the status.
async fn send(
    client: &reqwest::Client,
    base: &str,
    method: Method,
    path: &str,
    body: Vec<u8>,
    content_type: &str,
) -> u16 {
    send_as(client, base, ADMIN, method, path, body, content_type).await
}

/// Sends `body` with `token` and checks the answer is not a 5xx; returns the status.
async fn send_as(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Vec<u8>,
    content_type: &str,
) -> u16 {
    let response = client
        .request(method.clone(), format!("{base}{path}"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body.clone())
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "{method} {path}: no answer ({e}) to {:?}",
                String::from_utf8_lossy(&body)
            )
        });
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    let text = response.text().await.unwrap_or_default();
    assert!(
        status < 500,
        "{method} {path} answered {status} to {:?}: {text}",
        String::from_utf8_lossy(&body)
    );
    if status >= 400 {
        assert_eq!(kind, "application/problem+json", "{method} {path}: {text}");
    }
    status
}

/// Draws `count` values from a strategy (no shrinking: the failing input is printed whole).
fn samples<S: Strategy>(strategy: S, count: u32) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// A valid body with one field replaced by an arbitrary value (or removed).
fn mutated(valid: Value) -> impl Strategy<Value = Value> {
    let keys: Vec<String> = valid
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    (prop::sample::select(keys), prop::option::of(json_value())).prop_map(move |(key, value)| {
        let mut body = valid.clone();
        match value {
            Some(value) => body[&key] = value,
            None => {
                body.as_object_mut().unwrap().remove(&key);
            }
        }
        body
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_body_makes_the_server_fail() {
    let db = crate::support::sqlite();
    let base = spawn(&db).await;
    let client = reqwest::Client::new();
    let agencies =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agencies.json"))
            .unwrap();
    assert_eq!(
        send(
            &client,
            &base,
            Method::POST,
            "/v1/agencies:import",
            agencies,
            "application/json"
        )
        .await,
        201
    );
    let member = json!({"id": "sec", "name": "دبیرخانه", "email": "sec@mimt.example", "agency": "MIMT", "roles": ["secretariat", "member"]});
    send(
        &client,
        &base,
        Method::POST,
        "/v1/members",
        member.to_string().into_bytes(),
        "application/json",
    )
    .await;
    // The task routes' roles: the secretariat reviews and reassigns, a member submits.
    let secretariat = client
        .post(format!("{base}/v1/members/sec/tokens"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let case =
        json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["MIMT"]});
    let opened = client
        .post(format!("{base}/v1/cases"))
        .bearer_auth(ADMIN)
        .json(&case)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let task = opened["tasks"][0]["id"].as_str().unwrap().to_string();

    let routes: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/v1/agencies".into(),
            json!({"code": "NEW", "name_fa": "نو", "name_en": "New", "cluster": "industry"}),
        ),
        (
            Method::POST,
            "/v1/agencies:import".into(),
            json!({"agencies": [{"code": "NEW2", "name_fa": "نو"}]}),
        ),
        (
            Method::POST,
            "/v1/members".into(),
            json!({"name": "x", "email": "x@y.example", "agency": "MIMT", "roles": ["member"], "locale": "fa"}),
        ),
        (Method::POST, "/v1/cases".into(), case.clone()),
        (
            Method::POST,
            format!("/v1/cases/{}:cancel", opened["id"].as_str().unwrap()),
            json!({"reason": "fuzz"}),
        ),
        (
            Method::POST,
            format!("/v1/tasks/{task}/submissions"),
            json!({"data": {"needs": [], "offers": []}}),
        ),
        (
            Method::POST,
            format!("/v1/tasks/{task}/review"),
            json!({"decision": "return", "comment": "again"}),
        ),
        (
            Method::POST,
            format!("/v1/tasks/{task}/vote"),
            json!({"choice": "approve"}),
        ),
        (
            Method::POST,
            format!("/v1/tasks/{task}/reassign"),
            json!({"member_id": "sec"}),
        ),
        (
            Method::PUT,
            "/v1/forms/fuzz-form".into(),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        ),
        (
            Method::PUT,
            "/v1/workflows/fuzz-flow".into(),
            json!({"key": "fuzz-flow", "title": {"en": "x"}, "participants": "none", "steps": []}),
        ),
    ];
    let per_route = (cases() / 4).max(8);
    let documents = samples(json_value(), per_route);
    let bytes = samples(prop::collection::vec(any::<u8>(), 0..300), per_route);
    for (method, path, valid) in &routes {
        let token = if path.starts_with("/v1/tasks/") {
            secretariat.as_str()
        } else {
            ADMIN
        };
        for body in samples(mutated(valid.clone()), per_route)
            .into_iter()
            .chain(documents.iter().cloned())
        {
            send_as(
                &client,
                &base,
                token,
                method.clone(),
                path,
                body.to_string().into_bytes(),
                "application/json",
            )
            .await;
        }
        for raw in &bytes {
            send_as(
                &client,
                &base,
                token,
                method.clone(),
                path,
                raw.clone(),
                "application/json",
            )
            .await;
            if path.starts_with("/v1/workflows/") {
                send(
                    &client,
                    &base,
                    method.clone(),
                    path,
                    raw.clone(),
                    "application/yaml",
                )
                .await;
            }
        }
    }
    let verify: Value = client
        .get(format!("{base}/v1/audit/verify"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verify["ok"], true, "{verify}");
}
