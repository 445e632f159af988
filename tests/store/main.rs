//! The event store's contract, run against SQLite and PostgreSQL alike.

#[path = "../support/mod.rs"]
mod support;

mod case_list;
mod concurrency;
mod properties;

use case_list::{
    a_document_that_moves_is_listed_where_it_now_is,
    a_members_page_reads_its_agencys_rows_not_every_case, an_older_row_never_replaces_a_newer_one,
    the_case_list_filters_and_pages_in_sql,
};

use daftar::db::{Database, DatabaseUrl};
use daftar::event_store::{
    AppendRequest, EventStore, ExpectedVersion, Metadata, NewEvent, ReadAll, StoreError,
};
use daftar::side_writes::{OpenEventStore, SideWrite};
use serde_json::json;
use support::TestDb;

pub fn event(kind: &str, n: i64) -> NewEvent {
    NewEvent::new(kind, json!({"n": n}))
}

pub async fn open(db: &TestDb) -> (Database, EventStore) {
    let database = db.connect().await;
    let store = database.event_store();
    (database, store)
}

async fn append(
    store: &EventStore,
    stream: &str,
    expected: ExpectedVersion,
    events: Vec<NewEvent>,
) -> Result<Vec<i64>, StoreError> {
    store
        .append(AppendRequest::new(stream, expected, events))
        .await
        .map(|o| o.positions)
}

async fn appends_and_reads_back_a_stream(db: TestDb) {
    let (_db, store) = open(&db).await;
    let metadata = Metadata {
        actor: Some("member-1".into()),
        agency: Some("IRICA".into()),
        ..Metadata::default()
    };
    let request = AppendRequest::new(
        "case-1",
        ExpectedVersion::NoStream,
        vec![
            NewEvent::new(
                "CaseOpened",
                json!({"title": "احصای اطلاعات — data ‏inventory‏"}),
            ),
            event("TaskAssigned", 2),
        ],
    )
    .with_metadata(metadata.clone());
    let outcome = store.append(request).await.unwrap();
    assert_eq!(outcome.positions, vec![1, 2]);
    assert_eq!(outcome.stream_version, 2);
    let events = store.read_stream("case-1", 1).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data["title"], "احصای اطلاعات — data ‏inventory‏");
    assert_eq!(events[0].metadata, metadata);
    assert_eq!(events[1].version, 2);
    assert_eq!(events[1].prev_hash, events[0].hash);
    assert_eq!(store.read_stream("case-1", 2).await.unwrap().len(), 1);
    assert!(store.read_stream("case-2", 1).await.unwrap().is_empty());
}

async fn a_version_mismatch_is_a_typed_conflict_and_writes_nothing(db: TestDb) {
    let (_db, store) = open(&db).await;
    append(&store, "s", ExpectedVersion::NoStream, vec![event("A", 1)])
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    for expected in [
        ExpectedVersion::NoStream,
        ExpectedVersion::Exact(0),
        ExpectedVersion::Exact(2),
    ] {
        let error = append(&store, "s", expected, vec![event("A", 2)])
            .await
            .unwrap_err();
        assert!(error.is_conflict(), "{expected:?}: {error}");
    }
    assert_eq!(store.head().await.unwrap(), head);
    assert_eq!(
        append(&store, "s", ExpectedVersion::Exact(1), vec![event("A", 2)])
            .await
            .unwrap(),
        vec![2]
    );
    assert_eq!(
        append(&store, "s", ExpectedVersion::Any, vec![event("A", 3)])
            .await
            .unwrap(),
        vec![3]
    );
}

async fn reappending_the_same_event_ids_returns_the_original_positions(db: TestDb) {
    let (_db, store) = open(&db).await;
    let events = vec![event("A", 1), event("A", 2)];
    let first = append(&store, "s", ExpectedVersion::NoStream, events.clone())
        .await
        .unwrap();
    append(&store, "other", ExpectedVersion::Any, vec![event("B", 1)])
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    // The retry carries a stale expectation; it is still recognised as the same append.
    let again = store
        .append(AppendRequest::new(
            "s",
            ExpectedVersion::NoStream,
            events.clone(),
        ))
        .await
        .unwrap();
    assert!(again.duplicate);
    assert_eq!(again.positions, first);
    assert_eq!(store.head().await.unwrap(), head);
    let error = append(
        &store,
        "elsewhere",
        ExpectedVersion::Any,
        vec![events[0].clone()],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, StoreError::EventIdConflict { .. }),
        "{error}"
    );
}

