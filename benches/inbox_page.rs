//! The inbox page's cost: `GET /` for a member whose agency has N open tasks (500 by
//! default), rendered in full (HTML), and the htmx-filtered request for one case — p50, p99
//! and the HTML's size — beside the API's `GET /v1/cases/{id}` in the same run as the
//! baseline. The real `daftar serve` on SQLite; requests one at a time (latency, not
//! throughput).
//!
//! `cargo bench --bench inbox_page [-- --tasks 500 --requests 300]`; `cargo test --bench
//! inbox_page` runs a seconds-long smoke version.

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Args, Figures, figures, server::Server};
use reqwest::{Client, redirect};
use serde_json::{Value, json};

const TOKEN: &str = "inbox-page-benchmark-token-0001";

async fn post(client: &Client, base: &str, path: &str, body: Value) -> Value {
    let response = client
        .post(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

/// N open tasks for MIMT (one inventory case each), a member of MIMT signed in; returns
/// its session cookie and one case id.
async fn setup(client: &Client, base: &str, tasks: usize) -> (String, String) {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/agencies.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    post(client, base, "/v1/agencies:import", fixture).await;
    post(client, base, "/v1/members", json!({"id": "focal", "name": "کارشناس صمت", "email": "focal@mimt.example", "agency": "MIMT", "roles": ["member"]})).await;
    let token = post(client, base, "/v1/members/focal/tokens", json!(null)).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut case = String::new();
    for n in 0..tasks {
        let body = json!({"workflow": "data-exchange-inventory", "title": format!("احصای اطلاعات، دور {n}"), "participants": ["MIMT"]});
        case = post(client, base, "/v1/cases", body).await["id"]
            .as_str()
            .unwrap()
            .to_string();
    }
    let signed_in = client
        .post(format!("{base}/sign-in/token"))
        .header("origin", base)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string();
    (cookie, case)
}

/// Times `requests` sequential GETs of `path`; returns the figures and the body's size.
async fn measure(
    client: &Client,
    url: &str,
    auth: (&str, &str),
    requests: usize,
) -> (Figures, usize) {
    let mut latencies = Vec::with_capacity(requests);
    let mut size = 0;
    let started = Instant::now();
    for _ in 0..requests {
        let t = Instant::now();
        let response = client.get(url).header(auth.0, auth.1).send().await.unwrap();
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        size = response.bytes().await.unwrap().len();
        latencies.push(t.elapsed());
    }
    (figures(latencies, started.elapsed()), size)
}

fn row(scenario: &str, f: &Figures, size: usize) {
    println!(
        "{scenario:<44} p50 {:>7.2} ms  p99 {:>7.2} ms  {:>8.1} KiB",
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        size as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let tasks = args.number("--tasks", 500, 20);
    let requests = args.number("--requests", 300, 10);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("inbox.db").display());
    let server = Server::start(&url, TOKEN, dir, Duration::from_secs(15)).await;
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let base = &server.base;
    let (cookie, case) = setup(&client, base, tasks).await;
    let bearer = format!("Bearer {TOKEN}");
    // One round first, unmeasured: caches and connections warm.
    measure(&client, &format!("{base}/"), ("cookie", &cookie), 2).await;
    let (api, api_size) = measure(
        &client,
        &format!("{base}/v1/cases/{case}"),
        ("authorization", &bearer),
        requests,
    )
    .await;
    let (page, page_size) =
        measure(&client, &format!("{base}/"), ("cookie", &cookie), requests).await;
    let (filtered, filtered_size) = measure(
        &client,
        &format!("{base}/?case={case}"),
        ("cookie", &cookie),
        requests,
    )
    .await;
    println!("\ninbox page, {tasks} open tasks, {requests} sequential requests (SQLite)");
    row("GET /v1/cases/{id} (API baseline)", &api, api_size);
    row(&format!("GET / (inbox, {tasks} rows)"), &page, page_size);
    row(
        "GET /?case=… (filtered to one row)",
        &filtered,
        filtered_size,
    );
    assert!(
        page_size > filtered_size,
        "the full inbox is larger than one row"
    );
}
