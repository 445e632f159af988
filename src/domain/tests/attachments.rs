//! Files sent with a submission: recorded in the event with their size and type, shown in
//! the task's submissions; at most five; a submission recorded before attachments existed
//! reads as one without any.

use super::facts::*;
use super::vocabulary::*;
use super::{given, member};
use crate::domain::DomainError::Invalid;
use crate::domain::{Attachment, AttachmentRef, CaseEvent, Command, check_refs};

fn letter(n: u8) -> Attachment {
    Attachment {
        sha256: format!("{n:x}").repeat(64),
        size: 1200,
        content_type: "application/pdf".into(),
        filename: format!("نامه {n}.pdf"),
        letter_no: Some("۱۲۳/ص".into()),
        letter_date_jalali: Some("1405-09-30".into()),
    }
}

fn submit_with(files: Vec<Attachment>) -> Command {
    let Command::Submit {
        task_id,
        data,
        form_version,
        ..
    } = submit(task_of("IRICA"), inventory_data())
    else {
        unreachable!("submit builds a Submit");
    };
    Command::Submit {
        task_id,
        data,
        form_version,
        attachments: files,
    }
}

#[test]
fn the_files_of_a_submission_are_in_its_event_and_its_task() {
    let outcome = given(&[opened_inventory(&["IRICA"])])
        .when(submit_with(vec![letter(1), letter(2)]))
        .by(member("IRICA"));
    let events = outcome.events();
    let Some(CaseEvent::SubmissionReceived { attachments, .. }) = events.first() else {
        panic!("a submission: {events:?}");
    };
    assert_eq!(attachments, &[letter(1), letter(2)]);
    let case = outcome.accepted();
    let task = case.state().task(task_of("IRICA")).unwrap();
    assert_eq!(task.submissions[0].attachments, [letter(1), letter(2)]);
}

#[test]
fn a_sixth_file_is_refused() {
    let six = (1..=6).map(letter).collect();
    given(&[opened_inventory(&["IRICA"])])
        .when(submit_with(six))
        .by(member("IRICA"))
        .then_refused(Invalid);
}

#[test]
fn a_submission_recorded_before_attachments_reads_without_any() {
    let old = serde_json::json!({"task_id": task_of("IRICA"), "submission_id": submission_of("IRICA", 1),
        "number": 1, "form": "f", "form_version": 1, "data": {}, "submitted_by": "m"});
    let event = CaseEvent::from_parts("SubmissionReceived", &old).unwrap();
    let CaseEvent::SubmissionReceived { attachments, .. } = &event else {
        unreachable!()
    };
    assert!(attachments.is_empty());
    assert_eq!(event.to_parts().1, old, "and is written back unchanged");
}

#[test]
fn a_reference_names_a_hash_a_safe_name_and_a_real_jalali_date() {
    let good = AttachmentRef {
        sha256: "a".repeat(64),
        filename: "نامه.pdf".into(),
        letter_no: None,
        letter_date_jalali: Some("1403-12-30".into()),
    };
    assert!(
        check_refs("attachments", std::slice::from_ref(&good)).is_ok(),
        "1403 is leap"
    );
    let bad = [
        AttachmentRef {
            sha256: "A".repeat(64),
            ..good.clone()
        },
        AttachmentRef {
            filename: "../نامه.pdf".into(),
            ..good.clone()
        },
        AttachmentRef {
            letter_date_jalali: Some("1405-12-30".into()),
            ..good.clone()
        },
        AttachmentRef {
            letter_date_jalali: Some("۱۴۰۵-۰۹-۳۰".into()),
            ..good.clone()
        },
        AttachmentRef {
            letter_no: Some(" ".into()),
            ..good.clone()
        },
    ];
    for reference in bad {
        let refusal = check_refs("attachments", std::slice::from_ref(&reference)).unwrap_err();
        assert!(
            refusal.to_string().starts_with("attachments/0: "),
            "{reference:?}: {refusal}"
        );
    }
    let twice = check_refs("attachments", &[good.clone(), good]).unwrap_err();
    assert!(twice.to_string().contains("twice"));
}
