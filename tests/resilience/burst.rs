//! 10,000 members registered in one burst by 64 clients: every one created, and the server
//! keeps answering reads meanwhile.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::node::{ADMIN_TOKEN, Node, NodeConfig};
use crate::support;
use crate::workload::{self, expect};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_members_in_a_burst_are_all_created() {
    let db = support::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let node = Node::start(&NodeConfig::new(&db.url.display(), dir.path(), "members")).await;
    workload::set_up(&node.base).await;
    let started = Instant::now();
    let clients: Vec<_> = (0..64)
        .map(|c| {
            let base = node.base.clone();
            tokio::spawn(async move {
                let client = workload::client();
                for n in (c..10_000).step_by(64) {
                    let body = json!({"id": format!("burst-{n}"), "name": format!("کارشناس {n}"), "email": format!("m{n}@irica.example"), "agency": "IRICA", "roles": ["member"]});
                    let (status, answer) = workload::send(&client, &base, Method::POST, "/v1/members", ADMIN_TOKEN, Some(body)).await.unwrap();
                    assert_eq!(status, 201, "{answer}");
                }
            })
        })
        .collect();
    let probe = reqwest::Client::new();
    let mut slowest = Duration::ZERO;
    while !clients.iter().all(|c| c.is_finished()) {
        let asked = Instant::now();
        let response = probe
            .get(format!("{}/v1/agencies", node.base))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        slowest = slowest.max(asked.elapsed());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for client in clients {
        client.await.unwrap();
    }
    eprintln!(
        "10,000 members in {:?}; slowest read meanwhile {slowest:?}",
        started.elapsed()
    );
    assert!(
        slowest < Duration::from_secs(5),
        "the server stalled for {slowest:?}"
    );
    for n in [0, 4_999, 9_999] {
        let member: Value = expect(
            &node.base,
            Method::GET,
            &format!("/v1/members/burst-{n}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
        assert_eq!(member["agency"], "IRICA");
    }
    let verify = expect(
        &node.base,
        Method::GET,
        "/v1/audit/verify",
        ADMIN_TOKEN,
        None,
        200,
    )
    .await;
    assert_eq!(verify["ok"], true);
}
