//! Two nodes on one database take two votes of one agency at the same moment. Each node
//! decides on the case as it read it; when both read it before either wrote, one append wins
//! and the other meets a version conflict, decides again on the newer case and is refused.
//! Either way the agency votes once — on both backends.

use daftar::domain::{DomainError, TaskKind, VoteChoice};
use daftar::engine::{EngineError, ManualClock, OpenCase};
use serde_json::json;

use crate::on_both_backends;
use crate::support::TestDb;
use crate::support::seed::*;

async fn two_nodes_take_one_vote_of_an_agency(db: TestDb) {
    let clock = ManualClock::at(now());
    let first = start(&db, clock.clone()).await;
    seed(&first).await;
    register_irica_deputy(&first).await;
    let second = start(&db, clock.clone()).await;
    let resolution = first
        .open_case(&secretariat(), OpenCase {
            workflow: "resolution-approval".into(),
            title: "مصوبه".into(),
            participants: None,
            params: json!({"text": "t", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA"]}}),
            parent_case: None,
            case_id: None,
        })
        .await
        .unwrap();
    let votes = resolution.tasks.iter().filter(|t| t.kind == TaskKind::Vote);
    assert_eq!(votes.count(), 31, "one vote per agency, not one per member");
    let task = resolution
        .tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some("IRICA"))
        .unwrap()
        .id;
    // The second node reads the case first, so both decide on the same version.
    assert!(second.case(resolution.id).await.unwrap().is_some());
    let (m_irica, deputy) = (of_irica("m-irica"), of_irica("deputy-irica"));
    let (a, b) = tokio::join!(
        first.vote(&m_irica, task, VoteChoice::Approve, None),
        second.vote(&deputy, task, VoteChoice::Reject, None),
    );
    let conflicts = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(EngineError::Domain(DomainError::Conflict(_)))))
        .count();
    assert_eq!(conflicts, 1, "{a:?} / {b:?}");
    assert!(a.is_ok() || b.is_ok());
    let case = first.case(resolution.id).await.unwrap().unwrap();
    let cast = case.tasks.iter().filter(|t| t.vote.is_some()).count();
    assert_eq!(cast, 1);
}

on_both_backends!(two_nodes_take_one_vote_of_an_agency);
