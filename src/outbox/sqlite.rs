//! SQLite SQL for the outbox: the writes made inside an append, and the reads and updates
//! the dispatcher and the API make outside one. The claim is [`crate::lease`]'s.

use async_trait::async_trait;
use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};

use super::{
    Claimed, DUE_ROWS, Notification, NotificationQuery, OutboxBackend, OutboxRow, Outcome,
};
use crate::event_store::StoreError;
use crate::lease::Lease;

/// Queues e-mails in one statement, from a JSON array of their columns (each row in three
/// groups: serde writes tuples of up to twelve); a row whose id is queued already is skipped.
pub(crate) async fn enqueue_many(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[&OutboxRow],
) -> Result<(), StoreError> {
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                (&r.id, &r.case_id, &r.event_id, &r.member_id, &r.to_address),
                (
                    &r.locale,
                    &r.template,
                    &r.subject,
                    &r.body_text,
                    &r.body_html,
                ),
                (r.created_at_us, &r.to_name),
            )
        })
        .collect();
    sqlx::query(
        "insert into outbox (id, case_id, event_id, member_id, to_address, locale, template, \
          subject, body_text, body_html, next_attempt_at_us, created_at_us, to_name) \
         select value ->> '$[0][0]', value ->> '$[0][1]', value ->> '$[0][2]', \
          value ->> '$[0][3]', value ->> '$[0][4]', value ->> '$[1][0]', value ->> '$[1][1]', \
          value ->> '$[1][2]', value ->> '$[1][3]', value ->> '$[1][4]', value ->> '$[2][0]', \
          value ->> '$[2][0]', value ->> '$[2][1]' \
         from json_each(?1) where true \
         on conflict (id) do nothing",
    )
    .bind(serde_json::to_string(&rows).expect("e-mails serialize"))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records final outcomes (distinct by id), all in one statement: the outcomes travel as
/// one JSON array of `[id, status, attempts, error, at_us]`.
pub(crate) async fn finish_many(
    tx: &mut Transaction<'static, Sqlite>,
    outcomes: &[&Outcome],
) -> Result<(), StoreError> {
    let rows: Vec<_> = outcomes
        .iter()
        .map(|o| (&o.id, o.status, o.attempts, &o.error, o.at_us))
        .collect();
    sqlx::query(
        "update outbox set status = done.value ->> 1, attempts = done.value ->> 2, \
         last_error = done.value ->> 3, \
         sent_at_us = case when done.value ->> 1 = 'sent' then done.value ->> 4 \
          else sent_at_us end, \
         lease_until_us = null \
         from json_each(?1) as done where outbox.id = done.value ->> 0",
    )
    .bind(serde_json::to_string(&rows).expect("outcomes serialize"))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The outbox's SQL outside an append.
#[derive(Debug)]
pub(crate) struct SqliteOutbox(pub SqlitePool);

#[async_trait]
impl OutboxBackend for SqliteOutbox {
    async fn claim_due(&self, lease: Lease<'_>) -> Result<Vec<Claimed>, StoreError> {
        crate::lease::sqlite::claim(&self.0, &DUE_ROWS, lease).await
    }

    async fn retry(
        &self,
        id: &str,
        attempts: i32,
        next_us: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        let _turn = crate::db::sqlite_write_turn(&self.0).await;
        sqlx::query("update outbox set attempts = ?, next_attempt_at_us = ?, last_error = ?, lease_until_us = null where id = ?")
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
         from outbox where (?1 is null or case_id = ?1) and (?2 is null or status = ?2) \
         and (?3 is null or id > ?3) order by id limit ?4",
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
