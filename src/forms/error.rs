//! Why a form schema could not be registered or loaded.

use std::path::PathBuf;

use super::SchemaViolation;

/// Refusal to register a form schema, or to read one from disk.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error(
        "form key {key:?} is not valid: use lowercase letters, digits and single hyphens (e.g. \"service-identity-cards\")"
    )]
    InvalidKey { key: String },

    #[error(
        "form {key:?}: declares $schema {declared:?}; only JSON Schema draft 2020-12 (\"https://json-schema.org/draft/2020-12/schema\") is accepted"
    )]
    UnsupportedDraft { key: String, declared: String },

    #[error(
        "form {key:?}: not a valid JSON Schema (draft 2020-12): {}",
        list(problems)
    )]
    NotASchema {
        key: String,
        /// Every meta-schema violation; paths point into the submitted schema.
        problems: Vec<SchemaViolation>,
    },

    #[error("form {key:?}: schema cannot be compiled: {message}")]
    Compile { key: String, message: String },

    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{}: not valid JSON: {message}", path.display())]
    Parse { path: PathBuf, message: String },

    #[error("{}: {source}", path.display())]
    InFile {
        path: PathBuf,
        source: Box<FormError>,
    },
}

fn list(problems: &[SchemaViolation]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
