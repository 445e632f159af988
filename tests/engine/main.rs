//! The engine end to end on a real database: the seed story of the Industry and Trade
//! working group, run on both backends.

#[path = "../support/mod.rs"]
mod support;

mod agency_votes;
mod old_votes;
mod stale_cache;

use daftar::db::DatabaseUrl;
use daftar::documents::Documents;
use daftar::domain::{CaseStatus, DomainError, ReviewDecision, TaskKind, TaskStatus, VoteChoice};
use daftar::engine::rebuild::rebuild;
use daftar::engine::{EngineError, ManualClock, OpenCase, ParticipantsInput};
use daftar::event_store::{AppendRequest, ExpectedVersion, NewEvent, ReadAll};
use daftar::side_writes::OpenEventStore;
use serde_json::{Value, json};
use support::TestDb;
use support::seed::*;
use uuid::Uuid;

async fn the_seed_story_runs_end_to_end(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    let codes = seed(&engine).await;
    let resolution = engine
        .open_case(&secretariat(), OpenCase {
            workflow: "resolution-approval".into(),
            title: "مصوبه جلسه اول کارگروه".into(),
            participants: None,
            params: json!({"text": "همه دستگاه‌ها اطلاعات مورد نیاز و قابل عرضه را ارسال کنند", "on_approval": {"workflow": "data-exchange-inventory", "participants": "all"}}),
            parent_case: None,
            case_id: None,
        })
        .await
        .unwrap();
    let votes: Vec<_> = resolution
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Vote)
        .cloned()
        .collect();
    assert_eq!(votes.len(), 31);
    // 16 of 31 approve: the outcome can no longer change, so the vote closes early.
    let mut last = resolution.clone();
    for task in votes.iter().take(16) {
        let voter = member_of(task.agency.as_deref().unwrap());
        last = engine
            .vote(&voter, task.id, VoteChoice::Approve, None)
            .await
            .unwrap();
    }
    assert_eq!(last.status, CaseStatus::Completed);
    assert_eq!(last.outcome.as_deref(), Some("approved"));
    let late = engine
        .vote(
            &member_of(votes[20].agency.as_deref().unwrap()),
            votes[20].id,
            VoteChoice::Reject,
            None,
        )
        .await;
    assert!(matches!(late, Err(EngineError::Domain(_))), "{late:?}");
    let child_id = last.children[0];
    let child = engine
        .case(child_id)
        .await
        .unwrap()
        .expect("the approved resolution opened the inventory case");
    assert_eq!(child.parent_case, Some(resolution.id));
    assert_eq!(child.tasks.len(), 31);
    assert!(
        child
            .tasks
            .iter()
            .all(|t| t.due.as_ref().unwrap().due_jalali == "1405-09-30")
    );

    // All 31 agencies submit at the same moment; a few first send an invalid document.
    let mut submissions = tokio::task::JoinSet::new();
    for (i, task) in child.tasks.iter().enumerate() {
        let engine = engine.clone();
        let task = task.clone();
        submissions.spawn(async move {
            let actor = member_of(task.agency.as_deref().unwrap());
            if i % 10 == 0 {
                let error = engine
                    .submit(&actor, task.id, json!({"needs": [], "offers": []}))
                    .await
                    .unwrap_err();
                assert!(matches!(error, EngineError::Schema { .. }), "{error}");
            }
            engine
                .submit(&actor, task.id, inventory())
                .await
                .map(|_| ())
        });
    }
    while let Some(result) = submissions.join_next().await {
        result
            .unwrap()
            .expect("every concurrent submission succeeds");
    }
    let submitted = engine.case(child_id).await.unwrap().unwrap();
    assert!(
        submitted
            .tasks
            .iter()
            .all(|t| t.status == TaskStatus::Submitted)
    );

    // The secretariat returns three, the agencies fix them, then everything is accepted.
    for task in submitted.tasks.iter().take(3) {
        engine
            .review(
                &secretariat(),
                task.id,
                ReviewDecision::Return,
                Some("منبع داده را مشخص کنید".into()),
            )
            .await
            .unwrap();
        let actor = member_of(task.agency.as_deref().unwrap());
        let again = engine.submit(&actor, task.id, inventory()).await.unwrap();
        assert_eq!(
            again
                .task(task.id)
                .unwrap()
                .submissions
                .last()
                .unwrap()
                .number,
            2
        );
    }
    let mut final_state = None;
    for task in &submitted.tasks {
        final_state = Some(
            engine
                .review(&secretariat(), task.id, ReviewDecision::Accept, None)
                .await
                .unwrap(),
        );
    }
    let done = final_state.unwrap();
    assert_eq!(done.status, CaseStatus::Completed);
    assert!(done.tasks.iter().all(|t| t.status == TaskStatus::Accepted));
    assert_eq!(
        engine.case(child_id).await.unwrap().unwrap(),
        *done,
        "replaying the stream gives the live state"
    );
    assert!(engine.store.verify(1, None).await.unwrap().ok);
    let _ = codes;
}

