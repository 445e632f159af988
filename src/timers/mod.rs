//! Durable timers: the `timers` table. Rows are written only as side writes of an append (so
//! a timer exists exactly when the event that implies it does) and marked fired in the same
//! transaction as the events their firing caused. Schedulers on any number of nodes claim
//! due rows with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite),
//! so each is handled by one node at a time; a lease that runs out (a node died) makes the
//! row claimable again.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::db::Database;
use crate::event_store::StoreError;
use crate::lease::{Claimable, DueRows, Lease};

/// A timer row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TimerRow {
    pub id: String,
    pub case_id: String,
    pub task_id: Option<String>,
    /// The timer kind as JSON (the domain's `TimerKind`).
    pub kind: String,
    pub due_at_us: i64,
}

impl Claimable for TimerRow {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The timers as a claim sees them: pending rows, due at their due time.
const DUE_ROWS: DueRows = DueRows {
    table: "timers",
    waiting: "pending",
    due: "due_at_us",
    columns: "id, case_id, task_id, kind, due_at_us",
};

/// The timers' SQL outside an append, one implementation per backend.
#[async_trait]
trait TimersBackend: Send + Sync + std::fmt::Debug {
    async fn claim_due(&self, lease: Lease<'_>) -> Result<Vec<TimerRow>, StoreError>;
    async fn complete(&self, id: &str) -> Result<(), StoreError>;
    async fn next_due(&self) -> Result<Option<i64>, StoreError>;
    async fn postpone(&self, id: &str, due_at_us: i64) -> Result<(), StoreError>;
    async fn cases_due_between(
        &self,
        after_us: i64,
        until_us: i64,
    ) -> Result<Vec<String>, StoreError>;
    async fn pending(&self) -> Result<i64, StoreError>;
}

#[derive(Clone, Debug)]
pub struct Timers {
    backend: Arc<dyn TimersBackend>,
}

impl Timers {
    /// Chooses the backend, once.
    pub fn new(database: Database) -> Self {
        let backend: Arc<dyn TimersBackend> = match database {
            Database::Sqlite(pool) => Arc::new(sqlite::SqliteTimers(pool)),
            Database::Postgres(pool) => Arc::new(postgres::PostgresTimers(pool)),
        };
        Self { backend }
    }

    /// Claims up to `limit` timers due at `now_us` (or whose lease ran out) for `node`.
    pub async fn claim_due(
        &self,
        node: &str,
        now_us: i64,
        lease_us: i64,
        limit: i64,
    ) -> Result<Vec<TimerRow>, StoreError> {
        let lease = Lease {
            node,
            now_us,
            lease_us,
            limit,
        };
        self.backend.claim_due(lease).await
    }

    /// Marks a claimed timer fired when its firing appended nothing.
    pub async fn complete(&self, id: &str) -> Result<(), StoreError> {
        self.backend.complete(id).await
    }

    /// The earliest due time of a pending timer.
    pub async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        self.backend.next_due().await
    }

    /// Moves a pending timer to `due_at_us` and frees its claim: a reminder or escalation
    /// that came due while offices are closed waits for them to open.
    pub async fn postpone(&self, id: &str, due_at_us: i64) -> Result<(), StoreError> {
        self.backend.postpone(id, due_at_us).await
    }

    /// The cases with a timer pending in `(after_us, until_us]`: those a closure of that
    /// span may touch (by the `(status, due_at_us)` index).
    pub async fn cases_due_between(
        &self,
        after_us: i64,
        until_us: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.backend.cases_due_between(after_us, until_us).await
    }

    /// How many timers wait (for `/metrics`).
    pub async fn pending(&self) -> Result<i64, StoreError> {
        self.backend.pending().await
    }
}

/// One step of a batch's side writes after its documents and e-mails: a group of timer
/// writes made as a few multi-row statements, or any other write on its own.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct TimerGroup<'a> {
    /// `(case, task)` whose pending timers are cancelled.
    pub cancel_tasks: Vec<(&'a str, &'a str)>,
    /// Cases whose pending timers are all cancelled.
    pub cancel_cases: Vec<&'a str>,
    /// Timers scheduled after the cancels, in the order they came.
    pub schedule: Vec<&'a TimerRow>,
}
