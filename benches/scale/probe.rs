//! What is measured on the running server: single reads over HTTP, one at a time (latency,
//! not throughput), each on a case or task picked across the whole log, so that a bigger log
//! cannot hide behind one warm case.

use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::Value;
use uuid::Uuid;

use crate::common::quantile;
use crate::template::Template;

/// Where reads go: the copies of the story that are complete in the log, and the positions
/// of the last complete group of them.
pub struct Target<'a> {
    pub template: &'a Template,
    pub copies: u128,
    pub last_group: std::ops::Range<u64>,
}

/// Events per page of `GET /v1/events`.
const PAGE: u64 = 500;

/// The `i`th of a fixed sequence spread over `0..n` (a multiplicative hash): the same
/// picks on every run, scattered over the log.
fn pick(i: usize, n: u128) -> u128 {
    u128::from((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) % n
}

impl Target<'_> {
    /// An inventory case (31 agencies, completed).
    fn case(&self, i: usize) -> Uuid {
        let copy = pick(i, self.copies);
        self.template.copy_id(self.template.inventory_case, copy)
    }

    /// One agency's task in an inventory case.
    fn task(&self, i: usize) -> Uuid {
        let tasks = &self.template.inventory_tasks;
        let copy = pick(i, self.copies);
        self.template.copy_id(tasks[i % tasks.len()], copy)
    }

    /// A page of the log that starts within its last complete group of copies, which holds
    /// the same mix of events (votes, ≈1 KB submissions, reviews) at any size.
    fn near_the_end(&self, i: usize) -> u64 {
        let room = self.last_group.end - self.last_group.start - PAGE;
        self.last_group.start + pick(i, room.into()) as u64
    }
}

#[derive(Clone, Copy)]
pub enum Read {
    Task,
    Case,
    History,
    Replay,
    Board,
    DeepPage,
}

impl Read {
    pub const ALL: [Read; 6] = [
        Read::Task,
        Read::Case,
        Read::History,
        Read::Replay,
        Read::Board,
        Read::DeepPage,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Read::Task => "read one task: GET /v1/tasks/{id}",
            Read::Case => "read one case: GET /v1/cases/{id}",
            Read::History => "case history: GET /v1/cases/{id}/history",
            Read::Replay => "replay one case: GET /v1/cases/{id}/state",
            Read::Board => "status board, 31 agencies: GET /v1/cases/{id}/board",
            Read::DeepPage => "a page near the end of the log: GET /v1/events?limit=500",
        }
    }

    fn path(self, target: &Target<'_>, i: usize) -> String {
        match self {
            Read::Task => format!("/v1/tasks/{}", target.task(i)),
            Read::Case => format!("/v1/cases/{}", target.case(i)),
            Read::History => format!("/v1/cases/{}/history", target.case(i)),
            Read::Replay => format!("/v1/cases/{}/state", target.case(i)),
            Read::Board => format!("/v1/cases/{}/board", target.case(i)),
            Read::DeepPage => {
                let after = target.near_the_end(i);
                format!("/v1/events?after={after}&limit={PAGE}")
            }
        }
    }
}

/// p50 and p99 of one kind of read.
pub struct Latency {
    pub p50: Duration,
    pub p99: Duration,
}

async fn get(client: &Client, url: &str, token: &str) -> Value {
    let response = client.get(url).bearer_auth(token).send().await;
    let response = response.expect("the server answers");
    let status = response.status();
    let body = response.bytes().await.expect("a body");
    assert!(
        status.is_success(),
        "{url}: {status} {}",
        String::from_utf8_lossy(&body)
    );
    serde_json::from_slice(&body).expect("JSON")
}

/// `n` reads of one kind, each timed from request to the last byte of the body.
pub async fn measure(
    client: &Client,
    base: &str,
    token: &str,
    target: &Target<'_>,
    read: Read,
    n: usize,
) -> Latency {
    let mut latencies = Vec::with_capacity(n);
    for i in 0..n {
        let url = format!("{base}{}", read.path(target, i));
        let started = Instant::now();
        get(client, &url, token).await;
        latencies.push(started.elapsed());
    }
    latencies.sort_unstable();
    Latency {
        p50: quantile(&latencies, 0.50),
        p99: quantile(&latencies, 0.99),
    }
}

/// The server folded the stamped cases into what the story ended with: the inventory
/// completed, all 31 tasks accepted.
pub async fn check(client: &Client, base: &str, token: &str, target: &Target<'_>) {
    let case = get(
        client,
        &format!("{base}/v1/cases/{}", target.case(0)),
        token,
    )
    .await;
    assert_eq!(case["status"], "completed", "{case}");
    let tasks = case["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 31);
    assert!(tasks.iter().all(|t| t["status"] == "accepted"), "{case}");
}
