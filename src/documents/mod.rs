//! Read models as JSON documents: the `documents` table. Writes happen only inside the event
//! store's transaction (as [`SideWrite`]s of an append), so a document never runs ahead of or
//! behind the events it is derived from; this module owns the SQL for those writes and the
//! reads that serve lists and look-ups.

mod case_list;
mod postgres;
mod rewrite;
mod sqlite;

use serde::Serialize;

use crate::db::Database;
use crate::event_store::StoreError;

pub(crate) use case_list::newest_case_agencies;
pub use case_list::{CaseAgency, CaseList};
pub(crate) use postgres::upsert_case_agencies as upsert_case_agencies_postgres;
pub(crate) use postgres::upsert_many as upsert_many_postgres;
pub use rewrite::Rewrite;
pub(crate) use sqlite::upsert_case_agencies as upsert_case_agencies_sqlite;
pub(crate) use sqlite::upsert_many as upsert_many_sqlite;

/// A write that rides along with an append and commits or rolls back with it.
#[derive(Debug, Clone, PartialEq)]
pub enum SideWrite {
    /// Insert or replace a document unless a newer version of it is stored.
    Document(Document),
    /// Insert or update an agency's row in the case list's index, unless a newer one is stored.
    CaseAgency(CaseAgency),
    /// Schedule a timer (a no-op if one with this id exists).
    ScheduleTimer(crate::timers::TimerRow),
    /// Drop the pending timers of a task, or of the whole case when `task_id` is `None`.
    CancelTimers {
        case_id: String,
        task_id: Option<String>,
    },
    /// Mark a claimed timer fired, with the events its firing appended.
    CompleteTimer { id: String },
    /// Record a token's hash (a no-op if the token is recorded): see [`crate::credentials`].
    Credential(crate::credentials::Credential),
    /// Queue an e-mail (a no-op if one with this id exists).
    Enqueue(Box<crate::outbox::OutboxRow>),
    /// Record a notification's final outcome (`sent` or `failed`) with its event.
    FinishNotification {
        id: String,
        status: &'static str,
        attempts: i32,
        error: Option<String>,
        at_us: i64,
    },
}

/// The documents among side writes, one per `(kind, id)`: what upserting them one by one,
/// in order, leaves behind (an upsert never replaces a newer version; on a tie the later
/// write wins). A batch then writes each document once, in one statement.
pub(crate) fn newest<'a>(writes: impl IntoIterator<Item = &'a SideWrite>) -> Vec<&'a Document> {
    let mut at: std::collections::HashMap<(&str, &str), usize> = Default::default();
    let mut documents: Vec<&Document> = Vec::new();
    for write in writes {
        let SideWrite::Document(document) = write else {
            continue;
        };
        match at.entry((document.kind, document.id.as_str())) {
            std::collections::hash_map::Entry::Occupied(slot) => {
                let kept = &mut documents[*slot.get()];
                if document.version >= kept.version {
                    *kept = document;
                }
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(documents.len());
                documents.push(document);
            }
        }
    }
    documents
}

/// Splits `len` rows into chunks of a few fixed sizes (64, 16, 4, 1), so a multi-row
/// statement comes in at most four shapes and each stays in the prepared-statement cache.
pub(crate) fn fixed_chunks(len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let left = len - start;
        let size = [64, 16, 4, 1].into_iter().find(|&s| s <= left)?;
        let range = start..start + size;
        start += size;
        Some(range)
    })
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
}

impl Documents {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    /// The database these documents live in.
    pub fn database(&self) -> &Database {
        &self.database
    }

    pub async fn get(&self, kind: &str, id: &str) -> Result<Option<String>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::get(pool, kind, id).await,
            Database::Postgres(pool) => postgres::get(pool, kind, id).await,
        }
    }

    /// The documents of `kind` among `ids`, by id, in one query (absent ids are left out).
    pub async fn get_many(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let found = match &self.database {
            Database::Sqlite(pool) => sqlite::get_many(pool, kind, ids).await?,
            Database::Postgres(pool) => postgres::get_many(pool, kind, ids).await?,
        };
        Ok(found.into_iter().collect())
    }

    /// Which of `ids` have a document of `kind`.
    pub async fn existing(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let found = match &self.database {
            Database::Sqlite(pool) => sqlite::existing(pool, kind, ids).await?,
            Database::Postgres(pool) => postgres::existing(pool, kind, ids).await?,
        };
        Ok(found.into_iter().collect())
    }

    /// `(id, doc)` pairs matching the query, at most `limit`.
    pub async fn list(
        &self,
        kind: &str,
        query: &DocumentQuery,
    ) -> Result<Vec<(String, String)>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::list(pool, kind, query).await,
            Database::Postgres(pool) => postgres::list(pool, kind, query).await,
        }
    }

    /// Writes a document that is not derived from events (e.g. a remembered HTTP response for
    /// an idempotency key). Read models derived from events use it only when rebuilt from the
    /// log: the version guard then keeps a newer inline write.
    pub async fn put(&self, document: &Document) -> Result<(), StoreError> {
        match &self.database {
            Database::Sqlite(pool) => {
                let _turn = crate::db::sqlite_write_turn(pool).await;
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                sqlite::upsert_many(&mut tx, &[document]).await?;
                tx.commit().await?;
            }
            Database::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                postgres::upsert_many(&mut tx, &[document]).await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Drops every document of a kind (before a rebuild from the log).
    pub async fn clear(&self, kind: &str) -> Result<u64, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::clear(pool, kind).await,
            Database::Postgres(pool) => postgres::clear(pool, kind).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(kind: &'static str, id: &str, version: i64, doc: &str) -> SideWrite {
        SideWrite::Document(Document::new(kind, id, version, &doc))
    }

    #[test]
    fn a_batch_keeps_the_newest_document_per_kind_and_id() {
        let writes = [
            write("case", "a", 1, "a1"),
            write("task", "a", 1, "task"),
            write("case", "b", 5, "b5"),
            SideWrite::CancelTimers {
                case_id: "a".into(),
                task_id: None,
            },
            write("case", "a", 3, "a3"),
            write("case", "b", 4, "b4"),
            write("case", "a", 3, "a3 again"),
        ];
        let kept: Vec<(&str, &str, i64, &str)> = newest(&writes)
            .iter()
            .map(|d| (d.kind, d.id.as_str(), d.version, d.doc.as_str()))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("case", "a", 3, "\"a3 again\""),
                ("task", "a", 1, "\"task\""),
                ("case", "b", 5, "\"b5\""),
            ]
        );
    }

    #[test]
    fn chunks_cover_every_row_once_in_few_shapes() {
        for len in 0..300 {
            let chunks: Vec<_> = fixed_chunks(len).collect();
            let mut next = 0;
            for chunk in &chunks {
                assert_eq!(chunk.start, next);
                assert!([64, 16, 4, 1].contains(&chunk.len()));
                next = chunk.end;
            }
            assert_eq!(next, len);
        }
    }
}
