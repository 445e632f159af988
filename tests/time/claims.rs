//! The leased claim of due rows, as the timers and the outbox make it, on both backends:
//! only rows that wait and are due, earliest due first, up to the limit; a held lease keeps a
//! row from every other claim until it runs out; a handled row is never claimed again.

use std::collections::BTreeSet;

use daftar::event_store::{AppendRequest, ExpectedVersion, NewEvent};
use daftar::outbox::{Outbox, OutboxRow};
use daftar::side_writes::{OpenEventStore, SideWrite};
use daftar::timers::{TimerRow, Timers};
use serde_json::json;

use super::support::TestDb;
use crate::on_both_backends;

/// A second, in the tables' microseconds.
const S: i64 = 1_000_000;
const LEASE: i64 = 60 * S;

async fn write(db: &TestDb, writes: Vec<SideWrite>) {
    let store = db.connect().await.event_store();
    let event = NewEvent::new("TimerFired", json!({}));
    let request = AppendRequest::new("claims", ExpectedVersion::Any, vec![event]);
    store
        .append(request.with_side_writes(writes))
        .await
        .unwrap();
}

fn timer(id: &str, due_s: i64) -> SideWrite {
    SideWrite::ScheduleTimer(TimerRow {
        id: id.into(),
        case_id: "case-1".into(),
        task_id: None,
        kind: "{}".into(),
        due_at_us: due_s * S,
    })
}

fn mail(id: &str, due_s: i64) -> SideWrite {
    SideWrite::Enqueue(Box::new(OutboxRow {
        id: id.into(),
        case_id: None,
        event_id: format!("event-{id}"),
        member_id: "member-1".into(),
        to_address: "a@example.org".into(),
        to_name: None,
        locale: "fa".into(),
        template: "test".into(),
        subject: "subject".into(),
        body_text: "text".into(),
        body_html: "<p>html</p>".into(),
        created_at_us: due_s * S,
    }))
}

fn ids<'a>(rows: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    rows.into_iter().map(String::from).collect()
}

async fn timers_are_claimed_when_due_earliest_first_and_once_per_lease(db: TestDb) {
    write(
        &db,
        vec![
            timer("t10", 10),
            timer("t5", 5),
            timer("t30", 30),
            timer("t1", 1),
        ],
    )
    .await;
    let timers = Timers::new(db.connect().await);
    let claim = |node: &'static str, now_s: i64, limit: i64| {
        let timers = timers.clone();
        async move {
            let rows = timers
                .claim_due(node, now_s * S, LEASE, limit)
                .await
                .unwrap();
            ids(rows.iter().map(|t| t.id.as_str()))
        }
    };
    assert_eq!(claim("a", 20, 2).await, ids(["t1", "t5"]));
    // t1 and t5 are leased to a until 80 s; t30 is not due.
    assert_eq!(claim("b", 20, 10).await, ids(["t10"]));
    assert_eq!(claim("b", 80, 10).await, ids(["t30"]));
    // Every lease taken at 20 s ran out at 80 s.
    assert_eq!(claim("b", 81, 10).await, ids(["t1", "t5", "t10"]));
    timers.complete("t1").await.unwrap();
    timers.postpone("t5", 1_000 * S).await.unwrap();
    assert_eq!(claim("c", 500, 10).await, ids(["t10", "t30"]));
    assert_eq!(claim("d", 540, 10).await, ids([]));
    // t5 falls due; the leases taken at 500 s ran out at 560 s.
    assert_eq!(claim("c", 1_000, 10).await, ids(["t5", "t10", "t30"]));
    assert_eq!(timers.pending().await.unwrap(), 3);
}

async fn mail_is_claimed_when_due_and_again_after_a_retry_falls_due(db: TestDb) {
    write(&db, vec![mail("m5", 5), mail("m1", 1), mail("m50", 50)]).await;
    let outbox = Outbox::new(db.connect().await);
    let claim = |now_s: i64, limit: i64| {
        let outbox = outbox.clone();
        async move {
            let rows = outbox
                .claim_due("a", now_s * S, LEASE, limit)
                .await
                .unwrap();
            rows.into_iter()
                .map(|c| (c.row.id, c.attempts))
                .collect::<BTreeSet<_>>()
        }
    };
    assert_eq!(claim(10, 1).await, BTreeSet::from([("m1".to_string(), 0)]));
    assert_eq!(claim(10, 5).await, BTreeSet::from([("m5".to_string(), 0)]));
    assert_eq!(claim(10, 5).await, BTreeSet::new());
    outbox
        .retry("m1", 1, 100 * S, "the server is down")
        .await
        .unwrap();
    assert_eq!(outbox.next_due().await.unwrap(), Some(5 * S));
    // m1 waits for its retry at 100 s; m5 is leased until 70 s; m50 is due.
    assert_eq!(claim(60, 5).await, BTreeSet::from([("m50".to_string(), 0)]));
    assert_eq!(
        claim(200, 5).await,
        BTreeSet::from([
            ("m1".to_string(), 1),
            ("m5".to_string(), 0),
            ("m50".to_string(), 0)
        ])
    );
    assert_eq!(outbox.queued().await.unwrap(), 3);
}

on_both_backends!(
    timers_are_claimed_when_due_earliest_first_and_once_per_lease,
    mail_is_claimed_when_due_and_again_after_a_retry_falls_due,
);
