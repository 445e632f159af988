//! Two `daftar serve` processes on one PostgreSQL: a token revoked, and a member disabled, on
//! one node are refused by the other within `SESSION_TTL`, the time SECURITY.md promises.

use std::time::{Duration, Instant};

use daftar::engine::SESSION_TTL;
use reqwest::Method;
use serde_json::Value;

use crate::node::{ADMIN_TOKEN, Node, NodeConfig};
use crate::support;
use crate::workload::{self, expect};

async fn tasks_status(base: &str, token: &str) -> u16 {
    let client = workload::client();
    let (status, _) = workload::send(&client, base, Method::GET, "/v1/tasks", token, None)
        .await
        .unwrap();
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_node_refuses_a_revoked_token_and_a_disabled_member_within_the_ttl() {
    let promise = format!("within {} s", SESSION_TTL.as_secs());
    let security = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/SECURITY.md"));
    assert!(
        security.unwrap().contains(&promise),
        "SECURITY.md must state the time: {promise}"
    );
    let Some(db) = support::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.display();
    let one = Node::start(&NodeConfig::new(&url, dir.path(), "one")).await;
    let other = Node::start(&NodeConfig::new(&url, dir.path(), "other")).await;
    let tokens = workload::set_up(&one.base).await;
    let listed: Value = expect(
        &one.base,
        Method::GET,
        "/v1/members/m-irica/tokens",
        ADMIN_TOKEN,
        None,
        200,
    )
    .await;
    let token_id = listed["items"][0]["token_id"].as_str().unwrap().to_string();
    // The other node has both tokens in its memory.
    assert_eq!(tasks_status(&other.base, &tokens.irica).await, 200);
    assert_eq!(tasks_status(&other.base, &tokens.mimt).await, 200);

    let revoke = format!("/v1/tokens/{token_id}");
    expect(&one.base, Method::DELETE, &revoke, ADMIN_TOKEN, None, 204).await;
    let disable = "/v1/members/m-mimt:disable";
    expect(&one.base, Method::POST, disable, ADMIN_TOKEN, None, 200).await;
    let done = Instant::now();
    assert_eq!(tasks_status(&one.base, &tokens.irica).await, 401);
    assert_eq!(tasks_status(&one.base, &tokens.mimt).await, 401);

    // Waiting out the promised time, not measuring anything: after it, no node may accept.
    let deadline = done + SESSION_TTL + Duration::from_millis(50);
    tokio::time::sleep(deadline.saturating_duration_since(Instant::now())).await;
    assert_eq!(tasks_status(&other.base, &tokens.irica).await, 401);
    assert_eq!(tasks_status(&other.base, &tokens.mimt).await, 401);
    // Everyone else is still let in on both.
    assert_eq!(tasks_status(&other.base, &tokens.secretariat).await, 200);
}
