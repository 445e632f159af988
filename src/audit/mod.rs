//! What an auditor does, shared by the HTTP API (`src/http/audit.rs`) and the CLI
//! (`daftar audit …`): replay a case to any moment ([`replay`]), read a case as a timeline
//! of who did what under which versions ([`timeline`]), verify the hash chain against a
//! checkpoint kept from an earlier run ([`checkpoint`]), check the files events name
//! ([`files`]), and move the whole log and its files between stores ([`transfer`]). It only reads the log — the one writer here is the import, which
//! goes through [`crate::event_store::Importer`] into an empty store.

pub mod checkpoint;
pub mod files;
pub mod replay;
pub mod timeline;
pub mod transfer;

use crate::event_store::StoreError;

/// Why an audit request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The request is malformed (e.g. `at` is neither a position nor an RFC 3339 time).
    #[error("{0}")]
    BadInput(String),
    /// Well-formed but outside what the log holds (the future, beyond the head).
    #[error("{0}")]
    OutOfRange(String),
    /// No such case, or not yet at the requested moment.
    #[error("{0}")]
    NotFound(String),
    /// A stored event could not be decoded.
    #[error("{0}")]
    Corrupt(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
}
