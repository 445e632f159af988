//! The `idempotency_keys` table: answers remembered for `Idempotency-Key` retries, one per
//! (member, key), each for a limited time. This module owns the table's SQL; which answers
//! are worth remembering is the HTTP layer's decision (`http::body`).

mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::db::Database;
use crate::event_store::StoreError;

/// A remembered answer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredAnswer {
    /// What the first request was (method, path, body), hashed: a retry must match it.
    pub fingerprint: String,
    #[sqlx(try_from = "i32")]
    pub status: u16,
    /// The JSON body sent back.
    pub body: String,
}

/// How many expired rows one purge statement deletes: a short write transaction, so a purge
/// of many rows does not hold SQLite's write lock against appends for long.
const PURGE_CHUNK: i64 = 1000;

#[derive(Clone, Debug)]
pub struct IdempotencyRecords {
    sql: Arc<dyn Sql>,
}

/// The table's SQL on one backend (`sqlite`, `postgres`).
#[async_trait]
trait Sql: Send + Sync + std::fmt::Debug {
    async fn find(&self, id: &str, not_before_us: i64) -> Result<Option<StoredAnswer>, StoreError>;
    async fn remember(&self, id: &str, answer: &StoredAnswer, at_us: i64)
    -> Result<(), StoreError>;
    async fn purge(&self, before_us: i64, chunk: i64) -> Result<u64, StoreError>;
    async fn count(&self) -> Result<i64, StoreError>;
}

impl IdempotencyRecords {
    pub fn new(database: Database) -> Self {
        let sql = database.backend::<dyn Sql>(
            |pool| Arc::new(sqlite::Sql(pool)),
            |pool| Arc::new(postgres::Sql(pool)),
        );
        Self { sql }
    }

    /// The answer stored under `id` at or after `not_before_us`; an older one has expired
    /// and counts as absent even before it is purged.
    pub async fn find(
        &self,
        id: &str,
        not_before_us: i64,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        self.sql.find(id, not_before_us).await
    }

    /// Stores `answer` under `id`, replacing an expired one.
    pub async fn remember(
        &self,
        id: &str,
        answer: &StoredAnswer,
        at_us: i64,
    ) -> Result<(), StoreError> {
        self.sql.remember(id, answer, at_us).await
    }

    /// Deletes the answers stored before `before_us`, a chunk per statement; how many.
    pub async fn purge(&self, before_us: i64) -> Result<u64, StoreError> {
        let mut purged = 0;
        loop {
            let deleted = self.sql.purge(before_us, PURGE_CHUNK).await?;
            purged += deleted;
            if deleted < PURGE_CHUNK as u64 {
                return Ok(purged);
            }
        }
    }

    /// How many answers are stored, expired or not.
    pub async fn count(&self) -> Result<i64, StoreError> {
        self.sql.count().await
    }
}
