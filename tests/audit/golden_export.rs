//! The log's bytes and hashes do not change for the same commands: a scripted story on a
//! manual clock, exported as `daftar audit export` writes it, is compared byte for byte with
//! `tests/fixtures/audit/golden-export.ndjson`, on both backends. The story registers the
//! forms and workflows of `tests/fixtures/audit/golden/` (the shipped ones as they were then),
//! so that a new version of a shipped form does not change the story's commands.
//!
//! Two things in a log are not the commands' to decide: each event's random (v7) id and the
//! wall-clock `recorded_at` the store stamps. The comparison first checks every stored hash
//! against the documented canonical bytes (recomputed here, not by the store), then numbers
//! the v7 ids in order of first appearance, sets `recorded_at` to a fixed second per
//! position and re-links the chain — the log the same commands give with ids and commit
//! times fixed. Everything else (case and task ids, every byte of `data` and `metadata`, the
//! hash over them) is what the engine wrote.
//!
//! `DAFTAR_BLESS_GOLDEN=1` rewrites the fixture (only when a change of the log's bytes is
//! meant, which events-are-forever rules out for existing event types).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use daftar::domain::{ReviewDecision, TaskKind, VoteChoice};
use daftar::engine::{Engine, ManualClock, OpenCase};
use daftar::event_store::{Envelope, GENESIS_HASH, RawEvent};
use daftar::files::Files;
use daftar::scheduler::{EngineTimers, Scheduler};
use daftar::timers::Timers;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::support::TestDb;
use crate::support::seed::*;

const FIXTURE: &str = "tests/fixtures/audit/golden-export.ndjson";
/// The head of the fixture's log, written down by hand from the first run.
const HEAD: &str = "137:5dac39a4a3f043e59b67aedc185d29238431d73933eca343982631d84709f28c";
/// `recorded_at` of position 1 in the normalised log; one second per position after it.
const FIRST_RECORDED_US: i64 = 1_764_144_000_000_000;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

async fn scheduler(db: &TestDb, engine: &Engine, clock: &ManualClock) -> Scheduler {
    let timers = Timers::new(db.connect().await);
    let handler = std::sync::Arc::new(EngineTimers {
        engine: engine.clone(),
        timers: timers.clone(),
    });
    let clock = std::sync::Arc::new(clock.clone());
    Scheduler::new(timers, handler, clock, engine.timer_wake.clone())
}

