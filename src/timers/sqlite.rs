//! SQLite SQL for timers. Claims run under `BEGIN IMMEDIATE`: one claimer at a time, even
//! across processes sharing the file.

use sqlx::sqlite::SqlitePool;
use sqlx::{Row, Sqlite, Transaction};

use super::{TimerGroup, TimerRow};
use crate::documents::fixed_chunks;
use crate::event_store::StoreError;

/// A group of timer writes (see [`super::steps`]): its cancels, then its schedules, each
/// as multi-row statements of a few fixed sizes. `+status` keeps SQLite on the by-case index.
pub(crate) async fn apply(
    tx: &mut Transaction<'static, Sqlite>,
    group: &TimerGroup<'_>,
) -> Result<(), StoreError> {
    for range in fixed_chunks(group.cancel_cases.len()) {
        let chunk = &group.cancel_cases[range];
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "update timers set status = 'cancelled' where +status = 'pending' and case_id in ({marks})"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for case in chunk {
            query = query.bind(*case);
        }
        query.execute(&mut **tx).await?;
    }
    for range in fixed_chunks(group.cancel_tasks.len()) {
        let chunk = &group.cancel_tasks[range];
        let terms = vec!["(case_id = ? and task_id = ?)"; chunk.len()].join(" or ");
        let sql = format!(
            "update timers set status = 'cancelled' where +status = 'pending' and ({terms})"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (case, task) in chunk {
            query = query.bind(*case).bind(*task);
        }
        query.execute(&mut **tx).await?;
    }
    for range in fixed_chunks(group.schedule.len()) {
        let chunk = &group.schedule[range];
        let values = vec!["(?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "insert into timers (id, case_id, task_id, kind, due_at_us) values {values} \
             on conflict (id) do nothing"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for t in chunk {
            query = query
                .bind(&t.id)
                .bind(&t.case_id)
                .bind(&t.task_id)
                .bind(&t.kind)
                .bind(t.due_at_us);
        }
        query.execute(&mut **tx).await?;
    }
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
