//! The API's list of bad inputs from 200 concurrent clients: every one refused with a 4xx
//! problem, nothing appended, the server responsive.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::node::{ADMIN_TOKEN, Node, NodeConfig};
use crate::support;
use crate::workload::{self, Tokens, expect, inventory};

/// One bad request: method, path, token, content type, body.
type Bad = (Method, String, String, &'static str, Vec<u8>);

fn bad_requests(tokens: &Tokens, mimt_task: &str, irica_task: &str) -> Vec<Bad> {
    let submit = format!("/v1/tasks/{irica_task}/submissions");
    let good = serde_json::to_vec(&json!({"data": inventory()})).unwrap();
    let deep = format!("{{\"data\": {}1{}}}", "[".repeat(5_000), "]".repeat(5_000));
    let j = "application/json";
    let (irica, sec) = (tokens.irica.clone(), tokens.secretariat.clone());
    vec![
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            j,
            b"{\"data\": {".to_vec(),
        ),
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            "text/plain",
            good.clone(),
        ),
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            j,
            vec![b' '; 2 * 1024 * 1024],
        ),
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            j,
            deep.into_bytes(),
        ),
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            j,
            serde_json::to_vec(&json!({"data": inventory(), "extra": 1})).unwrap(),
        ),
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            j,
            vec![0xff, 0xfe, 0x00, 0x7b],
        ),
        (
            Method::POST,
            submit.clone(),
            irica.clone(),
            j,
            serde_json::to_vec(&json!({"data": {"needs": "none"}})).unwrap(),
        ),
        (Method::POST, submit.clone(), String::new(), j, good.clone()),
        (
            Method::POST,
            format!("/v1/tasks/{mimt_task}/submissions"),
            irica.clone(),
            j,
            good.clone(),
        ),
        (
            Method::POST,
            submit.clone(),
            tokens.mimt.clone(),
            j,
            good.clone(),
        ),
        (
            Method::POST,
            format!("/v1/tasks/{irica_task}/review"),
            sec.clone(),
            j,
            serde_json::to_vec(&json!({"decision": "accept"})).unwrap(),
        ),
        (
            Method::POST,
            format!("/v1/tasks/{irica_task}/review"),
            sec.clone(),
            j,
            serde_json::to_vec(&json!({"decision": "maybe"})).unwrap(),
        ),
        (
            Method::POST,
            "/v1/tasks/not-a-uuid/vote".into(),
            irica.clone(),
            j,
            b"{\"choice\":\"approve\"}".to_vec(),
        ),
        (
            Method::GET,
            "/v1/tasks?limit=100000".into(),
            sec.clone(),
            j,
            Vec::new(),
        ),
        (
            Method::GET,
            "/v1/events?after=-1".into(),
            ADMIN_TOKEN.into(),
            j,
            Vec::new(),
        ),
        (
            Method::GET,
            "/v1/cases/00000000-0000-0000-0000-000000000000".into(),
            irica.clone(),
            j,
            Vec::new(),
        ),
        (
            Method::POST,
            "/v1/cases".into(),
            irica.clone(),
            j,
            serde_json::to_vec(&json!({"workflow": "quick-inventory", "title": "x"})).unwrap(),
        ),
        (
            Method::POST,
            "/v1/cases".into(),
            sec.clone(),
            j,
            serde_json::to_vec(
                &json!({"workflow": "no-such", "title": "x", "participants": "all"}),
            )
            .unwrap(),
        ),
        (
            Method::POST,
            "/v1/members".into(),
            ADMIN_TOKEN.into(),
            j,
            serde_json::to_vec(
                &json!({"name": "x", "email": "not-an-email", "agency": "NOPE", "roles": ["king"]}),
            )
            .unwrap(),
        ),
        (
            Method::PUT,
            "/v1/workflows/broken".into(),
            ADMIN_TOKEN.into(),
            "application/yaml",
            b"key: broken\nsteps: [".to_vec(),
        ),
        (
            Method::PUT,
            "/v1/forms/broken".into(),
            ADMIN_TOKEN.into(),
            j,
            b"{\"type\": 12}".to_vec(),
        ),
    ]
}

