//! Three `daftar serve` processes on one PostgreSQL, started together and loaded together:
//! no event lost or duplicated, the same command raced on three nodes succeeds once, each
//! timer fires once, each notification is mailed once, and the log stays gapless.

use std::collections::BTreeMap;
use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};

use crate::checks;
use crate::node::{Node, NodeConfig};
use crate::support;
use crate::workload::{self, inventory, send, start_burst};

/// How many times each (event type, key) occurs in the log.
fn occurrences(
    events: &[Value],
    event_type: &str,
    key: impl Fn(&Value) -> String,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for event in events.iter().filter(|e| e["event_type"] == event_type) {
        *counts.entry(key(&event["data"])).or_default() += 1;
    }
    counts
}

/// The same submission sent to every node at once: exactly one may win.
async fn race_one_submission(bases: &[String], tokens: &workload::Tokens) {
    let body =
        json!({"workflow": "quick-inventory", "title": "raced", "participants": ["IRICA", "MIMT"]});
    let case = workload::expect(
        &bases[0],
        Method::POST,
        "/v1/cases",
        &tokens.secretariat,
        Some(body),
        201,
    )
    .await;
    let task = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "IRICA")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/v1/tasks/{task}/submissions");
    let attempts = bases.iter().map(|base| {
        let (base, path, token) = (base.clone(), path.clone(), tokens.irica.clone());
        tokio::spawn(async move {
            let client = workload::client();
            send(
                &client,
                &base,
                Method::POST,
                &path,
                &token,
                Some(json!({"data": inventory()})),
            )
            .await
            .unwrap()
            .0
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_nodes_on_one_database_lose_and_repeat_nothing() {
    let Some(db) = support::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let configs: Vec<NodeConfig> = (0..3)
        .map(|i| NodeConfig::new(&db.url.display(), dir.path(), &format!("node{i}")))
        .collect();
    // Started together, as an orchestrator does: migrations, the bootstrap and the shipped
    // workflows' registration race each other.
    let mut nodes: Vec<Node> = configs.iter().map(Node::spawn).collect();
    for node in &mut nodes {
        node.wait_ready(std::time::Duration::from_secs(90)).await;
    }
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();
    let tokens = workload::set_up(&bases[0]).await;
    let (acked, _stop, clients) = start_burst(&bases, &tokens, 24, 90);
    for client in clients {
        assert_eq!(client.await.unwrap(), 0, "every request is answered");
    }
    assert_eq!(
        *acked.refused.lock().await,
        vec![],
        "every request succeeds"
    );
    assert_eq!(acked.cases.lock().await.len(), 90);
    for _ in 0..5 {
        race_one_submission(&bases, &tokens).await;
    }

    checks::acknowledged_are_present(&bases[1], &acked).await;
    checks::timers_fired(&bases[2], &acked).await;
    let notifications = checks::mail_delivered(&bases[0]).await;
    let dirs: Vec<&Path> = configs.iter().map(|c| c.mail_dir.as_path()).collect();
    checks::every_notification_mailed(&notifications, &dirs, true);
    // No strays: every file belongs to a notification. A reminder timer may queue and send
    // mail after the list above was read, so the notifications are listed again after the
    // files were counted.
    let mails = checks::mails_by_message_id(&dirs);
    let listed: std::collections::BTreeSet<String> =
        checks::all_pages(&bases[0], "/v1/notifications")
            .await
            .iter()
            .map(|n| format!("<{}@daftar>", n["id"].as_str().unwrap()))
            .collect();
    for (message_id, count) in &mails {
        assert!(listed.contains(message_id), "a stray e-mail {message_id}");
        assert_eq!(*count, 1, "{message_id} was mailed {count} times");
    }
    checks::cases_are_whole(&bases[1]).await;

    let events = checks::log_is_whole(&bases[2]).await;
    let task = |d: &Value| d["task_id"].as_str().unwrap_or_default().to_string();
    for (kind, counts) in [
        (
            "DeadlineEscalated",
            occurrences(&events, "DeadlineEscalated", |d| {
                format!("{}/{}", task(d), d["level"])
            }),
        ),
        ("TaskOverdue", occurrences(&events, "TaskOverdue", task)),
        (
            "SubmissionReceived",
            occurrences(&events, "SubmissionReceived", |d| {
                format!("{}/{}", task(d), d["number"])
            }),
        ),
        (
            "NotificationSent",
            occurrences(&events, "NotificationSent", |d| {
                d["notification_id"].to_string()
            }),
        ),
    ] {
        assert!(!counts.is_empty(), "no {kind} at all");
        let repeated: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            repeated.is_empty(),
            "{kind} recorded more than once: {repeated:?}"
        );
    }
    let opened = events
        .iter()
        .filter(|e| e["event_type"] == "CaseOpened")
        .count();
    assert_eq!(
        opened, 95,
        "90 burst cases and 5 raced ones, each opened once"
    );
}
