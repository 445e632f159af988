//! The store's one error type. Conflicts are typed so the engine can retry them; database
//! failures keep their cause for the log but never leak SQL to clients.

use std::sync::Arc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("stream {stream_id} is at version {actual}, the append expected {expected}")]
    VersionConflict {
        stream_id: String,
        expected: String,
        actual: i64,
    },
    #[error("event id {event_id} is already stored in another stream or with other events")]
    EventIdConflict { event_id: uuid::Uuid },
    #[error("invalid append: {0}")]
    InvalidAppend(String),
    #[error("event at position {position} cannot be read: {detail}")]
    Corrupt { position: i64, detail: String },
    #[error("the event store is shutting down")]
    ShuttingDown,
    #[error("database error: {0}")]
    Database(Arc<sqlx::Error>),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(Arc::new(error))
    }
}

impl StoreError {
    /// True for optimistic-concurrency conflicts, which a caller may retry after reloading.
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::VersionConflict { .. })
    }

    /// True when the database could not be reached (pool timeout, I/O), as opposed to a
    /// statement that failed.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => matches!(
                e.as_ref(),
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed
            ),
            StoreError::ShuttingDown => true,
            _ => false,
        }
    }
}
