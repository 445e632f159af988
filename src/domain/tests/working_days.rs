//! Deadlines fall on working days, reminders and escalations reach people at work, and a
//! closure announced at run time moves the deadlines it falls on.

use chrono::{DateTime, Utc};

use super::facts::*;
use super::vocabulary::*;
use super::{CARDS, INVENTORY, at, calendar, definition, directory, forms, given, secretariat};
use crate::calendar::{BusinessCalendar, Closure};
use crate::domain::{
    Actor, CaseEvent, Command, Context, Deadline, DeadlineCause, NominalDue, Role, TimerKind,
    decide, resolve_deadline, timers_for,
};
use crate::workflow::{DueRule, Format, JalaliPeriod, WorkflowDefinition};

fn end_of_month_from(now: &str) -> Deadline {
    resolve_deadline(
        &DueRule::EndOf(JalaliPeriod::JalaliMonth),
        at(now),
        calendar(),
    )
    .unwrap()
}

#[test]
fn a_month_ending_on_a_thursday_is_due_at_the_end_of_the_next_working_day() {
    // 31 Ordibehesht 1405 is a Thursday; 1 Khordad a Friday.
    let deadline = end_of_month_from("2026-05-10T08:00:00Z");
    assert_eq!(deadline.nominal.as_ref().unwrap().jalali, "1405-02-31");
    assert_eq!(deadline.due_jalali, "1405-03-02");
    assert_eq!(deadline.due_at, at("2026-05-23T20:29:59Z"));
    // 30 Mehr 1405 is a Thursday too.
    let deadline = end_of_month_from("2026-10-10T08:00:00Z");
    assert_eq!(deadline.nominal.as_ref().unwrap().jalali, "1405-07-30");
    assert_eq!(deadline.due_jalali, "1405-08-02");
}

#[test]
fn a_month_ending_on_a_friday_moves_to_saturday() {
    // 30 Bahman 1405 is a Friday.
    let deadline = end_of_month_from("2027-02-01T08:00:00Z");
    assert_eq!(deadline.nominal.as_ref().unwrap().jalali, "1405-11-30");
    assert_eq!(deadline.due_jalali, "1405-12-01");
}

#[test]
fn a_month_ending_on_a_working_day_keeps_it() {
    // 30 Azar 1405 is a Monday.
    assert_eq!(end_of_azar().due_jalali, "1405-09-30");
    let deadline = end_of_month_from("2026-11-26T08:00:00Z");
    assert_eq!(deadline, end_of_azar());
    assert_eq!(deadline.nominal, None);
}

#[test]
fn the_end_of_the_year_rolls_over_nowruz() {
    let deadline = resolve_deadline(
        &DueRule::EndOf(JalaliPeriod::JalaliYear),
        super::now(),
        calendar(),
    )
    .unwrap();
    assert_eq!(deadline, end_of_1405());
}

/// The inventory workflow, due at the end of the year, with the given `roll`.
fn yearly_inventory(roll: &str) -> WorkflowDefinition {
    let path = super::root().join(format!("workflows/{INVENTORY}.yaml"));
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.replace(
        "    due: {end_of: jalali_month}",
        &format!("    due: {{end_of: jalali_year}}\n    roll: {roll}"),
    );
    WorkflowDefinition::parse("test", &text, Format::Yaml, forms()).unwrap()
}

fn first_due(definition: &WorkflowDefinition) -> Deadline {
    let opener = secretariat();
    let ctx = Context {
        now: super::now(),
        actor: &opener,
        definition,
        calendar: calendar(),
        members: directory(),
    };
    let events = decide(&Default::default(), open_case(TITLE, &["IRICA"]), &ctx).unwrap();
    events
        .iter()
        .find_map(|e| match e {
            CaseEvent::TaskAssigned { due, .. } => due.clone(),
            _ => None,
        })
        .unwrap()
}

#[test]
fn roll_none_keeps_the_nominal_day() {
    let kept = first_due(&yearly_inventory("none"));
    assert_eq!(kept.due_jalali, "1405-12-29");
    assert_eq!(kept.nominal, None);
    let rolled = first_due(&yearly_inventory("next_working_day"));
    assert_eq!(rolled.due_jalali, "1406-01-07");
    let text = "key: x\ntitle: {fa: x, en: x}\nparticipants: agencies\nsteps:\n  - id: s\n    \
                type: submission\n    assignee: {role: member, of: participant}\n    \
                form: data-exchange-inventory\n    due: {after: P1D}\n    roll: sometimes\n    next: done\n";
    let refused = WorkflowDefinition::parse("test", text, Format::Yaml, forms()).unwrap_err();
    assert!(refused.to_string().contains("roll"), "{refused}");
}

fn timer_at(events: &[CaseEvent], workflow: &str, kind: TimerKind) -> DateTime<Utc> {
    let case = given(&[events.to_vec()]);
    timers_for(case.state(), events, definition(workflow), calendar())
        .into_iter()
        .find(|t| t.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} timer"))
        .due_at
}

#[test]
fn a_reminder_on_a_friday_fires_on_saturday_at_eight() {
    let opened = opened_inventory(&["IRICA"]);
    // Three days before the end of Monday 30 Azar is Friday 27 Azar, 23:59:59.
    let reminder = timer_at(&opened, INVENTORY, TimerKind::Remind { index: 0 });
    assert_eq!(reminder, at("2026-12-19T08:00:00+03:30"));
    // One day before is Sunday 29 Azar 23:59:59, after hours: Monday at eight.
    let reminder = timer_at(&opened, INVENTORY, TimerKind::Remind { index: 1 });
    assert_eq!(reminder, at("2026-12-21T08:00:00+03:30"));
    // Overdue is a fact of the deadline itself.
    let due = timer_at(&opened, INVENTORY, TimerKind::Due);
    assert_eq!(due, end_of_azar().due_at);
}

