//! Concurrent writers against a tailing reader: the global position must be gapless and in
//! commit order, or a reader that remembers "the last position I saw" would skip events.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use daftar::event_store::{AppendRequest, EventStore, ExpectedVersion, ReadAll};
use tokio::task::JoinSet;

use crate::support::TestDb;
use crate::{event, on_both_backends, open};

const WRITERS: usize = 16;
const APPENDS_PER_WRITER: usize = 60;

/// Reads the log from its last seen position until `total` events arrived; checks every
/// page continues exactly where the previous one ended.
async fn tail(store: EventStore, total: usize, done: Arc<AtomicBool>) -> Vec<i64> {
    let mut seen = Vec::with_capacity(total);
    let mut last = 0;
    while seen.len() < total {
        // Read the flag before the page: an empty page read after every writer was
        // acknowledged means events are missing.
        let writers_done = done.load(Ordering::Acquire);
        let page = store
            .read_all(&ReadAll::after(last, 37))
            .await
            .expect("read_all");
        for e in &page {
            assert_eq!(
                e.position,
                last + 1,
                "the reader saw a hole or a reordering after {last}"
            );
            last = e.position;
            seen.push(e.position);
        }
        if page.is_empty() {
            assert!(
                !writers_done,
                "writers finished but {} of {total} events are visible",
                seen.len()
            );
            tokio::task::yield_now().await;
        }
    }
    seen
}

async fn write(stores: Vec<EventStore>) -> Vec<i64> {
    let mut writers = JoinSet::new();
    for w in 0..WRITERS {
        let store = stores[w % stores.len()].clone();
        writers.spawn(async move {
            let mut positions = Vec::new();
            for i in 0..APPENDS_PER_WRITER {
                // Half the writers share streams, so conflicts and retries happen mid-batch.
                let stream = if w % 2 == 0 {
                    format!("writer-{w}")
                } else {
                    format!("shared-{}", w % 3)
                };
                let request = AppendRequest::new(
                    stream,
                    ExpectedVersion::Any,
                    vec![event("Wrote", i as i64)],
                );
                positions.extend(store.append(request).await.expect("append").positions);
            }
            positions
        });
    }
    let mut all = Vec::new();
    while let Some(result) = writers.join_next().await {
        all.extend(result.expect("writer task"));
    }
    all
}

async fn check(stores: Vec<EventStore>) {
    let total = WRITERS * APPENDS_PER_WRITER;
    let done = Arc::new(AtomicBool::new(false));
    let reader = tokio::spawn(tail(stores[0].clone(), total, done.clone()));
    let mut written = write(stores.clone()).await;
    done.store(true, Ordering::Release);
    let seen = reader.await.expect("reader task");
    written.sort_unstable();
    let expected: Vec<i64> = (1..=total as i64).collect();
    assert_eq!(
        written, expected,
        "acknowledged positions are not exactly 1..=N"
    );
    assert_eq!(
        seen, expected,
        "the tailing reader did not see every event once, in order"
    );
    let ids: HashSet<_> = stores[0]
        .read_all(&ReadAll::after(0, 10_000))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_id)
        .collect();
    assert_eq!(ids.len(), total);
    assert!(stores[0].verify(1, None).await.unwrap().ok);
}

async fn concurrent_writers_leave_a_gapless_log(db: TestDb) {
    let (_db, store) = open(&db).await;
    check(vec![store.clone()]).await;
    let stats = store.group_commit_stats();
    assert!(
        stats.largest_batch > 1,
        "no appends were folded together: {stats:?}"
    );
    assert_eq!(stats.appends as usize, WRITERS * APPENDS_PER_WRITER);
}

/// Two stores on one database stand for two `daftar serve` nodes.
async fn two_nodes_share_one_gapless_log(db: TestDb) {
    let (_a, first) = open(&db).await;
    let (_b, second) = open(&db).await;
    check(vec![first, second]).await;
}

async fn one_conflict_does_not_fail_its_batch(db: TestDb) {
    let (_db, store) = open(&db).await;
    let mut tasks = JoinSet::new();
    for i in 0..40 {
        let store = store.clone();
        tasks.spawn(async move {
            let (stream, expected) = if i % 2 == 0 {
                ("contested".to_string(), ExpectedVersion::NoStream)
            } else {
                (format!("free-{i}"), ExpectedVersion::NoStream)
            };
            (
                i,
                store
                    .append(AppendRequest::new(
                        stream,
                        expected,
                        vec![event("Tried", i)],
                    ))
                    .await,
            )
        });
    }
    let mut contested_wins = 0;
    while let Some(result) = tasks.join_next().await {
        let (i, outcome) = result.unwrap();
        match (i % 2 == 0, outcome) {
            (true, Ok(_)) => contested_wins += 1,
            (true, Err(e)) => assert!(e.is_conflict(), "{e}"),
            (false, outcome) => {
                assert!(outcome.is_ok(), "an uncontested append failed: {outcome:?}")
            }
        }
    }
    assert_eq!(contested_wins, 1);
    assert_eq!(store.head().await.unwrap().0, 21);
}

on_both_backends!(
    concurrent_writers_leave_a_gapless_log,
    two_nodes_share_one_gapless_log,
    one_conflict_does_not_fail_its_batch,
);
