//! Attachments: the `files` table, where each file is stored once under the SHA-256 of its
//! bytes, and `file_uploads`, who sent which bytes under which name. Events name files by
//! hash and size (see [`crate::domain::Attachment`]), so the hash chain covers them while the
//! bytes stay out of the log; `daftar audit verify` checks the two still agree.
//!
//! This module owns the checks an upload must pass ([`check`]), the header names travel in
//! ([`disposition`]) and the SQL (one file per backend). Who may read a file is decided from
//! what names it, in `engine::attachments`.

pub mod check;
pub mod disposition;
mod postgres;
mod sqlite;

use sha2::{Digest, Sha256};

use std::sync::Arc;

use async_trait::async_trait;

use crate::db::Database;
use crate::event_store::StoreError;

pub use check::{FileKind, FileRefusal, check_filename, check_upload};

/// A `files` row: sha256, size, content type, filename, uploader, upload time, bytes.
type FileRow = (String, i64, String, String, String, i64, Vec<u8>);
/// `(sha256, size, content_type, filename)`.
type MetaRow = (String, i64, String, String);

/// The tables' SQL on one backend (`sqlite`, `postgres`): raw rows, shaped here.
#[async_trait]
trait Sql: Send + Sync + std::fmt::Debug {
    async fn store(&self, file: &StoredFile) -> Result<bool, StoreError>;
    async fn meta(&self, sha256: &str) -> Result<Option<MetaRow>, StoreError>;
    async fn uploaded_as(
        &self,
        sha256: &str,
        member_id: &str,
    ) -> Result<Option<String>, StoreError>;
    async fn get(&self, sha256: &str) -> Result<Option<FileRow>, StoreError>;
    async fn hashes(&self) -> Result<Vec<String>, StoreError>;
    async fn documents_mentioning(&self, needle: &str)
    -> Result<Vec<(String, String)>, StoreError>;
}

/// What is known of a stored file besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct FileMeta {
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    /// The name it was first uploaded under.
    pub filename: String,
}

/// A file with its bytes and first uploader, as stored and as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub meta: FileMeta,
    pub uploaded_by: String,
    pub uploaded_at_us: i64,
    pub bytes: Vec<u8>,
}

impl StoredFile {
    /// An upload that passed [`check_upload`]: its hash computed here, never taken from the
    /// client.
    pub fn upload(
        kind: FileKind,
        filename: &str,
        member_id: &str,
        at_us: i64,
        bytes: Vec<u8>,
    ) -> Self {
        Self {
            meta: FileMeta {
                sha256: sha256_hex(&bytes),
                size: bytes.len() as i64,
                content_type: kind.content_type().to_string(),
                filename: filename.to_string(),
            },
            uploaded_by: member_id.to_string(),
            uploaded_at_us: at_us,
            bytes,
        }
    }

    /// Whether the bytes still hash to the name they are stored under.
    pub fn intact(&self) -> bool {
        sha256_hex(&self.bytes) == self.meta.sha256 && self.bytes.len() as i64 == self.meta.size
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// 64 lowercase hex digits: the only shape a file's name can have.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The `files` and `file_uploads` tables.
#[derive(Clone, Debug)]
pub struct Files {
    sql: Arc<dyn Sql>,
}

impl Files {
    pub fn new(database: Database) -> Self {
        let sql = database.backend::<dyn Sql>(
            |pool| Arc::new(sqlite::Sql(pool)),
            |pool| Arc::new(postgres::Sql(pool)),
        );
        Self { sql }
    }

    /// Stores the file unless its bytes are stored already, and records its uploader; true
    /// when the bytes were new.
    pub async fn store(&self, file: &StoredFile) -> Result<bool, StoreError> {
        self.sql.store(file).await
    }

    /// The file's metadata, without its bytes.
    pub async fn meta(&self, sha256: &str) -> Result<Option<FileMeta>, StoreError> {
        let row = self.sql.meta(sha256).await?;
        Ok(row.map(|(sha256, size, content_type, filename)| FileMeta {
            sha256,
            size,
            content_type,
            filename,
        }))
    }

    /// The name `member_id` uploaded these bytes under, if it uploaded them.
    pub async fn uploaded_as(
        &self,
        sha256: &str,
        member_id: &str,
    ) -> Result<Option<String>, StoreError> {
        self.sql.uploaded_as(sha256, member_id).await
    }

    /// The whole file.
    pub async fn get(&self, sha256: &str) -> Result<Option<StoredFile>, StoreError> {
        let row = self.sql.get(sha256).await?;
        Ok(row.map(
            |(sha256, size, content_type, filename, uploaded_by, uploaded_at_us, bytes)| {
                StoredFile {
                    meta: FileMeta {
                        sha256,
                        size,
                        content_type,
                        filename,
                    },
                    uploaded_by,
                    uploaded_at_us,
                    bytes,
                }
            },
        ))
    }

    /// Every stored hash, in order (an export reads the files one at a time).
    pub async fn hashes(&self) -> Result<Vec<String>, StoreError> {
        self.sql.hashes().await
    }
}

impl Files {
    /// `(kind, document)` of the task and case read models that name the file. Downloads
    /// are rare beside writes, so this reads the documents rather than keeping an index of
    /// its own; the caller checks that the hash stands where an attachment belongs.
    pub async fn naming_documents(
        &self,
        sha256: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let needle = format!("\"sha256\":\"{sha256}\"");
        self.sql.documents_mentioning(&needle).await
    }
}
