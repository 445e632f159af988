//! Tokens and the log: a token's hash is kept out of the events (an export holds none), yet
//! tokens issued before, whose events carry their hash, keep working through the migration,
//! a rebuild and an import. Expiry and disabled members, through the engine.

use std::sync::Arc;

use chrono::Duration;
use daftar::db::Database;
use daftar::documents::{Document, Documents};
use daftar::engine::{Engine, EngineConfig, ManualClock, token_hash};
use daftar::event_store::{AppendRequest, EventStore, ExpectedVersion, NewEvent};
use daftar::side_writes::OpenEventStore;
use daftar::side_writes::SideWrite;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::rebuild::dump;
use crate::support::TestDb;
use crate::support::seed::{admin, now, root, seed, start};
use crate::{another, daftar, succeeds};

const OLD_TOKEN: &str = "dft_issued-before-the-credentials-table-0001";
const OLD_REVOKED: &str = "dft_issued-before-the-credentials-table-0002";

/// Writes what an earlier daftar wrote for a token: `TokenIssued` at version 1 carrying the
/// hash, and the `token` document keyed by the hash; `TokenRevoked` when `revoked`.
async fn old_token(store: &EventStore, token: &str, member: &str, revoked: bool) -> Uuid {
    let token_id = Uuid::now_v7();
    let hash = token_hash(token);
    let doc = |revoked: bool| {
        let body = json!({"token_id": token_id, "member_id": member, "revoked": revoked});
        SideWrite::Document(Document::new(
            "token",
            hash.clone(),
            1 + revoked as i64,
            &body,
        ))
    };
    let issued = NewEvent::new(
        "TokenIssued",
        json!({"token_id": token_id, "member_id": member, "token_sha256": hash}),
    );
    let stream = format!("token-{token_id}");
    store
        .append(
            AppendRequest::new(&stream, ExpectedVersion::NoStream, vec![issued])
                .with_side_writes(vec![doc(false)]),
        )
        .await
        .unwrap();
    if revoked {
        let event = NewEvent::new("TokenRevoked", json!({"token_id": token_id}));
        store
            .append(
                AppendRequest::new(&stream, ExpectedVersion::Exact(1), vec![event])
                    .with_side_writes(vec![doc(true)]),
            )
            .await
            .unwrap();
    }
    token_id
}

async fn engine_on(database: &Database, clock: ManualClock) -> Engine {
    let config = EngineConfig {
        schemas_dir: root().join("schemas"),
        workflows_dir: root().join("workflows"),
        calendar_dir: None,
    };
    Engine::start(
        database.event_store(),
        Documents::new(database.clone()),
        &config,
        Arc::new(clock),
    )
    .await
    .unwrap()
}

/// The migrations before the credentials table (0007), as a database of an earlier release.
async fn migrate_before_credentials(database: &Database) {
    let dir = match database {
        Database::Sqlite(_) => "migrations/sqlite",
        Database::Postgres(_) => "migrations/postgres",
    };
    let mut migrator = sqlx::migrate::Migrator::new(root().join(dir))
        .await
        .unwrap();
    migrator.migrations = migrator
        .migrations
        .iter()
        .filter(|m| m.version < 7)
        .cloned()
        .collect();
    match database {
        Database::Sqlite(pool) => migrator.run(pool).await.unwrap(),
        Database::Postgres(pool) => migrator.run(pool).await.unwrap(),
    }
}

/// The member a token authenticates, asked of an engine with nothing cached.
async fn who(database: &Database, token: &str) -> Option<String> {
    let engine = engine_on(database, ManualClock::at(now())).await;
    engine.authenticate(token).await.unwrap().map(|m| m.id)
}

fn token_docs(rows: &[crate::rebuild::Row]) -> Vec<(String, Value)> {
    rows.iter()
        .filter(|r| r.0 == "token")
        .map(|r| (r.1.clone(), serde_json::from_str(&r.6).unwrap()))
        .collect()
}

