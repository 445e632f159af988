//! Logs written before votes were per agency and agencies in or outside the cluster, on both
//! backends: a resolution with one vote task per member replays to the state it always had
//! and still takes its outstanding votes, each from its own voter; an agency registered
//! without `in_cluster` reads as a member of the cluster.

use chrono::Utc;
use daftar::documents::Documents;
use daftar::domain::{
    Actor, CaseEvent, CaseState, CaseStatus, DomainError, Role, TaskKind, VoteChoice, derive_id,
    resolve_deadline,
};
use daftar::engine::rebuild::rebuild;
use daftar::engine::{Engine, EngineError, ManualClock};
use daftar::event_store::{AppendRequest, ExpectedVersion, NewEvent};
use daftar::workflow::{DueRule, IsoDuration};
use serde_json::json;
use uuid::Uuid;

use crate::on_both_backends;
use crate::support::TestDb;
use crate::support::seed::*;

/// The voters the old log gave a ballot each: two of them of one agency.
const VOTERS: [(&str, &str); 4] = [
    ("m-cbi", "CBI"),
    ("m-cppo", "CPPO"),
    ("deputy-irica", "IRICA"),
    ("m-irica", "IRICA"),
];

fn ballot(case: Uuid, member: &str) -> Uuid {
    derive_id(case, &["vote", "vote", member])
}

/// The events a resolution was opened with before votes were per agency.
async fn old_log(engine: &Engine, case: Uuid) -> Vec<CaseEvent> {
    let workflow = engine
        .catalog
        .current_workflow(&engine.store, "resolution-approval")
        .await
        .unwrap()
        .unwrap();
    let rule = DueRule::After(IsoDuration::parse("P7D").unwrap());
    let due = resolve_deadline(&rule, now(), &engine.calendar().await.unwrap()).unwrap();
    let mut events = vec![
        CaseEvent::CaseOpened {
            case_id: case,
            workflow: "resolution-approval".into(),
            workflow_version: workflow.version,
            workflow_hash: workflow.definition.content_hash().into(),
            title: "مصوبه پیش از رأی دستگاهی".into(),
            participants: Vec::new(),
            params: json!({"text": "t", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA"]}}),
            parent_case: None,
            opened_at: now(),
        },
        CaseEvent::VoteOpened {
            step: "vote".into(),
            voters: VOTERS.len(),
            quorum: 0.5,
            pass: 0.5,
        },
    ];
    for (member, agency) in VOTERS {
        events.push(CaseEvent::TaskAssigned {
            task_id: ballot(case, member),
            step: "vote".into(),
            kind: TaskKind::Vote,
            agency: Some(agency.into()),
            assignee: Some(member.into()),
            role: "member".into(),
            form: None,
            due: Some(due.clone()),
        });
    }
    events
}

fn voter(member: &str, agency: &str) -> Actor {
    Actor {
        member_id: member.into(),
        agency: Some(agency.into()),
        roles: vec![Role::Member],
    }
}

async fn a_per_member_log_replays_and_takes_its_votes(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let case = Uuid::now_v7();
    let events = old_log(&engine, case).await;
    let stored = events
        .iter()
        .map(|e| {
            let (kind, data) = e.to_parts();
            NewEvent::new(kind, data)
        })
        .collect();
    let request = AppendRequest::new(format!("case-{case}"), ExpectedVersion::NoStream, stored);
    engine.store.append(request).await.unwrap();
    // The read models, as `daftar projections rebuild` writes them from the log.
    let documents = Documents::new(db.connect().await);
    rebuild(&engine.store, &documents, &[]).await.unwrap();

    let replayed = engine.case(case).await.unwrap().unwrap();
    let expected = CaseState::replay(events.iter().map(|e| (e, Utc::now())));
    assert_eq!(replayed.tasks.len(), 4, "one ballot per member, as written");
    assert_eq!(replayed.vote, expected.vote);
    let holders: Vec<_> = replayed.tasks.iter().map(|t| t.assignee.clone()).collect();
    let written: Vec<_> = expected.tasks.iter().map(|t| t.assignee.clone()).collect();
    assert_eq!(holders, written);

    // Each ballot is still its own voter's: a colleague of the same agency may not cast it.
    let irica = ballot(case, "m-irica");
    let refused = engine
        .vote(
            &voter("deputy-irica", "IRICA"),
            irica,
            VoteChoice::Approve,
            None,
        )
        .await;
    assert!(
        matches!(refused, Err(EngineError::Domain(DomainError::Forbidden(_)))),
        "{refused:?}"
    );
    engine
        .vote(&member_of("IRICA"), irica, VoteChoice::Approve, None)
        .await
        .unwrap();
    engine
        .vote(
            &voter("deputy-irica", "IRICA"),
            ballot(case, "deputy-irica"),
            VoteChoice::Approve,
            None,
        )
        .await
        .unwrap();
    // Three approvals of four ballots settle it, counted as they were written.
    let decided = engine
        .vote(
            &member_of("CBI"),
            ballot(case, "m-cbi"),
            VoteChoice::Approve,
            None,
        )
        .await
        .unwrap();
    assert_eq!(decided.status, CaseStatus::Completed);
    assert_eq!(decided.outcome.as_deref(), Some("approved"));
    assert_eq!(decided.vote.as_ref().unwrap().voters, 4);
    assert_eq!(engine.replay_case(case, None).await.unwrap(), *decided);
}

async fn an_agency_registered_before_in_cluster_is_a_member_of_the_cluster(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    let old = json!({"code": "OLDAG", "name_fa": "دستگاه قدیمی", "name_en": null, "cluster": "industry-and-trade"});
    let request = AppendRequest::new(
        "agency-OLDAG",
        ExpectedVersion::NoStream,
        vec![NewEvent::new("AgencyRegistered", old.clone())],
    );
    engine.store.append(request).await.unwrap();
    let documents = Documents::new(db.connect().await);
    rebuild(&engine.store, &documents, &[]).await.unwrap();
    let agency = engine.agency("OLDAG").await.unwrap().unwrap();
    assert!(agency.in_cluster);
    // Read as such, not rewritten: the stored event keeps the shape it was written in.
    let stored = engine
        .store
        .read_stream_raw("agency-OLDAG", 1)
        .await
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(&stored[0].data).unwrap();
    assert_eq!(data, old);
}

on_both_backends!(
    a_per_member_log_replays_and_takes_its_votes,
    an_agency_registered_before_in_cluster_is_a_member_of_the_cluster,
);
