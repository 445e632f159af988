//! SQLite SQL for the outbox.

use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Row, Sqlite, Transaction};

use super::{Claimed, Notification, NotificationQuery, OutboxRow};
use crate::event_store::StoreError;

/// Queues e-mails with multi-row inserts; a row whose id is queued already is skipped.
pub(crate) async fn enqueue_many(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[&OutboxRow],
) -> Result<(), StoreError> {
    for range in crate::documents::fixed_chunks(rows.len()) {
        let chunk = &rows[range];
        let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "insert into outbox (id, case_id, event_id, member_id, to_address, locale, template, \
             subject, body_text, body_html, next_attempt_at_us, created_at_us, to_name) values {values} \
             on conflict (id) do nothing"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            query = query
                .bind(&r.id)
                .bind(&r.case_id)
                .bind(&r.event_id)
                .bind(&r.member_id)
                .bind(&r.to_address)
                .bind(&r.locale)
                .bind(&r.template)
                .bind(&r.subject)
                .bind(&r.body_text)
                .bind(&r.body_html)
                .bind(r.created_at_us)
                .bind(r.created_at_us)
                .bind(&r.to_name);
        }
        query.execute(&mut **tx).await?;
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

fn row(r: &SqliteRow) -> Result<OutboxRow, sqlx::Error> {
    Ok(OutboxRow {
        id: r.try_get("id")?,
        case_id: r.try_get("case_id")?,
        event_id: r.try_get("event_id")?,
        member_id: r.try_get("member_id")?,
        to_address: r.try_get("to_address")?,
        to_name: r.try_get("to_name")?,
        locale: r.try_get("locale")?,
        template: r.try_get("template")?,
        subject: r.try_get("subject")?,
        body_text: r.try_get("body_text")?,
        body_html: r.try_get("body_html")?,
        created_at_us: r.try_get("created_at_us")?,
    })
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
    let rows = sqlx::query(
        "select * from outbox where status = 'queued' and next_attempt_at_us <= ?1 \
         and (lease_until_us is null or lease_until_us < ?1) order by next_attempt_at_us limit ?2",
    )
    .bind(now_us)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for r in &rows {
        let item = Claimed {
            row: row(r)?,
            attempts: r.try_get("attempts")?,
        };
        sqlx::query("update outbox set claimed_by = ?, lease_until_us = ? where id = ?")
            .bind(node)
            .bind(now_us + lease_us)
            .bind(&item.row.id)
            .execute(&mut *tx)
            .await?;
        claimed.push(item);
    }
    tx.commit().await?;
    Ok(claimed)
}

pub(crate) async fn list(
    pool: &SqlitePool,
    q: &NotificationQuery,
) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query(
        "select id, case_id, to_address, member_id, template, subject, status, attempts, last_error, event_id \
         from outbox where (?1 is null or case_id = ?1) and (?2 is null or status = ?2) \
         and (?3 is null or id > ?3) order by id limit ?4",
    )
    .bind(&q.case_id)
    .bind(&q.status)
    .bind(&q.after)
    .bind(q.limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get(0)?,
                case_id: r.try_get(1)?,
                to: r.try_get(2)?,
                member_id: r.try_get(3)?,
                template: r.try_get(4)?,
                subject: r.try_get(5)?,
                status: r.try_get(6)?,
                attempts: r.try_get(7)?,
                last_error: r.try_get(8)?,
                caused_by_event: r.try_get(9)?,
            })
        })
        .collect()
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
