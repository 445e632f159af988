//! What must hold after a crash, a stop or a race, read back over HTTP: every acknowledged
//! request is there, no case is half-written, the read models equal the replay, the log is
//! gapless and verifies, and the background work (timers, e-mail) finishes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::node::ADMIN_TOKEN;
use crate::workload::{Acked, expect};

/// Every item of a paged list (`{items, next}`), following the cursor.
pub async fn all_pages(base: &str, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let joiner = if path.contains('?') { '&' } else { '?' };
        let cursor = after
            .as_deref()
            .map(|a| format!("&after={a}"))
            .unwrap_or_default();
        let url = format!("{path}{joiner}limit=500{cursor}");
        let page = expect(base, Method::GET, &url, ADMIN_TOKEN, None, 200).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"]
            .as_str()
            .map(str::to_string)
            .or_else(|| page["next"].as_i64().map(|n| n.to_string()))
        {
            Some(next) => after = Some(next),
            None => return items,
        }
    }
}

/// The whole log, in order.
pub async fn events(base: &str) -> Vec<Value> {
    all_pages(base, "/v1/events").await
}

/// The chain verifies and positions run 1, 2, … with no gap and no repeat.
pub async fn log_is_whole(base: &str) -> Vec<Value> {
    let verify = expect(
        base,
        Method::GET,
        "/v1/audit/verify",
        ADMIN_TOKEN,
        None,
        200,
    )
    .await;
    assert_eq!(verify["ok"], true, "{verify}");
    let events = events(base).await;
    for (index, event) in events.iter().enumerate() {
        assert_eq!(
            event["position"],
            index as i64 + 1,
            "a gap or repeat in the log"
        );
    }
    // The log may have grown since the verify (timers, e-mail outcomes): never shrunk.
    assert!(verify["head_position"].as_i64().unwrap() <= events.len() as i64);
    let ids: BTreeSet<&str> = events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), events.len(), "an event id appears twice");
    events
}

/// Every acknowledged case and submission is stored.
pub async fn acknowledged_are_present(base: &str, acked: &Acked) {
    for (case_id, tasks) in acked.cases.lock().await.iter() {
        let case = expect(
            base,
            Method::GET,
            &format!("/v1/cases/{case_id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
        let stored: BTreeSet<&str> = case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        for task in tasks {
            assert!(
                stored.contains(task.as_str()),
                "case {case_id} lost task {task}"
            );
        }
    }
    for (task, submission) in acked.submissions.lock().await.iter() {
        let task = expect(
            base,
            Method::GET,
            &format!("/v1/tasks/{task}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
        let ids: Vec<&str> = task["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["submission_id"].as_str().or(s["id"].as_str()))
            .collect();
        assert!(
            ids.contains(&submission.as_str()),
            "an acknowledged submission is missing: {task}"
        );
    }
}

/// Every stored case is whole (one task per participant) and its read model is what the
/// replay of its events gives.
pub async fn cases_are_whole(base: &str) -> usize {
    let cases = all_pages(base, "/v1/cases").await;
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let live = expect(
            base,
            Method::GET,
            &format!("/v1/cases/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
        let participants = live["participants"].as_array().map_or(0, Vec::len);
        let submissions = live["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["type"] == "submission")
            .count();
        assert_eq!(submissions, participants, "a half-written case: {live}");
        read_model_is_the_replay(base, id).await;
    }
    cases.len()
}

/// Compares the case document with the replay of its stream at the same version (a timer
/// may fire between the two reads; then both are read again).
async fn read_model_is_the_replay(base: &str, id: &str) {
    for _ in 0..20 {
        let live = expect(
            base,
            Method::GET,
            &format!("/v1/cases/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
        let path = format!("/v1/cases/{id}/state");
        let replayed = expect(base, Method::GET, &path, ADMIN_TOKEN, None, 200).await;
        if live["version"] == replayed["case"]["version"] {
            assert_eq!(
                summary(&live),
                summary(&replayed["case"]),
                "read model and replay differ"
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("case {id} kept changing while being compared");
}

fn summary(case: &Value) -> Value {
    let tasks: Vec<Value> = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| serde_json::json!([t["id"], t["status"], t["escalation_level"], t["overdue"]]))
        .collect();
    serde_json::json!({"status": case["status"], "version": case["version"], "tasks": tasks})
}

/// Waits until `done` holds, polling; panics with `what` after `limit`.
pub async fn eventually<F, Fut>(what: &str, limit: Duration, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < limit, "not within {limit:?}: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every open task of the acknowledged cases passes its deadline and escalates.
pub async fn timers_fired(base: &str, acked: &Acked) {
    let tasks: Vec<String> = acked
        .cases
        .lock()
        .await
        .iter()
        .flat_map(|(_, t)| t.clone())
        .collect();
    eventually(
        "every waiting task escalated",
        Duration::from_secs(60),
        || async {
            for task in &tasks {
                let view = expect(
                    base,
                    Method::GET,
                    &format!("/v1/tasks/{task}"),
                    ADMIN_TOKEN,
                    None,
                    200,
                )
                .await;
                if view["status"] == "open" && view["escalation_level"].as_u64().unwrap_or(0) < 1 {
                    return false;
                }
            }
            true
        },
    )
    .await;
}

/// Waits until no notification is queued; none failed. Returns the notifications.
pub async fn mail_delivered(base: &str) -> Vec<Value> {
    eventually(
        "every notification delivered",
        Duration::from_secs(60),
        || async {
            let queued = expect(
                base,
                Method::GET,
                "/v1/notifications?status=queued&limit=1",
                ADMIN_TOKEN,
                None,
                200,
            )
            .await;
            queued["items"].as_array().is_some_and(Vec::is_empty)
        },
    )
    .await;
    let all = all_pages(base, "/v1/notifications").await;
    let failed: Vec<&Value> = all.iter().filter(|n| n["status"] != "sent").collect();
    assert!(failed.is_empty(), "undelivered notifications: {failed:?}");
    all
}

/// Message-ID → how many `.eml` files carry it, over the given mail directories.
pub fn mails_by_message_id(dirs: &[&Path]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for dir in dirs {
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            let id = text
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Message-ID: ")
                        .or_else(|| l.strip_prefix("Message-Id: "))
                })
                .unwrap_or("(none)")
                .trim()
                .to_string();
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
}

/// Every sent notification has a file; with `exactly_once`, exactly one.
pub fn every_notification_mailed(notifications: &[Value], dirs: &[&Path], exactly_once: bool) {
    let mails = mails_by_message_id(dirs);
    for notification in notifications {
        let id = format!("<{}@daftar>", notification["id"].as_str().unwrap());
        let count = mails.get(&id).copied().unwrap_or(0);
        assert!(count >= 1, "notification {id} has no e-mail");
        if exactly_once {
            assert_eq!(count, 1, "notification {id} was mailed {count} times");
        }
    }
}
