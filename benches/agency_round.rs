//! W1 "agency round": the real `daftar serve` over HTTP. Each case assigns a submission task
//! to each of the 31 agencies; each agency submits a ≈1 KB inventory that the server
//! validates against the form's JSON Schema (one in ten is first sent invalid and must get
//! 422); the secretariat accepts each; a case completes when all 31 are accepted. In the
//! same run the same generator drives `GET /health`, the ceiling our figure is a ratio of.
//!
//! `cargo bench --bench agency_round [-- --backend sqlite|postgres --cases 200 --clients 32]`;
//! `cargo test --bench agency_round` runs a seconds-long smoke version.

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Args, server::Server};
use daftar::db::DatabaseUrl;
use reqwest::Client;
use serde_json::{Value, json};
use tokio::sync::Mutex;

const TOKEN: &str = "agency-round-benchmark-token-0001";

/// A SQLite file in `dir`, or a fresh PostgreSQL database (as the tests make theirs).
async fn database_url(backend: &str, dir: &tempfile::TempDir) -> String {
    if backend == "sqlite" {
        return format!("sqlite://{}", dir.path().join("w1.db").display());
    }
    let db = support::postgres()
        .await
        .expect("--backend postgres needs DAFTAR_TEST_POSTGRES_URL");
    match db.url {
        DatabaseUrl::Postgres(url) => url,
        DatabaseUrl::Sqlite(_) => unreachable!("support::postgres makes a PostgreSQL database"),
    }
}

async fn start(backend: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(backend, &dir).await;
    Server::start(&url, TOKEN, dir, Duration::from_secs(15)).await
}

struct Setup {
    secretariat: String,
    members: Vec<(String, String)>,
}

async fn setup(client: &Client, base: &str) -> Setup {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/agencies.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    client
        .post(format!("{base}/v1/agencies:import"))
        .bearer_auth(TOKEN)
        .json(&fixture)
        .send()
        .await
        .unwrap();
    let token = |id: String| async move {
        let r: Value = client
            .post(format!("{base}/v1/members/{id}/tokens"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["token"].as_str().unwrap().to_string()
    };
    client.post(format!("{base}/v1/members")).bearer_auth(TOKEN).json(&json!({"id": "sec", "name": "دبیرخانه", "email": "sec@mimt.example", "agency": "MIMT", "roles": ["secretariat"]})).send().await.unwrap();
    let secretariat = token("sec".into()).await;
    let mut members = Vec::new();
    for agency in fixture["agencies"].as_array().unwrap() {
        let code = agency["code"].as_str().unwrap().to_string();
        let id = format!("m-{}", code.to_lowercase());
        client.post(format!("{base}/v1/members")).bearer_auth(TOKEN).json(&json!({"id": id, "name": "کارشناس", "email": format!("{id}@x.example"), "agency": code, "roles": ["member"]})).send().await.unwrap();
        members.push((code, token(id).await));
    }
    Setup {
        secretariat,
        members,
    }
}

/// One unit of work: an agency's task in a case.
struct Unit {
    task: String,
    token: String,
    code: String,
    invalid_first: bool,
}

async fn action(
    client: &Client,
    request: reqwest::RequestBuilder,
    expect: u16,
    latencies: &mut Vec<Duration>,
) {
    let started = Instant::now();
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let _ = response.bytes().await;
    latencies.push(started.elapsed());
    assert_eq!(status, expect, "unexpected status");
    let _ = client;
}

async fn run_units(
    client: Client,
    base: String,
    secretariat: String,
    queue: Arc<Mutex<Vec<Unit>>>,
) -> Vec<Duration> {
    let mut latencies = Vec::new();
    loop {
        let Some(unit) = queue.lock().await.pop() else {
            return latencies;
        };
        let submit = format!("{base}/v1/tasks/{}/submissions", unit.task);
        if unit.invalid_first {
            let bad = client
                .post(&submit)
                .bearer_auth(&unit.token)
                .json(&json!({"data": {"needs": [{"title": ""}], "offers": []}}));
            action(&client, bad, 422, &mut latencies).await;
        }
        let good = client
            .post(&submit)
            .bearer_auth(&unit.token)
            .json(&json!({"data": common::one_need_inventory(&unit.code, latencies.len())}));
        action(&client, good, 201, &mut latencies).await;
        let review = client
            .post(format!("{base}/v1/tasks/{}/review", unit.task))
            .bearer_auth(&secretariat)
            .json(&json!({"decision": "accept"}));
        action(&client, review, 200, &mut latencies).await;
    }
}

fn summary(label: &str, mut latencies: Vec<Duration>, elapsed: Duration) -> f64 {
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64()
            * 1e3
    };
    let rate = latencies.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{label:<34} {:>7} actions  {rate:>8.0}/s  p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms",
        latencies.len(),
        at(0.5),
        at(0.95),
        at(0.99)
    );
    rate
}

