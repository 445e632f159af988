//! PostgreSQL SQL for the outbox: the writes made inside an append, and the reads and updates
//! the dispatcher and the API make outside one. Claims are [`crate::lease`]'s (`FOR UPDATE
//! SKIP LOCKED`: several nodes take disjoint rows, so each e-mail is sent by one of them).

use async_trait::async_trait;
use sqlx::postgres::PgPool;
use sqlx::{Postgres, Transaction};

use super::{
    Claimed, DUE_ROWS, Notification, NotificationQuery, OutboxBackend, OutboxRow, Outcome,
};
use crate::event_store::StoreError;
use crate::lease::Lease;

/// Queues e-mails in one `unnest` insert; a row whose id is queued already is skipped.
pub(crate) async fn enqueue_many(
    tx: &mut Transaction<'static, Postgres>,
    rows: &[&OutboxRow],
) -> Result<(), StoreError> {
    let text = |f: fn(&OutboxRow) -> &str| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    sqlx::query(
        "insert into outbox (id, case_id, event_id, member_id, to_address, locale, template, \
         subject, body_text, body_html, next_attempt_at_us, created_at_us, to_name) \
         select id, case_id, event_id, member_id, to_address, locale, template, subject, \
         body_text, body_html, at, at, to_name from unnest($1::text[], $2::text[], $3::text[], \
         $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], \
         $11::bigint[], $12::text[]) as r(id, case_id, event_id, member_id, to_address, locale, \
         template, subject, body_text, body_html, at, to_name) \
         on conflict (id) do nothing",
    )
    .bind(text(|r| &r.id))
    .bind(
        rows.iter()
            .map(|r| r.case_id.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(text(|r| &r.event_id))
    .bind(text(|r| &r.member_id))
    .bind(text(|r| &r.to_address))
    .bind(text(|r| &r.locale))
    .bind(text(|r| &r.template))
    .bind(text(|r| &r.subject))
    .bind(text(|r| &r.body_text))
    .bind(text(|r| &r.body_html))
    .bind(rows.iter().map(|r| r.created_at_us).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.to_name.as_deref())
            .collect::<Vec<_>>(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records final outcomes (distinct by id), all in one statement over parallel arrays.
pub(crate) async fn finish_many(
    tx: &mut Transaction<'static, Postgres>,
    outcomes: &[&Outcome],
) -> Result<(), StoreError> {
    sqlx::query(
        "update outbox set status = done.status, attempts = done.attempts, \
         last_error = done.error, \
         sent_at_us = case when done.status = 'sent' then done.at_us else outbox.sent_at_us end, \
         lease_until_us = null \
         from unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::int8[]) \
          as done(id, status, attempts, error, at_us) \
         where outbox.id = done.id",
    )
    .bind(outcomes.iter().map(|o| o.id.as_str()).collect::<Vec<_>>())
    .bind(outcomes.iter().map(|o| o.status).collect::<Vec<_>>())
    .bind(outcomes.iter().map(|o| o.attempts).collect::<Vec<_>>())
    .bind(
        outcomes
            .iter()
            .map(|o| o.error.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(outcomes.iter().map(|o| o.at_us).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The outbox's SQL outside an append.
#[derive(Debug)]
pub(crate) struct PostgresOutbox(pub PgPool);

#[async_trait]
impl OutboxBackend for PostgresOutbox {
    async fn claim_due(&self, lease: Lease<'_>) -> Result<Vec<Claimed>, StoreError> {
        crate::lease::postgres::claim(&self.0, &DUE_ROWS, lease).await
    }

    async fn retry(
        &self,
        id: &str,
        attempts: i32,
        next_us: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("update outbox set attempts = $1, next_attempt_at_us = $2, last_error = $3, lease_until_us = null where id = $4")
        .bind(attempts)
        .bind(next_us)
        .bind(error)
        .bind(id)
        .execute(&self.0)
        .await?;
        Ok(())
    }

    async fn list(&self, q: &NotificationQuery) -> Result<Vec<Notification>, StoreError> {
        Ok(sqlx::query_as(
        "select id, case_id, to_address, member_id, template, subject, status, attempts, last_error, event_id \
         from outbox where ($1::text is null or case_id = $1) and ($2::text is null or status = $2) \
         and ($3::text is null or id > $3) order by id limit $4",
    )
    .bind(&q.case_id)
    .bind(&q.status)
    .bind(&q.after)
    .bind(q.limit)
    .fetch_all(&self.0)
    .await?)
    }

    async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar(
                "select min(next_attempt_at_us) from outbox where status = 'queued'",
            )
            .fetch_one(&self.0)
            .await?,
        )
    }

    async fn queued(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("select count(*) from outbox where status = 'queued'")
                .fetch_one(&self.0)
                .await?,
        )
    }
}
