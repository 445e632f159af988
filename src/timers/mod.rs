//! Durable timers: the `timers` table. Rows are written only as side writes of an append (so
//! a timer exists exactly when the event that implies it does) and marked fired in the same
//! transaction as the events their firing caused. Schedulers on any number of nodes claim
//! due rows with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the write lock on SQLite),
//! so each is handled by one node at a time; a lease that runs out (a node died) makes the
//! row claimable again.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use serde::{Deserialize, Serialize};

use crate::db::Database;
use crate::event_store::StoreError;

/// A timer row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerRow {
    pub id: String,
    pub case_id: String,
    pub task_id: Option<String>,
    /// The timer kind as JSON (the domain's `TimerKind`).
    pub kind: String,
    pub due_at_us: i64,
}

#[derive(Clone, Debug)]
pub struct Timers {
    database: Database,
}

impl Timers {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    /// Claims up to `limit` timers due at `now_us` (or whose lease ran out) for `node`.
    pub async fn claim_due(
        &self,
        node: &str,
        now_us: i64,
        lease_us: i64,
        limit: i64,
    ) -> Result<Vec<TimerRow>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::claim_due(pool, node, now_us, lease_us, limit).await,
            Database::Postgres(pool) => {
                postgres::claim_due(pool, node, now_us, lease_us, limit).await
            }
        }
    }

    /// Marks a claimed timer fired when its firing appended nothing.
    pub async fn complete(&self, id: &str) -> Result<(), StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::complete_now(pool, id).await,
            Database::Postgres(pool) => postgres::complete_now(pool, id).await,
        }
    }

    /// The earliest due time of a pending timer.
    pub async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::next_due(pool).await,
            Database::Postgres(pool) => postgres::next_due(pool).await,
        }
    }

    /// How many timers wait (for `/metrics`).
    pub async fn pending(&self) -> Result<i64, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::pending(pool).await,
            Database::Postgres(pool) => postgres::pending(pool).await,
        }
    }
}
