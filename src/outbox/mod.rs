//! The e-mail outbox table. Rows are enqueued only as side writes of an append (so a
//! notification exists exactly when its cause does); the dispatcher claims due rows with a
//! lease, like timers, so with several nodes each e-mail is sent by one node at a time.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use serde::{Deserialize, Serialize};

use crate::db::Database;
use crate::event_store::StoreError;

/// A notification as enqueued: rendered, addressed, waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: String,
    pub case_id: Option<String>,
    pub event_id: String,
    pub member_id: String,
    pub to_address: String,
    /// The recipient's name for the `To:` header (`None` on rows queued before names were
    /// kept).
    pub to_name: Option<String>,
    pub locale: String,
    pub template: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at_us: i64,
}

/// A row as listed for `/v1/notifications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub case_id: Option<String>,
    pub to: String,
    pub member_id: String,
    pub template: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub caused_by_event: String,
}

/// A claimed row, for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub row: OutboxRow,
    pub attempts: i32,
}

#[derive(Debug, Clone, Default)]
pub struct NotificationQuery {
    pub case_id: Option<String>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

#[derive(Clone, Debug)]
pub struct Outbox {
    database: Database,
}

impl Outbox {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    pub async fn claim_due(
        &self,
        node: &str,
        now_us: i64,
        lease_us: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::claim_due(pool, node, now_us, lease_us, limit).await,
            Database::Postgres(pool) => {
                postgres::claim_due(pool, node, now_us, lease_us, limit).await
            }
        }
    }

    /// A failed attempt that will be tried again at `next_us`.
    pub async fn retry(
        &self,
        id: &str,
        attempts: i32,
        next_us: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::retry(pool, id, attempts, next_us, error).await,
            Database::Postgres(pool) => postgres::retry(pool, id, attempts, next_us, error).await,
        }
    }

    pub async fn list(&self, query: &NotificationQuery) -> Result<Vec<Notification>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::list(pool, query).await,
            Database::Postgres(pool) => postgres::list(pool, query).await,
        }
    }

    /// The earliest time a queued row becomes due.
    pub async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::next_due(pool).await,
            Database::Postgres(pool) => postgres::next_due(pool).await,
        }
    }

    /// How many notifications wait (for `/metrics`).
    pub async fn queued(&self) -> Result<i64, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::queued(pool).await,
            Database::Postgres(pool) => postgres::queued(pool).await,
        }
    }
}