async fn send_bad(client: &reqwest::Client, base: &str, bad: &Bad) -> (u16, String) {
    let (method, path, token, content_type, body) = bad;
    let mut request = client
        .request(method.clone(), format!("{base}{path}"))
        .header("content-type", *content_type);
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    if !body.is_empty() {
        request = request.body(body.clone());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_input_from_200_clients_changes_nothing() {
    let db = support::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let node = Node::start(
        &NodeConfig::new(&db.url.display(), dir.path(), "bad")
            .with_env("DAFTAR_AUTH_FAILURES_PER_MINUTE", "0")
            // Slow clients are the abuse test's subject; here a loaded machine that takes
            // seconds to read a request's head must not be mistaken for one (408, closed).
            .with_env("DAFTAR_REQUEST_HEAD_TIMEOUT_SECS", "120")
            .with_env("DAFTAR_BODY_TIMEOUT_SECS", "120"),
    )
    .await;
    let tokens = workload::set_up(&node.base).await;
    let body = json!({"workflow": "quick-inventory", "title": "target", "participants": ["IRICA", "MIMT"]});
    let case = expect(
        &node.base,
        Method::POST,
        "/v1/cases",
        &tokens.secretariat,
        Some(body),
        201,
    )
    .await;
    let task = |code: &str| {
        case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let bad = Arc::new(bad_requests(&tokens, &task("MIMT"), &task("IRICA")));
    // The workflow's tasks fall due after 3 s and escalate at once, and the e-mails of the
    // new tasks and of the escalations append events when sent: let all of that happen
    // before the log head is taken, however slow the machine.
    let case_id = case["id"].as_str().unwrap().to_string();
    crate::checks::eventually(
        "the deadlines have escalated and the queued e-mails are sent",
        Duration::from_secs(60),
        || {
            let (base, case_id) = (node.base.clone(), case_id.clone());
            async move {
                let path = format!("/v1/tasks?case={case_id}");
                let tasks = expect(&base, Method::GET, &path, ADMIN_TOKEN, None, 200).await;
                let escalated = tasks["items"].as_array().is_some_and(|items| {
                    items
                        .iter()
                        .all(|t| t["escalation_level"].as_i64().unwrap_or(0) >= 1)
                });
                let path = "/v1/notifications?status=queued&limit=1";
                let queued = expect(&base, Method::GET, path, ADMIN_TOKEN, None, 200).await;
                escalated && queued["items"].as_array().is_some_and(Vec::is_empty)
            }
        },
    )
    .await;
    let head = expect(
        &node.base,
        Method::GET,
        "/v1/audit/verify",
        ADMIN_TOKEN,
        None,
        200,
    )
    .await["head_position"]
        .clone();

    let clients: Vec<_> = (0..200)
        .map(|i| {
            let (bad, base) = (bad.clone(), node.base.clone());
            tokio::spawn(async move {
                let client = workload::client();
                let mut answers = Vec::new();
                for k in 0..5 {
                    let request = &bad[(i + k * 7) % bad.len()];
                    answers.push((request.1.clone(), send_bad(&client, &base, request).await));
                }
                answers
            })
        })
        .collect();
    let started = Instant::now();
    let health = reqwest::Client::new()
        .get(format!("{}/health", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    // Liveness, not speed (speed is the benchmarks' business): the server still answers
    // while the bad requests pour in, within a bound no loaded CI machine comes near.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "/health under load took {:?}",
        started.elapsed()
    );
    for client in clients {
        for (path, (status, kind)) in client.await.unwrap() {
            assert!((400..500).contains(&status), "{path}: {status}");
            assert_eq!(kind, "application/problem+json", "{path}");
        }
    }
    let after = expect(
        &node.base,
        Method::GET,
        "/v1/audit/verify",
        ADMIN_TOKEN,
        None,
        200,
    )
    .await;
    assert_eq!(
        after["head_position"], head,
        "a refused request appended something"
    );
    assert!(!node.log_text().contains("panicked"));
}
