//! A closure announced after timers were planned: a reminder that now falls on a closed day
//! waits for offices to open, and a deadline on the closed day moves with its timers.

use chrono::Duration;
use serde_json::json;

use super::support::TestDb;
use super::support::seed::*;
use super::{at, events_of, inventory_case, scheduler};
use crate::on_both_backends;

async fn a_reminder_on_a_closed_day_waits_for_the_next_working_day(db: TestDb) {
    let clock = daftar::engine::ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let scheduler = scheduler(&db, &engine, &clock).await;
    inventory_case(&engine, &["IRICA"]).await;
    // The P3D reminder was planned for Saturday 28 Azar at eight; that day is now closed.
    let closed = engine
        .add_closure(&admin(), "1405-09-28", "آلودگی هوا")
        .await
        .unwrap();
    assert!(closed.moved_tasks.is_empty(), "the deadline is on the 30th");
    clock.set(at("2026-12-19T08:00:00+03:30"));
    scheduler.fire_due().await.unwrap();
    assert!(events_of(&engine, "TaskReminded").await.is_empty());
    clock.set(at("2026-12-20T08:00:00+03:30"));
    scheduler.fire_due().await.unwrap();
    assert_eq!(events_of(&engine, "TaskReminded").await.len(), 1);
}

async fn a_closure_on_the_due_day_moves_the_deadline_and_its_timers(db: TestDb) {
    let clock = daftar::engine::ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let scheduler = scheduler(&db, &engine, &clock).await;
    let case = inventory_case(&engine, &["IRICA"]).await;
    let task = case.tasks[0].id;
    let due = case.tasks[0].due.as_ref().unwrap().due_at;
    // An hour before the deadline, offices are closed for the day.
    clock.set(due - Duration::hours(1));
    let closed = engine
        .add_closure(&admin(), "1405-09-30", "آلودگی هوا")
        .await
        .unwrap();
    assert_eq!(closed.moved_tasks, vec![task]);
    let moved = events_of(&engine, "DeadlineMoved").await;
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].data["cause"], "closure");
    assert_eq!(moved[0].data["due"]["due_jalali"], "1405-10-01");
    assert_eq!(moved[0].data["due"]["nominal"]["jalali"], "1405-09-30");
    assert_eq!(moved[0].data["by"], json!("admin"));
    clock.set(due + Duration::seconds(1));
    scheduler.fire_due().await.unwrap();
    assert!(events_of(&engine, "TaskOverdue").await.is_empty());
    clock.set(due + Duration::days(1) + Duration::seconds(1));
    scheduler.fire_due().await.unwrap();
    assert_eq!(events_of(&engine, "TaskOverdue").await.len(), 1);
    // A second node sees the closure: its calendar folds the stream in.
    let other = start(&db, clock.clone()).await;
    let calendar = other.calendar().await.unwrap();
    assert!(calendar.version().ends_with("+closures.1"));
    assert!(engine.store.verify(1, None).await.unwrap().ok);
}

async fn a_deadline_on_a_closed_day_the_request_missed_moves_when_it_comes_due(db: TestDb) {
    use daftar::event_store::{AppendRequest, ExpectedVersion, NewEvent};
    let clock = daftar::engine::ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let scheduler = scheduler(&db, &engine, &clock).await;
    let case = inventory_case(&engine, &["IRICA"]).await;
    let due = case.tasks[0].due.as_ref().unwrap().due_at;
    // The closure is in the log, but the node stopped before moving any deadline.
    let closure = json!({"date_jalali": "1405-09-30", "reason": "برف", "by": "admin"});
    let request = AppendRequest::new(
        daftar::engine::CALENDAR_STREAM,
        ExpectedVersion::NoStream,
        vec![NewEvent::new("ClosureAdded", closure)],
    );
    engine.store.append(request).await.unwrap();
    let restarted = start(&db, clock.clone()).await;
    let scheduler_after = super::scheduler(&db, &restarted, &clock).await;
    drop(scheduler);
    clock.set(due + Duration::seconds(1));
    scheduler_after.fire_due().await.unwrap();
    assert!(events_of(&restarted, "TaskOverdue").await.is_empty());
    let moved = events_of(&restarted, "DeadlineMoved").await;
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].data["reason"], "برف");
    assert_eq!(moved[0].data["due"]["due_jalali"], "1405-10-01");
}

on_both_backends!(
    a_reminder_on_a_closed_day_waits_for_the_next_working_day,
    a_closure_on_the_due_day_moves_the_deadline_and_its_timers,
    a_deadline_on_a_closed_day_the_request_missed_moves_when_it_comes_due,
);
