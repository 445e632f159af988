//! SQLite SQL for the `documents` table.

use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};

use super::{Document, DocumentQuery};
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

/// Upserts many documents with multi-row statements (a batch writes dozens, a rebuild
/// thousands).
pub(crate) async fn upsert_many(
    tx: &mut Transaction<'static, Sqlite>,
    docs: &[&Document],
) -> Result<(), StoreError> {
    for range in super::fixed_chunks(docs.len()) {
        let chunk = &docs[range];
        let values = vec!["(?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = format!(
            "insert into documents (kind, id, case_id, agency, status, version, doc) \
             values {values} on conflict (kind, id) do update set case_id = excluded.case_id, \
             agency = excluded.agency, status = excluded.status, version = excluded.version, \
             doc = excluded.doc where documents.version <= excluded.version"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for d in chunk {
            query = query
                .bind(d.kind)
                .bind(&d.id)
                .bind(&d.case_id)
                .bind(&d.agency)
                .bind(&d.status)
                .bind(d.version)
                .bind(&d.doc);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
