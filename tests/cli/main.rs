//! The binary's refusals: each bad setting gives a one-line reason, a non-zero exit, and
//! writes nothing; and the `report` commands ([`report`]).

#[path = "../support/mod.rs"]
mod support;

mod report;

use std::process::{Command, Output};

fn daftar(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_daftar"));
    command
        .args(args)
        .env_remove("DAFTAR_DATABASE_URL")
        .env_remove("DAFTAR_BIND");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("daftar runs")
}

fn refused(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected a refusal, got success: {output:?}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let first = stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_default()
        .to_string();
    assert!(!first.is_empty(), "no error line in: {stderr}");
    first
}

#[test]
fn an_unsupported_database_scheme_is_refused() {
    let line = refused(&daftar(
        &["migrate"],
        &[("DAFTAR_DATABASE_URL", "mysql://x")],
    ));
    assert!(line.contains("unsupported database \"mysql\""), "{line}");
}

#[test]
fn an_unreachable_postgres_is_named_with_its_password_masked() {
    let line = refused(&daftar(
        &["migrate"],
        &[(
            "DAFTAR_DATABASE_URL",
            "postgres://daftar:s3cret@127.0.0.1:1/daftar",
        )],
    ));
    assert!(
        line.contains("cannot connect to PostgreSQL at postgres://daftar:***@127.0.0.1:1/daftar"),
        "{line}"
    );
    assert!(!line.contains("s3cret"), "{line}");
}

#[test]
fn a_sqlite_file_in_a_missing_directory_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing/daftar.db");
    let url = format!("sqlite://{}", path.display());
    let line = refused(&daftar(&["migrate"], &[("DAFTAR_DATABASE_URL", &url)]));
    assert!(line.contains("does not exist"), "{line}");
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn an_invalid_bind_address_is_refused_before_the_database_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daftar.db");
    let url = format!("sqlite://{}", path.display());
    let line = refused(&daftar(
        &["serve"],
        &[
            ("DAFTAR_DATABASE_URL", &url),
            ("DAFTAR_BIND", "999.0.0.1:80"),
        ],
    ));
    assert!(line.contains("999.0.0.1:80"), "{line}");
    assert!(!path.exists());
}

#[test]
fn flags_override_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flag.db");
    let flag = format!("sqlite://{}", path.display());
    let output = daftar(
        &["migrate", "--database-url", &flag],
        &[("DAFTAR_DATABASE_URL", "mysql://x")],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(path.exists());
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_daftar_is_refused() {
    let db = support::sqlite();
    let database = db.connect().await;
    let daftar::db::Database::Sqlite(pool) = &database else {
        unreachable!()
    };
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time) \
         values (9999, 'from the future', true, x'00', 0)",
    )
    .execute(pool)
    .await
    .unwrap();
    database.close().await;
    let url = db.url.display();
    let line = refused(&daftar(&["migrate"], &[("DAFTAR_DATABASE_URL", &url)]));
    assert!(line.contains("migrated by a newer daftar"), "{line}");
}

#[tokio::test]
async fn token_issue_prints_a_working_token_and_refuses_unknown_members() {
    let db = support::sqlite();
    let engine =
        support::seed::start(&db, daftar::engine::ManualClock::at(support::seed::now())).await;
    support::seed::seed(&engine).await;
    let url = db.url.display();
    let output = daftar(
        &["token", "issue", "--member", "m-irica"],
        &[("DAFTAR_DATABASE_URL", &url)],
    );
    assert!(output.status.success(), "{output:?}");
    let token = String::from_utf8(output.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("dft_") && token.len() == 68, "{token}");
    let member = engine
        .authenticate(&token)
        .await
        .unwrap()
        .expect("the printed token works");
    assert_eq!(member.id, "m-irica");
    let line = refused(&daftar(
        &["token", "issue", "--member", "nobody"],
        &[("DAFTAR_DATABASE_URL", &url)],
    ));
    assert!(line.contains("no member nobody"), "{line}");
}

#[test]
fn backup_names_pg_dump_on_postgres_and_needs_an_existing_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let copy = copy.to_str().unwrap();
    let postgres = [(
        "DAFTAR_DATABASE_URL",
        "postgres://daftar:secret@127.0.0.1:1/daftar",
    )];
    let line = refused(&daftar(&["backup", copy], &postgres));
    assert!(line.contains("pg_dump --format=custom"), "{line}");
    assert!(!line.contains("secret"), "{line}");
    let missing = format!("sqlite://{}", dir.path().join("none.db").display());
    let line = refused(&daftar(
        &["backup", copy],
        &[("DAFTAR_DATABASE_URL", &missing)],
    ));
    assert!(line.contains("no database at"), "{line}");
    assert!(!std::path::Path::new(copy).exists());
}

#[tokio::test]
async fn token_issue_takes_an_expiry_in_the_future() {
    let db = support::sqlite();
    let engine =
        support::seed::start(&db, daftar::engine::ManualClock::at(support::seed::now())).await;
    support::seed::seed(&engine).await;
    let url = db.url.display();
    let env = [("DAFTAR_DATABASE_URL", url.as_str())];
    let issue = |at: &str| {
        daftar(
            &["token", "issue", "--member", "m-irica", "--expires-at", at],
            &env,
        )
    };
    let line = refused(&issue("2001-01-01T00:00:00Z"));
    assert!(line.contains("not in the future"), "{line}");
    let output = issue("2999-01-01T00:00:00Z");
    assert!(output.status.success(), "{output:?}");
    let listed = engine
        .member_tokens(&support::seed::admin(), "m-irica")
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].expires_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2999-01-01T00:00:00+00:00")
    );
}
