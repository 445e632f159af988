//! The auditor's log page's cost: `GET /audit/events` over a log of N events (10,000 by
//! default) — the first page and a page in the middle (which also places the previous
//! page) — p50, p99 and the HTML's size, beside the API's `GET /v1/events` for the same
//! page in the same run as the baseline. The real `daftar serve` on SQLite; requests one at
//! a time (latency, not throughput).
//!
//! `cargo bench --bench log_page [-- --events 10000 --requests 300]`; `cargo test --bench
//! log_page` runs a seconds-long smoke version.

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Args, Figures, figures, server::Server};
use reqwest::{Client, redirect};
use serde_json::{Value, json};

const TOKEN: &str = "log-page-benchmark-token-000001";

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

/// The log's newest position (as verify reports it).
async fn head(client: &Client, base: &str) -> i64 {
    let verify: Value = client
        .get(format!("{base}/v1/audit/verify"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    verify["head_position"].as_i64().expect("a head")
}

/// Inventory cases for every agency (about 33 events each) until the log holds `events`;
/// the administrator signed in on the pages. Returns the session cookie and the head.
async fn setup(client: &Client, base: &str, events: usize) -> (String, i64) {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/agencies.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let agencies: Vec<Value> = fixture["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].clone())
        .collect();
    post(client, base, "/v1/agencies:import", fixture).await;
    let mut n = 0;
    while head(client, base).await < events as i64 {
        let body = json!({"workflow": "data-exchange-inventory", "title": format!("احصای اطلاعات، دور {n}"), "participants": agencies});
        post(client, base, "/v1/cases", body).await;
        n += 1;
    }
    let signed_in = client
        .post(format!("{base}/sign-in/token"))
        .header("origin", base)
        .form(&[("token", TOKEN)])
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
    (cookie, head(client, base).await)
}

/// Times `requests` sequential GETs of `url`; returns the figures and the body's size.
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

fn row(scenario: &str, f: &Figures, size: usize, baseline: &Figures) {
    println!(
        "{scenario:<48} p50 {:>7.2} ms  p99 {:>7.2} ms  {:>7.1} KiB  ×{:.1} p50 of the API",
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3,
        size as f64 / 1024.0,
        f.p50.as_secs_f64() / baseline.p50.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let events = args.number("--events", 10_000, 300);
    let requests = args.number("--requests", 300, 10);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("log.db").display());
    let server = Server::start(&url, TOKEN, dir, Duration::from_secs(15)).await;
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let base = &server.base;
    let (cookie, head) = setup(&client, base, events).await;
    let bearer = format!("Bearer {TOKEN}");
    let middle = head / 2;
    // One round first, unmeasured: caches and connections warm.
    measure(
        &client,
        &format!("{base}/audit/events"),
        ("cookie", &cookie),
        2,
    )
    .await;
    let (api, api_size) = measure(
        &client,
        &format!("{base}/v1/events?limit=50"),
        ("authorization", &bearer),
        requests,
    )
    .await;
    let (api_mid, api_mid_size) = measure(
        &client,
        &format!("{base}/v1/events?limit=50&after={middle}"),
        ("authorization", &bearer),
        requests,
    )
    .await;
    let (first, first_size) = measure(
        &client,
        &format!("{base}/audit/events"),
        ("cookie", &cookie),
        requests,
    )
    .await;
    let (mid, mid_size) = measure(
        &client,
        &format!("{base}/audit/events?after={middle}"),
        ("cookie", &cookie),
        requests,
    )
    .await;
    println!(
        "\nlog page, {head} events stored, 50 a page, {requests} sequential requests (SQLite)"
    );
    row(
        "GET /v1/events?limit=50 (API baseline)",
        &api,
        api_size,
        &api,
    );
    row(
        "GET /v1/events?limit=50&after=middle (API)",
        &api_mid,
        api_mid_size,
        &api,
    );
    row("GET /audit/events (first page)", &first, first_size, &api);
    row(
        "GET /audit/events?after=middle (with previous)",
        &mid,
        mid_size,
        &api_mid,
    );
    assert!(
        first_size > api_size / 4,
        "the page shows the events it lists"
    );
}
