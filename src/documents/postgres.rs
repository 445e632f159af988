//! PostgreSQL SQL for the `documents` table.

use sqlx::postgres::PgPool;
use sqlx::{Postgres, Transaction};

use super::{Document, DocumentQuery};
use crate::event_store::StoreError;

pub(crate) async fn existing(
    pool: &PgPool,
    kind: &str,
    ids: &[String],
) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("select id from documents where kind = $1 and id = any($2)")
            .bind(kind)
            .bind(ids)
            .fetch_all(pool)
            .await?,
    )
}

pub(crate) async fn get_many(
    pool: &PgPool,
    kind: &str,
    ids: &[String],
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(
        sqlx::query_as("select id, doc from documents where kind = $1 and id = any($2)")
            .bind(kind)
            .bind(ids)
            .fetch_all(pool)
            .await?,
    )
}

pub(crate) async fn get(pool: &PgPool, kind: &str, id: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("select doc from documents where kind = $1 and id = $2")
            .bind(kind)
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub(crate) async fn list(
    pool: &PgPool,
    kind: &str,
    q: &DocumentQuery,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select id, doc from documents where kind = $1 \
         and ($2::text is null or case_id = $2) and ($3::text is null or agency = $3) \
         and ($4::text is null or status = $4) and ($5::text is null or id > $5) \
         order by id limit $6",
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

pub(crate) async fn clear(pool: &PgPool, kind: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query("delete from documents where kind = $1")
        .bind(kind)
        .execute(pool)
        .await?
        .rows_affected())
}

/// Deletes every document of `kind` inside a rebuild's transaction.
pub(crate) async fn clear_in(
    tx: &mut Transaction<'static, Postgres>,
    kind: &str,
) -> Result<u64, StoreError> {
    Ok(sqlx::query("delete from documents where kind = $1")
        .bind(kind)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Upserts many documents in one `unnest` statement (a batch writes dozens, a rebuild
/// thousands). The documents must be distinct by `(kind, id)`; see `newest`.
pub(crate) async fn upsert_many(
    tx: &mut Transaction<'static, Postgres>,
    docs: &[&Document],
) -> Result<(), StoreError> {
    let text = |f: fn(&Document) -> Option<&str>| docs.iter().map(|d| f(d)).collect::<Vec<_>>();
    sqlx::query(
        "insert into documents (kind, id, case_id, agency, status, version, doc) \
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
         $6::bigint[], $7::text[]) \
         on conflict (kind, id) do update set case_id = excluded.case_id, \
         agency = excluded.agency, status = excluded.status, version = excluded.version, \
         doc = excluded.doc where documents.version <= excluded.version",
    )
    .bind(text(|d| Some(d.kind)))
    .bind(text(|d| Some(d.id.as_str())))
    .bind(text(|d| d.case_id.as_deref()))
    .bind(text(|d| d.agency.as_deref()))
    .bind(text(|d| d.status.as_deref()))
    .bind(docs.iter().map(|d| d.version).collect::<Vec<_>>())
    .bind(text(|d| Some(d.doc.as_str())))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
