//! A moved deadline: the task is due anew, its timers follow, and timers planned for the old
//! deadline stay silent.

use super::facts::*;
use super::vocabulary::*;
use super::{INVENTORY, at, definition, given};
use crate::domain::{CaseEvent, Command, DeadlineCause, TimerKind, finished, moved, timers_for};
use crate::workflow::{DueRule, JalaliPeriod};

fn moved_to_end_of_dey() -> CaseEvent {
    CaseEvent::DeadlineMoved {
        task_id: task_of("IRICA"),
        due: crate::domain::Deadline {
            rule: DueRule::EndOf(JalaliPeriod::JalaliMonth),
            due_at: at("2027-01-20T20:29:59Z"),
            due_jalali: "1405-10-30".into(),
            calendar_version: super::calendar().version(),
            nominal: None,
        },
        previous_due_at: end_of_azar().due_at,
        cause: DeadlineCause::Extension,
        reason: Some("the agency asked for time".into()),
        by: "secretariat-1".into(),
    }
}

#[test]
fn a_moved_deadline_clears_overdue_reminders_and_escalation() {
    let overdue = vec![
        CaseEvent::TaskReminded {
            task_id: task_of("IRICA"),
            index: 0,
            before: "P3D".into(),
            due_at: end_of_azar().due_at,
        },
        CaseEvent::TaskOverdue {
            task_id: task_of("IRICA"),
            due_at: end_of_azar().due_at,
        },
        CaseEvent::DeadlineEscalated {
            task_id: task_of("IRICA"),
            level: 1,
            notify: Vec::new(),
        },
    ];
    let case = given(&[
        opened_inventory(&["IRICA"]),
        overdue,
        vec![moved_to_end_of_dey()],
    ]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.due.as_ref().unwrap().due_jalali, "1405-10-30");
    assert!(!task.overdue);
    assert!(task.reminders_sent.is_empty());
    assert_eq!(task.escalation_level, 0);
}

#[test]
fn the_new_deadline_gets_timers_of_its_own_and_the_old_ones_are_dropped() {
    let case = given(&[opened_inventory(&["IRICA"]), vec![moved_to_end_of_dey()]]);
    let opened = opened_inventory(&["IRICA"]);
    let first = timers_for(
        case.state(),
        &opened,
        definition(INVENTORY),
        super::calendar(),
    );
    let again = timers_for(
        case.state(),
        &[moved_to_end_of_dey()],
        definition(INVENTORY),
        super::calendar(),
    );
    assert_eq!(first.len(), again.len());
    assert!(first.iter().all(|a| again.iter().all(|b| a.id != b.id)));
    let due = again.iter().find(|t| t.kind == TimerKind::Due).unwrap();
    assert_eq!(due.due_at, at("2027-01-20T20:29:59Z"));
    assert_eq!(moved(&[moved_to_end_of_dey()]), vec![task_of("IRICA")]);
    assert!(finished(&[moved_to_end_of_dey()]).is_empty());
}

#[test]
fn a_reminder_planned_for_the_old_deadline_stays_silent() {
    // Three days before the end of Azar: the old deadline's first reminder fires, but the
    // task is now due at the end of Dey.
    given(&[opened_inventory(&["IRICA"]), vec![moved_to_end_of_dey()]])
        .when(Command::FireTimer {
            task_id: Some(task_of("IRICA")),
            kind: TimerKind::Remind { index: 0 },
        })
        .at(at("2026-12-18T20:29:59Z"))
        .by(crate::domain::Actor::system())
        .then(&[]);
}
