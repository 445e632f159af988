//! The e-mail outbox table. Rows are enqueued only as side writes of an append (so a
//! notification exists exactly when its cause does); the dispatcher claims due rows with a
//! lease, like timers, so with several nodes each e-mail is sent by one node at a time.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::db::Database;
use crate::event_store::StoreError;
use crate::lease::{Claimable, DueRows, Lease};

/// A notification as enqueued: rendered, addressed, waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
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

/// A notification's final outcome, recorded with its event: `sent`, or `failed` with the
/// last error, after `attempts` tries, at `at_us`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub id: String,
    pub status: &'static str,
    pub attempts: i32,
    pub error: Option<String>,
    pub at_us: i64,
}

/// A row as listed for `/v1/notifications`.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, sqlx::FromRow,
)]
pub struct Notification {
    pub id: String,
    pub case_id: Option<String>,
    #[sqlx(rename = "to_address")]
    pub to: String,
    pub member_id: String,
    pub template: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[sqlx(rename = "event_id")]
    pub caused_by_event: String,
}

/// A claimed row, for sending.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    #[sqlx(flatten)]
    pub row: OutboxRow,
    pub attempts: i32,
}

impl Claimable for Claimed {
    fn id(&self) -> &str {
        &self.row.id
    }
}

/// The outbox as a claim sees it: queued rows, due at their next attempt.
const DUE_ROWS: DueRows = DueRows {
    table: "outbox",
    waiting: "queued",
    due: "next_attempt_at_us",
    columns: "*",
};

#[derive(Debug, Clone, Default)]
pub struct NotificationQuery {
    pub case_id: Option<String>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// The outbox's SQL outside an append, one implementation per backend.
#[async_trait]
trait OutboxBackend: Send + Sync + std::fmt::Debug {
    async fn claim_due(&self, lease: Lease<'_>) -> Result<Vec<Claimed>, StoreError>;
    async fn retry(
        &self,
        id: &str,
        attempts: i32,
        next_us: i64,
        error: &str,
    ) -> Result<(), StoreError>;
    async fn list(&self, query: &NotificationQuery) -> Result<Vec<Notification>, StoreError>;
    async fn next_due(&self) -> Result<Option<i64>, StoreError>;
    async fn queued(&self) -> Result<i64, StoreError>;
}

#[derive(Clone, Debug)]
pub struct Outbox {
    backend: Arc<dyn OutboxBackend>,
}

impl Outbox {
    /// Chooses the backend, once.
    pub fn new(database: Database) -> Self {
        let backend: Arc<dyn OutboxBackend> = match database {
            Database::Sqlite(pool) => Arc::new(sqlite::SqliteOutbox(pool)),
            Database::Postgres(pool) => Arc::new(postgres::PostgresOutbox(pool)),
        };
        Self { backend }
    }

    /// Claims up to `limit` rows due at `now_us` (or whose lease ran out) for `node`.
    pub async fn claim_due(
        &self,
        node: &str,
        now_us: i64,
        lease_us: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let lease = Lease {
            node,
            now_us,
            lease_us,
            limit,
        };
        self.backend.claim_due(lease).await
    }

    /// A failed attempt that will be tried again at `next_us`.
    pub async fn retry(
        &self,
        id: &str,
        attempts: i32,
        next_us: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        self.backend.retry(id, attempts, next_us, error).await
    }

    pub async fn list(&self, query: &NotificationQuery) -> Result<Vec<Notification>, StoreError> {
        self.backend.list(query).await
    }

    /// The earliest time a queued row becomes due.
    pub async fn next_due(&self) -> Result<Option<i64>, StoreError> {
        self.backend.next_due().await
    }

    /// How many notifications wait (for `/metrics`).
    pub async fn queued(&self) -> Result<i64, StoreError> {
        self.backend.queued().await
    }
}
