//! Rewriting whole read models (`daftar projections rebuild`): the old documents of the
//! chosen kinds are deleted and the rebuilt ones written in ONE transaction, so a reader sees
//! either the old model or the new one, never a half-built one. On SQLite the transaction
//! holds the write lock from the start (appends wait for it, with the pool's busy timeout).
//! Rewriting the `case` documents rewrites the case list's index (`case_agencies`) with them.

use std::collections::HashSet;

use async_trait::async_trait;

use super::{CaseAgency, Document, Documents};
use crate::credentials::Credential;
use crate::event_store::StoreError;

/// Documents buffered before a multi-row write.
const BUFFER: usize = 500;

/// A rewrite's transaction on one backend (see `sqlite`, `postgres`), begun by
/// [`super::Sql::begin_rewrite`]; on SQLite it holds this process's write turn until it ends.
#[async_trait]
pub(super) trait RewriteTx: Send {
    async fn clear(&mut self, kind: &str) -> Result<(), StoreError>;
    async fn clear_case_agencies(&mut self) -> Result<(), StoreError>;
    async fn upsert(&mut self, documents: &[&Document]) -> Result<(), StoreError>;
    async fn upsert_case_agencies(&mut self, rows: &[&CaseAgency]) -> Result<(), StoreError>;
    async fn insert_credential(&mut self, credential: &Credential) -> Result<(), StoreError>;
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// An open rewrite: [`Rewrite::put`] documents, then [`Rewrite::commit`]. Dropped without
/// committing, nothing changes.
pub struct Rewrite {
    tx: Box<dyn RewriteTx>,
    buffer: Vec<Document>,
    /// (kind, id) of the buffer: one multi-row upsert may not touch a row twice
    /// (PostgreSQL refuses it), so a repeated document flushes the buffer first.
    keys: HashSet<(&'static str, String)>,
    /// Case-agency rows, distinct: each case is folded once and lists each agency once.
    case_agencies: Vec<CaseAgency>,
    written: u64,
}

impl Documents {
    /// Starts a rewrite that first deletes every document of `kinds`.
    pub async fn rewrite(&self, kinds: &[&str]) -> Result<Rewrite, StoreError> {
        let mut tx = self.sql.begin_rewrite().await?;
        for kind in kinds {
            tx.clear(kind).await?;
        }
        if kinds.contains(&"case") {
            tx.clear_case_agencies().await?;
        }
        Ok(Rewrite {
            tx,
            buffer: Vec::with_capacity(BUFFER),
            keys: HashSet::with_capacity(BUFFER),
            case_agencies: Vec::with_capacity(BUFFER),
            written: 0,
        })
    }
}

impl Rewrite {
    pub async fn put(&mut self, document: Document) -> Result<(), StoreError> {
        if !self.keys.insert((document.kind, document.id.clone())) {
            self.flush().await?;
            self.keys.insert((document.kind, document.id.clone()));
        }
        self.buffer.push(document);
        if self.buffer.len() >= BUFFER {
            self.flush().await?;
        }
        Ok(())
    }

    /// Records a token's hash found in an event written before the `credentials` table: the
    /// upcast of such an event. Never deletes: the rows are not a read model.
    pub async fn put_credential(&mut self, credential: &Credential) -> Result<(), StoreError> {
        self.tx.insert_credential(credential).await
    }

    /// Buffers a row of the case list's index (the rewrite must include the `case` kind).
    pub async fn put_case_agency(&mut self, row: CaseAgency) -> Result<(), StoreError> {
        self.case_agencies.push(row);
        if self.case_agencies.len() >= BUFFER {
            self.flush_case_agencies().await?;
        }
        Ok(())
    }

    /// Commits; returns how many documents were written.
    pub async fn commit(mut self) -> Result<u64, StoreError> {
        self.flush().await?;
        self.flush_case_agencies().await?;
        self.tx.commit().await?;
        Ok(self.written)
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let documents: Vec<&Document> = self.buffer.iter().collect();
        self.tx.upsert(&documents).await?;
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
        self.keys.clear();
        Ok(())
    }

    async fn flush_case_agencies(&mut self) -> Result<(), StoreError> {
        let rows: Vec<&CaseAgency> = self.case_agencies.iter().collect();
        self.tx.upsert_case_agencies(&rows).await?;
        self.case_agencies.clear();
        Ok(())
    }
}
