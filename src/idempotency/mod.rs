//! The `idempotency_keys` table: answers remembered for `Idempotency-Key` retries, one per
//! (member, key), each for a limited time. This module owns the table's SQL; which answers
//! are worth remembering is the HTTP layer's decision (`http::body`).

mod postgres;
mod sqlite;

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
    database: Database,
}

impl IdempotencyRecords {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    /// The answer stored under `id` at or after `not_before_us`; an older one has expired
    /// and counts as absent even before it is purged.
    pub async fn find(
        &self,
        id: &str,
        not_before_us: i64,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::find(pool, id, not_before_us).await,
            Database::Postgres(pool) => postgres::find(pool, id, not_before_us).await,
        }
    }

    /// Stores `answer` under `id`, replacing an expired one.
    pub async fn remember(
        &self,
        id: &str,
        answer: &StoredAnswer,
        at_us: i64,
    ) -> Result<(), StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::remember(pool, id, answer, at_us).await,
            Database::Postgres(pool) => postgres::remember(pool, id, answer, at_us).await,
        }
    }

    /// Deletes the answers stored before `before_us`, a chunk per statement; how many.
    pub async fn purge(&self, before_us: i64) -> Result<u64, StoreError> {
        let mut purged = 0;
        loop {
            let deleted = match &self.database {
                Database::Sqlite(pool) => sqlite::purge(pool, before_us, PURGE_CHUNK).await?,
                Database::Postgres(pool) => postgres::purge(pool, before_us, PURGE_CHUNK).await?,
            };
            purged += deleted;
            if deleted < PURGE_CHUNK as u64 {
                return Ok(purged);
            }
        }
    }

    /// How many answers are stored, expired or not.
    pub async fn count(&self) -> Result<i64, StoreError> {
        let count = match &self.database {
            Database::Sqlite(pool) => {
                sqlx::query_scalar("select count(*) from idempotency_keys")
                    .fetch_one(pool)
                    .await?
            }
            Database::Postgres(pool) => {
                sqlx::query_scalar("select count(*) from idempotency_keys")
                    .fetch_one(pool)
                    .await?
            }
        };
        Ok(count)
    }
}
