//! Deadlines in time: reminders before, overdue and the escalation ladder after, vote
//! deadlines, timers that fell due while the server was down, and several nodes firing
//! each timer once. The clock is a manual one; nothing sleeps until a deadline.

#[path = "../support/mod.rs"]
mod support;

mod claims;
mod closures;

use std::sync::Arc;

use chrono::Duration;
use daftar::domain::{CaseState, ReviewDecision, TaskKind, VoteChoice};
use daftar::engine::{Engine, ManualClock, OpenCase, ParticipantsInput};
use daftar::event_store::{ReadAll, StoredEvent};
use daftar::scheduler::{EngineTimers, Scheduler};
use daftar::timers::Timers;
use serde_json::json;
use support::TestDb;
use support::seed::*;

/// An instant written in RFC 3339, e.g. with Tehran's offset.
fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

async fn scheduler(db: &TestDb, engine: &Engine, clock: &ManualClock) -> Scheduler {
    let timers = Timers::new(db.connect().await);
    let handler = Arc::new(EngineTimers {
        engine: engine.clone(),
        timers: timers.clone(),
    });
    Scheduler::new(
        timers,
        handler,
        Arc::new(clock.clone()),
        engine.timer_wake.clone(),
    )
}

async fn inventory_case(engine: &Engine, agencies: &[&str]) -> CaseState {
    let participants = ParticipantsInput::List(agencies.iter().map(|a| a.to_string()).collect());
    let open = OpenCase {
        workflow: "data-exchange-inventory".into(),
        title: "احصا".into(),
        participants: Some(participants),
        params: json!({}),
        parent_case: None,
        case_id: None,
    };
    let case = engine.open_case(&secretariat(), open).await.unwrap();
    std::sync::Arc::unwrap_or_clone(case)
}

async fn events_of(engine: &Engine, event_type: &str) -> Vec<StoredEvent> {
    let mut query = ReadAll::after(0, 10_000);
    query.event_types = vec![event_type.into()];
    engine.store.read_all(&query).await.unwrap()
}

async fn reminders_overdue_and_escalation_fire_once_each(db: TestDb) {
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let scheduler = scheduler(&db, &engine, &clock).await;
    let case = inventory_case(&engine, &["IRICA", "MIMT"]).await;
    let due = case.tasks[0].due.as_ref().unwrap().due_at;
    assert_eq!(due.to_rfc3339(), "2026-12-21T20:29:59+00:00");
    assert_eq!(scheduler.fire_due().await.unwrap(), 0, "nothing is due yet");

    // Three days before is Friday 27 Azar: the P3D reminder waits for Saturday at eight.
    clock.set(due - Duration::days(3) + Duration::seconds(1));
    assert_eq!(scheduler.fire_due().await.unwrap(), 0, "not on a Friday");
    clock.set(at("2026-12-19T08:00:00+03:30"));
    scheduler.fire_due().await.unwrap();
    assert_eq!(
        events_of(&engine, "TaskReminded").await.len(),
        2,
        "the P3D reminder, once per task"
    );
    assert_eq!(scheduler.fire_due().await.unwrap(), 0);

    // IRICA submits before the deadline; MIMT does not.
    let irica = case
        .tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some("IRICA"))
        .unwrap()
        .id;
    let mimt = case
        .tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some("MIMT"))
        .unwrap()
        .id;
    engine
        .submit(&member_of("IRICA"), irica, inventory())
        .await
        .unwrap();
    clock.set(due + Duration::seconds(1));
    scheduler.fire_due().await.unwrap();
    let overdue = events_of(&engine, "TaskOverdue").await;
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].data["task_id"], json!(mimt));
    assert!(
        events_of(&engine, "DeadlineEscalated").await.is_empty(),
        "no escalation at midnight"
    );
    // Tuesday 1 Dey at eight, when offices open.
    clock.set(at("2026-12-22T08:00:00+03:30"));
    scheduler.fire_due().await.unwrap();
    let escalated = events_of(&engine, "DeadlineEscalated").await;
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0].data["level"], 1);
    assert_eq!(
        escalated[0].data["notify"],
        json!(["supervisor", {"role": "secretariat"}])
    );

    // A week after the deadline, at eight the next morning.
    clock.set(at("2026-12-29T08:00:00+03:30"));
    scheduler.fire_due().await.unwrap();
    scheduler.fire_due().await.unwrap();
    let escalated = events_of(&engine, "DeadlineEscalated").await;
    assert_eq!(
        escalated
            .iter()
            .map(|e| e.data["level"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 2]
    );
    let view = engine.task_view(mimt).await.unwrap();
    assert_eq!(view["overdue"], true);
    assert_eq!(view["escalation_level"], 2);
    assert_eq!(engine.task_view(irica).await.unwrap()["overdue"], false);
    // Accepting IRICA's task drops its timers; nothing is left pending for it.
    engine
        .review(&secretariat(), irica, ReviewDecision::Accept, None)
        .await
        .unwrap();
    assert!(engine.store.verify(1, None).await.unwrap().ok);
}

