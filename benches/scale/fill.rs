//! A store that a real server can open, filled fast: the audit benchmark's story (a
//! resolution voted by the agencies, then its 31-agency inventory case) stamped into copies
//! with fresh ids after the story's own catalog and directory, written through the checked
//! import, then every read model derived from the log as `daftar projections rebuild` does.
//! No HTTP and no engine commands: only events the engine wrote once, and folds.

use std::time::{Duration, Instant};

use daftar::db::DatabaseUrl;
use daftar::documents::Documents;
use daftar::engine::rebuild::rebuild;
use daftar::side_writes::OpenEventStore;

use crate::support::{self, TestDb};
use crate::template::Template;

pub struct Filled {
    /// Keeps the database (a SQLite file's directory) alive.
    pub db: TestDb,
    /// Every event written, the catalog and directory included.
    pub events: u64,
    pub cases: u64,
    pub imported_in: Duration,
    pub rebuilt_in: Duration,
}

impl Filled {
    /// The database as `DAFTAR_DATABASE_URL` names it.
    pub fn url(&self) -> String {
        match &self.db.url {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }
}

async fn fresh(backend: &str) -> TestDb {
    if backend == "sqlite" {
        return support::sqlite();
    }
    support::postgres()
        .await
        .expect("DAFTAR_TEST_POSTGRES_URL for the PostgreSQL benchmark")
}

/// A fresh database holding `stamped` events of case copies, with every read model built.
pub async fn fill(backend: &str, template: &Template, stamped: usize) -> Filled {
    let db = fresh(backend).await;
    let database = db.connect().await;
    let store = database.event_store();
    let started = Instant::now();
    let events = template.write_with_directory(&store, stamped).await;
    let imported_in = started.elapsed();
    let started = Instant::now();
    let report = rebuild(&store, &Documents::new(database.clone()), &[])
        .await
        .expect("the read models rebuild");
    let rebuilt_in = started.elapsed();
    store.shutdown().await;
    database.close().await;
    Filled {
        db,
        events,
        cases: report.cases,
        imported_in,
        rebuilt_in,
    }
}
