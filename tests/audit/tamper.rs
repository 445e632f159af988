//! Tamper evidence: whatever single stored field of one event is altered, `verify` names
//! that event's position; a deleted tail is caught against the checkpoint the auditor kept.

use daftar::db::Database;
use daftar::engine::AgencyInput;
use daftar::event_store::{AppendRequest, ExpectedVersion, NewEvent, ReadAll};
use daftar::side_writes::OpenEventStore;
use serde_json::Value;

use crate::support::TestDb;
use crate::support::seed::admin;
use crate::{daftar, fails, story, succeeds};

/// Runs `sql` with the append-only triggers out of the way, as an attacker with database
/// access would.
async fn behind_the_triggers(database: &Database, sql: &str) {
    match database {
        Database::Sqlite(pool) => {
            let mut tx = pool.begin().await.unwrap();
            for statement in [
                "drop trigger events_refuse_update",
                "drop trigger events_refuse_delete",
                sql,
                "create trigger events_refuse_update before update on events begin \
                 select raise(abort, 'events are append-only: update refused'); end",
                "create trigger events_refuse_delete before delete on events begin \
                 select raise(abort, 'events are append-only: delete refused'); end",
            ] {
                sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
        Database::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            for statement in [
                "alter table events disable trigger user",
                sql,
                "alter table events enable trigger user",
            ] {
                sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn any_altered_field_is_reported_at_its_position(db: TestDb) {
    let story = story::run(&db).await;
    let database = db.connect().await;
    let store = &story.engine.store;
    assert!(store.verify(1, None).await.unwrap().ok);
    let mut query = ReadAll::after(0, 1);
    query.event_types = vec!["SubmissionReturned".into()];
    let returned = store.read_all_raw(&query).await.unwrap().remove(0);
    let p = returned.position;
    let altered_comment = returned.data.replace("منبع", "مقصد");
    assert_ne!(altered_comment, returned.data);
    let edits = [
        ("data", quote(&altered_comment), quote(&returned.data)),
        (
            "metadata",
            quote(&returned.metadata.replace("sec-1", "m-irica")),
            quote(&returned.metadata),
        ),
        (
            "event_type",
            quote("SubmissionAccepted"),
            quote(&returned.event_type),
        ),
        (
            "recorded_at_us",
            (returned.recorded_at_us + 1).to_string(),
            returned.recorded_at_us.to_string(),
        ),
        ("hash", quote(&"0".repeat(64)), quote(&returned.hash)),
        (
            "prev_hash",
            quote(&"1".repeat(64)),
            quote(&returned.prev_hash),
        ),
    ];
    let mut edits = edits.to_vec();
    if let Database::Sqlite(_) = database {
        // A NUL inside the text (PostgreSQL text cannot hold one).
        edits.push((
            "data",
            "cast(x'7b7d00' as text)".into(),
            quote(&returned.data),
        ));
    }
    for (column, altered, original) in edits {
        let set =
            |value: &str| format!("update events set {column} = {value} where position = {p}");
        behind_the_triggers(&database, &set(&altered)).await;
        let report = store.verify(1, None).await.unwrap();
        assert!(!report.ok, "{column}");
        assert_eq!(report.first_bad_position, Some(p), "{column}: {report:?}");
        assert_eq!(report.head_position, p - 1);
        let line = fails(&daftar(&db, &["audit", "verify"]));
        assert!(
            line.contains(&format!("broken at position {p}")),
            "{column}: {line}"
        );
        behind_the_triggers(&database, &set(&original)).await;
        assert!(store.verify(1, None).await.unwrap().ok, "restored {column}");
    }
    // A row removed from the middle is named too.
    behind_the_triggers(
        &database,
        &format!("delete from events where position = {p}"),
    )
    .await;
    let out = daftar(&db, &["audit", "verify"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["first_bad_position"], p);
    assert!(fails(&out).contains(&format!("position {p}")));
}

async fn a_deleted_tail_is_caught_against_the_checkpoint(db: TestDb) {
    let story = story::run(&db).await;
    let database = db.connect().await;
    let out = succeeds(&daftar(&db, &["audit", "verify"]));
    let report: Value = serde_json::from_str(&out).unwrap();
    let (head, hash) = (
        report["head_position"].as_i64().unwrap(),
        report["head_hash"].as_str().unwrap(),
    );
    let checkpoint = format!("{head}:{hash}");
    succeeds(&daftar(
        &db,
        &["audit", "verify", "--expect-head", &checkpoint],
    ));

    // The newest three events go; the head row still says `head`, so verify alone sees it.
    behind_the_triggers(
        &database,
        &format!("delete from events where position > {}", head - 3),
    )
    .await;
    let line = fails(&daftar(&db, &["audit", "verify"]));
    assert!(
        line.contains(&format!("position {}", head - 2)) && line.contains("missing"),
        "{line}"
    );

    // A careful attacker also moves the head back: the chain that is left verifies...
    let kept = story.engine.store.hash_at(head - 3).await.unwrap().unwrap();
    let reset = format!(
        "update log_head set position = {}, hash = '{kept}' where id = 1",
        head - 3
    );
    sqlx_execute(&database, &reset).await;
    succeeds(&daftar(&db, &["audit", "verify"]));
    // ...but not against the checkpoint.
    let out = daftar(&db, &["audit", "verify", "--expect-head", &checkpoint]);
    let line = fails(&out);
    assert!(
        line.contains(&format!("the log ends at position {}", head - 3)),
        "{line}"
    );
    assert!(
        line.contains(&format!("events {}..={head} are missing", head - 2)),
        "{line}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["checkpoint"]["ok"], false);

    // New events written over the gap do not hide it either: the hash at `head` differs.
    for code in ["AAA1", "AAA2", "AAA3", "AAA4", "AAA5"] {
        let agency = AgencyInput {
            code: code.into(),
            name_fa: "دستگاه".into(),
            name_en: None,
            cluster: None,
            in_cluster: true,
        };
        story
            .engine
            .register_agency(&admin(), agency)
            .await
            .unwrap();
    }
    let line = fails(&daftar(
        &db,
        &["audit", "verify", "--expect-head", &checkpoint],
    ));
    assert!(
        line.contains(&format!("position {head} has hash")) && line.contains("rewritten"),
        "{line}"
    );
    let line = fails(&daftar(
        &db,
        &["audit", "verify", "--expect-head", "12:nothex"],
    ));
    assert!(line.contains("not a checkpoint"), "{line}");
}

/// A log longer than one page: verify and export read pages two at a time, and must still
/// check and write every row in order and name the first bad one.
async fn a_long_log_is_read_in_order_across_pages(db: TestDb) {
    let database = db.connect().await;
    let store = database.event_store();
    for batch in 0..70 {
        let events = (0..100)
            .map(|n| NewEvent::new("Counted", serde_json::json!({"n": batch * 100 + n})))
            .collect();
        let stream = format!("long-{}", batch % 7);
        let request = AppendRequest::new(stream, ExpectedVersion::Any, events);
        store.append(request).await.unwrap();
    }
    let report = store.verify(1, None).await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.checked, 7_000);
    assert_eq!(report.head_hash, store.head().await.unwrap().1);

    let mut pages = store.pages(2_400, 6_100);
    let mut positions = Vec::new();
    while let Some(page) = pages.next().await {
        positions.extend(page.unwrap().iter().map(|row| row.position));
    }
    assert_eq!(positions, (2_400..=6_100).collect::<Vec<_>>());
    let mut exported = Vec::new();
    let files = daftar::files::Files::new(database.clone());
    let summary = daftar::audit::transfer::export(&store, &files, 0, &mut exported)
        .await
        .unwrap();
    assert_eq!(summary.events, 7_000);
    let lines: Vec<Value> = exported
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).unwrap())
        .collect();
    let exported: Vec<i64> = lines
        .iter()
        .map(|l| l["position"].as_i64().unwrap())
        .collect();
    assert_eq!(exported, (1..=7_000).collect::<Vec<_>>());

    // A row altered late in the log and one deleted from the second page: the earlier is named.
    behind_the_triggers(
        &database,
        "update events set data = '{\"n\":-1}' where position = 6500",
    )
    .await;
    let report = store.verify(1, None).await.unwrap();
    assert_eq!(report.first_bad_position, Some(6_500), "{report:?}");
    behind_the_triggers(&database, "delete from events where position = 3000").await;
    let report = store.verify(1, None).await.unwrap();
    assert_eq!(report.first_bad_position, Some(3_000), "{report:?}");
    assert_eq!(report.checked, 2_999);
    assert!(report.detail.unwrap().contains("found 3001"));
}

async fn sqlx_execute(database: &Database, sql: &str) {
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

crate::on_both_backends!(
    any_altered_field_is_reported_at_its_position,
    a_deleted_tail_is_caught_against_the_checkpoint,
    a_long_log_is_read_in_order_across_pages,
);
