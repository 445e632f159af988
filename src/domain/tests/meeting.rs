//! Resolutions adopted in a meeting (design.md §7): recorded as approved at once, no vote,
//! their cases ordered; the meeting's record checked; and the deadline a resolution sets
//! for the cases it orders, within what their workflow allows.

use serde_json::{Value, json};

use super::facts::*;
use super::vocabulary::*;
use super::{INVENTORY, RESOLUTION, at, given, no_case_of, secretariat};
use crate::domain::DomainError::Invalid;
use crate::domain::VoteChoice::Approve;
use crate::domain::{CaseEvent, CaseStatus, Command, MeetingRecord, derive_id};
use crate::workflow::DueRule;

/// Meeting 12 of the working group, 1 Azar 1405 (four days before the tests' "now").
fn meeting() -> Value {
    json!({
        "meeting_no": 12,
        "meeting_date_jalali": "1405-09-01",
        "resolution_no": "۱۴۰۵/۳/۲",
        "minutes": "دستگاه‌ها فهرست اطلاعات مورد نیاز و قابل عرضه را تا پایان ماه بفرستند.",
    })
}

fn record() -> MeetingRecord {
    MeetingRecord {
        meeting_no: "12".into(),
        meeting_date_jalali: "1405-09-01".into(),
        resolution_no: "۱۴۰۵/۳/۲".into(),
        minutes: "دستگاه‌ها فهرست اطلاعات مورد نیاز و قابل عرضه را تا پایان ماه بفرستند.".into(),
        attachments: Vec::new(),
    }
}

fn open_with(params: Value) -> Command {
    Command::OpenCase {
        case_id: case_id(),
        workflow_version: 1,
        title: RESOLUTION_TITLE.into(),
        participants: Vec::new(),
        params,
        parent_case: None,
    }
}

fn adopted(meeting: Value) -> Value {
    json!({"adopted_in_meeting": meeting, "on_approval": {"workflow": INVENTORY, "participants": "all"}})
}

fn with_field(field: &str, value: Value) -> Value {
    let mut meeting = meeting();
    meeting[field] = value;
    adopted(meeting)
}

#[test]
fn a_meeting_resolution_is_approved_at_once_and_orders_its_cases_without_a_vote() {
    let params = adopted(meeting());
    let case = no_case_of(RESOLUTION)
        .when(open_with(params.clone()))
        .by(secretariat())
        .then(&[
            opened(RESOLUTION, RESOLUTION_TITLE, &[], params),
            CaseEvent::ResolutionAdopted {
                step: "vote".into(),
                meeting: record(),
                recorded_by: secretariat().member_id,
            },
            inventory_ordered(),
            completed(Some("approved")),
        ]);
    let state = case.state();
    assert!(state.tasks.is_empty(), "no vote tasks");
    assert!(state.vote.is_none(), "no vote was held");
    assert_eq!(state.status, CaseStatus::Completed);
    assert_eq!(state.outcome.as_deref(), Some("approved"));
    assert_eq!(state.meeting, Some(record()));
}

#[test]
fn persian_digits_and_slashes_in_the_date_are_read_and_the_numbers_kept_as_typed() {
    let mut meeting = meeting();
    meeting["meeting_date_jalali"] = json!("۱۴۰۵/۹/۱");
    meeting["meeting_no"] = json!("۱۲");
    meeting["attachments"] = json!([{"sha256": "ab", "filename": "minutes.pdf"}]);
    let outcome = no_case_of(RESOLUTION)
        .when(open_with(adopted(meeting)))
        .by(secretariat());
    let Some(CaseEvent::ResolutionAdopted { meeting, .. }) = outcome.events().get(1) else {
        panic!("{:?}", outcome.events());
    };
    assert_eq!(meeting.meeting_date_jalali, "1405-09-01");
    assert_eq!(meeting.meeting_no, "۱۲");
    assert_eq!(
        meeting.attachments.len(),
        1,
        "attachments are passed through"
    );
}

