//! `daftar backup` while a server takes a burst of submissions: the copy holds the
//! checkpoint the command printed, `audit verify --expect-head` proves it on the copy, every
//! case acknowledged before the backup began is in it, and a fresh server on the copy serves
//! each case as the original was at that checkpoint.

use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use crate::checks;
use crate::node::{ADMIN_TOKEN, Node, NodeConfig};
use crate::support;
use crate::workload::{self, expect, start_burst, wait_for_cases};

fn daftar(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_daftar"))
        .args(args)
        .env("DAFTAR_DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("daftar runs")
}

fn stdout_of(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

async fn state_at(base: &str, case: &str, at: &str) -> Value {
    let path = format!("/v1/cases/{case}/state?at={at}");
    expect(base, Method::GET, &path, ADMIN_TOKEN, None, 200).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_a_burst_restores_to_its_checkpoint() {
    let db = support::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let url = db.url.display();
    let node = Node::start(&NodeConfig::new(&url, dir.path(), "original")).await;
    let tokens = workload::set_up(&node.base).await;
    let (acked, stop, clients) = start_burst(std::slice::from_ref(&node.base), &tokens, 16, 10_000);
    wait_for_cases(&acked, 20, Duration::from_secs(60)).await;
    let before: Vec<String> = acked
        .cases
        .lock()
        .await
        .iter()
        .map(|c| c.0.clone())
        .collect();

    let copy = dir.path().join("backup.db");
    let copy_url = format!("sqlite://{}", copy.display());
    let checkpoint = stdout_of(&daftar(&url, &["backup", copy.to_str().unwrap()]))
        .trim()
        .to_string();
    // The burst went on while the copy was taken, and goes on a little after it.
    wait_for_cases(&acked, before.len() + 10, Duration::from_secs(60)).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        assert_eq!(client.await.unwrap(), 0, "every request is answered");
    }
    let refused = daftar(&url, &["backup", copy.to_str().unwrap()]);
    assert!(!refused.status.success(), "a backup never overwrites");

    let (position, _) = checkpoint.split_once(':').expect("POSITION:HASH");
    let verified = daftar(
        &copy_url,
        &["audit", "verify", "--expect-head", &checkpoint],
    );
    let report: Value = serde_json::from_str(&stdout_of(&verified)).unwrap();
    assert_eq!(report["head_position"].to_string(), position, "{report}");

    let restored = Node::start(&NodeConfig::new(&copy_url, dir.path(), "restored")).await;
    let cases = checks::all_pages(&restored.base, "/v1/cases").await;
    let ids: Vec<String> = cases
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for case in &before {
        assert!(
            ids.contains(case),
            "case {case} was acknowledged before the backup"
        );
    }
    assert!(
        ids.len() < acked.cases.lock().await.len(),
        "the copy is of one instant, not of the end of the burst"
    );
    for case in &ids {
        assert_eq!(
            state_at(&restored.base, case, position).await,
            state_at(&node.base, case, position).await,
            "case {case} at {position}"
        );
    }
}
