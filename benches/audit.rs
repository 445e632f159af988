//! Audit benchmark: hash-chain verification and a full replay (every case stream folded with
//! the engine's own `apply_raw`) over a log of realistic case events, plus the projections
//! rebuild (replay + document writes) and export. Memory is reported as the peak resident
//! set of each phase, which must not grow with the log.
//!
//! The log is made by running a real story once through the engine (a resolution voted by
//! 31 agencies, then its inventory case: 31 submissions of the shipped 6 KB fixture, 6
//! returned and fixed, all accepted) and stamping copies of it with fresh ids, interleaved
//! eight cases at a time, written through the checked import path.
//!
//! `cargo bench --bench audit` runs the full size (1,000,000 events); `cargo test --bench
//! audit` runs a seconds-long smoke version. Options: `--backend sqlite|postgres|both`
//! (default both when DAFTAR_TEST_POSTGRES_URL is set), `--events N`, `--phases` (a comma-separated
//! subset of `verify,replay,rebuild,export`).

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/support/mod.rs"]
mod support;

#[path = "audit/template.rs"]
mod template;

use std::time::Instant;

use daftar::audit::transfer;
use daftar::db::Database;
use daftar::documents::Documents;
use daftar::engine::rebuild::{ReadModel, fold_every_case, rebuild};
use daftar::event_store::EventStore;
use daftar::side_writes::OpenEventStore;
use support::TestDb;

struct Options {
    backends: Vec<String>,
    events: usize,
    /// The phases to measure after generating the log (all when not given).
    phases: Vec<String>,
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
    let events = value("--events")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if full { 1_000_000 } else { 5_000 });
    let phases = value("--phases")
        .unwrap_or_else(|| "verify,replay,rebuild,export".into())
        .split(',')
        .map(str::to_string)
        .collect();
    Options {
        backends,
        events,
        phases,
    }
}

/// Resident and peak resident memory (MiB) from /proc; the peak is reset per phase.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn reset_peak() {
    // Linux ≥ 4.0: writing 5 resets VmHWM to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// When a phase started: wall clock and CPU time.
#[derive(Clone, Copy)]
struct Start(Instant, f64);

fn start() -> Start {
    reset_peak();
    Start(Instant::now(), common::cpu_seconds(None))
}

fn row(backend: &str, phase: &str, events: u64, started: Start) {
    let seconds = started.0.elapsed().as_secs_f64();
    let cpu = (common::cpu_seconds(None) - started.1).max(0.01);
    let (rss, peak) = memory();
    println!(
        "{backend:<9} {phase:<30} {events:>8} events {seconds:>6.2} s {:>8.0}/s  cpu {cpu:>6.2} s {:>8.0}/cpu-s  rss {rss:>4.0} MiB peak {peak:>4.0} MiB",
        events as f64 / seconds,
        events as f64 / cpu
    );
}

/// A fresh database; the [`TestDb`] keeps a SQLite file alive as long as it is held.
async fn open(backend: &str) -> (Database, TestDb) {
    let db = if backend == "sqlite" {
        support::sqlite()
    } else {
        support::postgres()
            .await
            .expect("DAFTAR_TEST_POSTGRES_URL for the PostgreSQL benchmark")
    };
    (db.connect().await, db)
}

async fn measure(backend: &str, store: &EventStore, database: &Database, phases: &[String]) {
    let wanted = |phase: &str| phases.iter().any(|p| p == phase);
    if wanted("verify") {
        let started = start();
        let report = store.verify(1, None).await.expect("verify");
        assert!(report.ok, "the generated log verifies: {report:?}");
        row(
            backend,
            "verify (hash chain)",
            report.checked as u64,
            started,
        );
    }
    if wanted("replay") {
        let started = start();
        let mut events = 0;
        fold_every_case(store, async |_, n| {
            events += n;
            Ok(())
        })
        .await
        .expect("replay");
        row(backend, "replay (fold every case)", events, started);
    }
    if wanted("rebuild") {
        let started = start();
        let documents = Documents::new(database.clone());
        let rebuilt = rebuild(store, &documents, &[ReadModel::Case, ReadModel::Task])
            .await
            .expect("rebuild");
        row(
            backend,
            "projections rebuild case+task",
            rebuilt.events,
            started,
        );
    }
    if wanted("export") {
        let started = start();
        let exported = transfer::export(
            store,
            &daftar::files::Files::new(database.clone()),
            0,
            &mut std::io::sink(),
        )
        .await
        .expect("export");
        row(backend, "export (NDJSON)", exported.events as u64, started);
    }
}

#[tokio::main]
async fn main() {
    let options = options();
    let template = template::Template::record().await;
    println!(
        "audit benchmark: {} events, template of {} events ({} of them 6 KB submissions)",
        options.events,
        template.len(),
        template.submissions()
    );
    for backend in &options.backends {
        let (database, _dir) = open(backend).await;
        let store = database.event_store();
        let started = start();
        let written = template.write(&store, options.events).await;
        row(backend, "generate (checked import)", written, started);
        measure(backend, &store, &database, &options.phases).await;
        store.shutdown().await;
        database.close().await;
    }
}
