//! W2 "append and replay" through the engine: single-event commands from concurrent writers,
//! each to its own case stream, then a full replay of the log. Alongside, on the same
//! database in the same run, the raw baseline: one single-row INSERT per transaction from as
//! many writers (shared with `benches/store.rs`).
//!
//! The command is `reassign`: the lightest real command that appends exactly one event
//! (`TaskReassigned`) and can be repeated on one case. Opening a case appends the case and a
//! task per participant (two events at least); a submission validates a form and waits for a
//! review; a cancellation works once per case. A reassign still goes the whole way of a
//! command: the task's case (in memory after the first command), the new assignee (a member
//! document read), the per-case lock and the catch-up read of the case's stream, the pure
//! `decide`, and one append through the group-commit writer that carries the read models the
//! event implies (case, task and status-board documents) in the same transaction. It queues
//! no mail and schedules no timer.
//!
//! Each writer owns one data-exchange-inventory case with one participant agency, and moves
//! the agency's task back and forth between two of its focal points.
//!
//! The replay is done twice: in log order (`read_all` pages, every case event folded into its
//! case with `apply_raw`, as a projection catching up does) and case by case
//! (`fold_every_case`, as the audit replay and `daftar projections rebuild` do).
//!
//! `cargo bench --bench engine_append [-- --backend sqlite|postgres|both --commands 20000
//! --writers 16]`; `cargo test --bench engine_append` runs a seconds-long smoke version.

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Args, Figures, drive, print_row, raw::raw_insert};
use daftar::domain::CaseState;
use daftar::engine::rebuild::fold_every_case;
use daftar::engine::{Engine, ManualClock, MemberInput, OpenCase, ParticipantsInput, apply_raw};
use daftar::event_store::{EventStore, ReadAll};
use serde_json::json;
use support::{TestDb, seed};
use uuid::Uuid;

struct Options {
    backends: Vec<String>,
    commands: usize,
    writers: usize,
}

fn options() -> Options {
    let args = Args::parse();
    Options {
        backends: args.backends(),
        commands: args.number("--commands", 20_000, 320),
        writers: args.number("--writers", 16, 16),
    }
}

/// What one writer works on: its case's task and the two members it is passed between.
struct Writer {
    task: Uuid,
    members: [String; 2],
}

/// A second focal point for every agency, and one single-agency case per writer.
async fn prepare(engine: &Engine, writers: usize) -> Vec<Writer> {
    let codes = seed::agency_codes();
    for code in &codes {
        let second = MemberInput {
            id: Some(format!("m2-{}", code.to_lowercase())),
            name: format!("کارشناس دوم {code}"),
            email: format!("second@{}.example", code.to_lowercase()),
            agency: code.clone(),
            roles: vec!["member".into()],
            supervisor_id: None,
            locale: None,
        };
        engine
            .register_member(&seed::admin(), second)
            .await
            .unwrap();
    }
    let mut prepared = Vec::new();
    for writer in 0..writers {
        let code = &codes[writer % codes.len()];
        let case = engine
            .open_case(
                &seed::secretariat(),
                OpenCase {
                    workflow: "data-exchange-inventory".into(),
                    title: format!("W2 writer {writer}"),
                    participants: Some(ParticipantsInput::List(vec![code.clone()])),
                    params: json!({}),
                    parent_case: None,
                    case_id: None,
                },
            )
            .await
            .expect("the writer's case opens");
        let code = code.to_lowercase();
        prepared.push(Writer {
            task: case.tasks[0].id,
            members: [format!("m2-{code}"), format!("m-{code}")],
        });
    }
    prepared
}

async fn reassignments(engine: &Engine, writers: Vec<Writer>, total: usize) -> Figures {
    let (engine, writers) = (engine.clone(), Arc::new(writers));
    let secretariat = seed::secretariat();
    drive(writers.len(), total, move |worker, i| {
        let (engine, writers, secretariat) = (engine.clone(), writers.clone(), secretariat.clone());
        async move {
            let writer = &writers[worker];
            engine
                .reassign(&secretariat, writer.task, &writer.members[i % 2])
                .await
                .expect("reassign");
        }
    })
    .await
}

/// Every case event of the log, in log order, folded into its case; returns the count.
async fn replay_in_log_order(store: &EventStore) -> u64 {
    let mut cases: HashMap<String, CaseState> = HashMap::new();
    let (mut after, mut folded) = (0, 0);
    loop {
        let page = store
            .read_all_raw(&ReadAll::after(after, 10_000))
            .await
            .expect("read_all");
        let Some(last) = page.last() else {
            return folded;
        };
        after = last.position;
        for raw in page.iter().filter(|r| r.stream_id.starts_with("case-")) {
            let case = cases.entry(raw.stream_id.clone()).or_default();
            *case = apply_raw(std::mem::take(case), raw).expect("a case event folds");
            folded += 1;
        }
    }
}

/// Every case folded from its own stream; returns the number of events.
async fn replay_every_case(store: &EventStore) -> u64 {
    let mut folded = 0;
    fold_every_case(store, async |_, events| {
        folded += events;
        Ok(())
    })
    .await
    .expect("replay");
    folded
}

fn print_replay(backend: &str, how: &str, events: u64, took: Duration) {
    println!(
        "{backend:<9} {how:<44} {events:>8} events {:>7.2} s {:>10.0} events/s",
        took.as_secs_f64(),
        events as f64 / took.as_secs_f64()
    );
}

/// Both replays, each checked to fold every case event (`expected`) exactly once.
async fn replays(backend: &str, store: &EventStore, expected: u64) {
    let started = Instant::now();
    let folded = replay_in_log_order(store).await;
    let how = "replay in log order (read_all + apply_raw)";
    print_replay(backend, how, folded, started.elapsed());
    assert_eq!(folded, expected, "every case event is replayed once");
    let started = Instant::now();
    let folded = replay_every_case(store).await;
    let how = "replay case by case (fold_every_case)";
    print_replay(backend, how, folded, started.elapsed());
    assert_eq!(folded, expected, "every case event is replayed once");
}

async fn open(backend: &str) -> TestDb {
    if backend == "sqlite" {
        return support::sqlite();
    }
    support::postgres()
        .await
        .expect("DAFTAR_TEST_POSTGRES_URL for the PostgreSQL benchmark")
}

async fn run(backend: &str, options: &Options) {
    let db = open(backend).await;
    let engine = seed::start(&db, ManualClock::at(seed::now())).await;
    seed::seed(&engine).await;
    let writers = prepare(&engine, options.writers).await;
    let database = db.connect().await;
    let raw = raw_insert(&database, options.writers, options.commands).await;
    let label = format!("{} writers", options.writers);
    print_row(backend, &format!("raw insert, {label}"), &raw, None);
    let ours = reassignments(&engine, writers, options.commands).await;
    print_row(
        backend,
        &format!("engine reassign, {label}"),
        &ours,
        Some(&raw),
    );
    let stats = engine.store.group_commit_stats();
    println!(
        "{backend:<9} group commit: {} appends in {} batches (largest {})",
        stats.appends, stats.batches, stats.largest_batch
    );
    let expected = options.writers * (2 + options.commands / options.writers);
    replays(backend, &engine.store, expected as u64).await;
    engine.store.shutdown().await;
    database.close().await;
}

#[tokio::main]
async fn main() {
    let options = options();
    println!(
        "W2 append and replay through the engine: {} reassign commands (one event each) from {} writers, each to its own case",
        options.commands, options.writers
    );
    for backend in &options.backends {
        run(backend, &options).await;
    }
}
