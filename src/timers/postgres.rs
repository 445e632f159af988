//! PostgreSQL SQL for timers. Claims use `FOR UPDATE SKIP LOCKED`, so schedulers on several
//! nodes take disjoint sets of due timers without waiting on each other.

use sqlx::postgres::PgPool;
use sqlx::{Postgres, Row, Transaction};

use super::TimerRow;
use crate::event_store::StoreError;

pub(crate) async fn schedule(
    tx: &mut Transaction<'static, Postgres>,
    t: &TimerRow,
) -> Result<(), StoreError> {
    sqlx::query("insert into timers (id, case_id, task_id, kind, due_at_us) values ($1, $2, $3, $4, $5) on conflict (id) do nothing")
        .bind(&t.id)
        .bind(&t.case_id)
        .bind(&t.task_id)
        .bind(&t.kind)
        .bind(t.due_at_us)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn cancel(
    tx: &mut Transaction<'static, Postgres>,
    case_id: &str,
    task_id: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("update timers set status = 'cancelled' where status = 'pending' and case_id = $1 and ($2::text is null or task_id = $2)")
        .bind(case_id)
        .bind(task_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn complete(
    tx: &mut Transaction<'static, Postgres>,
    id: &str,
) -> Result<(), StoreError> {
    sqlx::query("update timers set status = 'fired' where id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn complete_now(pool: &PgPool, id: &str) -> Result<(), StoreError> {
    sqlx::query("update timers set status = 'fired' where id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn claim_due(
    pool: &PgPool,
    node: &str,
    now_us: i64,
    lease_us: i64,
    limit: i64,
) -> Result<Vec<TimerRow>, StoreError> {
    let rows = sqlx::query(
        "update timers set claimed_by = $1, lease_until_us = $2 + $3 where id in ( \
             select id from timers where status = 'pending' and due_at_us <= $2 \
             and (lease_until_us is null or lease_until_us < $2) \
             order by due_at_us limit $4 for update skip locked) \
         returning id, case_id, task_id, kind, due_at_us",
    )
    .bind(node)
    .bind(now_us)
    .bind(lease_us)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TimerRow {
                id: row.try_get(0)?,
                case_id: row.try_get(1)?,
                task_id: row.try_get(2)?,
                kind: row.try_get(3)?,
                due_at_us: row.try_get(4)?,
            })
        })
        .collect()
}

pub(crate) async fn next_due(pool: &PgPool) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("select min(due_at_us) from timers where status = 'pending'")
            .fetch_one(pool)
            .await?,
    )
}

pub(crate) async fn pending(pool: &PgPool) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("select count(*) from timers where status = 'pending'")
            .fetch_one(pool)
            .await?,
    )
}