async fn a_vote_without_quorum_expires_at_its_deadline(db: TestDb) {
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let scheduler = scheduler(&db, &engine, &clock).await;
    let open = OpenCase {
        workflow: "resolution-approval".into(),
        title: "مصوبه".into(),
        participants: None,
        params: json!({"text": "t"}),
        parent_case: None,
        case_id: None,
    };
    let case = engine.open_case(&secretariat(), open).await.unwrap();
    let ballot = case
        .tasks
        .iter()
        .find(|t| t.kind == TaskKind::Vote)
        .unwrap();
    engine
        .vote(
            &member_of(ballot.agency.as_deref().unwrap()),
            ballot.id,
            VoteChoice::Approve,
            None,
        )
        .await
        .unwrap();
    // Seven days is Thursday 12 Azar: the vote is due at the end of Saturday 14 Azar.
    clock.advance(Duration::days(7) + Duration::seconds(1));
    scheduler.fire_due().await.unwrap();
    assert_eq!(events_of(&engine, "VoteClosed").await.len(), 0);
    clock.set(at("2026-12-05T20:30:00Z"));
    scheduler.fire_due().await.unwrap();
    let closed = engine.case(case.id).await.unwrap().unwrap();
    assert_eq!(closed.outcome.as_deref(), Some("expired"));
    assert_eq!(events_of(&engine, "VoteClosed").await.len(), 1);
    assert!(closed.children.is_empty());
}

async fn a_timer_due_while_the_server_was_down_fires_once_on_start(db: TestDb) {
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let case = inventory_case(&engine, &["CPPO"]).await;
    let due = case.tasks[0].due.as_ref().unwrap().due_at;
    drop(engine);
    // Restarted at noon the day after the deadline, in office hours.
    let later = ManualClock::at(due + Duration::hours(12));
    let restarted = start(&db, later.clone()).await;
    let scheduler = scheduler(&db, &restarted, &later).await;
    scheduler.fire_due().await.unwrap();
    scheduler.fire_due().await.unwrap();
    assert_eq!(events_of(&restarted, "TaskOverdue").await.len(), 1);
    assert_eq!(
        events_of(&restarted, "DeadlineEscalated").await.len(),
        1,
        "level 2 is a week after the deadline"
    );
    assert!(
        events_of(&restarted, "TaskReminded").await.is_empty(),
        "a reminder after the deadline is pointless"
    );
}

/// Two nodes (two engines, two pools, two schedulers) on one database fire over a thousand
/// due timers; every timer is handled and every event exists once.
async fn two_nodes_fire_each_timer_once(db: TestDb) {
    let clock = ManualClock::at(now());
    let first = start(&db, clock.clone()).await;
    seed(&first).await;
    let codes = agency_codes();
    let mut tasks = 0;
    for _ in 0..7 {
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        tasks += inventory_case(&first, &refs).await.tasks.len();
    }
    let second = start(&db, clock.clone()).await;
    let pending = Timers::new(db.connect().await).pending().await.unwrap();
    assert!(pending >= 1000, "{pending} timers");
    clock.advance(Duration::days(60));
    let (a, b) = (
        scheduler(&db, &first, &clock).await,
        scheduler(&db, &second, &clock).await,
    );
    let (fa, fb) = tokio::join!(a.fire_due(), b.fire_due());
    let handled = fa.unwrap() + fb.unwrap();
    assert_eq!(
        handled as i64, pending,
        "each timer was claimed by exactly one node"
    );
    assert_eq!(Timers::new(db.connect().await).pending().await.unwrap(), 0);
    assert_eq!(events_of(&first, "TaskOverdue").await.len(), tasks);
    let escalations = events_of(&first, "DeadlineEscalated").await;
    assert_eq!(escalations.len(), tasks * 2);
    let distinct: std::collections::HashSet<_> = escalations
        .iter()
        .map(|e| (e.data["task_id"].to_string(), e.data["level"].to_string()))
        .collect();
    assert_eq!(distinct.len(), escalations.len());
    let report = first.store.verify(1, None).await.unwrap();
    assert!(report.ok);
}

on_both_backends!(
    reminders_overdue_and_escalation_fire_once_each,
    a_vote_without_quorum_expires_at_its_deadline,
    a_timer_due_while_the_server_was_down_fires_once_on_start,
    two_nodes_fire_each_timer_once,
);