async fn tokens_issued_before_the_credentials_table_survive_its_migration(db: TestDb) {
    let database = Database::connect(&db.url).await.unwrap();
    migrate_before_credentials(&database).await;
    let engine = engine_on(&database, ManualClock::at(now())).await;
    seed(&engine).await;
    let kept = old_token(&engine.store, OLD_TOKEN, "m-irica", false).await;
    old_token(&engine.store, OLD_REVOKED, "m-cppo", true).await;

    database.migrate().await.unwrap();
    assert_eq!(who(&database, OLD_TOKEN).await.as_deref(), Some("m-irica"));
    assert_eq!(who(&database, OLD_REVOKED).await, None);
    let listed = engine_on(&database, ManualClock::at(now()))
        .await
        .member_tokens(&admin(), "m-irica")
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].token_id, kept);

    // The migrated read model is the one a rebuild derives from the log.
    let migrated = token_docs(&dump(&database).await);
    assert_eq!(migrated.len(), 2);
    succeeds(&daftar(&db, &["projections", "rebuild", "token"]));
    assert_eq!(token_docs(&dump(&database).await), migrated);
    assert_eq!(who(&database, OLD_TOKEN).await.as_deref(), Some("m-irica"));
}

async fn the_log_holds_no_new_hash_and_old_logs_still_import(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let database = db.connect().await;
    old_token(&engine.store, OLD_TOKEN, "m-irica", false).await;
    let (_, new) = engine.issue_token(&admin(), "m-cppo", None).await.unwrap();

    let export = succeeds(&daftar(&db, &["audit", "export"]));
    assert!(
        !export.contains(&token_hash(&new)),
        "a new token's hash is in the log"
    );
    assert!(
        export.contains(&token_hash(OLD_TOKEN)),
        "old events are never rewritten"
    );

    // A rebuild reads the old event's hash, and never drops the new token's.
    succeeds(&daftar(&db, &["projections", "rebuild"]));
    assert_eq!(who(&database, OLD_TOKEN).await.as_deref(), Some("m-irica"));
    assert_eq!(who(&database, &new).await.as_deref(), Some("m-cppo"));

    // Imported elsewhere, the old token works; the new one does not travel with the log.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("log.ndjson");
    std::fs::write(&file, &export).unwrap();
    let target = another(&db).await;
    succeeds(&daftar(
        &target,
        &["audit", "import", file.to_str().unwrap()],
    ));
    let imported = target.connect().await;
    assert_eq!(who(&imported, OLD_TOKEN).await.as_deref(), Some("m-irica"));
    assert_eq!(who(&imported, &new).await, None);
}

async fn an_expired_token_is_refused_even_when_remembered(db: TestDb) {
    let clock = ManualClock::at(now());
    let engine = start(&db, clock.clone()).await;
    seed(&engine).await;
    let until = now() + Duration::hours(1);
    let (_, token) = engine
        .issue_token(&admin(), "m-irica", Some(until))
        .await
        .unwrap();
    let past = engine.issue_token(&admin(), "m-irica", Some(now())).await;
    assert!(past.is_err(), "an expiry in the past is refused");
    assert!(engine.authenticate(&token).await.unwrap().is_some());
    clock.advance(Duration::hours(1));
    assert_eq!(engine.authenticate(&token).await.unwrap(), None);
    let listed = engine.member_tokens(&admin(), "m-irica").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].expires_at, Some(until));
    assert!(listed[0].last_used_at.is_some());
}

async fn a_disabled_member_is_refused_until_enabled(db: TestDb) {
    let engine = start(&db, ManualClock::at(now())).await;
    seed(&engine).await;
    let (_, token) = engine.issue_token(&admin(), "m-irica", None).await.unwrap();
    assert!(engine.authenticate(&token).await.unwrap().is_some());
    let disabled = engine.disable_member(&admin(), "m-irica").await.unwrap();
    assert!(disabled.disabled);
    assert_eq!(engine.authenticate(&token).await.unwrap(), None);
    assert!(!engine.member_is_active("m-irica").await.unwrap());
    let again = engine.issue_token(&admin(), "m-irica", None).await;
    assert!(again.is_err(), "no token for a disabled member");
    engine.enable_member(&admin(), "m-irica").await.unwrap();
    assert!(engine.authenticate(&token).await.unwrap().is_some());

    // Each change is an event with its actor, and a rebuild derives the same member.
    let events = engine.store.read_stream("member-m-irica", 1).await.unwrap();
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        ["MemberRegistered", "MemberDisabled", "MemberEnabled"]
    );
    assert_eq!(events[1].metadata.actor.as_deref(), Some("admin"));
    let database = db.connect().await;
    let live = dump(&database).await;
    succeeds(&daftar(&db, &["projections", "rebuild"]));
    assert_eq!(dump(&database).await, live);
}

crate::on_both_backends!(
    tokens_issued_before_the_credentials_table_survive_its_migration,
    the_log_holds_no_new_hash_and_old_logs_still_import,
    an_expired_token_is_refused_even_when_remembered,
    a_disabled_member_is_refused_until_enabled,
);
