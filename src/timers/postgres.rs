//! PostgreSQL SQL for timers: the writes made inside an append, and the updates and reads the
//! scheduler makes outside one. Claims are [`crate::lease`]'s (`FOR UPDATE SKIP LOCKED`, so
//! schedulers on several nodes take disjoint sets of due timers without waiting on each other).

use async_trait::async_trait;
use sqlx::postgres::PgPool;
use sqlx::{Postgres, Transaction};

use super::{DUE_ROWS, TimerGroup, TimerRow, TimersBackend};
use crate::event_store::StoreError;
use crate::lease::Lease;

/// A group of timer writes (see [`super::steps`]): its cancels, then its schedules, one
/// statement each over arrays.
pub(crate) async fn apply(
    tx: &mut Transaction<'static, Postgres>,
    group: &TimerGroup<'_>,
) -> Result<(), StoreError> {
    if !group.cancel_cases.is_empty() {
        sqlx::query(
            "update timers set status = 'cancelled' where status = 'pending' \
             and case_id = any($1::text[])",
        )
        .bind(&group.cancel_cases)
        .execute(&mut **tx)
        .await?;
    }
    if !group.cancel_tasks.is_empty() {
        let (cases, tasks): (Vec<&str>, Vec<&str>) = group.cancel_tasks.iter().copied().unzip();
        sqlx::query(
            "update timers set status = 'cancelled' \
             from unnest($1::text[], $2::text[]) as c(case_id, task_id) \
             where timers.status = 'pending' and timers.case_id = c.case_id \
             and timers.task_id = c.task_id",
        )
        .bind(cases)
        .bind(tasks)
        .execute(&mut **tx)
        .await?;
    }
    if !group.schedule.is_empty() {
        let rows = &group.schedule;
        sqlx::query(
            "insert into timers (id, case_id, task_id, kind, due_at_us) \
             select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) \
             on conflict (id) do nothing",
        )
        .bind(rows.iter().map(|t| t.id.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.case_id.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|t| t.task_id.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|t| t.kind.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.due_at_us).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
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

/// The timers' SQL outside an append.
#[derive(Debug)]
pub(crate) struct PostgresTimers(pub PgPool);

#[async_trait]
impl TimersBackend for PostgresTimers {
    async fn claim_due(&self, lease: Lease<'_>) -> Result<Vec<TimerRow>, StoreError> {
        crate::lease::postgres::claim(&self.0, &DUE_ROWS, lease).await
    }

    async fn complete(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("update timers set status = 'fired' where id = $1")
            .bind(id)
            .execute(&self.0)
            .await?;
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
        sqlx::query(
            "update timers set due_at_us = $1, claimed_by = null, lease_until_us = null \
         where id = $2 and status = 'pending'",
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
         where status = 'pending' and due_at_us > $1 and due_at_us <= $2 order by case_id",
        )
        .bind(after_us)
        .bind(until_us)
        .fetch_all(&self.0)
        .await?)
    }
}
