//! Opening the database named by `DAFTAR_DATABASE_URL`: which backend, the connection
//! settings that make appends durable, the embedded migrations, the SQLite write turn and the
//! storage layer's one error, [`DbError`]. Every other module gets its connections from the
//! [`Database`] built here; this module imports no other module of daftar.

mod error;

pub use error::DbError;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::Connection;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// A parsed database URL. Built only by [`DatabaseUrl::parse`], so a value always names a
/// backend daftar supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path.starts_with(":memory:") {
                bail!(
                    "DAFTAR_DATABASE_URL {url:?}: name a SQLite file, e.g. sqlite://daftar.db (an in-memory database would lose every event)"
                );
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url::Url::parse(url).with_context(|| {
                format!(
                    "DAFTAR_DATABASE_URL {} is not a valid URL",
                    mask_password(url)
                )
            })?;
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        let scheme = url.split(':').next().unwrap_or_default();
        bail!(
            "DAFTAR_DATABASE_URL: unsupported database {scheme:?} in {}; use sqlite://FILE or postgres://USER@HOST/DB",
            mask_password(url)
        )
    }

    /// The URL as safe to print: any password replaced by `***`.
    pub fn display(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => mask_password(url),
        }
    }
}

/// Replaces the password of a URL with `***` for logs and error messages.
pub fn mask_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) => raw
            .split('@')
            .next_back()
            .map(|host| format!("***@{host}"))
            .unwrap_or_default(),
    }
}

/// The connection pool of whichever backend is configured.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Database {
    /// Opens (creating a SQLite file if needed) and fails with a one-line reason otherwise.
    pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<Self> {
        match url {
            DatabaseUrl::Sqlite(path) => connect_sqlite(path).await.map(Database::Sqlite),
            DatabaseUrl::Postgres(raw) => connect_postgres(raw).await.map(Database::Postgres),
        }
    }

    /// Applies the embedded migrations; refuses a database migrated by a newer daftar.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let result = match self {
            Database::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await,
            Database::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await,
        };
        match result {
            Ok(()) => Ok(()),
            Err(MigrateError::VersionMissing(version)) => bail!(
                "this database was migrated by a newer daftar (it has migration {version}, which this build does not know); refusing to start — upgrade daftar"
            ),
            Err(error) => Err(error).context("applying database migrations"),
        }
    }

    /// A module's SQL for this backend, chosen here once: `sqlite` or `postgres` is called
    /// with the pool, and the module then calls its backend without asking which it is.
    pub fn backend<T: ?Sized>(
        &self,
        sqlite: impl FnOnce(SqlitePool) -> Arc<T>,
        postgres: impl FnOnce(PgPool) -> Arc<T>,
    ) -> Arc<T> {
        match self {
            Database::Sqlite(pool) => sqlite(pool.clone()),
            Database::Postgres(pool) => postgres(pool.clone()),
        }
    }

    pub async fn close(&self) {
        match self {
            Database::Sqlite(pool) => pool.close().await,
            Database::Postgres(pool) => pool.close().await,
        }
    }
}

/// This process's turn to write a SQLite file. SQLite lets one writer into a file at a time,
/// and a connection that finds the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10 …
/// ms) however soon the lock frees: the group-commit writer, the dispatcher's and the
/// scheduler's claims would keep putting each other to sleep. Writers of this process queue
/// here instead and start the moment the one before commits; other processes sharing the
/// file still meet SQLite's lock. Hold the guard until the transaction ends.
pub(crate) async fn sqlite_write_turn(pool: &SqlitePool) -> tokio::sync::OwnedMutexGuard<()> {
    type Turns = std::sync::Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>;
    static TURNS: LazyLock<Turns> = LazyLock::new(Default::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    let turn = TURNS
        .lock()
        .expect("write turns lock")
        .entry(file)
        .or_default()
        .clone();
    turn.lock_owned().await
}

/// Splits `len` rows into chunks of a few fixed sizes (64, 16, 4, 1), so a multi-row
/// statement comes in at most four shapes and each stays in the prepared-statement cache.
pub(crate) fn fixed_chunks(len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let left = len - start;
        let size = [64, 16, 4, 1].into_iter().find(|&s| s <= left)?;
        let range = start..start + size;
        start += size;
        Some(range)
    })
}

async fn connect_sqlite(path: &Path) -> anyhow::Result<SqlitePool> {
    let shown = path.display();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        bail!(
            "cannot open SQLite database {shown}: directory {} does not exist",
            parent.display()
        );
    }
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .with_context(|| format!("invalid SQLite path {shown}"))?
        .create_if_missing(true)
        // WAL lets readers run beside the writer; FULL makes an acknowledged append survive
        // power loss, which is the promise an e-government record has to keep.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true)
        // A batch's multi-row statements keep a statement journal (the pages they change, in
        // case one must be undone alone); past 64 KiB SQLite writes it to a temporary file,
        // which cost the writer a write system call per page. Kept in memory instead.
        .pragma("temp_store", "memory");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        // A file does not drop a connection the way a server does, and the test would cost
        // every transaction one more hand-off to the connection's thread.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(|e| {
            anyhow::anyhow!("cannot open SQLite database {shown}: {e} (is the directory writable?)")
        })?;
    // Opening is lazy about writing: prove now that the file is writable.
    sqlx::query("create table if not exists _daftar_write_check (x integer); drop table _daftar_write_check;")
        .execute(&pool)
        .await
        .map_err(|e| anyhow::anyhow!("cannot write SQLite database {shown}: {e}"))?;
    Ok(pool)
}

async fn connect_postgres(raw: &str) -> anyhow::Result<PgPool> {
    let shown = mask_password(raw);
    let options = PgConnectOptions::from_str(raw)
        .with_context(|| format!("invalid PostgreSQL URL {shown}"))?
        // Plan each statement for the tables as they are when it runs. sqlx prepares a
        // statement once per connection, and PostgreSQL then settles on a generic plan made
        // while the tables were small (a fresh log: sequential scans) and keeps it until the
        // next ANALYZE: on a log grown since, the writer's snapshot read every row of the
        // events table for each batch (300 ms a batch at 270,000 events).
        .options([("plan_cache_mode", "force_custom_plan")]);
    // One direct connection first: a pool only says "timed out", this says why.
    let probe = tokio::time::timeout(
        Duration::from_secs(5),
        sqlx::PgConnection::connect_with(&options),
    )
    .await
    .map_err(|_| anyhow::anyhow!("cannot connect to PostgreSQL at {shown}: no answer within 5 s"))?
    .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL at {shown}: {e}"))?;
    let _ = probe.close().await;
    PgPoolOptions::new()
        .max_connections(16)
        // Bounded waits: during an outage requests fail fast with 503 instead of hanging. A
        // request may wait for a connection more than once (requests of 15.0 s were seen
        // with 5 s waits: three in a row), so one wait is kept well under a third of the
        // 15 s the outage test allows.
        .acquire_timeout(Duration::from_secs(3))
        .connect_with(options)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL at {shown}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_row_once_in_few_shapes() {
        for len in 0..300 {
            let chunks: Vec<_> = fixed_chunks(len).collect();
            let mut next = 0;
            for chunk in &chunks {
                assert_eq!(chunk.start, next);
                assert!([64, 16, 4, 1].contains(&chunk.len()));
                next = chunk.end;
            }
            assert_eq!(next, len);
        }
    }
}
