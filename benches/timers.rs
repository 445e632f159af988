//! Timer benchmark: N pending timers due over a window (100,000 over 60 s in full; 2,000 over
//! 3 s as a smoke run under `cargo test`), fired by the real scheduler; each firing appends an
//! event through the group-commit writer. Reports fire lag (due → fired event) p50/p99 and
//! the process's CPU while idle-waiting (no busy polling: it should be ≈ 0).
//!
//! `cargo bench --bench timers [-- --backend postgres --timers N --window-secs S]`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use daftar::db::{Database, DatabaseUrl};
use daftar::engine::{EngineError, SystemClock};
use daftar::event_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent};
use daftar::scheduler::{Scheduler, TimerHandler};
use daftar::side_writes::OpenEventStore;
use daftar::side_writes::SideWrite;
use daftar::timers::{TimerRow, Timers};
use serde_json::json;
use sqlx::Connection;

struct Recorder {
    store: EventStore,
    lags_us: Mutex<Vec<i64>>,
}

#[async_trait]
impl TimerHandler for Recorder {
    async fn fire(&self, timer: &TimerRow) -> Result<(), EngineError> {
        let fired = chrono::Utc::now().timestamp_micros();
        let event = NewEvent::new(
            "TimerFired",
            json!({"timer": timer.id, "due_at_us": timer.due_at_us, "fired_at_us": fired}),
        );
        let request = AppendRequest::new("bench-timers", ExpectedVersion::Any, vec![event])
            .with_side_writes(vec![SideWrite::CompleteTimer {
                id: timer.id.clone(),
            }]);
        self.store.append(request).await?;
        self.lags_us
            .lock()
            .unwrap()
            .push(chrono::Utc::now().timestamp_micros() - timer.due_at_us);
        Ok(())
    }
}

/// User + system CPU seconds of this process so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

async fn open(backend: &str) -> (Database, Option<tempfile::TempDir>) {
    if backend == "sqlite" {
        let dir = tempfile::tempdir().unwrap();
        let database = Database::connect(&DatabaseUrl::Sqlite(dir.path().join("timers.db")))
            .await
            .unwrap();
        database.migrate().await.unwrap();
        return (database, Some(dir));
    }
    let admin = std::env::var("DAFTAR_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("daftar_t_timers_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("PostgreSQL");
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    let database = Database::connect(&DatabaseUrl::Postgres(url.to_string()))
        .await
        .unwrap();
    database.migrate().await.unwrap();
    (database, None)
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let count: usize = arg("--timers")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 100_000 } else { 2_000 });
    let window = Duration::from_secs(
        arg("--window-secs")
            .and_then(|v| v.parse().ok())
            .unwrap_or(if full { 60 } else { 3 }),
    );
    let backend = arg("--backend").unwrap_or_else(|| "sqlite".into());
    let (database, _dir) = open(&backend).await;
    let store = database.event_store();
    // Planned in batches, each as the side writes of one event, as the engine does.
    let start_us = chrono::Utc::now().timestamp_micros() + 2_000_000;
    let step_us = window.as_micros() as i64 / count as i64;
    for chunk in (0..count).collect::<Vec<_>>().chunks(1000) {
        let writes: Vec<_> = chunk
            .iter()
            .map(|i| {
                SideWrite::ScheduleTimer(TimerRow {
                    id: format!("t-{i}"),
                    case_id: "bench".into(),
                    task_id: None,
                    kind: "{}".into(),
                    due_at_us: start_us + *i as i64 * step_us,
                })
            })
            .collect();
        store
            .append(
                AppendRequest::new(
                    "bench-plan",
                    ExpectedVersion::Any,
                    vec![NewEvent::new(
                        "TimersPlanned",
                        json!({"count": chunk.len()}),
                    )],
                )
                .with_side_writes(writes),
            )
            .await
            .unwrap();
    }
    let recorder = Arc::new(Recorder {
        store: store.clone(),
        lags_us: Mutex::new(Vec::new()),
    });
    let timers = Timers::new(database.clone());
    let scheduler = Scheduler::new(
        timers.clone(),
        recorder.clone(),
        Arc::new(SystemClock),
        Arc::new(tokio::sync::Notify::new()),
    );
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(scheduler.run(shutdown));
    let began = Instant::now();
    while recorder.lags_us.lock().unwrap().len() < count
        && began.elapsed() < window + Duration::from_secs(120)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let idle_for = if full {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(1)
    };
    let (cpu_before, wall) = (cpu_seconds(), Instant::now());
    tokio::time::sleep(idle_for).await;
    let idle_cpu = (cpu_seconds() - cpu_before) / wall.elapsed().as_secs_f64() * 100.0;
    let _ = stop.send(true);
    let _ = running.await;
    let mut lags = recorder.lags_us.lock().unwrap().clone();
    lags.sort_unstable();
    let at = |q: f64| {
        lags.get(((lags.len() as f64 * q) as usize).min(lags.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    println!(
        "timer benchmark ({backend}): {} of {count} timers fired, due over {} s",
        lags.len(),
        window.as_secs()
    );
    println!(
        "fire lag (due -> fired event): p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    );
    println!(
        "CPU while idle-waiting: {idle_cpu:.2}% of one core over {} s",
        idle_for.as_secs()
    );
    assert_eq!(lags.len(), count, "every timer fired");
    assert_eq!(timers.pending().await.unwrap(), 0);
}
