//! Attachments in the audit: `verify` fails when a file an event names is missing or its
//! bytes were altered, naming the event's position; export carries the named files and
//! import checks and stores them.

use daftar::domain::AttachmentRef;
use daftar::engine::{Engine, ManualClock, OpenCase};
use daftar::files::{FileKind, StoredFile};
use serde_json::{Value, json};

use crate::support::TestDb;
use crate::support::seed::{inventory, member_of, now, secretariat, seed, start};
use crate::{another, daftar, fails, succeeds};

const LETTER: &[u8] = b"%PDF-1.4\n% a signed letter\n%%EOF\n";

/// An inventory case whose IRICA submission carries a PDF: the file's hash and the position
/// of the event naming it.
async fn submitted_with_a_letter(db: &TestDb) -> (Engine, String, i64) {
    let engine = start(db, ManualClock::at(now())).await;
    seed(&engine).await;
    let case = engine
        .open_case(
            &secretariat(),
            OpenCase {
                workflow: "data-exchange-inventory".into(),
                title: "احصا".into(),
                participants: Some(serde_json::from_value(json!(["IRICA"])).unwrap()),
                params: json!({}),
                parent_case: None,
                case_id: None,
            },
        )
        .await
        .unwrap();
    let file = StoredFile::upload(FileKind::Pdf, "نامه.pdf", "m-irica", 0, LETTER.to_vec());
    assert!(engine.files().store(&file).await.unwrap());
    let letter = AttachmentRef {
        sha256: file.meta.sha256.clone(),
        filename: "نامه.pdf".into(),
        letter_no: Some("۱۲/ص".into()),
        letter_date_jalali: Some("1405-09-30".into()),
    };
    let task = case.tasks[0].id;
    engine
        .submit_with(&member_of("IRICA"), task, inventory(), vec![letter])
        .await
        .unwrap();
    let (head, _) = engine.store.head().await.unwrap();
    (engine, file.meta.sha256, head)
}

fn verify_report(db: &TestDb) -> Value {
    let output = daftar(db, &["audit", "verify"]);
    serde_json::from_str(&String::from_utf8_lossy(&output.stdout)).unwrap()
}

async fn run_sql(db: &TestDb, sql: &'static str) {
    match db.connect().await {
        daftar::db::Database::Sqlite(pool) => sqlx::query(sql).execute(&pool).await.map(|_| ()),
        daftar::db::Database::Postgres(pool) => sqlx::query(sql).execute(&pool).await.map(|_| ()),
    }
    .unwrap();
}

async fn a_missing_or_altered_file_fails_verify_at_its_event(db: TestDb) {
    let (engine, sha, position) = submitted_with_a_letter(&db).await;
    engine.store.shutdown().await;
    succeeds(&daftar(&db, &["audit", "verify"]));
    let report = verify_report(&db);
    assert_eq!(report["files"], json!({"ok": true, "checked": 1}));

    run_sql(&db, "update files set bytes = substr(bytes, 1, 8)").await;
    let error = fails(&daftar(&db, &["audit", "verify"]));
    assert!(error.contains(&format!("position {position}")), "{error}");
    assert!(error.contains("altered"), "{error}");
    let report = verify_report(&db);
    assert_eq!(report["ok"], false);
    assert_eq!(report["files"]["first_bad_position"], position);
    assert_eq!(report["files"]["sha256"], json!(sha));
    assert_eq!(
        report["first_bad_position"],
        Value::Null,
        "the chain itself is whole"
    );

    run_sql(&db, "delete from file_uploads").await;
    run_sql(&db, "delete from files").await;
    let error = fails(&daftar(&db, &["audit", "verify"]));
    assert!(error.contains("is not stored"), "{error}");
}

async fn export_and_import_carry_the_files(db: TestDb) {
    let (engine, sha, _) = submitted_with_a_letter(&db).await;
    engine.store.shutdown().await;
    let exported = succeeds(&daftar(&db, &["audit", "export"]));
    let file_lines: Vec<&str> = exported
        .lines()
        .filter(|l| l.starts_with("{\"file\":"))
        .collect();
    assert_eq!(file_lines.len(), 1);
    assert!(file_lines[0].contains(&sha));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.ndjson");
    std::fs::write(&path, &exported).unwrap();

    let target = another(&db).await;
    let summary = succeeds(&daftar(
        &target,
        &["audit", "import", path.to_str().unwrap()],
    ));
    let summary: Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(summary["files"], 1);
    let report = verify_report(&target);
    assert_eq!(
        (report["ok"].clone(), report["files"]["checked"].clone()),
        (json!(true), json!(1))
    );
    let files = daftar::files::Files::new(target.connect().await);
    assert_eq!(files.get(&sha).await.unwrap().unwrap().bytes, LETTER);
    assert_eq!(succeeds(&daftar(&target, &["audit", "export"])), exported);

    // A file line whose bytes no longer hash to its name is refused, by its line.
    let altered = exported.replace(&hex::encode(LETTER), &hex::encode(b"%PDF-1.4\n% forged\n"));
    std::fs::write(&path, &altered).unwrap();
    let fresh = another(&db).await;
    let error = fails(&daftar(
        &fresh,
        &["audit", "import", path.to_str().unwrap()],
    ));
    let line = exported
        .lines()
        .position(|l| l.starts_with("{\"file\":"))
        .unwrap()
        + 1;
    assert!(error.contains(&format!("line {line}")), "{error}");
    assert!(error.contains("do not hash"), "{error}");
}

crate::on_both_backends!(
    a_missing_or_altered_file_fails_verify_at_its_event,
    export_and_import_carry_the_files,
);