async fn a_case_keeps_its_workflow_version_after_the_definition_changes(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let open = |title: &str| OpenCase {
        workflow: "data-exchange-inventory".into(),
        title: title.into(),
        participants: Some(ParticipantsInput::List(vec!["IRICA".into()])),
        params: json!({}),
        parent_case: None,
        case_id: None,
    };
    let old = engine
        .open_case(&secretariat(), open("before"))
        .await
        .unwrap();
    let mut changed: Value = yaml_serde::from_str(
        &std::fs::read_to_string(root().join("workflows/data-exchange-inventory.yaml")).unwrap(),
    )
    .unwrap();
    changed["steps"][0]["due"] = json!({"after": "P10D"});
    let definition = engine.catalog.parse_workflow("test", changed).unwrap();
    let registered = engine
        .catalog
        .put_workflow(&engine.store, definition)
        .await
        .unwrap();
    assert!(registered.created);
    assert_eq!(registered.version, old.workflow_version + 1);
    let new = engine
        .open_case(&secretariat(), open("after"))
        .await
        .unwrap();
    assert_eq!(new.workflow_version, registered.version);
    assert_eq!(new.tasks[0].due.as_ref().unwrap().due_jalali, "1405-09-15");
    assert_eq!(old.tasks[0].due.as_ref().unwrap().due_jalali, "1405-09-30");
    // The old case still runs on its own version: its review step still exists and works.
    engine
        .submit(&member_of("IRICA"), old.tasks[0].id, inventory())
        .await
        .unwrap();
    let reviewed = engine
        .review(
            &secretariat(),
            old.tasks[0].id,
            ReviewDecision::Accept,
            None,
        )
        .await
        .unwrap();
    assert_eq!(reviewed.workflow_hash, old.workflow_hash);
    assert_eq!(reviewed.status, CaseStatus::Completed);
    // A restarted engine finds both versions in the log.
    let restarted = start(&db, ManualClock::at(now())).await;
    assert_eq!(
        restarted
            .catalog
            .latest_workflow("data-exchange-inventory")
            .unwrap()
            .version,
        registered.version
    );
    assert!(
        restarted
            .catalog
            .workflow_by_hash(&old.workflow_hash)
            .is_some()
    );
}

async fn refused_commands_append_nothing(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let case = engine
        .open_case(
            &secretariat(),
            OpenCase {
                workflow: "data-exchange-inventory".into(),
                title: "t".into(),
                participants: Some(ParticipantsInput::List(vec!["IRICA".into(), "MIMT".into()])),
                params: json!({}),
                parent_case: None,
                case_id: None,
            },
        )
        .await
        .unwrap();
    let head = engine.store.head().await.unwrap();
    let irica = case
        .tasks
        .iter()
        .find(|t| t.agency.as_deref() == Some("IRICA"))
        .unwrap()
        .id;
    let attempts: Vec<Result<_, EngineError>> = vec![
        engine.submit(&member_of("MIMT"), irica, inventory()).await,
        engine
            .submit(&member_of("IRICA"), irica, json!(["not", "an", "object"]))
            .await,
        engine
            .submit(&member_of("IRICA"), irica, json!({"needs": "x"}))
            .await,
        engine
            .review(&member_of("IRICA"), irica, ReviewDecision::Accept, None)
            .await,
        engine
            .review(&secretariat(), irica, ReviewDecision::Accept, None)
            .await,
        engine
            .submit(&member_of("IRICA"), Uuid::now_v7(), inventory())
            .await,
        engine
            .open_case(
                &member_of("IRICA"),
                OpenCase {
                    workflow: "data-exchange-inventory".into(),
                    title: "t".into(),
                    participants: Some(ParticipantsInput::All("all".into())),
                    params: json!({}),
                    parent_case: None,
                    case_id: None,
                },
            )
            .await,
        engine
            .open_case(
                &secretariat(),
                OpenCase {
                    workflow: "nope".into(),
                    title: "t".into(),
                    participants: None,
                    params: json!({}),
                    parent_case: None,
                    case_id: None,
                },
            )
            .await,
        engine
            .open_case(
                &secretariat(),
                OpenCase {
                    workflow: "data-exchange-inventory".into(),
                    title: "t".into(),
                    participants: Some(ParticipantsInput::List(vec!["NOPE".into()])),
                    params: json!({}),
                    parent_case: None,
                    case_id: None,
                },
            )
            .await,
    ];
    for attempt in attempts {
        assert!(attempt.is_err(), "{attempt:?}");
    }
    // Refused by role before the workflow or the participants are looked at.
    let by_a_member = engine
        .open_case(
            &member_of("IRICA"),
            OpenCase {
                workflow: "nope".into(),
                title: String::new(),
                participants: Some(ParticipantsInput::List(vec!["NOPE".into()])),
                params: json!({}),
                parent_case: None,
                case_id: None,
            },
        )
        .await;
    assert!(
        matches!(
            by_a_member,
            Err(EngineError::Domain(DomainError::Forbidden(_)))
        ),
        "{by_a_member:?}"
    );
    let big = json!({"needs": [], "offers": [], "padding": "x".repeat(5 * 1024 * 1024)});
    assert!(matches!(
        engine.submit(&member_of("IRICA"), irica, big).await,
        Err(EngineError::Invalid(_))
    ));
    assert_eq!(engine.store.head().await.unwrap(), head);
}

