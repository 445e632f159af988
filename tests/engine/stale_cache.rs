//! A node decides on the case it holds in memory without reading its stream first. When
//! another node has appended since, the node must still answer as the newer case says: an
//! append from the older case is refused by the store and decided again, and a refusal is
//! decided again on the newer case before it is given — on both backends.

use daftar::domain::TaskStatus;
use daftar::engine::{ManualClock, OpenCase, ParticipantsInput, case_stream};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestDb;
use crate::support::seed::*;

async fn a_node_answers_as_the_newer_case_says(db: TestDb) {
    let clock = ManualClock::at(now());
    let first = start(&db, clock.clone()).await;
    seed(&first).await;
    register_irica_deputy(&first).await;
    let second = start(&db, clock.clone()).await;
    let case = first
        .open_case(
            &secretariat(),
            OpenCase {
                workflow: "data-exchange-inventory".into(),
                title: "فهرست داده‌ها".into(),
                participants: Some(ParticipantsInput::List(vec!["IRICA".into()])),
                params: json!({}),
                parent_case: None,
                case_id: None,
            },
        )
        .await
        .unwrap();
    let task = case.tasks[0].id;
    // The first node holds the case with the task given to the deputy …
    first
        .reassign(&secretariat(), task, "deputy-irica")
        .await
        .unwrap();
    // … and the second gives it back to m-irica.
    second
        .reassign(&secretariat(), task, "m-irica")
        .await
        .unwrap();
    // On the first node's older case m-irica may not submit; on the newer one it may.
    let submitted = first
        .submit(&of_irica("m-irica"), task, inventory())
        .await
        .unwrap();
    assert_eq!(submitted.task(task).unwrap().status, TaskStatus::Submitted);
    assert_eq!(
        submitted.task(task).unwrap().assignee.as_deref(),
        Some("m-irica")
    );
    // The second node, which held the case before the submission, refuses the deputy.
    let refused = second
        .submit(&of_irica("deputy-irica"), task, inventory())
        .await;
    assert!(refused.is_err(), "{refused:?}");
    let events = first
        .store
        .read_stream(&case_stream(case.id), 1)
        .await
        .unwrap();
    let submissions = events
        .iter()
        .filter(|e| e.event_type == "SubmissionReceived")
        .count();
    assert_eq!(submissions, 1);
}

on_both_backends!(a_node_answers_as_the_newer_case_says);
