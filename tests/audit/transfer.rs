//! Export → import between backends keeps every byte and hash; a broken file is refused
//! whole, with its line and position; only an empty store takes an import.

use serde_json::Value;

use crate::rebuild::dump;
use crate::support::{self, TestDb};
use crate::{another, daftar, fails, story, succeeds};
use ::daftar::side_writes::OpenEventStore;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn checkpoint_of(db: &TestDb) -> String {
    let out = succeeds(&daftar(db, &["audit", "verify"]));
    let report: Value = serde_json::from_str(&out).unwrap();
    format!(
        "{}:{}",
        report["head_position"],
        report["head_hash"].as_str().unwrap()
    )
}

/// Imports `file` into `target` and returns the export of `target`.
fn import_and_export(target: &TestDb, file: &str, checkpoint: &str) -> String {
    let out = succeeds(&daftar(
        target,
        &["audit", "import", file, "--expect-head", checkpoint],
    ));
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["checkpoint"], checkpoint);
    succeeds(&daftar(
        target,
        &["audit", "verify", "--expect-head", checkpoint],
    ));
    succeeds(&daftar(target, &["audit", "export"]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_to_postgres_and_back_keeps_every_byte() {
    let Some(postgres) = support::postgres().await else {
        return;
    };
    let sqlite = support::sqlite();
    let story = story::run(&sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = checkpoint_of(&sqlite);
    let original = succeeds(&daftar(&sqlite, &["audit", "export"]));
    assert_eq!(
        original.lines().count() as i64,
        story.engine.store.head().await.unwrap().0
    );
    let file = write(&dir, "sqlite.ndjson", &original);

    let on_postgres = import_and_export(&postgres, &file, &checkpoint);
    assert_eq!(on_postgres, original, "PostgreSQL holds the same bytes");
    let back = support::sqlite();
    let file = write(&dir, "postgres.ndjson", &on_postgres);
    assert_eq!(import_and_export(&back, &file, &checkpoint), original);

    // The imported stores have the read models the original wrote live.
    let live = dump(&sqlite.connect().await).await;
    assert_eq!(dump(&postgres.connect().await).await, live);
    assert_eq!(dump(&back.connect().await).await, live);
    let id = story.inventory.to_string();
    let middle = story.moments[story.moments.len() - 3].head.to_string();
    let replay = |db: &TestDb| succeeds(&daftar(db, &["audit", "replay", &id, "--at", &middle]));
    assert_eq!(replay(&postgres), replay(&sqlite));
}

/// The export's lines changed by `edit`, joined again (every line ends with `\n`).
fn edited(lines: &[&str], edit: impl FnOnce(&mut Vec<String>)) -> String {
    let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edit(&mut lines);
    lines.iter().map(|l| format!("{l}\n")).collect()
}

async fn broken_files_are_refused_with_their_line(db: TestDb) {
    story::run(&db).await;
    let export = succeeds(&daftar(&db, &["audit", "export"]));
    let lines: Vec<&str> = export.lines().collect();
    let n = lines.len();
    let returned = 1 + lines
        .iter()
        .position(|l| l.contains("\"SubmissionReturned\""))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = another(&db).await;
    let at =
        |position: usize, detail: &str| format!("line {position} (position {position}): {detail}");
    let cases = [
        (
            "altered",
            edited(&lines, |v| {
                v[returned - 1] = v[returned - 1].replace("منبع", "مقصد")
            }),
            at(returned, "stored bytes do not match the stored hash"),
        ),
        (
            "truncated",
            edited(&lines, |v| v[n - 1].truncate(40))
                .trim_end()
                .to_string(),
            at(n, "not an event envelope"),
        ),
        (
            "swapped",
            edited(&lines, |v| v.swap(4, 5)),
            "line 5 (position 6): expected position 5, found 6".into(),
        ),
        (
            "duplicated",
            edited(&lines, |v| v.insert(7, v[6].clone())),
            "line 8 (position 7): expected position 8, found 7".into(),
        ),
        (
            "gap",
            edited(&lines, |v| drop(v.remove(8))),
            "line 9 (position 10): expected position 9, found 10".into(),
        ),
        (
            "blank",
            edited(&lines, |v| v.insert(3, String::new())),
            at(4, "not an event envelope"),
        ),
        ("empty", String::new(), "holds no events".into()),
    ];
    for (name, text, expected) in cases {
        let file = write(&dir, name, &text);
        let line = fails(&daftar(&target, &["audit", "import", &file]));
        assert!(line.contains(&expected), "{name}: {line}");
    }
    // Whole lines cut from the end are invisible to the chain, not to the checkpoint.
    let checkpoint = checkpoint_of(&db);
    let file = write(&dir, "short", &edited(&lines[..n - 2], |_| ()));
    let line = fails(&daftar(
        &target,
        &["audit", "import", &file, "--expect-head", &checkpoint],
    ));
    assert!(
        line.contains(&format!(
            "ends at position {}, before the checkpoint",
            n - 2
        )),
        "{line}"
    );

    // Nothing was written by any refusal: the target still takes the good file, once.
    let good = write(&dir, "good", &export);
    assert_eq!(import_and_export(&target, &good, &checkpoint), export);
    let line = fails(&daftar(&target, &["audit", "import", &good]));
    assert!(
        line.contains(&format!(
            "the store is not empty (its log ends at position {n})"
        )),
        "{line}"
    );
}

async fn export_after_a_position(db: TestDb) {
    story::run(&db).await;
    let all = succeeds(&daftar(&db, &["audit", "export"]));
    let head = all.lines().count();
    let tail = succeeds(&daftar(&db, &["audit", "export", "--after", "100"]));
    assert_eq!(tail.lines().count(), head - 100);
    assert!(tail.starts_with("{\"position\":101,"));
    assert!(all.ends_with(&tail));
    assert_eq!(
        succeeds(&daftar(
            &db,
            &["audit", "export", "--after", &head.to_string()]
        )),
        ""
    );
    for bad in ["-1", &(head + 1).to_string()] {
        let line = fails(&daftar(&db, &["audit", "export", "--after", bad]));
        assert!(line.contains("outside the log"), "{bad}: {line}");
    }
}

/// Bulk scans (verify, export, replays) return exactly the rows of ordinary reads, whatever
/// the stored text holds.
async fn scans_return_exactly_what_reads_do(db: TestDb) {
    use daftar::event_store::{GENESIS_HASH, RawEvent, ReadAll, hash::event_hash};
    let store = db.connect().await.event_store();
    let texts = [
        (
            r#"{"text":"۱۲ 34 ' ' || \"x\" 5 ","n":[1, 2.50, -3]}"#,
            r#"{"actor":"a b 12 "}"#,
        ),
        ("{}", "{}"),
        (
            r#"{"a":"\n\t\u0000"}"#,
            r#"{"role":"member","agency":"IRICA"}"#,
        ),
    ];
    let mut prev = GENESIS_HASH.to_string();
    let mut rows = Vec::new();
    for (i, (data, metadata)) in texts.into_iter().enumerate() {
        let mut row = RawEvent {
            position: i as i64 + 1,
            stream_id: "case-odd".into(),
            version: i as i64 + 1,
            event_id: uuid::Uuid::now_v7(),
            event_type: "Odd.Event:1".into(),
            event_version: 1,
            data: data.into(),
            metadata: metadata.into(),
            recorded_at_us: -5 + i as i64,
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        row.hash = event_hash(&prev, &row);
        prev.clone_from(&row.hash);
        rows.push(row);
    }
    store.import(rows.clone()).await.unwrap();
    assert_eq!(
        store.read_all_raw(&ReadAll::after(0, 10)).await.unwrap(),
        rows
    );
    assert_eq!(store.scan_range_raw(1, 3, 10).await.unwrap(), rows);
    assert_eq!(store.scan_range_raw(2, 2, 10).await.unwrap(), rows[1..2]);
    assert_eq!(
        store.scan_stream_raw("case-odd", 2).await.unwrap(),
        rows[1..]
    );
    assert!(
        store
            .scan_stream_raw("case-none", 1)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.verify(1, None).await.unwrap().ok);
}

crate::on_both_backends!(
    broken_files_are_refused_with_their_line,
    export_after_a_position,
    scans_return_exactly_what_reads_do,
);
