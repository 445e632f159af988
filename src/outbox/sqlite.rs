//! SQLite SQL for the outbox.

use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::{Claimed, Notification, NotificationQuery, OutboxRow};
use crate::event_store::StoreError;

/// Queues e-mails with multi-row inserts; a row whose id is queued already is skipped.
pub(crate) async fn enqueue_many(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[&OutboxRow],
) -> Result<(), StoreError> {
    for range in crate::documents::fixed_chunks(rows.len()) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "insert into outbox (id, case_id, event_id, member_id, to_address, locale, template, \
             subject, body_text, body_html, next_attempt_at_us, created_at_us, to_name) ",
        );
        insert.push_values(&rows[range], |mut values, r| {
            values
                .push_bind(&r.id)
                .push_bind(&r.case_id)
                .push_bind(&r.event_id)
                .push_bind(&r.member_id)
                .push_bind(&r.to_address)
                .push_bind(&r.locale)
                .push_bind(&r.template)
                .push_bind(&r.subject)
                .push_bind(&r.body_text)
                .push_bind(&r.body_html)
                .push_bind(r.created_at_us)
                .push_bind(r.created_at_us)
                .push_bind(&r.to_name);
        });
        insert.push(" on conflict (id) do nothing");
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Records a final outcome: `sent`, or `failed` with the last error.
pub(crate) async fn finish(
    tx: &mut Transaction<'static, Sqlite>,
    id: &str,
    status: &str,
    attempts: i32,
    error: Option<&str>,
    at_us: i64,
) -> Result<(), StoreError> {
    sqlx::query("update outbox set status = ?, attempts = ?, last_error = ?, sent_at_us = case when ? = 'sent' then ? else sent_at_us end, lease_until_us = null where id = ?")
        .bind(status)
        .bind(attempts)
        .bind(error)
        .bind(status)
        .bind(at_us)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn retry(
    pool: &SqlitePool,
    id: &str,
    attempts: i32,
    next_us: i64,
    error: &str,
) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("update outbox set attempts = ?, next_attempt_at_us = ?, last_error = ?, lease_until_us = null where id = ?")
        .bind(attempts)
        .bind(next_us)
        .bind(error)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn claim_due(
    pool: &SqlitePool,
    node: &str,
    now_us: i64,
    lease_us: i64,
    limit: i64,
) -> Result<Vec<Claimed>, StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let claimed: Vec<Claimed> = sqlx::query_as(
        "select * from outbox where status = 'queued' and next_attempt_at_us <= ?1 \
         and (lease_until_us is null or lease_until_us < ?1) order by next_attempt_at_us limit ?2",
    )
    .bind(now_us)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    for item in &claimed {
        sqlx::query("update outbox set claimed_by = ?, lease_until_us = ? where id = ?")
            .bind(node)
            .bind(now_us + lease_us)
            .bind(&item.row.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

pub(crate) async fn list(
    pool: &SqlitePool,
    q: &NotificationQuery,
) -> Result<Vec<Notification>, StoreError> {
    Ok(sqlx::query_as(
        "select id, case_id, to_address, member_id, template, subject, status, attempts, last_error, event_id \
         from outbox where (?1 is null or case_id = ?1) and (?2 is null or status = ?2) \
         and (?3 is null or id > ?3) order by id limit ?4",
    )
    .bind(&q.case_id)
    .bind(&q.status)
    .bind(&q.after)
    .bind(q.limit)
    .fetch_all(pool)
    .await?)
}

pub(crate) async fn next_due(pool: &SqlitePool) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("select min(next_attempt_at_us) from outbox where status = 'queued'")
            .fetch_one(pool)
            .await?,
    )
}

pub(crate) async fn queued(pool: &SqlitePool) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("select count(*) from outbox where status = 'queued'")
            .fetch_one(pool)
            .await?,
    )
}
