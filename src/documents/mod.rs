//! Read models as JSON documents: the `documents` table. Writes happen only inside the event
//! store's transaction (as side writes of an append, see [`crate::side_writes`]), so a document never runs ahead of or
//! behind the events it is derived from; this module owns the SQL for those writes and the
//! reads that serve lists and look-ups.

mod case_list;
mod postgres;
mod rewrite;
mod sqlite;

use serde::Serialize;

use crate::db::Database;
use crate::event_store::StoreError;

pub use case_list::{CaseAgency, CaseList};
pub(crate) use postgres::upsert_case_agencies as upsert_case_agencies_postgres;
pub(crate) use postgres::upsert_many as upsert_many_postgres;
pub use rewrite::Rewrite;
pub(crate) use sqlite::upsert_case_agencies as upsert_case_agencies_sqlite;
pub(crate) use sqlite::upsert_many as upsert_many_sqlite;

pub(crate) use crate::db::fixed_chunks;

/// The tables' SQL on one backend (`sqlite`, `postgres`), chosen once in `new`.
#[async_trait::async_trait]
trait Sql: Send + Sync + std::fmt::Debug {
    /// Begins a rewrite's transaction.
    async fn begin_rewrite(&self) -> Result<Box<dyn rewrite::RewriteTx>, StoreError>;
    /// Upserts one document in a transaction of its own.
    async fn put(&self, document: &Document) -> Result<(), StoreError>;
    async fn get(&self, kind: &str, id: &str) -> Result<Option<String>, StoreError>;
    async fn existing(&self, kind: &str, ids: &[String]) -> Result<Vec<String>, StoreError>;
    async fn get_many(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, StoreError>;
    async fn list(
        &self,
        kind: &str,
        q: &DocumentQuery,
    ) -> Result<Vec<(String, String)>, StoreError>;
    async fn clear(&self, kind: &str) -> Result<u64, StoreError>;
    async fn list_cases(&self, list: &CaseList) -> Result<Vec<(String, String)>, StoreError>;
    async fn explain_list_cases(&self, list: &CaseList) -> Result<String, StoreError>;
}

/// One read-model row.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub kind: &'static str,
    pub id: String,
    pub case_id: Option<String>,
    pub agency: Option<String>,
    pub status: Option<String>,
    pub version: i64,
    pub doc: String,
}

impl Document {
    pub fn new(
        kind: &'static str,
        id: impl Into<String>,
        version: i64,
        doc: &impl Serialize,
    ) -> Self {
        Self {
            kind,
            id: id.into(),
            case_id: None,
            agency: None,
            status: None,
            version,
            doc: serde_json::to_string(doc).expect("read models serialize"),
        }
    }
}

/// Filters for listing documents of one kind, in id order after a cursor.
#[derive(Debug, Clone, Default)]
pub struct DocumentQuery {
    pub case_id: Option<String>,
    pub agency: Option<String>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// Reads of the `documents` table.
#[derive(Clone, Debug)]
pub struct Documents {
    database: Database,
    sql: std::sync::Arc<dyn Sql>,
}

impl Documents {
    pub fn new(database: Database) -> Self {
        let sql = database.backend::<dyn Sql>(
            |pool| std::sync::Arc::new(sqlite::Sql(pool)),
            |pool| std::sync::Arc::new(postgres::Sql(pool)),
        );
        Self { database, sql }
    }

    /// The database these documents live in.
    pub fn database(&self) -> &Database {
        &self.database
    }

    pub async fn get(&self, kind: &str, id: &str) -> Result<Option<String>, StoreError> {
        self.sql.get(kind, id).await
    }

    /// The documents of `kind` among `ids`, by id, in one query (absent ids are left out).
    pub async fn get_many(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let found = self.sql.get_many(kind, ids).await?;
        Ok(found.into_iter().collect())
    }

    /// Which of `ids` have a document of `kind`.
    pub async fn existing(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let found = self.sql.existing(kind, ids).await?;
        Ok(found.into_iter().collect())
    }

    /// `(id, doc)` pairs matching the query, at most `limit`.
    pub async fn list(
        &self,
        kind: &str,
        query: &DocumentQuery,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.sql.list(kind, query).await
    }

    /// Writes a document that is not derived from events (e.g. a remembered HTTP response for
    /// an idempotency key). Read models derived from events use it only when rebuilt from the
    /// log: the version guard then keeps a newer inline write.
    pub async fn put(&self, document: &Document) -> Result<(), StoreError> {
        self.sql.put(document).await
    }

    /// Drops every document of a kind (before a rebuild from the log).
    pub async fn clear(&self, kind: &str) -> Result<u64, StoreError> {
        self.sql.clear(kind).await
    }
}
