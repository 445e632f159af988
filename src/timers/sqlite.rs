//! SQLite SQL for timers. Claims run under `BEGIN IMMEDIATE`: one claimer at a time, even
//! across processes sharing the file.

use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Sqlite, Transaction};

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
        let mut cancel = QueryBuilder::<Sqlite>::new(
            "update timers set status = 'cancelled' where +status = 'pending' and case_id in (",
        );
        let mut cases = cancel.separated(", ");
        for case in &group.cancel_cases[range] {
            cases.push_bind(*case);
        }
        cancel.push(")").build().execute(&mut **tx).await?;
    }
    for range in fixed_chunks(group.cancel_tasks.len()) {
        let mut cancel = QueryBuilder::<Sqlite>::new(
            "update timers set status = 'cancelled' where +status = 'pending' and (",
        );
        let mut terms = cancel.separated(" or ");
        for (case, task) in &group.cancel_tasks[range] {
            terms
                .push("(case_id = ")
                .push_bind_unseparated(*case)
                .push_unseparated(" and task_id = ")
                .push_bind_unseparated(*task)
                .push_unseparated(")");
        }
        cancel.push(")").build().execute(&mut **tx).await?;
    }
    for range in fixed_chunks(group.schedule.len()) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "insert into timers (id, case_id, task_id, kind, due_at_us) ",
        );
        insert.push_values(&group.schedule[range], |mut values, t| {
            values
                .push_bind(&t.id)
                .push_bind(&t.case_id)
                .push_bind(&t.task_id)
                .push_bind(&t.kind)
                .push_bind(t.due_at_us);
        });
        insert.push(" on conflict (id) do nothing");
        insert.build().execute(&mut **tx).await?;
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
    let claimed: Vec<TimerRow> = sqlx::query_as(
        "select id, case_id, task_id, kind, due_at_us from timers \
         where (status = 'pending' and due_at_us <= ?1 and (lease_until_us is null or lease_until_us < ?1)) \
         order by due_at_us limit ?2",
    )
    .bind(now_us)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    for timer in &claimed {
        sqlx::query("update timers set claimed_by = ?, lease_until_us = ? where id = ?")
            .bind(node)
            .bind(now_us + lease_us)
            .bind(&timer.id)
            .execute(&mut *tx)
            .await?;
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

pub(crate) async fn postpone(
    pool: &SqlitePool,
    id: &str,
    due_at_us: i64,
) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query(
        "update timers set due_at_us = ?, claimed_by = null, lease_until_us = null \
         where id = ? and status = 'pending'",
    )
    .bind(due_at_us)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

pub(crate) async fn cases_due_between(
    pool: &SqlitePool,
    after_us: i64,
    until_us: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "select distinct case_id from timers \
         where status = 'pending' and due_at_us > ? and due_at_us <= ? order by case_id",
    )
    .bind(after_us)
    .bind(until_us)
    .fetch_all(pool)
    .await?)
}
