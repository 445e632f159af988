//! Event-store benchmark: durable appends (1 and 64 concurrent appenders on distinct streams)
//! against the raw baseline — one single-row INSERT per transaction into a bare table on the
//! same backend, same concurrency, same run — then a full replay (`read_all` + decode).
//!
//! `cargo bench --bench store` runs the full sizes; `cargo test --bench store` (part of the
//! test suite) runs a seconds-long smoke version so the benchmark never rots.
//! Options: `--backend sqlite|postgres|both` (default both when DAFTAR_TEST_POSTGRES_URL is
//! set), `--appends N` (per scenario), `--replay N`.

use std::time::{Duration, Instant};

use daftar::db::{Database, DatabaseUrl};
use daftar::event_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, ReadAll};
use serde_json::json;
use sqlx::Connection;

struct Options {
    backends: Vec<String>,
    appends: usize,
    replay: usize,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let default_backends = if std::env::var("DAFTAR_TEST_POSTGRES_URL").is_ok() {
        "both"
    } else {
        "sqlite"
    };
    let backends = match value("--backend").as_deref().unwrap_or(default_backends) {
        "both" => vec!["sqlite".into(), "postgres".into()],
        one => vec![one.to_string()],
    };
    let number = |name: &str, full_size: usize, smoke: usize| {
        value(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(if full { full_size } else { smoke })
    };
    Options {
        backends,
        appends: number("--appends", 20_000, 640),
        replay: number("--replay", 1_000_000, 5_000),
    }
}

struct Figures {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn figures(mut latencies: Vec<Duration>, elapsed: Duration) -> Figures {
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Figures {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

fn print_row(backend: &str, scenario: &str, f: &Figures, baseline: Option<&Figures>) {
    let ratio = baseline
        .map(|b| format!("{:>7.1}x raw", f.per_second / b.per_second))
        .unwrap_or_default();
    println!(
        "{backend:<9} {scenario:<32} {:>10.0}/s  p50 {:>7.2} ms  p99 {:>7.2} ms  {ratio}",
        f.per_second,
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3
    );
}

/// Runs `total` operations split over `workers` tasks; each operation is timed.
async fn drive<F, Fut>(workers: usize, total: usize, operation: F) -> Figures
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let mut handles = Vec::new();
    for worker in 0..workers {
        let operation = operation.clone();
        let count = total / workers;
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(count);
            for i in 0..count {
                let t = Instant::now();
                operation(worker, i).await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for handle in handles {
        latencies.extend(handle.await.expect("worker"));
    }
    figures(latencies, started.elapsed())
}

/// The baseline gets its own pool with one connection per writer (and patient acquires),
/// so it measures one-row transactions at that concurrency, not pool waits.
async fn raw_pool(database: &Database, workers: usize) -> Database {
    let patience = Duration::from_secs(120);
    match database {
        Database::Sqlite(pool) => {
            let options = (*pool.connect_options()).clone();
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(workers.min(16) as u32)
                .acquire_timeout(patience)
                .connect_with(options)
                .await
                .expect("sqlite pool");
            Database::Sqlite(pool)
        }
        Database::Postgres(pool) => {
            let options = (*pool.connect_options()).clone();
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(workers as u32)
                .acquire_timeout(patience)
                .connect_with(options)
                .await
                .expect("postgres pool");
            Database::Postgres(pool)
        }
    }
}

async fn raw_insert(database: &Database, workers: usize, total: usize) -> Figures {
    let database = raw_pool(database, workers).await;
    match &database {
        Database::Sqlite(pool) => sqlx::query("create table if not exists bench_raw (id integer primary key, stream text not null, data text not null)")
            .execute(pool).await.map(|_| ()),
        Database::Postgres(pool) => sqlx::query("create table if not exists bench_raw (id bigserial primary key, stream text not null, data text not null)")
            .execute(pool).await.map(|_| ()),
    }
    .expect("create bench_raw");
    drive(workers, total, move |worker, i| {
        let database = database.clone();
        async move {
            let data = json!({"n": i, "worker": worker}).to_string();
            let stream = format!("raw-{worker}");
            let result = match &database {
                Database::Sqlite(pool) => {
                    sqlx::query("insert into bench_raw (stream, data) values (?, ?)")
                        .bind(stream)
                        .bind(data)
                        .execute(pool)
                        .await
                        .map(|_| ())
                }
                Database::Postgres(pool) => {
                    sqlx::query("insert into bench_raw (stream, data) values ($1, $2)")
                        .bind(stream)
                        .bind(data)
                        .execute(pool)
                        .await
                        .map(|_| ())
                }
            };
            result.expect("raw insert");
        }
    })
    .await
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
