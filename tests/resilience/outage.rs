//! PostgreSQL goes away under load and comes back: meanwhile every request is answered —
//! 503 problem+json within a bounded time, never a 500 or a hang — and `/ready` says not
//! ready; afterwards the same process serves again, without a restart, and nothing it
//! acknowledged is missing.
//!
//! This stops the machine's PostgreSQL cluster (`pg_ctlcluster`), which would break every
//! other PostgreSQL test running beside it, so it is `#[ignore]`d and `scripts/test` runs it
//! alone, after the main suite. PostgreSQL is started again however the test ends.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use tokio::sync::Mutex;

use crate::checks;
use crate::node::{Node, NodeConfig};
use crate::support;
use crate::workload::{self, Acked, Tokens, send};

/// The longest any request may take while the database is down.
const BOUND: Duration = Duration::from_secs(15);

fn cluster(action: &str) -> bool {
    let Some(version) = std::fs::read_dir("/etc/postgresql")
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
    else {
        return false;
    };
    Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, "main", action])
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts PostgreSQL again when dropped, so a failing test never leaves it stopped.
struct Outage;

impl Outage {
    fn begin() -> Self {
        assert!(cluster("stop"), "pg_ctlcluster stop failed");
        Outage
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        if !cluster("start") {
            eprintln!("could not start PostgreSQL again: run pg_ctlcluster … main start");
        }
    }
}

/// One client: opens cases until `stop`, remembering each status with how long it took.
async fn load(
    base: String,
    tokens: Tokens,
    acked: Arc<Acked>,
    seen: Arc<Mutex<Vec<(u16, Duration, String)>>>,
    stop: Arc<AtomicBool>,
) {
    let client = workload::client();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let body = json!({"workflow": "quick-inventory", "title": "during an outage", "participants": ["IRICA"]});
        let response = client
            .post(format!("{base}/v1/cases"))
            .bearer_auth(&tokens.secretariat)
            .json(&body)
            .send()
            .await
            .expect("every request is answered");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let value: serde_json::Value = response.json().await.unwrap_or_default();
        if status == 201 {
            let tasks = value["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].as_str().unwrap().to_string())
                .collect();
            acked
                .cases
                .lock()
                .await
                .push((value["id"].as_str().unwrap().to_string(), tasks));
        }
        seen.lock().await.push((status, started.elapsed(), kind));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "stops the machine's PostgreSQL; scripts/test runs it alone"]
async fn a_database_outage_gives_503_and_the_server_recovers_by_itself() {
    let Some(db) = support::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(&db.url.display(), dir.path(), "outage");
    let node = Node::start(&config).await;
    let tokens = workload::set_up(&node.base).await;
    let (acked, seen, stop) = (
        Arc::new(Acked::default()),
        Arc::new(Mutex::new(Vec::new())),
        Arc::new(AtomicBool::new(false)),
    );
    let clients: Vec<_> = (0..8)
        .map(|_| {
            tokio::spawn(load(
                node.base.clone(),
                tokens.clone(),
                acked.clone(),
                seen.clone(),
                stop.clone(),
            ))
        })
        .collect();
    workload::wait_for_cases(&acked, 10, Duration::from_secs(30)).await;

    let outage = Outage::begin();
    let client = workload::client();
    checks::eventually("a 503 from a write", Duration::from_secs(30), || async {
        seen.lock().await.iter().any(|(s, _, _)| *s == 503)
    })
    .await;
    let ready = client
        .get(format!("{}/ready", node.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.headers()["content-type"], "application/problem+json");
    let (status, _) = send(
        &client,
        &node.base,
        Method::GET,
        "/v1/cases",
        &tokens.secretariat,
        None,
    )
    .await
    .unwrap();
    assert_eq!(status, 503, "a read during the outage");
    assert_eq!(
        client
            .get(format!("{}/health", node.base))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "the process itself is up"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    drop(outage);

    checks::eventually("ready again", Duration::from_secs(60), || async {
        client
            .get(format!("{}/ready", node.base))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
    })
    .await;
    let during = acked.cases.lock().await.len();
    workload::wait_for_cases(&acked, during + 10, Duration::from_secs(60)).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    for (status, took, kind) in seen.lock().await.iter() {
        assert!(
            *status == 201 || *status == 503,
            "only 201 or 503, got {status}"
        );
        assert!(*took < BOUND, "a request took {took:?}");
        if *status == 503 {
            assert_eq!(kind, "application/problem+json");
        }
    }
    checks::acknowledged_are_present(&node.base, &acked).await;
    checks::cases_are_whole(&node.base).await;
    checks::log_is_whole(&node.base).await;
    assert!(!node.log_text().contains("panicked"), "{}", node.log_text());
}
