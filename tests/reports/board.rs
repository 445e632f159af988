//! The secretariat's board over a case of all 31 agencies, some way into it: three accepted,
//! one returned, two awaiting review, the rest silent past the deadline.

use std::sync::Arc;

use chrono::Duration;
use daftar::domain::{CaseState, ReviewDecision};
use daftar::engine::agency_names;
use daftar::engine::{Engine, ManualClock};
use daftar::reports::board::BoardRow;
use daftar::reports::{Board, Locale};
use daftar::scheduler::{EngineTimers, Scheduler};
use daftar::timers::Timers;

use crate::support::TestDb;
use crate::support::seed::*;
use crate::{assert_served_equals_replayed, inventory_of, open_inventory, served};
use crate::{submit_and_accept, task_of};

/// Runs the case up to noon the day after its deadline (office hours, when the escalation
/// goes), timers fired.
async fn part_way(db: &TestDb) -> (Engine, CaseState) {
    let clock = ManualClock::at(now());
    let engine = start(db, clock.clone()).await;
    seed(&engine).await;
    let case = open_inventory(&engine, None).await;
    for code in ["IRICA", "MIMT", "CPPO"] {
        submit_and_accept(&engine, &case, code).await;
    }
    for code in ["INSO", "TPO", "NOCR"] {
        let (actor, task) = (member_of(code), task_of(&case, code));
        engine
            .submit(&actor, task, inventory_of(code))
            .await
            .unwrap();
    }
    let comment = Some("عنوان اطلاعات قابل عرضه را اصلاح کنید".to_string());
    let inso = task_of(&case, "INSO");
    let sec = secretariat();
    let returned = engine.review(&sec, inso, ReviewDecision::Return, comment);
    returned.await.unwrap();
    let due = case.tasks[0].due.as_ref().unwrap().due_at;
    clock.set(due + Duration::hours(12));
    let timers = Timers::new(db.connect().await);
    let engine_timers = EngineTimers {
        engine: engine.clone(),
        timers: timers.clone(),
    };
    let wake = engine.timer_wake.clone();
    let scheduler = Scheduler::new(timers, Arc::new(engine_timers), Arc::new(clock), wake);
    scheduler.fire_due().await.unwrap();
    (engine, case)
}

fn row<'b>(board: &'b Board, code: &str) -> &'b BoardRow {
    let found = board
        .rows
        .iter()
        .find(|r| r.agency.as_deref() == Some(code));
    found.unwrap_or_else(|| panic!("no row for {code}"))
}

fn assert_rows(board: &Board, case: &CaseState) {
    let agencies: Vec<String> = board.rows.iter().filter_map(|r| r.agency.clone()).collect();
    assert_eq!(
        agencies, case.participants,
        "one row per participant, in the case's order"
    );
    let irica = row(board, "IRICA");
    assert_eq!((irica.status.as_str(), irica.submissions), ("accepted", 1));
    assert!(!irica.overdue);
    let inso = row(board, "INSO");
    assert_eq!(
        (inso.status.as_str(), inso.step.as_str()),
        ("returned", "submit")
    );
    assert_eq!(inso.returns, 1);
    assert_eq!(
        (inso.overdue, inso.escalation_level),
        (true, 1),
        "returned work waits on INSO"
    );
    let tpo = row(board, "TPO");
    assert_eq!(
        (tpo.status.as_str(), tpo.step.as_str()),
        ("submitted", "review")
    );
    assert!(!tpo.overdue, "waiting on the secretariat, not on TPO");
    let gsi = row(board, "GSI");
    assert_eq!((gsi.status.as_str(), gsi.submissions), ("open", 0));
    assert_eq!((gsi.overdue, gsi.escalation_level), (true, 1));
    assert_eq!(gsi.due_jalali.as_deref(), Some("1405-09-30"));
    assert_eq!(
        gsi.last_activity_jalali.as_deref(),
        Some("1405-10-01"),
        "escalated a day late"
    );
}

pub async fn the_board_shows_every_agency_at_a_glance(db: TestDb) {
    let (engine, case) = part_way(&db).await;
    let mut board: Board = serde_json::from_value(served(&engine, "board", &case).await).unwrap();
    assert_rows(&board, &case);
    let totals = &board.totals;
    assert_eq!(totals.tasks, 31);
    let counts: Vec<(&str, usize)> = ["open", "submitted", "returned", "accepted"]
        .iter()
        .map(|s| (*s, totals.by_status[*s]))
        .collect();
    assert_eq!(
        counts,
        [
            ("open", 25),
            ("submitted", 2),
            ("returned", 1),
            ("accepted", 3)
        ]
    );
    assert_eq!((totals.overdue, totals.escalated), (26, 26));

    let names = agency_names(&engine.documents, Locale::Fa).await.unwrap();
    board.localise(Locale::Fa, &names);
    assert_eq!(board.rows[0].due_display.as_deref(), Some("۳۰ آذر ۱۴۰۵"));
    let gsi = row(&board, "GSI").agency_name.as_deref();
    assert_eq!(gsi, Some("سازمان زمین\u{200c}شناسی و اکتشافات معدنی کشور"));
    assert_served_equals_replayed(&engine, &case).await;
}
