//! SQLite SQL for the `documents` table.

use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Sqlite, Transaction};

use super::rewrite::RewriteTx;
use super::{CaseAgency, CaseList, Document, DocumentQuery};
use crate::credentials::Credential;
use crate::event_store::StoreError;

pub(crate) async fn get(
    pool: &SqlitePool,
    kind: &str,
    id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("select doc from documents where kind = ? and id = ?")
            .bind(kind)
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub(crate) async fn existing(
    pool: &SqlitePool,
    kind: &str,
    ids: &[String],
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "select id from documents where kind = ? and id in (select value from json_each(?))",
    )
    .bind(kind)
    .bind(serde_json::to_string(ids).expect("strings serialize"))
    .fetch_all(pool)
    .await?)
}

pub(crate) async fn get_many(
    pool: &SqlitePool,
    kind: &str,
    ids: &[String],
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select id, doc from documents where kind = ? and id in (select value from json_each(?))",
    )
    .bind(kind)
    .bind(serde_json::to_string(ids).expect("strings serialize"))
    .fetch_all(pool)
    .await?)
}

pub(crate) async fn list(
    pool: &SqlitePool,
    kind: &str,
    q: &DocumentQuery,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select id, doc from documents where kind = ?1 \
         and (?2 is null or case_id = ?2) and (?3 is null or agency = ?3) \
         and (?4 is null or status = ?4) and (?5 is null or id > ?5) \
         order by id limit ?6",
    )
    .bind(kind)
    .bind(&q.case_id)
    .bind(&q.agency)
    .bind(&q.status)
    .bind(&q.after)
    .bind(q.limit)
    .fetch_all(pool)
    .await?)
}

