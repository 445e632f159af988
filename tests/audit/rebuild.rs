//! `daftar projections rebuild` derives the same read models the engine wrote live.

use daftar::db::Database;
use daftar::documents::Document;
use daftar::domain::ReviewDecision;
use serde_json::Value;

use crate::support::TestDb;
use crate::support::seed::{inventory, member_of, secretariat};
use crate::{daftar, fails, story, succeeds};

/// One `documents` row: kind, id, case_id, agency, status, version, doc.
pub type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    String,
);

/// Every document derived from events, in a stable order.
pub async fn dump(database: &Database) -> Vec<Row> {
    let sql = "select kind, id, case_id, agency, status, version, doc from documents \
               where kind in ('case', 'task', 'agency', 'member', 'token') order by kind, id";
    match database {
        Database::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        Database::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .unwrap()
}

/// The case list's index: agency, case, workflow, status. (A row's version is the case
/// version it was last written at, which depends on the path; it only guards the writes.)
pub async fn dump_case_agencies(database: &Database) -> Vec<(String, String, String, String)> {
    let sql = "select agency, case_id, workflow, status from case_agencies \
               order by agency, case_id";
    match database {
        Database::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await,
        Database::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .unwrap()
}

pub async fn execute(database: &Database, sql: &str) {
    match database {
        Database::Sqlite(pool) => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(pool)
            .await
            .map(|_| ()),
        Database::Postgres(pool) => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

async fn a_rebuilt_read_model_equals_the_live_one(db: TestDb) {
    let story = story::run(&db).await;
    let database = db.connect().await;
    let live = dump(&database).await;
    let count = |kind: &str| live.iter().filter(|r| r.0 == kind).count();
    assert_eq!(count("case"), 2);
    assert_eq!(count("task"), 31 + 3);
    assert_eq!(count("token"), 2);
    let index = dump_case_agencies(&database).await;
    assert!(index.len() > 31, "{index:?}");

    execute(&database, "delete from documents where kind = 'task'").await;
    let out = succeeds(&daftar(&db, &["projections", "rebuild", "task"]));
    assert!(out.contains("\"documents\": 34"), "{out}");
    assert_eq!(dump(&database).await, live);
    assert_eq!(dump_case_agencies(&database).await, index);

    execute(
        &database,
        "update documents set doc = '{}', version = 0 where kind = 'case'",
    )
    .await;
    execute(
        &database,
        "delete from documents where kind in ('member', 'token')",
    )
    .await;
    execute(&database, "update case_agencies set status = 'stale'").await;
    execute(
        &database,
        "delete from case_agencies where agency = 'IRICA'",
    )
    .await;
    succeeds(&daftar(&db, &["projections", "rebuild"]));
    assert_eq!(dump(&database).await, live);
    assert_eq!(dump_case_agencies(&database).await, index);

    let line = fails(&daftar(&db, &["projections", "rebuild", "inboxes"]));
    assert!(line.contains("no read model \"inboxes\""), "{line}");

    // The engine carries on over the rebuilt model: the third agency submits, is accepted.
    let child = story.engine.case(story.inventory).await.unwrap().unwrap();
    let third = &child.tasks[2];
    let actor = member_of(third.agency.as_deref().unwrap());
    story
        .engine
        .submit(&actor, third.id, inventory())
        .await
        .unwrap();
    story
        .engine
        .review(&secretariat(), third.id, ReviewDecision::Accept, None)
        .await
        .unwrap();
    let live = dump(&database).await;
    let index = dump_case_agencies(&database).await;
    succeeds(&daftar(&db, &["projections", "rebuild"]));
    assert_eq!(dump(&database).await, live);
    assert_eq!(dump_case_agencies(&database).await, index);
}

/// What the case documents look like to readers (`GET /v1/cases/{id}`), by id.
async fn cases_as_read(story: &story::Story) -> Vec<Value> {
    let mut cases = Vec::new();
    for id in [story.resolution, story.inventory] {
        let documents = &story.engine.documents;
        let case = daftar::engine::case_document(documents, &id.to_string()).await;
        cases.push(case.unwrap().expect("the case has a document"));
    }
    cases
}

/// Stores each case document as the engine wrote it before case documents named their tasks
/// by id: with a summary of every task, which is what readers are served.
async fn store_old_shape(story: &story::Story) {
    for case in cases_as_read(story).await {
        let id = case["id"].as_str().unwrap();
        let version = case["version"].as_i64().unwrap();
        let mut doc = Document::new("case", id, version, &case);
        doc.case_id = Some(id.to_string());
        doc.status = case["status"].as_str().map(str::to_string);
        story.engine.documents.put(&doc).await.unwrap();
    }
}

/// A case document stored with its task summaries (by an earlier release) reads as it did;
/// the next command on the case, and a rebuild, store it with its tasks by id.
async fn a_case_stored_with_its_task_summaries_reads_the_same(db: TestDb) {
    let story = story::run(&db).await;
    let database = db.connect().await;
    let expected = cases_as_read(&story).await;
    assert_eq!(expected[1]["tasks"].as_array().map(Vec::len), Some(3));
    assert_eq!(expected[1]["tasks"][0]["agency"], "IRICA");
    assert_eq!(expected[0]["tasks"].as_array().map(Vec::len), Some(31));
    let stored = |rows: &[Row]| -> Vec<Value> {
        let cases = rows.iter().filter(|r| r.0 == "case");
        cases.map(|r| serde_json::from_str(&r.6).unwrap()).collect()
    };
    assert!(
        stored(&dump(&database).await)
            .iter()
            .all(|c| c.get("tasks").is_none())
    );

    store_old_shape(&story).await;
    let old = stored(&dump(&database).await);
    assert!(
        old.iter()
            .all(|c| c["tasks"].is_array() && c.get("task_ids").is_none())
    );
    assert_eq!(cases_as_read(&story).await, expected);

    succeeds(&daftar(&db, &["projections", "rebuild", "case"]));
    let rebuilt = stored(&dump(&database).await);
    assert!(
        rebuilt
            .iter()
            .all(|c| c.get("tasks").is_none() && c["task_ids"].is_array())
    );
    assert_eq!(cases_as_read(&story).await, expected);
}

/// A database written before the case list had its index: migration 0008 fills the index
/// from the case documents (which then held every task's summary), the same rows the engine
/// writes.
async fn the_migration_indexes_the_cases_already_stored(db: TestDb) {
    let story = story::run(&db).await;
    let database = db.connect().await;
    let index = dump_case_agencies(&database).await;
    assert!(index.len() > 31, "{index:?}");
    store_old_shape(&story).await;
    execute(&database, "drop table case_agencies").await;
    execute(&database, "delete from _sqlx_migrations where version = 8").await;
    let migrated = db.connect().await;
    assert_eq!(dump_case_agencies(&migrated).await, index);
}

crate::on_both_backends!(
    a_rebuilt_read_model_equals_the_live_one,
    a_case_stored_with_its_task_summaries_reads_the_same,
    the_migration_indexes_the_cases_already_stored,
);