#[test]
fn an_escalation_inside_nowruz_waits_for_its_end() {
    let opened = opened_cards(&["IRICA"]);
    // Due at the end of Saturday 7 Farvardin 1406; the first level, right after, would go
    // on Sunday 8 Farvardin at eight, inside Nowruz. 14 Farvardin is a holiday (forecast),
    // so Sunday 15 Farvardin at eight; the second level a week later, Sunday 14 → 15.
    let first = timer_at(&opened, CARDS, TimerKind::Escalate { level: 1 });
    assert_eq!(first, at("2027-04-04T08:00:00+03:30"));
    let second = timer_at(&opened, CARDS, TimerKind::Escalate { level: 2 });
    assert_eq!(second, at("2027-04-04T08:00:00+03:30"));
}

fn closed_on_30_azar() -> BusinessCalendar {
    let mut closed = calendar().clone();
    closed.add_closure(Closure {
        date_jalali: "1405-09-30".parse().unwrap(),
        reason: "آلودگی هوا".into(),
    });
    closed
}

fn admin() -> Actor {
    Actor {
        member_id: "admin".into(),
        agency: None,
        roles: vec![Role::Admin],
    }
}

fn apply_closure(
    history: &[Vec<CaseEvent>],
    now: DateTime<Utc>,
    actor: &Actor,
    calendar: &BusinessCalendar,
) -> Result<Vec<CaseEvent>, crate::domain::DomainError> {
    let case = given(history);
    let ctx = Context {
        now,
        actor,
        definition: definition(INVENTORY),
        calendar,
        members: directory(),
    };
    let command = Command::ApplyClosure {
        date: "1405-09-30".parse().unwrap(),
        reason: "آلودگی هوا".into(),
    };
    decide(case.state(), command, &ctx)
}

#[test]
fn a_closure_moves_a_deadline_that_is_one_hour_away() {
    let calendar = closed_on_30_azar();
    let one_hour_before = end_of_azar().due_at - chrono::Duration::hours(1);
    let history = [opened_inventory(&["IRICA", "MIMT"]), submitted("MIMT", 1)];
    let events = apply_closure(&history, one_hour_before, &admin(), &calendar).unwrap();
    let moved = CaseEvent::DeadlineMoved {
        task_id: task_of("IRICA"),
        due: Deadline {
            rule: DueRule::EndOf(JalaliPeriod::JalaliMonth),
            // Tuesday 1 Dey 1405, 23:59:59 Tehran.
            due_at: at("2026-12-22T20:29:59Z"),
            due_jalali: "1405-10-01".into(),
            calendar_version: calendar.version(),
            nominal: Some(NominalDue {
                at: end_of_azar().due_at,
                jalali: "1405-09-30".into(),
            }),
        },
        previous_due_at: end_of_azar().due_at,
        cause: DeadlineCause::Closure,
        reason: Some("آلودگی هوا".into()),
        by: "admin".into(),
    };
    // MIMT submitted: its task waits on the secretariat, not on the agency, and stays.
    assert_eq!(events, std::slice::from_ref(&moved));
    let after = [history.to_vec(), vec![events]].concat();
    let case = given(&after);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(
        task.due_moved.as_ref().unwrap().cause,
        DeadlineCause::Closure
    );
    let due = timers_for(case.state(), &[moved], definition(INVENTORY), &calendar)
        .into_iter()
        .find(|t| t.kind == TimerKind::Due)
        .unwrap();
    assert_eq!(due.due_at, at("2026-12-22T20:29:59Z"));
}

#[test]
fn only_an_administrator_applies_a_closure_and_only_of_a_closed_day() {
    let history = [opened_inventory(&["IRICA"])];
    let now = super::now();
    let refused = apply_closure(&history, now, &secretariat(), &closed_on_30_azar());
    assert!(matches!(
        refused,
        Err(crate::domain::DomainError::Forbidden(_))
    ));
    let refused = apply_closure(&history, now, &admin(), calendar());
    assert!(matches!(
        refused,
        Err(crate::domain::DomainError::Invalid(_))
    ));
}

#[test]
fn an_old_log_replays_to_the_same_state() {
    // A task assigned before deadlines rolled: no nominal instant, the day as recorded.
    let old = serde_json::json!({
        "task_id": task_of("IRICA"), "step": "submit", "kind": "submission",
        "agency": "IRICA", "role": "member",
        "form": "service-identity-cards",
        "due": {"rule": {"end_of": "jalali_year"}, "due_at": "2027-03-20T20:29:59Z",
                "due_jalali": "1405-12-29", "calendar_version": "1404.1+1405.1+1406.1"}
    });
    let event = CaseEvent::from_parts("TaskAssigned", &old).unwrap();
    let opened = opened(CARDS, TITLE, &["IRICA"], serde_json::json!({}));
    let case = given(&[vec![opened, event.clone()]]);
    let due = case
        .state()
        .task(task_of("IRICA"))
        .unwrap()
        .due
        .clone()
        .unwrap();
    assert_eq!(due.due_jalali, "1405-12-29");
    assert_eq!(due.nominal, None);
    assert_eq!(event.to_parts().1, old);
}
