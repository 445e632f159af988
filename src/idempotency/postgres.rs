//! PostgreSQL SQL for the idempotency keys.

use sqlx::postgres::PgPool;

use super::StoredAnswer;
use crate::event_store::StoreError;

pub(super) async fn find(
    pool: &PgPool,
    id: &str,
    not_before_us: i64,
) -> Result<Option<StoredAnswer>, StoreError> {
    let answer = sqlx::query_as(
        "select fingerprint, status, body from idempotency_keys \
         where id = $1 and created_at_us >= $2",
    )
    .bind(id)
    .bind(not_before_us)
    .fetch_optional(pool)
    .await?;
    Ok(answer)
}

pub(super) async fn remember(
    pool: &PgPool,
    id: &str,
    answer: &StoredAnswer,
    at_us: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into idempotency_keys (id, fingerprint, status, body, created_at_us) \
         values ($1, $2, $3, $4, $5) \
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

pub(super) async fn purge(pool: &PgPool, before_us: i64, chunk: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "delete from idempotency_keys where id in \
         (select id from idempotency_keys where created_at_us < $1 limit $2)",
    )
    .bind(before_us)
    .bind(chunk)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
