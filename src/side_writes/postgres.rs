//! [`Tables`] on PostgreSQL: each write is the owning module's SQL, run in the batch's transaction.

use async_trait::async_trait;
use sqlx::{Postgres, Transaction};

use super::Tables;
use crate::credentials::Credential;
use crate::db::DbError;
use crate::documents::{CaseAgency, Document};
use crate::outbox::{OutboxRow, Outcome};
use crate::timers::TimerGroup;

pub(crate) struct PgTables<'t>(pub &'t mut Transaction<'static, Postgres>);

#[async_trait]
impl Tables for PgTables<'_> {
    async fn upsert_documents(&mut self, docs: &[&Document]) -> Result<(), DbError> {
        crate::documents::upsert_many_postgres(self.0, docs).await
    }

    async fn upsert_case_agencies(&mut self, rows: &[&CaseAgency]) -> Result<(), DbError> {
        crate::documents::upsert_case_agencies_postgres(self.0, rows).await
    }

    async fn enqueue(&mut self, mails: &[&OutboxRow]) -> Result<(), DbError> {
        crate::outbox::postgres::enqueue_many(self.0, mails).await
    }

    async fn insert_credential(&mut self, credential: &Credential) -> Result<(), DbError> {
        crate::credentials::insert_postgres(self.0, credential).await
    }

    async fn apply_timers(&mut self, group: &TimerGroup<'_>) -> Result<(), DbError> {
        crate::timers::postgres::apply(self.0, group).await
    }

    async fn complete_timer(&mut self, id: &str) -> Result<(), DbError> {
        crate::timers::postgres::complete(self.0, id).await
    }

    async fn finish_notifications(&mut self, outcomes: &[&Outcome]) -> Result<(), DbError> {
        crate::outbox::postgres::finish_many(self.0, outcomes).await
    }
}
