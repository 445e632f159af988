//! The traffic the process tests drive: a small cluster set up over HTTP, then bursts of
//! "open a case, submit its first task" from many clients, remembering every request that
//! was acknowledged with a 2xx — the promises the server must keep whatever happens next.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use reqwest::{Client, Method};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::node::ADMIN_TOKEN;

/// A workflow whose deadline passes seconds after a case opens, so timers fire in a test.
pub const QUICK_WORKFLOW: &str = r#"
key: quick-inventory
title: {fa: "احصای فوری", en: "Quick inventory"}
participants: agencies
steps:
  - id: submit
    type: submission
    assignee: {role: member, of: participant}
    form: data-exchange-inventory
    due: {after: PT3S}
    escalate:
      - {after: PT0S, notify: [{role: secretariat}]}
    next: review
  - id: review
    type: review
    assignee: {role: secretariat}
    on_accept: done
    on_return: submit
"#;

/// The tokens of the set-up cluster.
#[derive(Clone)]
pub struct Tokens {
    pub secretariat: String,
    pub irica: String,
    pub mimt: String,
}

/// What the server acknowledged: `(case id, task ids)` and `(task id, submission id)`.
#[derive(Default)]
pub struct Acked {
    pub cases: Mutex<Vec<(String, Vec<String>)>>,
    pub submissions: Mutex<Vec<(String, String)>>,
    /// Answers other than 201: (status, problem).
    pub refused: Mutex<Vec<(u16, Value)>>,
}

pub fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

/// Sends a request; `Err` when no HTTP answer came back (connection refused or reset).
pub async fn send(
    client: &Client,
    base: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Result<(u16, Value), reqwest::Error> {
    let mut request = client
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// Sends and insists on `expected`.
pub async fn expect(
    base: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
    expected: u16,
) -> Value {
    let (status, value) = send(&client(), base, method.clone(), path, token, body)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert_eq!(status, expected, "{method} {path}: {value}");
    value
}

pub fn inventory() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/forms/data-exchange-inventory/valid/01-irica-needs-and-offers.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn member(base: &str, id: &str, agency: &str, role: &str) -> String {
    let body = json!({"id": id, "name": format!("عضو {id}"), "email": format!("{id}@{}.example", agency.to_lowercase()), "agency": agency, "roles": [role]});
    expect(
        base,
        Method::POST,
        "/v1/members",
        ADMIN_TOKEN,
        Some(body),
        201,
    )
    .await;
    let path = format!("/v1/members/{id}/tokens");
    let token = expect(base, Method::POST, &path, ADMIN_TOKEN, None, 201).await;
    token["token"].as_str().unwrap().to_string()
}

/// Agencies, the quick workflow, a secretariat and the focal points of IRICA and MIMT.
pub async fn set_up(base: &str) -> Tokens {
    let agencies: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agencies.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let path = "/v1/agencies:import";
    expect(base, Method::POST, path, ADMIN_TOKEN, Some(agencies), 201).await;
    let response = client()
        .put(format!("{base}/v1/workflows/quick-inventory"))
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", "application/yaml")
        .body(QUICK_WORKFLOW)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{:?}",
        response.text().await
    );
    Tokens {
        secretariat: member(base, "sec", "MIMT", "secretariat").await,
        irica: member(base, "m-irica", "IRICA", "member").await,
        mimt: member(base, "m-mimt", "MIMT", "member").await,
    }
}

/// One client of a burst: opens cases and submits IRICA's task, until `stop` or until the
/// server stops answering. Returns how many requests got no HTTP answer.
pub async fn burst_client(
    bases: Vec<String>,
    tokens: Tokens,
    acked: Arc<Acked>,
    stop: Arc<AtomicBool>,
    budget: Arc<AtomicI64>,
) -> usize {
    let client = client();
    let data = inventory();
    let mut unanswered = 0;
    let mut turn = 0usize;
    while !stop.load(Ordering::Relaxed) && budget.fetch_sub(1, Ordering::Relaxed) > 0 {
        let base = &bases[turn % bases.len()];
        turn += 1;
        let body = json!({"workflow": "quick-inventory", "title": format!("burst {turn}"), "participants": ["IRICA", "MIMT"]});
        let Ok((status, case)) = send(
            &client,
            base,
            Method::POST,
            "/v1/cases",
            &tokens.secretariat,
            Some(body),
        )
        .await
        else {
            unanswered += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        if status != 201 {
            acked.refused.lock().await.push((status, case));
            continue;
        }
        let tasks: Vec<String> = case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect();
        let irica = case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == "IRICA")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        acked
            .cases
            .lock()
            .await
            .push((case["id"].as_str().unwrap().to_string(), tasks));
        let base = &bases[turn % bases.len()];
        let path = format!("/v1/tasks/{irica}/submissions");
        let submitted = send(
            &client,
            base,
            Method::POST,
            &path,
            &tokens.irica,
            Some(json!({"data": data})),
        )
        .await;
        match submitted {
            Ok((201, answer)) => {
                let id = answer["submission_id"].as_str().unwrap().to_string();
                acked.submissions.lock().await.push((irica, id));
            }
            Ok(other) => acked.refused.lock().await.push(other),
            Err(_) => unanswered += 1,
        }
    }
    unanswered
}

/// Starts `clients` burst clients spread over `bases`, making at most `budget` cases.
pub fn start_burst(
    bases: &[String],
    tokens: &Tokens,
    clients: usize,
    budget: usize,
) -> (
    Arc<Acked>,
    Arc<AtomicBool>,
    Vec<tokio::task::JoinHandle<usize>>,
) {
    let acked = Arc::new(Acked::default());
    let stop = Arc::new(AtomicBool::new(false));
    let budget = Arc::new(AtomicI64::new(budget as i64));
    let handles = (0..clients)
        .map(|i| {
            let mut bases = bases.to_vec();
            let turn = i % bases.len();
            bases.rotate_left(turn);
            tokio::spawn(burst_client(
                bases,
                tokens.clone(),
                acked.clone(),
                stop.clone(),
                budget.clone(),
            ))
        })
        .collect();
    (acked, stop, handles)
}

/// Waits until at least `count` cases are acknowledged.
pub async fn wait_for_cases(acked: &Acked, count: usize, limit: Duration) {
    let started = std::time::Instant::now();
    while acked.cases.lock().await.len() < count {
        assert!(
            started.elapsed() < limit,
            "the burst made too little progress"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
