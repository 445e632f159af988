//! Hostile clients: a slowloris holding connections by trickling its headers, and a token
//! brute force — throttled with 429 per client address, logged with the address and never
//! with a token.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::node::{ADMIN_TOKEN, Node, NodeConfig};
use crate::support;

/// Opens a connection and sends a request head one byte at a time, slowly; returns how long
/// the server let it do so before closing the connection.
async fn slowloris(address: String) -> Duration {
    let stream = TcpStream::connect(&address).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let started = Instant::now();
    let closed = tokio::spawn(async move {
        let mut sink = Vec::new();
        let _ = reader.read_to_end(&mut sink).await;
        sink
    });
    let head = format!(
        "GET /v1/agencies HTTP/1.1\r\nHost: {address}\r\nX-Padding: {}",
        "a".repeat(200)
    );
    for byte in head.bytes() {
        if closed.is_finished() || started.elapsed() > Duration::from_secs(20) {
            break;
        }
        if writer.write_all(&[byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let answer = closed.await.unwrap();
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_clients_are_cut_off_and_others_are_served() {
    let db = support::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let node = Node::start(&NodeConfig::new(&db.url.display(), dir.path(), "slowloris")).await;
    let address = node.base.trim_start_matches("http://").to_string();
    let attackers: Vec<_> = (0..100)
        .map(|_| tokio::spawn(slowloris(address.clone())))
        .collect();
    let client = reqwest::Client::new();
    for _ in 0..10 {
        let started = Instant::now();
        let response = client
            .get(format!("{}/v1/agencies", node.base))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "a normal client waited {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    for attacker in attackers {
        let held = attacker.await.unwrap();
        // The head must arrive within 5 s (DAFTAR_REQUEST_HEAD_TIMEOUT_SECS): at a byte per
        // 250 ms the whole head would take over a minute.
        assert!(
            held < Duration::from_secs(9),
            "a slow client held its connection {held:?}"
        );
    }
}

async fn guess(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let mut request = client.get(format!("{base}/v1/agencies")).bearer_auth(token);
    if let Some(address) = forwarded {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_token_brute_force_is_throttled_and_logged_without_tokens() {
    let db = support::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let config = NodeConfig::new(&db.url.display(), dir.path(), "brute")
        .with_env("DAFTAR_TRUSTED_PROXIES", "127.0.0.1");
    let node = Node::start(&config).await;
    let client = reqwest::Client::new();
    let guesses: Vec<String> = (0..300).map(|i| format!("dft_{:064x}", i * 7919)).collect();
    let mut statuses = Vec::new();
    for chunk in guesses.chunks(30) {
        let batch = chunk.iter().map(|g| guess(&client, &node.base, g, None));
        for response in futures_util::future::join_all(batch).await {
            statuses.push(response.status().as_u16());
        }
    }
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(unauthorized + throttled, statuses.len(), "{statuses:?}");
    assert!(
        (20..=32).contains(&unauthorized),
        "about a minute's allowance (20) gets through, not {unauthorized}"
    );

    // Throttled means throttled: the right token from that address waits too …
    let right = guess(&client, &node.base, ADMIN_TOKEN, None).await;
    assert_eq!(right.status(), 429);
    assert!(right.headers().contains_key("retry-after"));
    assert_eq!(right.headers()["content-type"], "application/problem+json");
    // … while another client behind the trusted proxy is served …
    assert_eq!(
        guess(&client, &node.base, ADMIN_TOKEN, Some("203.0.113.8"))
            .await
            .status(),
        200
    );
    // … and a guesser behind the proxy is throttled by its own address, not the proxy's.
    let mut behind = Vec::new();
    for g in &guesses[..40] {
        behind.push(
            guess(&client, &node.base, g, Some("198.51.100.1, 203.0.113.9"))
                .await
                .status()
                .as_u16(),
        );
    }
    let let_through = behind.iter().filter(|s| **s == 401).count();
    assert!((20..=21).contains(&let_through), "{behind:?}");
    assert_eq!(
        guess(&client, &node.base, ADMIN_TOKEN, Some("203.0.113.10"))
            .await
            .status(),
        200
    );

    let log = node.log_text();
    assert!(
        log.contains("too many unknown tokens from this client"),
        "{log}"
    );
    assert!(
        log.contains("client=127.0.0.1") && log.contains("client=203.0.113.9"),
        "{log}"
    );
    for secret in guesses.iter().map(String::as_str).chain([ADMIN_TOKEN]) {
        assert!(!log.contains(secret), "a token reached the log");
    }
}
