//! Test databases: a fresh SQLite file or a fresh PostgreSQL database per test.
//!
//! PostgreSQL tests read `DAFTAR_TEST_POSTGRES_URL` (an admin URL; each test creates its own
//! `daftar_t_…` database through it). Without it they are skipped — except under `CI=true`,
//! where a missing or unreachable PostgreSQL is a failure.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod seed;

use daftar::db::{Database, DatabaseUrl};
use sqlx::Connection;

/// Keeps a test database alive for the test's duration.
pub struct TestDb {
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn connect(&self) -> Database {
        let database = Database::connect(&self.url)
            .await
            .expect("test database opens");
        database.migrate().await.expect("migrations apply");
        database
    }
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = dir.path().join("daftar.db");
    TestDb {
        url: DatabaseUrl::Sqlite(path),
        _dir: Some(dir),
    }
}

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// A fresh PostgreSQL database, or `None` when PostgreSQL tests are not configured here.
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin) = std::env::var("DAFTAR_TEST_POSTGRES_URL") else {
        assert!(!in_ci(), "CI=true but DAFTAR_TEST_POSTGRES_URL is not set");
        eprintln!("skipping: DAFTAR_TEST_POSTGRES_URL is not set");
        return None;
    };
    let name = format!("daftar_t_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("DAFTAR_TEST_POSTGRES_URL is set but unreachable: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let mut url = url::Url::parse(&admin).expect("DAFTAR_TEST_POSTGRES_URL is a URL");
    url.set_path(&name);
    Some(TestDb {
        url: DatabaseUrl::Postgres(url.to_string()),
        _dir: None,
    })
}

/// Declares one `#[tokio::test]` per backend that runs `$body(TestDb)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::support::sqlite()).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(db) = $crate::support::postgres().await {
                        super::$name(db).await;
                    }
                }
            )*
        }
    };
}
