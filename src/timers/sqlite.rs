//! SQLite SQL for timers. Claims run under `BEGIN IMMEDIATE`: one claimer at a time, even
//! across processes sharing the file.

use sqlx::sqlite::SqlitePool;
use sqlx::{Row, Sqlite, Transaction};

use super::TimerRow;
use crate::event_store::StoreError;

pub(crate) async fn schedule(
    tx: &mut Transaction<'static, Sqlite>,
    t: &TimerRow,
) -> Result<(), StoreError> {
    sqlx::query("insert into timers (id, case_id, task_id, kind, due_at_us) values (?, ?, ?, ?, ?) on conflict (id) do nothing")
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
    tx: &mut Transaction<'static, Sqlite>,
    case_id: &str,
    task_id: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("update timers set status = 'cancelled' where status = 'pending' and case_id = ?1 and (?2 is null or task_id = ?2)")
        .bind(case_id)
        .bind(task_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn complete(
    tx: &mut Transaction<'static, Sqlite>,
    id: &str,
) -> Result<(), StoreError> {
    sqlx::query("update timers set status = 'fired' where id = ?")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(crate) async fn complete_now(pool: &SqlitePool, id: &str) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    complete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn claim_due(
    pool: &SqlitePool,
    node: &str,
    now_us: i64,
    lease_us: i64,
    limit: i64,
) -> Result<Vec<TimerRow>, StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let rows = sqlx::query(
        "select id, case_id, task_id, kind, due_at_us from timers \
         where (status = 'pending' and due_at_us <= ?1 and (lease_until_us is null or lease_until_us < ?1)) \
         order by due_at_us limit ?2",
    )
    .bind(now_us)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let timer = TimerRow {
            id: row.try_get(0)?,
            case_id: row.try_get(1)?,
            task_id: row.try_get(2)?,
            kind: row.try_get(3)?,
            due_at_us: row.try_get(4)?,
        };
        sqlx::query("update timers set claimed_by = ?, lease_until_us = ? where id = ?")
            .bind(node)
            .bind(now_us + lease_us)
            .bind(&timer.id)
            .execute(&mut *tx)
            .await?;
        claimed.push(timer);
    }
    tx.commit().await?;
    Ok(claimed)
}

pub(crate) async fn next_due(pool: &SqlitePool) -> Result<Option<i64>, StoreError> {
    Ok(
        sqlx::query_scalar("select min(due_at_us) from timers where status = 'pending'")
            .fetch_one(pool)
            .await?,
    )
}

pub(crate) async fn pending(pool: &SqlitePool) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("select count(*) from timers where status = 'pending'")
            .fetch_one(pool)
            .await?,
    )
}
