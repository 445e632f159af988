//! [`Tables`] on SQLite: each write is the owning module's SQL, run in the batch's transaction.

use async_trait::async_trait;
use sqlx::{Sqlite, Transaction};

use super::Tables;
use crate::credentials::Credential;
use crate::db::DbError;
use crate::documents::{CaseAgency, Document};
use crate::outbox::{OutboxRow, Outcome};
use crate::timers::TimerGroup;

pub(crate) struct SqliteTables<'t>(pub &'t mut Transaction<'static, Sqlite>);

#[async_trait]
impl Tables for SqliteTables<'_> {
    async fn upsert_documents(&mut self, docs: &[&Document]) -> Result<(), DbError> {
        crate::documents::upsert_many_sqlite(self.0, docs).await
    }

    async fn upsert_case_agencies(&mut self, rows: &[&CaseAgency]) -> Result<(), DbError> {
        crate::documents::upsert_case_agencies_sqlite(self.0, rows).await
    }

    async fn enqueue(&mut self, mails: &[&OutboxRow]) -> Result<(), DbError> {
        crate::outbox::sqlite::enqueue_many(self.0, mails).await
    }

    async fn insert_credential(&mut self, credential: &Credential) -> Result<(), DbError> {
        crate::credentials::insert_sqlite(self.0, credential).await
    }

    async fn apply_timers(&mut self, group: &TimerGroup<'_>) -> Result<(), DbError> {
        crate::timers::sqlite::apply(self.0, group).await
    }

    async fn complete_timer(&mut self, id: &str) -> Result<(), DbError> {
        crate::timers::sqlite::complete(self.0, id).await
    }

    async fn finish_notifications(&mut self, outcomes: &[&Outcome]) -> Result<(), DbError> {
        crate::outbox::sqlite::finish_many(self.0, outcomes).await
    }
}