async fn invalid_appends_are_refused_before_writing(db: TestDb) {
    let (_db, store) = open(&db).await;
    for (stream, events) in [
        ("s", vec![]),
        ("", vec![event("A", 1)]),
        ("has space", vec![event("A", 1)]),
        ("line\nbreak", vec![event("A", 1)]),
        ("s", vec![event("Bad Type", 1)]),
    ] {
        let error = append(&store, stream, ExpectedVersion::Any, events)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::InvalidAppend(_)), "{error}");
    }
    let twice = event("A", 1);
    let error = append(
        &store,
        "s",
        ExpectedVersion::Any,
        vec![twice.clone(), twice],
    )
    .await
    .unwrap_err();
    assert!(matches!(error, StoreError::InvalidAppend(_)), "{error}");
    assert_eq!(store.head().await.unwrap().0, 0);
}

async fn read_all_filters_by_position_prefix_and_type(db: TestDb) {
    let (_db, store) = open(&db).await;
    for i in 0..10 {
        let stream = if i % 2 == 0 {
            format!("case-{i}")
        } else {
            format!("task-{i}")
        };
        let kind = if i % 3 == 0 { "Fizz" } else { "Buzz" };
        append(
            &store,
            &stream,
            ExpectedVersion::NoStream,
            vec![event(kind, i)],
        )
        .await
        .unwrap();
    }
    let all = store.read_all(&ReadAll::after(0, 100)).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    let page = store.read_all(&ReadAll::after(3, 4)).await.unwrap();
    assert_eq!(
        page.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![4, 5, 6, 7]
    );
    let mut query = ReadAll::after(0, 100);
    query.stream_prefix = Some("task-".into());
    let tasks = store.read_all(&query).await.unwrap();
    assert_eq!(tasks.len(), 5);
    assert!(tasks.iter().all(|e| e.stream_id.starts_with("task-")));
    query.event_types = vec!["Fizz".into()];
    let fizz_tasks = store.read_all(&query).await.unwrap();
    assert_eq!(
        fizz_tasks
            .iter()
            .map(|e| e.stream_id.as_str())
            .collect::<Vec<_>>(),
        vec!["task-3", "task-9"]
    );
    // A prefix containing LIKE wildcards matches literally.
    query.stream_prefix = Some("%".into());
    query.event_types.clear();
    assert!(store.read_all(&query).await.unwrap().is_empty());
}

async fn verify_recomputes_the_chain(db: TestDb) {
    let (_db, store) = open(&db).await;
    let empty = store.verify(1, None).await.unwrap();
    assert!(empty.ok);
    assert_eq!(empty.checked, 0);
    for i in 0..25 {
        append(
            &store,
            &format!("s-{}", i % 4),
            ExpectedVersion::Any,
            vec![event("A", i), event("B", i)],
        )
        .await
        .unwrap();
    }
    let report = store.verify(1, None).await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.checked, 50);
    assert_eq!(report.head_position, 50);
    assert_eq!(report.head_hash, store.head().await.unwrap().1);
    let middle = store.verify(20, Some(30)).await.unwrap();
    assert!(middle.ok);
    assert_eq!(middle.checked, 11);
}