/// The group-commit writer's counters from `/metrics`: (batches, appends, busy seconds).
async fn writer_counters(client: &Client, base: &str) -> (f64, f64, f64) {
    let text = client
        .get(format!("{base}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (
        value("daftar_group_commit_batches_total "),
        value("daftar_appends_total "),
        value("daftar_group_commit_busy_seconds_total "),
    )
}

async fn health_ceiling(client: &Client, base: &str, clients: usize, total: usize) -> f64 {
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (client, url) = (client.clone(), format!("{base}/health"));
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for _ in 0..total / clients {
                action(&client, client.get(&url), 200, &mut latencies).await;
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    summary("GET /health (ceiling)", all, started.elapsed())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let backend = args.value("--backend").unwrap_or_else(|| "sqlite".into());
    let cases = args.number("--cases", 200, 3);
    let clients = args.number("--clients", 32, 32);
    let server = start(&backend).await;
    let client = Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let setup = setup(&client, &server.base).await;
    let mut units = Vec::new();
    let mut case_ids = Vec::new();
    for _ in 0..cases {
        let case: Value = client.post(format!("{}/v1/cases", server.base)).bearer_auth(&setup.secretariat).json(&json!({"workflow": "data-exchange-inventory", "title": "W1", "participants": "all"})).send().await.unwrap().json().await.unwrap();
        case_ids.push(case["id"].as_str().unwrap().to_string());
        for task in case["tasks"].as_array().unwrap() {
            let code = task["agency"].as_str().unwrap().to_string();
            let token = setup
                .members
                .iter()
                .find(|(c, _)| *c == code)
                .unwrap()
                .1
                .clone();
            units.push(Unit {
                task: task["id"].as_str().unwrap().to_string(),
                token,
                code,
                invalid_first: units.len() % 10 == 0,
            });
        }
    }
    // Interleave the cases (agency 1 of every case, then agency 2, …) so the clients work on
    // many cases at once, as 31 agencies with 200 open cases would.
    let per_case = units.len() / cases.max(1);
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|i| (i % per_case.max(1), i / per_case.max(1)));
    let mut slots: Vec<Option<Unit>> = units.into_iter().map(Some).collect();
    let mut units: Vec<Unit> = order.iter().map(|&i| slots[i].take().unwrap()).collect();
    units.reverse();
    let queue = Arc::new(Mutex::new(units));
    println!("W1 agency round on {backend}: {cases} cases x 31 agencies, {clients} clients");
    let before = writer_counters(&client, &server.base).await;
    let cpu_before = server.cpu_seconds();
    let io_before = server.io_bytes();
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            tokio::spawn(run_units(
                client.clone(),
                server.base.clone(),
                setup.secretariat.clone(),
                queue.clone(),
            ))
        })
        .collect();
    let mut latencies = Vec::new();
    for handle in handles {
        latencies.extend(handle.await.unwrap());
    }
    let elapsed = started.elapsed();
    let server_cpu = server.cpu_seconds() - cpu_before;
    let io_after = server.io_bytes();
    let after = writer_counters(&client, &server.base).await;
    let (batches, appends, busy) = (after.0 - before.0, after.1 - before.1, after.2 - before.2);
    println!(
        "group commit: {appends:.0} appends in {batches:.0} batches ({:.1} per batch, {:.2} ms each); writer busy {:.0}% of the run",
        appends / batches.max(1.0),
        busy * 1e3 / batches.max(1.0),
        busy / elapsed.as_secs_f64() * 100.0
    );
    let actions = latencies.len();
    println!(
        "server CPU: {:.1} s over the run, {:.3} ms per action ({:.0}% of one core)",
        server_cpu,
        server_cpu * 1e3 / actions.max(1) as f64,
        server_cpu / elapsed.as_secs_f64() * 100.0
    );
    println!(
        "server I/O: {:.1} KB read and {:.1} KB written per action (system calls: pages, WAL, files)",
        (io_after.0 - io_before.0) as f64 / 1e3 / actions.max(1) as f64,
        (io_after.1 - io_before.1) as f64 / 1e3 / actions.max(1) as f64,
    );
    let ours = summary("submit + review (W1)", latencies, elapsed);
    for id in &case_ids {
        let case: Value = client
            .get(format!("{}/v1/cases/{id}", server.base))
            .bearer_auth(&setup.secretariat)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(case["status"], "completed", "every case completes");
    }
    println!(
        "cases completed: {} in {:.1} s = {:.2} cases/s; server peak RSS {:.0} MB",
        case_ids.len(),
        elapsed.as_secs_f64(),
        case_ids.len() as f64 / elapsed.as_secs_f64(),
        server.memory().1
    );
    let ceiling = health_ceiling(&client, &server.base, clients, actions).await;
    println!(
        "W1 throughput is {:.1}% of the /health ceiling",
        ours / ceiling * 100.0
    );
}
