//! SQLite SQL for the idempotency keys.

use sqlx::sqlite::SqlitePool;

use super::StoredAnswer;
use crate::event_store::StoreError;

async fn find(
    pool: &SqlitePool,
    id: &str,
    not_before_us: i64,
) -> Result<Option<StoredAnswer>, StoreError> {
    let answer = sqlx::query_as(
        "select fingerprint, status, body from idempotency_keys \
         where id = ? and created_at_us >= ?",
    )
    .bind(id)
    .bind(not_before_us)
    .fetch_optional(pool)
    .await?;
    Ok(answer)
}

async fn remember(
    pool: &SqlitePool,
    id: &str,
    answer: &StoredAnswer,
    at_us: i64,
) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query(
        "insert into idempotency_keys (id, fingerprint, status, body, created_at_us) \
         values (?, ?, ?, ?, ?) \
         on conflict (id) do update set fingerprint = excluded.fingerprint, \
         status = excluded.status, body = excluded.body, created_at_us = excluded.created_at_us",
    )
    .bind(id)
    .bind(&answer.fingerprint)
    .bind(i32::from(answer.status))
    .bind(&answer.body)
    .bind(at_us)
    .execute(pool)
    .await?;
    Ok(())
}

async fn purge(pool: &SqlitePool, before_us: i64, chunk: i64) -> Result<u64, StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let done = sqlx::query(
        "delete from idempotency_keys where id in \
         (select id from idempotency_keys where created_at_us < ? limit ?)",
    )
    .bind(before_us)
    .bind(chunk)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// [`super::Sql`] over a SQLite pool.
#[derive(Debug)]
pub(super) struct Sql(pub(super) SqlitePool);

#[async_trait::async_trait]
impl super::Sql for Sql {
    async fn find(&self, id: &str, not_before_us: i64) -> Result<Option<StoredAnswer>, StoreError> {
        find(&self.0, id, not_before_us).await
    }

    async fn remember(
        &self,
        id: &str,
        answer: &StoredAnswer,
        at_us: i64,
    ) -> Result<(), StoreError> {
        remember(&self.0, id, answer, at_us).await
    }

    async fn purge(&self, before_us: i64, chunk: i64) -> Result<u64, StoreError> {
        purge(&self.0, before_us, chunk).await
    }

    async fn count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("select count(*) from idempotency_keys")
            .fetch_one(&self.0)
            .await?)
    }
}
