//! The secretariat extends a deadline — one task's, or every pending task's of a case — with
//! a reason; the task's timers follow the new deadline.

use super::facts::*;
use super::vocabulary::*;
use super::{INVENTORY, at, calendar, definition, given, member, now, secretariat};
use crate::domain::DomainError::{Conflict, Forbidden, Invalid, NotFound};
use crate::domain::{
    CaseEvent, Command, Deadline, DeadlineCause, MAX_REASON_CHARS, NewDue, OnDay, TimerKind,
    timers_for,
};
use crate::workflow::{DueRule, IsoDuration};

fn on(day: &str) -> NewDue {
    NewDue::On(OnDay { on: day.into() })
}

fn extend(agency: &str, due: NewDue, reason: &str) -> Command {
    Command::Extend {
        task_id: Some(task_of(agency)),
        due,
        reason: reason.into(),
    }
}

fn extend_case(due: NewDue, reason: &str) -> Command {
    Command::Extend {
        task_id: None,
        due,
        reason: reason.into(),
    }
}

/// Tuesday 15 Dey 1405 (a working day), 23:59:59 Tehran, as a `{on: …}` rule resolves it.
fn fifteenth_of_dey() -> Deadline {
    Deadline {
        rule: DueRule::On("1405-10-15".into()),
        due_at: at("2027-01-05T20:29:59Z"),
        due_jalali: "1405-10-15".into(),
        calendar_version: calendar().version(),
        nominal: None,
    }
}

fn extended(agency: &str, due: Deadline, reason: &str) -> CaseEvent {
    CaseEvent::DeadlineMoved {
        task_id: task_of(agency),
        due,
        previous_due_at: end_of_azar().due_at,
        cause: DeadlineCause::Extension,
        reason: Some(reason.into()),
        by: secretariat().member_id,
    }
}

#[test]
fn the_secretariat_extends_a_task_to_the_end_of_a_jalali_day() {
    let case = given(&[opened_inventory(&["IRICA", "MIMT"])])
        .when(extend(
            "IRICA",
            on("1405-10-15"),
            "  The agency asked for time  ",
        ))
        .by(secretariat())
        .then(&[extended(
            "IRICA",
            fifteenth_of_dey(),
            "The agency asked for time",
        )]);
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.due, Some(fifteenth_of_dey()));
    let other = case.state().task(task_of("MIMT")).unwrap();
    assert_eq!(other.due, Some(end_of_azar()), "only the chosen task moves");
}

#[test]
fn an_instant_is_kept_as_written_to_the_second() {
    let instant = at("2026-12-24T10:00:00Z");
    let seconds = (instant - now()).num_seconds() as u64;
    given(&[opened_inventory(&["IRICA"])])
        .when(extend("IRICA", NewDue::At(instant), "Network outage"))
        .by(secretariat())
        .then(&[extended(
            "IRICA",
            Deadline {
                rule: DueRule::After(IsoDuration::from_seconds(seconds)),
                due_at: instant,
                due_jalali: "1405-10-03".into(),
                calendar_version: calendar().version(),
                nominal: None,
            },
            "Network outage",
        )]);
}

#[test]
fn the_extended_deadline_gets_its_own_timers() {
    let moved = given(&[opened_inventory(&["IRICA"])])
        .when(extend("IRICA", on("1405-10-15"), "More time"))
        .by(secretariat())
        .accepted();
    let events = [extended("IRICA", fifteenth_of_dey(), "More time")];
    let timers = timers_for(moved.state(), &events, definition(INVENTORY), calendar());
    let due = timers.iter().find(|t| t.kind == TimerKind::Due).unwrap();
    assert_eq!(due.due_at, fifteenth_of_dey().due_at);
}

