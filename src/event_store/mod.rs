//! The event store: one append-only, hash-chained log of every fact daftar knows.
//!
//! It owns the `events` table and the `log_head` row, and nothing else: it knows no domain
//! types, only streams of JSON events. Guarantees, on both backends:
//! - a **gapless global position in commit order** (one serialized writer: `BEGIN IMMEDIATE`
//!   on SQLite, the locked `log_head` row on PostgreSQL — never a bare sequence, whose gaps
//!   and out-of-order commits make tailing readers skip events);
//! - optimistic concurrency per stream (`ExpectedVersion`), idempotent appends by `event_id`;
//! - a SHA-256 hash chain over the stored bytes (see [`hash`]);
//! - **group commit**: concurrent appends are folded into one transaction ([`group_commit`]),
//!   while each caller still gets its own outcome.
//!
//! Backend-specific SQL lives only in [`sqlite`] and [`postgres`], behind [`Backend`]. The
//! store depends on [`crate::db`] alone: what an append writes beside its events reaches the
//! tables above through the [`SideWriteHook`] it is opened with.

mod batch;
mod envelope;
mod group_commit;
pub mod hash;
mod import;
mod pages;
mod postgres;

mod hook;
mod read_sql;
mod sqlite;
mod types;

use std::sync::Arc;

/// The store's errors are the storage layer's: see [`DbError`](crate::db::DbError).
pub use crate::db::DbError as StoreError;
pub use envelope::Envelope;
pub use group_commit::GroupCommitStats;
pub use hash::{GENESIS_HASH, VerifyReport};
pub use hook::{SideWriteHook, SideWrites};
pub use import::{ChainCheck, ImportError, Importer};
pub use pages::Pages;
pub use types::{
    AppendOutcome, AppendRequest, ExpectedVersion, Metadata, NewEvent, RawEvent, ReadAll,
    StoredEvent,
};

use postgres::PostgresBackend;
use sqlite::SqliteBackend;

use crate::db::Database;

use async_trait::async_trait;

/// The largest number of appends folded into one transaction.
pub const MAX_BATCH: usize = 256;

/// What each backend provides. The batch planning (versions, idempotency, positions, hashes)
/// is shared code in [`batch`]; a backend only runs SQL.
#[async_trait]
pub(crate) trait Backend: Send + Sync + 'static {
    /// Writes one planned batch in one transaction, serialized with every other writer on the
    /// database (other processes included). Returns one outcome per request, in order.
    async fn write_batch(
        &self,
        requests: &[AppendRequest],
    ) -> Result<Vec<Result<AppendOutcome, StoreError>>, StoreError>;
    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError>;
    async fn read_all(&self, query: &ReadAll) -> Result<Vec<RawEvent>, StoreError>;
    /// Raw rows with `from <= position <= to`, at most `limit`, in position order.
    async fn read_range(&self, from: i64, to: i64, limit: i64)
    -> Result<Vec<RawEvent>, StoreError>;
    /// The hash stored at `position` (GENESIS_HASH for 0).
    async fn hash_at(&self, position: i64) -> Result<Option<String>, StoreError>;
    async fn head(&self) -> Result<(i64, String), StoreError>;
    async fn ping(&self) -> Result<(), StoreError>;
    /// Inserts rows exactly as given (an import), in one transaction under the writer lock:
    /// they must continue the head (position, prev_hash) and each must pass
    /// [`hash::check_link`]; `log_head` moves to the last one. Returns the new head.
    async fn insert_raw(&self, rows: &[RawEvent]) -> Result<(i64, String), StoreError>;
    /// [`Backend::read_range`] for long sequential scans (verify, export): the same rows, in
    /// fewer hand-offs where a backend can pack them. A page may hold fewer than `limit`.
    async fn scan_range(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.read_range(from, to, limit).await
    }
    /// Closes what the backend opened beside the database's pool, once the writer has
    /// stopped.
    async fn close(&self) {}
    /// [`Backend::read_stream`] for bulk replays, packed the same way.
    async fn scan_stream(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.read_stream(stream_id, from_version).await
    }
}

/// A cloneable handle on the log: appends go through the group-commit writer, reads go
/// straight to the backend's pool.
#[derive(Clone)]
pub struct EventStore {
    backend: Arc<dyn Backend>,
    writer: group_commit::Writer,
}

