//! Event-store benchmark: durable appends (1 and 64 concurrent appenders on distinct streams)
//! against the raw baseline — one single-row INSERT per transaction into a bare table on the
//! same backend, same concurrency, same run — then a full replay (`read_all` + decode).
//!
//! `cargo bench --bench store` runs the full sizes; `cargo test --bench store` (part of the
//! test suite) runs a seconds-long smoke version so the benchmark never rots.
//! Options: `--backend sqlite|postgres|both` (default both when DAFTAR_TEST_POSTGRES_URL is
//! set), `--appends N` (per scenario), `--replay N`.

#[path = "common/mod.rs"]
mod common;

use std::time::Instant;

use common::{Args, Figures, drive, print_row, raw::raw_insert};
use daftar::db::{Database, DatabaseUrl};
use daftar::event_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, ReadAll};
use daftar::side_writes::OpenEventStore;
use serde_json::json;
use sqlx::Connection;

struct Options {
    backends: Vec<String>,
    appends: usize,
    replay: usize,
}

fn options() -> Options {
    let args = Args::parse();
    Options {
        backends: args.backends(),
        appends: args.number("--appends", 20_000, 640),
        replay: args.number("--replay", 1_000_000, 5_000),
    }
}

async fn appends(store: &EventStore, workers: usize, total: usize, tag: &str) -> Figures {
    let store = store.clone();
    let tag = tag.to_string();
    drive(workers, total, move |worker, i| {
        let store = store.clone();
        let stream = format!("bench-{tag}-{worker}");
        async move {
            let event = NewEvent::new("BenchmarkRecorded", json!({"n": i, "worker": worker}));
            store
                .append(AppendRequest::new(
                    stream,
                    ExpectedVersion::Any,
                    vec![event],
                ))
                .await
                .expect("append");
        }
    })
    .await
}

async fn replay(store: &EventStore, events: usize) -> f64 {
    let (head, _) = store.head().await.expect("head");
    let mut filled = head as usize;
    while filled < events + head as usize {
        let batch: Vec<NewEvent> = (0..1000.min(events + head as usize - filled))
            .map(|i| NewEvent::new("TaskSubmitted", json!({"task": format!("task-{i}"), "agency": "IRICA", "data": {"title": "احصای اطلاعات", "n": i}})))
            .collect();
        filled += batch.len();
        store
            .append(AppendRequest::new(
                format!("replay-{}", filled % 97),
                ExpectedVersion::Any,
                batch,
            ))
            .await
            .expect("fill");
    }
    let started = Instant::now();
    let (mut after, mut seen) = (0, 0usize);
    loop {
        let page = store
            .read_all(&ReadAll::after(after, 10_000))
            .await
            .expect("read_all");
        let Some(last) = page.last() else { break };
        after = last.position;
        seen += page.len();
    }
    seen as f64 / started.elapsed().as_secs_f64()
}

async fn open(backend: &str) -> (Database, Option<tempfile::TempDir>) {
    if backend == "sqlite" {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::Sqlite(dir.path().join("bench.db"));
        let database = Database::connect(&url).await.expect("sqlite");
        database.migrate().await.expect("migrate");
        return (database, Some(dir));
    }
    let admin = std::env::var("DAFTAR_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("daftar_t_bench_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("PostgreSQL for the benchmark");
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let mut url = url::Url::parse(&admin).expect("url");
    url.set_path(&name);
    let database = Database::connect(&DatabaseUrl::Postgres(url.to_string()))
        .await
        .expect("postgres");
    database.migrate().await.expect("migrate");
    (database, None)
}

#[tokio::main]
async fn main() {
    let options = options();
    println!(
        "event store benchmark: {} appends per scenario, replay of {} events",
        options.appends, options.replay
    );
    for backend in &options.backends {
        let (database, _dir) = open(backend).await;
        let store = database.event_store();
        for workers in [1, 64] {
            let total = if workers == 1 {
                options.appends / 4
            } else {
                options.appends
            };
            let raw = raw_insert(&database, workers, total).await;
            print_row(
                backend,
                &format!("raw insert, {workers} writers"),
                &raw,
                None,
            );
            let ours = appends(&store, workers, total, &workers.to_string()).await;
            print_row(
                backend,
                &format!("daftar append, {workers} appenders"),
                &ours,
                Some(&raw),
            );
        }
        let stats = store.group_commit_stats();
        println!(
            "{backend:<9} group commit: {} appends in {} batches (largest {})",
            stats.appends, stats.batches, stats.largest_batch
        );
        let rate = replay(&store, options.replay).await;
        println!("{backend:<9} replay (read_all + decode)        {rate:>10.0} events/s");
        store.shutdown().await;
        database.close().await;
    }
}