pub(crate) async fn clear(pool: &SqlitePool, kind: &str) -> Result<u64, StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    Ok(sqlx::query("delete from documents where kind = ?")
        .bind(kind)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Deletes every document of `kind` inside a rebuild's transaction.
pub(crate) async fn clear_in(
    tx: &mut Transaction<'static, Sqlite>,
    kind: &str,
) -> Result<u64, StoreError> {
    Ok(sqlx::query("delete from documents where kind = ?")
        .bind(kind)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Moves a document's `case_id` and `agency` where the newest version written names others
/// (`?1`: a JSON array of `[kind, id, version, case_id, agency]`). Rows whose keys are
/// unchanged — nearly all — are only read: SQLite rewrites an index entry whenever its
/// column is assigned, even to the value it holds.
const MOVE_KEYS: &str = "\
    update documents set case_id = moved.value ->> 3, agency = moved.value ->> 4 \
    from json_each(?1) as moved \
    where documents.kind = moved.value ->> 0 and documents.id = moved.value ->> 1 \
     and documents.version = moved.value ->> 2 \
     and (documents.case_id is not moved.value ->> 3 or documents.agency is not moved.value ->> 4)";

/// Upserts many documents with multi-row statements (a batch writes dozens, a rebuild
/// thousands). The documents must be distinct by `(kind, id)`; see `newest`.
///
/// A stored document takes the new status, version and text; its case and agency, which
/// rarely change (a member moved to another agency), are assigned by a second statement
/// only where they differ. Assigning them in the upsert rewrote two index entries per
/// document on every write: about a tenth of what the writer wrote under W1. Unlike the other
/// side writes, the texts are bound as they are rather than carried in one JSON array: a
/// rebuild writes thousands of documents of several KB, and escaping them into JSON and
/// reading them back out made it a quarter slower.
pub(crate) async fn upsert_many(
    tx: &mut Transaction<'static, Sqlite>,
    docs: &[&Document],
) -> Result<(), StoreError> {
    for range in super::fixed_chunks(docs.len()) {
        let mut upsert = QueryBuilder::<Sqlite>::new(
            "insert into documents (kind, id, case_id, agency, status, version, doc) ",
        );
        upsert.push_values(&docs[range], |mut values, d| {
            values
                .push_bind(d.kind)
                .push_bind(&d.id)
                .push_bind(&d.case_id)
                .push_bind(&d.agency)
                .push_bind(&d.status)
                .push_bind(d.version)
                .push_bind(&d.doc);
        });
        upsert.push(
            " on conflict (kind, id) do update set status = excluded.status, \
             version = excluded.version, doc = excluded.doc \
             where documents.version <= excluded.version",
        );
        upsert.build().execute(&mut **tx).await?;
    }
    let keys: Vec<_> = docs
        .iter()
        .map(|d| (d.kind, &d.id, d.version, &d.case_id, &d.agency))
        .collect();
    sqlx::query(MOVE_KEYS)
        .bind(serde_json::to_string(&keys).expect("document keys serialize"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Upserts case-agency rows (distinct by (agency, case); see `newest_case_agencies`) in one
/// statement, from a JSON array of `[agency, case_id, workflow, status, version]`. A case's
/// workflow is named when it opens and never changes: not assigning it spares rewriting the
/// row's entry in the by-workflow index.
pub(crate) async fn upsert_case_agencies(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[&CaseAgency],
) -> Result<(), StoreError> {
    let rows: Vec<_> = rows
        .iter()
        .map(|r| (&r.agency, &r.case_id, &r.workflow, &r.status, r.version))
        .collect();
    sqlx::query(
        "insert into case_agencies (agency, case_id, workflow, status, version) \
         select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 \
         from json_each(?1) where true \
         on conflict (agency, case_id) do update set \
          status = excluded.status, version = excluded.version \
         where case_agencies.version <= excluded.version",
    )
    .bind(serde_json::to_string(&rows).expect("case rows serialize"))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes every case-agency row inside a rebuild's transaction.
pub(crate) async fn clear_case_agencies_in(
    tx: &mut Transaction<'static, Sqlite>,
) -> Result<u64, StoreError> {
    Ok(sqlx::query("delete from case_agencies")
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// The case list as one statement after `prefix` (empty, or `explain query plan`). Only the
/// filters asked for are written, so SQLite picks the index that answers them: a member's
/// page is a range of `case_agencies`, joined to at most `limit` case documents.
fn case_list_query(prefix: &str, list: &CaseList) -> QueryBuilder<Sqlite> {
    let mut query = QueryBuilder::new(prefix);
    match &list.agency {
        Some(agency) => {
            query
                .push("select d.id, d.doc from (select case_id from case_agencies where agency = ");
            query.push_bind(agency);
            if let Some(status) = &list.status {
                query.push(" and status = ").push_bind(status);
            }
            if let Some(workflow) = &list.workflow {
                query.push(" and workflow = ").push_bind(workflow);
            }
            if let Some(after) = &list.after {
                query.push(" and case_id > ").push_bind(after);
            }
            query.push(" order by case_id limit ").push_bind(list.limit);
            query.push(
                ") as page join documents d on d.kind = 'case' and d.id = page.case_id \
                 order by d.id",
            );
        }
        None => {
            query.push("select id, doc from documents where kind = 'case'");
            if let Some(status) = &list.status {
                query.push(" and status = ").push_bind(status);
            }
            if let Some(workflow) = &list.workflow {
                query
                    .push(" and json_extract(doc, '$.workflow') = ")
                    .push_bind(workflow);
            }
            if let Some(after) = &list.after {
                query.push(" and id > ").push_bind(after);
            }
            query.push(" order by id limit ").push_bind(list.limit);
        }
    }
    query
}

pub(crate) async fn list_cases(
    pool: &SqlitePool,
    list: &CaseList,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(case_list_query("", list)
        .build_query_as()
        .fetch_all(pool)
        .await?)
}

pub(crate) async fn explain_list_cases(
    pool: &SqlitePool,
    list: &CaseList,
) -> Result<String, StoreError> {
    let steps: Vec<(i64, i64, i64, String)> = case_list_query("explain query plan ", list)
        .build_query_as()
        .fetch_all(pool)
        .await?;
    Ok(steps
        .into_iter()
        .map(|(_, _, _, detail)| detail)
        .collect::<Vec<_>>()
        .join("\n"))
}

/// [`super::Sql`] over a SQLite pool.
#[derive(Debug)]
pub(super) struct Sql(pub(super) SqlitePool);

#[async_trait::async_trait]
impl super::Sql for Sql {
    async fn begin_rewrite(&self) -> Result<Box<dyn RewriteTx>, StoreError> {
        let turn = crate::db::sqlite_write_turn(&self.0).await;
        let tx = self.0.begin_with("BEGIN IMMEDIATE").await?;
        Ok(Box::new(Rewriting { tx, _turn: turn }))
    }

    async fn put(&self, document: &Document) -> Result<(), StoreError> {
        let _turn = crate::db::sqlite_write_turn(&self.0).await;
        let mut tx = self.0.begin_with("BEGIN IMMEDIATE").await?;
        upsert_many(&mut tx, &[document]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get(&self, kind: &str, id: &str) -> Result<Option<String>, StoreError> {
        get(&self.0, kind, id).await
    }

    async fn existing(&self, kind: &str, ids: &[String]) -> Result<Vec<String>, StoreError> {
        existing(&self.0, kind, ids).await
    }

    async fn get_many(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        get_many(&self.0, kind, ids).await
    }

    async fn list(
        &self,
        kind: &str,
        q: &DocumentQuery,
    ) -> Result<Vec<(String, String)>, StoreError> {
        list(&self.0, kind, q).await
    }

    async fn clear(&self, kind: &str) -> Result<u64, StoreError> {
        clear(&self.0, kind).await
    }

    async fn list_cases(&self, list: &CaseList) -> Result<Vec<(String, String)>, StoreError> {
        list_cases(&self.0, list).await
    }

    async fn explain_list_cases(&self, list: &CaseList) -> Result<String, StoreError> {
        explain_list_cases(&self.0, list).await
    }
}

/// A rewrite's transaction, holding this process's write turn until it ends.
pub(super) struct Rewriting {
    tx: Transaction<'static, Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

#[async_trait::async_trait]
impl RewriteTx for Rewriting {
    async fn clear(&mut self, kind: &str) -> Result<(), StoreError> {
        clear_in(&mut self.tx, kind).await.map(drop)
    }

    async fn clear_case_agencies(&mut self) -> Result<(), StoreError> {
        clear_case_agencies_in(&mut self.tx).await.map(drop)
    }

    async fn upsert(&mut self, documents: &[&Document]) -> Result<(), StoreError> {
        upsert_many(&mut self.tx, documents).await
    }

    async fn upsert_case_agencies(&mut self, rows: &[&CaseAgency]) -> Result<(), StoreError> {
        upsert_case_agencies(&mut self.tx, rows).await
    }

    async fn insert_credential(&mut self, credential: &Credential) -> Result<(), StoreError> {
        crate::credentials::insert_sqlite(&mut self.tx, credential).await
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}