#[test]
fn a_meeting_record_that_does_not_hold_is_refused() {
    let long_minutes = "م".repeat(crate::domain::MAX_MINUTES_CHARS + 1);
    let bad = [
        ("meeting_date_jalali", json!("1405-12-30")), // 1405 is not a leap year
        ("meeting_date_jalali", json!("1405-09-06")), // tomorrow
        ("meeting_date_jalali", json!("30 Azar")),
        ("meeting_date_jalali", Value::Null),
        ("resolution_no", json!("  ")),
        ("resolution_no", json!(7)),
        ("minutes", json!("")),
        ("minutes", json!(long_minutes)),
        ("meeting_no", json!(0)),
        ("meeting_no", json!(-3)),
        ("meeting_no", json!("")),
        ("meeting_no", json!("۰")),
        ("attachments", json!("minutes.pdf")),
        ("venue", json!("Tehran")),
    ];
    for (field, value) in bad {
        let outcome = no_case_of(RESOLUTION)
            .when(open_with(with_field(field, value.clone())))
            .by(secretariat());
        assert!(
            matches!(outcome.refusal(), Invalid(m) if m.contains(field)),
            "{field} = {value}: {:?}",
            outcome.refusal()
        );
    }
    no_case_of(RESOLUTION)
        .when(open_with(json!({"adopted_in_meeting": "yes"})))
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn only_a_workflow_with_a_vote_takes_a_meeting_record() {
    no_case_of(INVENTORY)
        .when(Command::OpenCase {
            case_id: case_id(),
            workflow_version: 1,
            title: TITLE.into(),
            participants: vec!["CBI".into()],
            params: json!({"adopted_in_meeting": meeting()}),
            parent_case: None,
        })
        .by(secretariat())
        .then_refused(Invalid);
}

#[test]
fn the_end_of_the_month_a_meeting_resolution_sets_counts_from_the_meeting_day() {
    // Meeting on 20 Aban 1405: the end of *its* month is 30 Aban, not 30 Azar.
    let mut meeting = meeting();
    meeting["meeting_date_jalali"] = json!("1405-08-20");
    let params = json!({
        "adopted_in_meeting": meeting,
        "on_approval": {"workflow": INVENTORY, "participants": "all", "params": {"due": {"end_of": "jalali_month"}}},
    });
    let outcome = no_case_of(RESOLUTION)
        .when(open_with(params))
        .by(secretariat());
    let ordered = outcome
        .events()
        .iter()
        .find_map(|e| match e {
            CaseEvent::ChildCaseOrdered { params, .. } => Some(params.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(ordered, json!({"due": {"on": "1405-08-30"}}));
}

#[test]
fn a_voted_resolutions_deadline_counts_from_the_approval() {
    let mut history = vec![opened(
        RESOLUTION,
        RESOLUTION_TITLE,
        &[],
        json!({"on_approval": {"workflow": INVENTORY, "participants": "all", "params": {"due": {"end_of": "jalali_month"}}}}),
    )];
    history.extend(opened_resolution().into_iter().skip(1));
    let approved_at = at("2026-12-23T08:00:00Z"); // 2 Dey 1405
    let outcome = given(&[
        history,
        voted("cbi.focal", Approve),
        voted("cppo.focal", Approve),
    ])
    .when(vote(ballot_of("irica.focal"), Approve))
    .at(approved_at)
    .by(super::person("irica.focal"));
    let ordered = outcome.events().iter().find_map(|e| match e {
        CaseEvent::ChildCaseOrdered { params, .. } => Some(params.clone()),
        _ => None,
    });
    assert_eq!(ordered, Some(json!({"due": {"on": "1405-10-30"}})));
}

fn open_inventory_due(due: Value) -> Command {
    Command::OpenCase {
        case_id: case_id(),
        workflow_version: 1,
        title: TITLE.into(),
        participants: vec!["CBI".into()],
        params: json!({"due": due}),
        parent_case: Some(derive_id(case_id(), &["parent"])),
    }
}

#[test]
fn an_ordered_case_takes_the_resolutions_deadline_and_records_its_rule() {
    let outcome = no_case_of(INVENTORY)
        .when(open_inventory_due(json!({"on": "1405-10-15"})))
        .by(secretariat());
    let Some(CaseEvent::TaskAssigned { due: Some(due), .. }) = outcome.events().get(1) else {
        panic!("{:?}", outcome.events());
    };
    assert_eq!(due.rule, DueRule::On("1405-10-15".into()));
    assert_eq!(due.due_jalali, "1405-10-15");
    assert_eq!(due.due_at, at("2027-01-05T20:29:59Z"));
}

#[test]
fn a_deadline_beyond_what_the_workflow_allows_or_already_past_is_refused() {
    for due in [
        json!({"on": "1406-01-15"}), // after the end of 1405, the inventory's limit
        json!({"on": "1405-09-01"}), // already past
        json!({"on": "1405-12-30"}), // no such day
        json!({"end_of": "jalali_decade"}),
        json!("soon"),
    ] {
        no_case_of(INVENTORY)
            .when(open_inventory_due(due))
            .by(secretariat())
            .then_refused(Invalid);
    }
    // The limit itself is allowed.
    no_case_of(INVENTORY)
        .when(open_inventory_due(json!({"end_of": "jalali_year"})))
        .by(secretariat())
        .accepted();
}

#[test]
fn a_workflow_whose_first_step_allows_no_override_refuses_a_deadline() {
    no_case_of(RESOLUTION)
        .when(open_with(json!({"due": {"end_of": "jalali_month"}})))
        .by(secretariat())
        .then_refused(Invalid);
}
