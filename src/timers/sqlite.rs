//! SQLite SQL for timers: the writes made inside an append, and the updates and reads the
//! scheduler makes outside one. Claims are [`crate::lease`]'s (under `BEGIN IMMEDIATE`: one
//! claimer at a time, even across processes sharing the file).

use async_trait::async_trait;
use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};

use super::{DUE_ROWS, TimerGroup, TimerRow, TimersBackend};
use crate::event_store::StoreError;
use crate::lease::Lease;

/// A group of timer writes (see [`super::steps`]): its cancels by case (`?1`, a JSON array
/// of case ids) and by task (`?2`, of `[case_id, task_id]`), then its schedules (`?3`, of
/// `[id, case_id, task_id, kind, due_at_us]`): three statements, prepared once, run in one
/// hand-off. `+status` keeps SQLite on the by-case index.
const APPLY: &str = "\
    update timers set status = 'cancelled' \
    where +status = 'pending' and case_id in (select value from json_each(?1)); \
    update timers set status = 'cancelled' \
    where +status = 'pending' \
     and (case_id, task_id) in (select value ->> 0, value ->> 1 from json_each(?2)); \
    insert into timers (id, case_id, task_id, kind, due_at_us) \
    select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 \
    from json_each(?3) where true \
    on conflict (id) do nothing";

pub(crate) async fn apply(
    tx: &mut Transaction<'static, Sqlite>,
    group: &TimerGroup<'_>,
) -> Result<(), StoreError> {
    let schedule: Vec<_> = group
        .schedule
        .iter()
        .map(|t| (&t.id, &t.case_id, &t.task_id, &t.kind, t.due_at_us))
        .collect();
    sqlx::query(APPLY)
        .bind(json(&group.cancel_cases))
        .bind(json(&group.cancel_tasks))
        .bind(json(&schedule))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("timer rows serialize")
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