async fn events_refuse_update_and_delete(db: TestDb) {
    let (database, store) = open(&db).await;
    append(&store, "s", ExpectedVersion::Any, vec![event("A", 1)])
        .await
        .unwrap();
    let statements = [
        "update events set data = '{}' where position = 1",
        "delete from events where position = 1",
    ];
    for sql in statements {
        let result = match &database {
            Database::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
            Database::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        };
        let error = result.expect_err(sql).to_string();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
    assert!(store.verify(1, None).await.unwrap().ok);
}

async fn migrating_twice_is_harmless(db: TestDb) {
    let database = db.connect().await;
    database.migrate().await.unwrap();
    let store = database.event_store();
    append(&store, "s", ExpectedVersion::Any, vec![event("A", 1)])
        .await
        .unwrap();
    let again = db.connect().await;
    again.migrate().await.unwrap();
    assert_eq!(again.event_store().head().await.unwrap().0, 1);
}

/// Side writes ride with their events or not at all: a store opened without the hook, or
/// handed a payload the hook does not know, refuses the append and stores no event.
async fn side_writes_nobody_can_write_refuse_the_append(db: TestDb) {
    let database = db.connect().await;
    let bare = EventStore::open_bare(&database);
    let cancel = SideWrite::CancelTimers {
        case_id: "case-1".into(),
        task_id: None,
    };
    let with_writes = AppendRequest::new("case-1", ExpectedVersion::Any, vec![event("A", 1)])
        .with_side_writes(vec![cancel]);
    let error = bare.append(with_writes).await.unwrap_err();
    assert!(matches!(error, StoreError::InvalidAppend(_)), "{error}");
    let plain = AppendRequest::new("case-1", ExpectedVersion::Any, vec![event("A", 2)]);
    assert_eq!(bare.append(plain).await.unwrap().positions, vec![1]);

    let store = database.event_store();
    let unknown = AppendRequest::new("case-2", ExpectedVersion::Any, vec![event("A", 3)])
        .with_side_writes("not a side write");
    let error = store.append(unknown).await.unwrap_err();
    assert!(matches!(error, StoreError::InvalidAppend(_)), "{error}");
    assert_eq!(store.head().await.unwrap().0, 1);
    assert!(store.read_stream("case-2", 0).await.unwrap().is_empty());
}

on_both_backends!(
    side_writes_nobody_can_write_refuse_the_append,
    appends_and_reads_back_a_stream,
    a_version_mismatch_is_a_typed_conflict_and_writes_nothing,
    reappending_the_same_event_ids_returns_the_original_positions,
    invalid_appends_are_refused_before_writing,
    read_all_filters_by_position_prefix_and_type,
    verify_recomputes_the_chain,
    events_refuse_update_and_delete,
    migrating_twice_is_harmless,
    a_members_page_reads_its_agencys_rows_not_every_case,
    the_case_list_filters_and_pages_in_sql,
    an_older_row_never_replaces_a_newer_one,
    a_document_that_moves_is_listed_where_it_now_is,
);

/// PostgreSQL plans each statement for the log it meets: a generic plan fixed while the log
/// was empty would scan the whole events table on every batch once the log had grown.
#[tokio::test]
async fn postgres_plans_each_statement_for_the_tables_it_meets() {
    let Some(db) = support::postgres().await else {
        return;
    };
    let Database::Postgres(pool) = db.connect().await else {
        unreachable!("support::postgres opens PostgreSQL")
    };
    let mode: String = sqlx::query_scalar("show plan_cache_mode")
        .fetch_one(&pool)
        .await
        .expect("show plan_cache_mode");
    assert_eq!(mode, "force_custom_plan");
}

/// The SQLite writer has a connection of its own: a store shut down and its database
/// closed leave no connection open, so the last one to close has folded the WAL into the
/// file and removed it (a copy of the file alone then holds every event).
#[tokio::test]
async fn a_closed_sqlite_database_leaves_no_write_ahead_log() {
    let db = support::sqlite();
    let DatabaseUrl::Sqlite(path) = db.url.clone() else {
        unreachable!("support::sqlite opens SQLite")
    };
    let (database, store) = open(&db).await;
    append(
        &store,
        "case-1",
        ExpectedVersion::NoStream,
        vec![event("A", 1)],
    )
    .await
    .unwrap();
    let wal = path.with_extension("db-wal");
    assert!(
        wal.exists(),
        "an append in WAL mode writes {}",
        wal.display()
    );
    store.shutdown().await;
    database.close().await;
    assert!(!wal.exists(), "{} is left after closing", wal.display());
}
