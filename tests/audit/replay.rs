//! A case replayed to any moment is the case as the engine returned it at that moment; bad
//! moments are refused with the reason.

use chrono::{Duration, Utc};
use daftar::audit::AuditError;
use daftar::audit::replay::{At, case_at};
use daftar::engine::projection::case_view;
use serde_json::Value;

use crate::support::TestDb;
use crate::{daftar, fails, story, succeeds};

async fn every_moment_replays_to_the_live_state(db: TestDb) {
    let story = story::run(&db).await;
    let store = &story.engine.store;
    let now = Utc::now();
    assert!(story.moments.len() > 20);
    for moment in &story.moments {
        let id = moment.state.id;
        let by_position = case_at(store, id, Some(At::Position(moment.head)), now)
            .await
            .unwrap();
        assert_eq!(
            by_position.state, moment.state,
            "at position {}",
            moment.head
        );
        let by_time = case_at(store, id, Some(At::Time(moment.recorded_at)), now)
            .await
            .unwrap();
        assert_eq!(by_time.state, moment.state, "at {}", moment.recorded_at);
    }
    // The live read model (as readers are served it) is the replayed case, field for field.
    for id in [story.resolution, story.inventory] {
        let documents = &story.engine.documents;
        let live = daftar::engine::case_document(documents, &id.to_string()).await;
        let live: Value = live.unwrap().unwrap();
        let replayed = case_at(store, id, None, now).await.unwrap();
        assert_eq!(live, case_view(&replayed.state));
    }
}

async fn moments_outside_the_case_are_refused(db: TestDb) {
    let story = story::run(&db).await;
    let store = &story.engine.store;
    let (head, _) = store.head().await.unwrap();
    let now = Utc::now();
    let id = story.inventory;
    let opened = story.moments.iter().find(|m| m.state.id == id).unwrap();
    let refused = async |at: At| case_at(store, id, Some(at), now).await.unwrap_err();
    let future = refused(At::Time(now + Duration::days(1))).await;
    assert!(
        matches!(&future, AuditError::OutOfRange(d) if d.contains("in the future")),
        "{future}"
    );
    let beyond = refused(At::Position(head + 1)).await;
    assert!(
        matches!(&beyond, AuditError::OutOfRange(d) if d.contains("outside the log")),
        "{beyond}"
    );
    assert!(matches!(
        refused(At::Position(-1)).await,
        AuditError::OutOfRange(_)
    ));
    let before = refused(At::Time(opened.recorded_at - Duration::hours(1))).await;
    assert!(
        matches!(&before, AuditError::NotFound(d) if d.contains("did not exist yet")),
        "{before}"
    );
    let at_one = refused(At::Position(1)).await;
    assert!(matches!(at_one, AuditError::NotFound(_)));
    for bad in ["yesterday", "2026-11-26", "2026-11-26T08:00:00", "1.5", ""] {
        assert!(
            matches!(At::parse(bad), Err(AuditError::BadInput(_))),
            "{bad}"
        );
    }
    let unknown = case_at(store, uuid::Uuid::now_v7(), None, now)
        .await
        .unwrap_err();
    assert!(matches!(unknown, AuditError::NotFound(_)));
}

async fn the_cli_replays_a_case_to_a_position_or_a_time(db: TestDb) {
    let story = story::run(&db).await;
    let id = story.inventory.to_string();
    let moment = story
        .moments
        .iter()
        .rev()
        .find(|m| m.state.id == story.inventory)
        .unwrap();
    let middle = &story.moments[story.moments.len() - 4];
    for at in [middle.head.to_string(), middle.recorded_at.to_rfc3339()] {
        let out = succeeds(&daftar(&db, &["audit", "replay", &id, "--at", &at]));
        let printed: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            printed["state"],
            serde_json::to_value(&middle.state).unwrap(),
            "--at {at}"
        );
        assert_eq!(printed["case"], case_view(&middle.state));
    }
    let newest: Value =
        serde_json::from_str(&succeeds(&daftar(&db, &["audit", "replay", &id]))).unwrap();
    assert_eq!(
        newest["state"],
        serde_json::to_value(&moment.state).unwrap()
    );
    let line = fails(&daftar(
        &db,
        &["audit", "replay", &id, "--at", "last tuesday"],
    ));
    assert!(line.contains("neither a log position"), "{line}");
    let line = fails(&daftar(&db, &["audit", "replay", &id, "--at", "-1"]));
    assert!(line.contains("outside the log"), "{line}");
    let line = fails(&daftar(&db, &["audit", "replay", &id, "--at", "1"]));
    assert!(line.contains("did not exist yet"), "{line}");
}

/// The one-parse decoder reads every stored event exactly as the general one does.
async fn the_fast_decoder_agrees_with_the_general_one(db: TestDb) {
    let story = story::run(&db).await;
    for id in [story.resolution, story.inventory] {
        let stream = daftar::engine::case_stream(id);
        let raws = story
            .engine
            .store
            .read_stream_raw(&stream, 1)
            .await
            .unwrap();
        assert!(raws.len() >= 10);
        for raw in raws {
            let fast = daftar::engine::decode_raw(&raw).unwrap();
            assert_eq!(
                fast,
                daftar::engine::decode(&raw.decode().unwrap()).unwrap()
            );
        }
    }
}

crate::on_both_backends!(
    every_moment_replays_to_the_live_state,
    moments_outside_the_case_are_refused,
    the_cli_replays_a_case_to_a_position_or_a_time,
    the_fast_decoder_agrees_with_the_general_one,
);