/// A crash between a resolution's approval and the opening of the case it orders leaves a
/// `ChildCaseOrdered` event and no child; the next start opens the child, once.
async fn a_child_case_a_crash_left_unopened_is_opened_at_start(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let resolution = engine
        .open_case(&secretariat(), OpenCase {
            workflow: "resolution-approval".into(),
            title: "مصوبه".into(),
            participants: None,
            params: json!({"text": "ارسال فهرست داده‌ها", "on_approval": {"workflow": "data-exchange-inventory", "participants": "all"}}),
            parent_case: None,
            case_id: None,
        })
        .await
        .unwrap();
    let mut last = resolution.clone();
    for task in resolution
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Vote)
        .take(16)
    {
        let voter = member_of(task.agency.as_deref().unwrap());
        last = engine
            .vote(&voter, task.id, VoteChoice::Approve, None)
            .await
            .unwrap();
    }
    let child_id = last.children[0];

    // The log as the crash left it: every event but the child's own, in a fresh database,
    // with its read models rebuilt from that log.
    let crashed = match &db.url {
        DatabaseUrl::Sqlite(_) => support::sqlite(),
        DatabaseUrl::Postgres(_) => support::postgres().await.expect("PostgreSQL"),
    };
    let database = crashed.connect().await;
    let copy = database.event_store();
    let child_stream = format!("case-{child_id}");
    let mut after = 0;
    loop {
        let page = engine
            .store
            .read_all(&ReadAll::after(after, 500))
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in page.into_iter().filter(|e| e.stream_id != child_stream) {
            let new = NewEvent {
                event_id: event.event_id,
                event_type: event.event_type,
                event_version: event.event_version,
                data: event.data,
            };
            let request = AppendRequest::new(event.stream_id, ExpectedVersion::Any, vec![new])
                .with_metadata(event.metadata);
            copy.append(request).await.unwrap();
        }
    }
    rebuild(&copy, &Documents::new(database), &[])
        .await
        .unwrap();
    copy.shutdown().await;
    assert!(
        start(&crashed, ManualClock::at(now()))
            .await
            .case(child_id)
            .await
            .unwrap()
            .is_some(),
        "opened at start"
    );
    let restarted = start(&crashed, ManualClock::at(now())).await;
    let head = restarted.store.head().await.unwrap();
    let child = restarted.case(child_id).await.unwrap().unwrap();
    assert_eq!(child.parent_case, Some(resolution.id));
    assert_eq!(child.tasks.len(), 31);
    let again = start(&crashed, ManualClock::at(now())).await;
    assert_eq!(again.store.head().await.unwrap(), head, "opened once");
}

on_both_backends!(
    a_child_case_a_crash_left_unopened_is_opened_at_start,
    the_seed_story_runs_end_to_end,
    a_case_keeps_its_workflow_version_after_the_definition_changes,
    refused_commands_append_nothing,
);
