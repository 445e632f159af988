//! Why the engine refused or failed a command. Refusals (everything but `Unavailable` and
//! `Internal`) mean nothing was appended.

use crate::domain::DomainError;
use crate::event_store::StoreError;
use crate::forms::SchemaViolation;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("the data does not match form {form}: {} problem(s)", violations.len())]
    Schema {
        form: String,
        violations: Vec<SchemaViolation>,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<StoreError> for EngineError {
    fn from(error: StoreError) -> Self {
        if error.is_unavailable() {
            EngineError::Unavailable(error.to_string())
        } else if error.is_conflict() {
            EngineError::Conflict(error.to_string())
        } else {
            EngineError::Internal(anyhow::Error::new(error))
        }
    }
}