/// The story: the directory; a resolution voted by 16 of 31 agencies, which opens its
/// inventory case for three; a submission returned, fixed and accepted, another accepted;
/// the third agency reminded, overdue and escalated by the timers.
async fn story(db: &TestDb) -> Engine {
    let clock = ManualClock::at(now());
    // The forms and workflows as they were when the fixture was written: the story's commands
    // stay the same when the shipped definitions change.
    let definitions = root().join("tests/fixtures/audit/golden");
    let engine = start_from(db, clock.clone(), &definitions).await;
    seed(&engine).await;
    let resolution = engine
        .open_case(&secretariat(), OpenCase {
            workflow: "resolution-approval".into(),
            title: "مصوبه جلسه اول کارگروه".into(),
            participants: None,
            params: json!({"text": "ارسال اطلاعات تا پایان ماه", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA", "CPPO", "TPO"]}}),
            parent_case: None,
            case_id: Some(Uuid::from_u128(0x1905_0000_0000_8000_8000_0000_0000_0001)),
        })
        .await
        .unwrap();
    let votes = resolution.tasks.iter().filter(|t| t.kind == TaskKind::Vote);
    for (i, task) in votes.take(16).enumerate() {
        clock.advance(Duration::minutes(7));
        let voter = member_of(task.agency.as_deref().unwrap());
        let comment = (i == 3).then(|| "با اصلاح بند دوم".to_string());
        engine
            .vote(&voter, task.id, VoteChoice::Approve, comment)
            .await
            .unwrap();
    }
    let parent = engine.case(resolution.id).await.unwrap().unwrap();
    let inventory_case = engine.case(parent.children[0]).await.unwrap().unwrap();
    inventory_work(&engine, &clock, &inventory_case.tasks).await;
    timers_fire(db, &engine, &clock).await;
    engine
}

async fn inventory_work(engine: &Engine, clock: &ManualClock, tasks: &[daftar::domain::Task]) {
    let task = |code: &str| tasks.iter().find(|t| t.agency.as_deref() == Some(code));
    let (irica, cppo) = (task("IRICA").unwrap().id, task("CPPO").unwrap().id);
    let later = || clock.advance(Duration::hours(3));
    let review = async |task_id: Uuid, decision: ReviewDecision, comment: Option<&str>| {
        later();
        let comment = comment.map(str::to_string);
        let secretariat = secretariat();
        let reviewed = engine.review(&secretariat, task_id, decision, comment);
        reviewed.await.unwrap();
    };
    let submit = async |code: &str, task_id: Uuid| {
        later();
        engine
            .submit(&member_of(code), task_id, inventory())
            .await
            .unwrap();
    };
    submit("IRICA", irica).await;
    review(
        irica,
        ReviewDecision::Return,
        Some("منبع داده را مشخص کنید"),
    )
    .await;
    submit("IRICA", irica).await;
    review(irica, ReviewDecision::Accept, None).await;
    submit("CPPO", cppo).await;
    review(cppo, ReviewDecision::Accept, None).await;
}

/// One moment at a time, so no two timers that append fire together (their order would be
/// the race's).
async fn timers_fire(db: &TestDb, engine: &Engine, clock: &ManualClock) {
    let scheduler = scheduler(db, engine, clock).await;
    for moment in [
        "2026-12-04T08:00:00+03:30",
        "2026-12-19T08:00:00+03:30",
        "2026-12-21T08:00:00+03:30",
        "2026-12-22T00:00:00+03:30",
        "2026-12-22T08:00:00+03:30",
        "2026-12-29T08:00:00+03:30",
    ] {
        clock.set(at(moment));
        scheduler.fire_due().await.unwrap();
    }
}

/// The documented hash (`src/event_store/hash.rs`), written out again so the store's own
/// function is not its judge.
fn canonical_hash(prev_hash: &str, row: &RawEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(hex::decode(prev_hash).unwrap());
    let header = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        row.position,
        row.stream_id,
        row.version,
        row.event_id,
        row.event_type,
        row.event_version,
        row.recorded_at_us
    );
    hasher.update(header.as_bytes());
    hasher.update(row.metadata.as_bytes());
    hasher.update(b"\n");
    hasher.update(row.data.as_bytes());
    hex::encode(hasher.finalize())
}

/// Replaces every v7 (random, time-ordered) id in `text` by its number of first appearance.
fn number_random_ids(text: &str, ids: &mut HashMap<String, usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let candidate = rest.get(..36).and_then(|s| Uuid::try_parse(s).ok());
        match candidate {
            Some(id) if id.get_version_num() == 7 && rest.as_bytes()[8] == b'-' => {
                let n = ids.len() + 1;
                let n = *ids.entry(rest[..36].to_string()).or_insert(n);
                out.push_str(&format!("00000000-0000-7000-8000-{n:012}"));
                rest = &rest[36..];
            }
            _ => {
                let end = rest
                    .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .unwrap_or(rest.len());
                out.push_str(&rest[..end.max(1)]);
                rest = &rest[end.max(1)..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The export with ids and commit times fixed, after checking every stored hash.
fn normalised(export: &str) -> (String, String) {
    let mut ids = HashMap::new();
    let (mut stored_prev, mut prev) = (GENESIS_HASH.to_string(), GENESIS_HASH.to_string());
    let mut out = String::with_capacity(export.len());
    for line in export.lines() {
        let stored = Envelope::parse_line(line).unwrap().into_raw();
        assert_eq!(
            stored.prev_hash, stored_prev,
            "position {}",
            stored.position
        );
        assert_eq!(canonical_hash(&stored_prev, &stored), stored.hash);
        stored_prev.clone_from(&stored.hash);

        let mut row = Envelope::parse_line(&number_random_ids(line, &mut ids))
            .unwrap()
            .into_raw();
        row.recorded_at_us = FIRST_RECORDED_US + (row.position - 1) * 1_000_000;
        row.prev_hash = prev.clone();
        row.hash = canonical_hash(&prev, &row);
        prev.clone_from(&row.hash);
        let mut bytes = Vec::new();
        Envelope::from_raw(row).unwrap().write_line(&mut bytes);
        out.push_str(std::str::from_utf8(&bytes).unwrap());
    }
    (out, prev)
}

async fn the_story_exports_the_same_bytes_as_before(db: TestDb) {
    let engine = story(&db).await;
    let database = db.connect().await;
    let mut export = Vec::new();
    let summary =
        daftar::audit::transfer::export(&engine.store, &Files::new(database), 0, &mut export)
            .await
            .unwrap();
    assert_eq!(summary.files, 0);
    let (golden, head) = normalised(std::str::from_utf8(&export).unwrap());
    let path = root().join(FIXTURE);
    if std::env::var("DAFTAR_BLESS_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &golden).unwrap();
        eprintln!("wrote {FIXTURE}: head {}:{head}", summary.head_position);
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    for (n, (line, want)) in golden.lines().zip(expected.lines()).enumerate() {
        assert_eq!(line, want, "line {} of {FIXTURE}", n + 1);
    }
    assert_eq!(golden.len(), expected.len(), "{FIXTURE} has other lines");
    assert_eq!(format!("{}:{head}", summary.head_position), HEAD);
}

crate::on_both_backends!(the_story_exports_the_same_bytes_as_before);
