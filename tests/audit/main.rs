//! Audit end to end, on SQLite and PostgreSQL: replay to any moment, the timeline, tamper
//! evidence (one altered event, a deleted tail), export → import between backends, and
//! rebuilding read models from the log. The CLI is tested as the binary an auditor runs.

#[path = "../support/mod.rs"]
mod support;

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod files;
mod golden_export;
mod http;
mod member_change;
mod rebuild;
mod replay;
mod story;
mod tamper;
mod tokens;
mod transfer;

use std::process::{Command, Output};

use daftar::db::DatabaseUrl;
use support::TestDb;

/// The `DAFTAR_DATABASE_URL` of a test database.
pub fn url_of(db: &TestDb) -> String {
    match &db.url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

/// Runs `daftar ARGS` against `db`.
pub fn daftar(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daftar"))
        .args(args)
        .env("DAFTAR_DATABASE_URL", url_of(db))
        .env("RUST_LOG", "warn")
        .output()
        .expect("daftar runs")
}

/// stdout of a run that must succeed.
pub fn succeeds(output: &Output) -> String {
    assert!(
        output.status.success(),
        "expected success: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// The `error: …` line of a run that must fail.
pub fn fails(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure: {output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| panic!("no error line in: {stderr}"))
        .to_string()
}

/// A database a test process can also run the binary against (PostgreSQL when configured).
pub async fn another(db: &TestDb) -> TestDb {
    match db.url {
        DatabaseUrl::Sqlite(_) => support::sqlite(),
        DatabaseUrl::Postgres(_) => support::postgres().await.expect("postgres"),
    }
}
