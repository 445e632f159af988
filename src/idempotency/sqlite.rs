//! SQLite SQL for the idempotency keys.

use sqlx::sqlite::SqlitePool;

use super::StoredAnswer;
use crate::event_store::StoreError;

pub(super) async fn find(
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

pub(super) async fn remember(
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

pub(super) async fn purge(
    pool: &SqlitePool,
    before_us: i64,
    chunk: i64,
) -> Result<u64, StoreError> {
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