impl EventStore {
    /// The event store over `database`, with its group-commit writer started; `hook` writes
    /// each batch's side writes inside the batch's transaction. The backend is chosen here,
    /// once.
    pub fn open<H>(database: &Database, hook: Arc<H>) -> Self
    where
        H: SideWriteHook<sqlx::Sqlite> + SideWriteHook<sqlx::Postgres>,
    {
        let backend: Arc<dyn Backend> = match database {
            Database::Sqlite(pool) => Arc::new(SqliteBackend::new(pool.clone(), hook)),
            Database::Postgres(pool) => Arc::new(PostgresBackend::new(pool.clone(), hook)),
        };
        Self::new(backend)
    }

    /// The event store with no side-write hook: appends carrying side writes are refused.
    /// For tools that only read or import the log.
    pub fn open_bare(database: &Database) -> Self {
        Self::open(database, Arc::new(hook::NoSideWrites))
    }

    fn new(backend: Arc<dyn Backend>) -> Self {
        let writer = group_commit::Writer::spawn(backend.clone(), MAX_BATCH);
        Self { backend, writer }
    }

    /// Appends `request.events` to `request.stream_id` if the stream is at the expected
    /// version. Re-appending events whose ids are already stored writes nothing and returns
    /// the original positions.
    pub async fn append(&self, request: AppendRequest) -> Result<AppendOutcome, StoreError> {
        request.validate()?;
        self.writer.submit(request).await
    }

    /// The events of one stream with `version >= from_version`, in version order.
    pub async fn read_stream(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let raw = self.backend.read_stream(stream_id, from_version).await?;
        raw.into_iter().map(RawEvent::decode).collect()
    }

    /// Like [`EventStore::read_stream`], undecoded: for folds that parse each row once.
    pub async fn read_stream_raw(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.backend.read_stream(stream_id, from_version).await
    }

    /// Events after `query.after` in global order, filtered by stream prefix / event types.
    pub async fn read_all(&self, query: &ReadAll) -> Result<Vec<StoredEvent>, StoreError> {
        let raw = self.backend.read_all(query).await?;
        raw.into_iter().map(RawEvent::decode).collect()
    }

    /// Like [`EventStore::read_all`] but returns the stored bytes undecoded (for export and
    /// streaming, where re-encoding would be wasted work).
    pub async fn read_all_raw(&self, query: &ReadAll) -> Result<Vec<RawEvent>, StoreError> {
        self.backend.read_all(query).await
    }

    /// The position and hash of the newest event (0 and [`GENESIS_HASH`] when empty).
    pub async fn head(&self) -> Result<(i64, String), StoreError> {
        self.backend.head().await
    }

    /// Recomputes the hash chain over `from..=to` (clamped to the log) and reports the first
    /// position whose stored bytes, prev_hash, hash or position do not match.
    pub async fn verify(&self, from: i64, to: Option<i64>) -> Result<VerifyReport, StoreError> {
        hash::verify(self.backend.clone(), from, to).await
    }

    /// The hash stored at `position` ([`GENESIS_HASH`] for 0; `None` if there is no such
    /// event) — what a checkpoint is compared with.
    pub async fn hash_at(&self, position: i64) -> Result<Option<String>, StoreError> {
        self.backend.hash_at(position).await
    }

    /// Raw rows with `from <= position <= to`, at most `limit` (a page may hold fewer), in
    /// position order: for long scans such as an export.
    pub async fn scan_range_raw(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.backend.scan_range(from, to, limit).await
    }

    /// The raw rows of `from..=to` in position order, a page at a time, read ahead of the
    /// caller: for long scans such as an export.
    pub fn pages(&self, from: i64, to: i64) -> Pages {
        Pages::read(self.backend.clone(), from, to)
    }

    /// A stream's raw rows like [`EventStore::read_stream_raw`], read for bulk replays.
    pub async fn scan_stream_raw(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.backend.scan_stream(stream_id, from_version).await
    }

    /// Round-trips to the database; backs `/ready`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.backend.ping().await
    }

    /// Batch sizes seen by the group-commit writer (for metrics and benchmarks).
    pub fn group_commit_stats(&self) -> GroupCommitStats {
        self.writer.stats()
    }

    /// The distribution of group-commit batch sizes, for `/metrics` to register.
    pub fn group_commit_batch_sizes(&self) -> prometheus_client::metrics::histogram::Histogram {
        self.writer.batch_sizes()
    }

    /// Waits until every append submitted so far is committed or failed, then stops the
    /// writer. Appends after this return [`StoreError::ShuttingDown`].
    pub async fn shutdown(&self) {
        self.writer.shutdown().await;
        self.backend.close().await;
    }
}