#[test]
fn a_deadline_not_later_than_the_current_one_is_refused() {
    for day in ["1405-09-30", "1405-09-20"] {
        given(&[opened_inventory(&["IRICA"])])
            .when(extend("IRICA", on(day), "Too early"))
            .by(secretariat())
            .then_refused(Invalid);
    }
    given(&[opened_inventory(&["IRICA"])])
        .when(extend("IRICA", NewDue::At(end_of_azar().due_at), "Same"))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn a_deadline_in_the_past_is_refused() {
    given(&[opened_inventory(&["IRICA"])])
        .when(extend(
            "IRICA",
            NewDue::At(at("2026-11-01T00:00:00Z")),
            "Late",
        ))
        .by(secretariat())
        .then_refused(Invalid);
    // Already past when the command arrives, though later than the task's deadline.
    given(&[opened_inventory(&["IRICA"])])
        .when(extend("IRICA", on("1405-10-01"), "Late"))
        .at(at("2026-12-23T08:00:00Z"))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn a_date_that_does_not_exist_is_refused() {
    // 1405 is not a leap year: Esfand has 29 days.
    for day in ["1405-12-30", "1405-13-01", "tomorrow"] {
        given(&[opened_inventory(&["IRICA"])])
            .when(extend("IRICA", on(day), "More time"))
            .by(secretariat())
            .then_refused(Invalid);
    }
}

#[test]
fn an_extension_needs_a_reason_of_bounded_length() {
    let too_long = "x".repeat(MAX_REASON_CHARS + 1);
    for reason in ["", "   ", too_long.as_str()] {
        given(&[opened_inventory(&["IRICA"])])
            .when(extend("IRICA", on("1405-10-15"), reason))
            .by(secretariat())
            .then_refused(Invalid);
    }
}

#[test]
fn only_the_secretariat_extends() {
    given(&[opened_inventory(&["IRICA"])])
        .when(extend("IRICA", on("1405-10-15"), "Please"))
        .by(member("IRICA"))
        .then_refused(Forbidden);
    given(&[opened_inventory(&["IRICA"])])
        .when(extend_case(on("1405-10-15"), "Please"))
        .by(member("IRICA"))
        .then_refused(Forbidden);
}

#[test]
fn an_unknown_task_is_not_found() {
    given(&[opened_inventory(&["IRICA"])])
        .when(extend("CBI", on("1405-10-15"), "More time"))
        .by(secretariat())
        .then_refused(NotFound);
}

#[test]
fn a_finished_task_or_a_closed_case_is_not_extended() {
    let accepted_task = [
        opened_inventory(&["IRICA", "MIMT"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
    ];
    given(&accepted_task)
        .when(extend("IRICA", on("1405-10-15"), "More time"))
        .by(secretariat())
        .then_refused(Conflict);
    let cancelled_case = [opened_inventory(&["IRICA"]), cancelled("Superseded")];
    given(&cancelled_case)
        .when(extend("IRICA", on("1405-10-15"), "More time"))
        .by(secretariat())
        .then_refused(Conflict);
    given(&cancelled_case)
        .when(extend_case(on("1405-10-15"), "More time"))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_ballot_is_not_extended() {
    given(&[opened_resolution()])
        .when(Command::Extend {
            task_id: Some(ballot_of("irica.focal")),
            due: on("1405-10-15"),
            reason: "More time".into(),
        })
        .by(secretariat())
        .then_refused(Conflict);
    given(&[opened_resolution()])
        .when(extend_case(on("1405-10-15"), "More time"))
        .by(secretariat())
        .then_refused(Conflict);
}

#[test]
fn a_case_extension_moves_every_pending_task_due_earlier() {
    // CBI open, CPPO returned, IRICA submitted, MIMT accepted.
    let history = [
        opened_inventory(&["CBI", "CPPO", "IRICA", "MIMT"]),
        submitted("CPPO", 1),
        returned("CPPO", 1, "Name the legal basis"),
        submitted("IRICA", 1),
        submitted("MIMT", 1),
        accepted("MIMT", 1),
    ];
    given(&history)
        .when(extend_case(on("1405-10-15"), "Yalda and the year's end"))
        .by(secretariat())
        .then(&[
            extended("CBI", fifteenth_of_dey(), "Yalda and the year's end"),
            extended("CPPO", fifteenth_of_dey(), "Yalda and the year's end"),
            extended("IRICA", fifteenth_of_dey(), "Yalda and the year's end"),
        ]);
}

#[test]
fn a_case_extension_leaves_tasks_already_due_later() {
    let history = [
        opened_inventory(&["CBI", "IRICA"]),
        vec![extended("IRICA", fifteenth_of_dey(), "Asked first")],
    ];
    // Tuesday 8 Dey 1405, a working day.
    let eighth = Deadline {
        rule: DueRule::On("1405-10-08".into()),
        due_at: at("2026-12-29T20:29:59Z"),
        due_jalali: "1405-10-08".into(),
        calendar_version: calendar().version(),
        nominal: None,
    };
    given(&history)
        .when(extend_case(on("1405-10-08"), "Everyone"))
        .by(secretariat())
        .then(&[extended("CBI", eighth, "Everyone")]);
    let none_earlier = [
        opened_inventory(&["IRICA"]),
        vec![extended("IRICA", fifteenth_of_dey(), "Asked first")],
    ];
    given(&none_earlier)
        .when(extend_case(on("1405-10-08"), "Everyone"))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn a_case_with_nothing_pending_has_nothing_to_extend() {
    given(&[
        opened_inventory(&["IRICA"]),
        submitted("IRICA", 1),
        accepted("IRICA", 1),
    ])
    .when(extend_case(on("1405-10-15"), "More time"))
    .by(secretariat())
    .then_refused(Conflict);
}
