//! Rewriting whole read models (`daftar projections rebuild`): the old documents of the
//! chosen kinds are deleted and the rebuilt ones written in ONE transaction, so a reader sees
//! either the old model or the new one, never a half-built one. On SQLite the transaction
//! holds the write lock from the start (appends wait for it, with the pool's busy timeout).
//! Rewriting the `case` documents rewrites the case list's index (`case_agencies`) with them.

use std::collections::HashSet;

use sqlx::{Postgres, Sqlite, Transaction};

use super::{CaseAgency, Document, Documents, postgres, sqlite};
use crate::db::Database;
use crate::event_store::StoreError;

/// Documents buffered before a multi-row write.
const BUFFER: usize = 500;

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// An open rewrite: [`Rewrite::put`] documents, then [`Rewrite::commit`]. Dropped without
/// committing, nothing changes.
pub struct Rewrite {
    tx: Tx,
    buffer: Vec<Document>,
    /// (kind, id) of the buffer: one multi-row upsert may not touch a row twice
    /// (PostgreSQL refuses it), so a repeated document flushes the buffer first.
    keys: HashSet<(&'static str, String)>,
    /// Case-agency rows, distinct: each case is folded once and lists each agency once.
    case_agencies: Vec<CaseAgency>,
    written: u64,
    /// SQLite: this process's write turn, held until the rewrite ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Documents {
    /// Starts a rewrite that first deletes every document of `kinds`.
    pub async fn rewrite(&self, kinds: &[&str]) -> Result<Rewrite, StoreError> {
        let (mut tx, turn) = match &self.database {
            Database::Sqlite(pool) => {
                let turn = crate::db::sqlite_write_turn(pool).await;
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                (Tx::Sqlite(tx), Some(turn))
            }
            Database::Postgres(pool) => (Tx::Postgres(pool.begin().await?), None),
        };
        for kind in kinds {
            match &mut tx {
                Tx::Sqlite(tx) => sqlite::clear_in(tx, kind).await?,
                Tx::Postgres(tx) => postgres::clear_in(tx, kind).await?,
            };
        }
        if kinds.contains(&"case") {
            match &mut tx {
                Tx::Sqlite(tx) => sqlite::clear_case_agencies_in(tx).await?,
                Tx::Postgres(tx) => postgres::clear_case_agencies_in(tx).await?,
            };
        }
        Ok(Rewrite {
            tx,
            buffer: Vec::with_capacity(BUFFER),
            keys: HashSet::with_capacity(BUFFER),
            case_agencies: Vec::with_capacity(BUFFER),
            written: 0,
            _turn: turn,
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
    pub async fn put_credential(
        &mut self,
        credential: &crate::credentials::Credential,
    ) -> Result<(), StoreError> {
        match &mut self.tx {
            Tx::Sqlite(tx) => crate::credentials::insert_sqlite(tx, credential).await,
            Tx::Postgres(tx) => crate::credentials::insert_postgres(tx, credential).await,
        }
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
        match self.tx {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(self.written)
    }

    async fn flush(&mut self) -> Result<(), StoreError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let documents: Vec<&Document> = self.buffer.iter().collect();
        match &mut self.tx {
            Tx::Sqlite(tx) => sqlite::upsert_many(tx, &documents).await?,
            Tx::Postgres(tx) => postgres::upsert_many(tx, &documents).await?,
        }
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
        self.keys.clear();
        Ok(())
    }

    async fn flush_case_agencies(&mut self) -> Result<(), StoreError> {
        let rows: Vec<&CaseAgency> = self.case_agencies.iter().collect();
        match &mut self.tx {
            Tx::Sqlite(tx) => sqlite::upsert_case_agencies(tx, &rows).await?,
            Tx::Postgres(tx) => postgres::upsert_case_agencies(tx, &rows).await?,
        }
        self.case_agencies.clear();
        Ok(())
    }
}
