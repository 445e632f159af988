//! SQLite SQL for timers: the writes made inside an append, and the updates and reads the
//! scheduler makes outside one. Claims are [`crate::lease`]'s (under `BEGIN IMMEDIATE`: one
//! claimer at a time, even across processes sharing the file).

use async_trait::async_trait;
use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::{DUE_ROWS, TimerGroup, TimerRow, TimersBackend};
use crate::db::fixed_chunks;
use crate::event_store::StoreError;
use crate::lease::Lease;

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

/// The timers' SQL outside an append.
#[derive(Debug)]
pub(crate) struct SqliteTimers(pub SqlitePool);

#[async_trait]
impl TimersBackend for SqliteTimers {
    async fn claim_due(&self, lease: Lease<'_>) -> Result<Vec<TimerRow>, StoreError> {
        crate::lease::sqlite::claim(&self.0, &DUE_ROWS, lease).await
    }

    async fn complete(&self, id: &str) -> Result<(), StoreError> {
        let _turn = crate::db::sqlite_write_turn(&self.0).await;
        let mut tx = self.0.begin_with("BEGIN IMMEDIATE").await?;
        complete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("select min(due_at_us) from timers where status = 'pending'")
                .fetch_one(&self.0)
                .await?,
        )
    }

    async fn pending(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("select count(*) from timers where status = 'pending'")
                .fetch_one(&self.0)
                .await?,
        )
    }

    async fn postpone(&self, id: &str, due_at_us: i64) -> Result<(), StoreError> {
        let _turn = crate::db::sqlite_write_turn(&self.0).await;
        sqlx::query(
            "update timers set due_at_us = ?, claimed_by = null, lease_until_us = null \
         where id = ? and status = 'pending'",
        )
        .bind(due_at_us)
        .bind(id)
        .execute(&self.0)
        .await?;
        Ok(())
    }

    async fn cases_due_between(
        &self,
        after_us: i64,
        until_us: i64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "select distinct case_id from timers \
         where status = 'pending' and due_at_us > ? and due_at_us <= ? order by case_id",
        )
        .bind(after_us)
        .bind(until_us)
        .fetch_all(&self.0)
        .await?)
    }
}
