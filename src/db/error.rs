//! The one error of the storage layer (the log and every table written beside it).
//! Conflicts are typed so the engine can retry them; database failures keep their cause for
//! the log but never leak SQL to clients.

use std::sync::Arc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum DbError {
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

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        DbError::Database(Arc::new(error))
    }
}

impl DbError {
    /// True for optimistic-concurrency conflicts, which a caller may retry after reloading.
    pub fn is_conflict(&self) -> bool {
        matches!(self, DbError::VersionConflict { .. })
    }

    /// True when the database could not be reached (pool timeout, I/O, a server shutting
    /// down or starting up), as opposed to a statement that failed. These become 503s that
    /// a client may retry; anything else is a 500.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Database(e) => match e.as_ref() {
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::WorkerCrashed => true,
                sqlx::Error::Database(db) => db.code().is_some_and(|c| unreachable_code(&c)),
                _ => false,
            },
            DbError::ShuttingDown => true,
            _ => false,
        }
    }
}

/// PostgreSQL SQLSTATEs that mean "the server is not there right now": class 08 (connection
/// exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now) and 53300
/// (too many connections); SQLite's BUSY (5) and LOCKED (6) after the busy timeout.
fn unreachable_code(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300" | "5" | "6")
}
