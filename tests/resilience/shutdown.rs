//! SIGTERM: the listener closes, requests in flight finish (one whose body is still arriving
//! included), the group-commit batch is flushed, the scheduler and the dispatcher stop, and
//! the process exits 0 — nothing acknowledged is lost.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::checks;
use crate::node::{Node, NodeConfig};
use crate::on_both_backends;
use crate::support::TestDb;
use crate::workload::{self, start_burst, wait_for_cases};

/// Sends a request's head and the first half of its body; the rest comes later.
async fn half_sent(base: &str, token: &str, body: &[u8]) -> TcpStream {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /v1/cases HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..body.len() / 2]).await.unwrap();
    stream
}

/// Sends the rest of the body and reads the answer: (status, body).
async fn finish(mut stream: TcpStream, body: &[u8]) -> (u16, Value) {
    stream.write_all(&body[body.len() / 2..]).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

async fn sigterm_drains_and_loses_nothing(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(&db.url.display(), dir.path(), "stop");
    let mut node = Node::start(&config).await;
    let tokens = workload::set_up(&node.base).await;
    let (acked, stop, clients) = start_burst(&[node.base.clone()], &tokens, 16, 10_000);
    wait_for_cases(&acked, 15, Duration::from_secs(60)).await;

    let slow = serde_json::to_vec(&json!({"workflow": "quick-inventory", "title": "in flight at SIGTERM", "participants": ["IRICA", "MIMT"]})).unwrap();
    let in_flight = half_sent(&node.base, &tokens.secretariat, &slow).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = Instant::now();
    node.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (status, case) = finish(in_flight, &slow).await;
    assert_eq!(
        status, 201,
        "the request in flight at SIGTERM is drained: {case}"
    );
    let tasks = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    acked
        .cases
        .lock()
        .await
        .push((case["id"].as_str().unwrap().to_string(), tasks));

    let exit = node.wait_exit(Duration::from_secs(30)).await;
    assert!(exit.success(), "SIGTERM exits 0, not {exit}");
    assert!(
        stopping.elapsed() < Duration::from_secs(20),
        "the drain took {:?}",
        stopping.elapsed()
    );
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    let log = node.log_text();
    for line in [
        "SIGTERM received",
        "scheduler stopped",
        "dispatcher stopped",
        "group-commit writer stopped",
        "daftar stopped",
    ] {
        assert!(log.contains(line), "the log lacks {line:?}:\n{log}");
    }

    let node = Node::start(&config).await;
    checks::acknowledged_are_present(&node.base, &acked).await;
    checks::cases_are_whole(&node.base).await;
    checks::log_is_whole(&node.base).await;
}

on_both_backends!(sigterm_drains_and_loses_nothing);
