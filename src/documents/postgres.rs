//! PostgreSQL SQL for the `documents` table.

use sqlx::postgres::PgPool;
use sqlx::{Postgres, QueryBuilder, Transaction};

use super::rewrite::RewriteTx;
use super::{CaseAgency, CaseList, Document, DocumentQuery};
use crate::credentials::Credential;
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

/// Upserts case-agency rows in one `unnest` statement (distinct by (agency, case); see
/// `newest_case_agencies`).
pub(crate) async fn upsert_case_agencies(
    tx: &mut Transaction<'static, Postgres>,
    rows: &[&CaseAgency],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |f: fn(&CaseAgency) -> &str| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    sqlx::query(
        "insert into case_agencies (agency, case_id, workflow, status, version) \
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) \
         on conflict (agency, case_id) do update set workflow = excluded.workflow, \
         status = excluded.status, version = excluded.version \
         where case_agencies.version <= excluded.version",
    )
    .bind(text(|r| &r.agency))
    .bind(text(|r| &r.case_id))
    .bind(text(|r| &r.workflow))
    .bind(text(|r| &r.status))
    .bind(rows.iter().map(|r| r.version).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes every case-agency row inside a rebuild's transaction.
pub(crate) async fn clear_case_agencies_in(
    tx: &mut Transaction<'static, Postgres>,
) -> Result<u64, StoreError> {
    Ok(sqlx::query("delete from case_agencies")
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// The case list as one statement after `prefix` (empty, or `explain …`); only the filters
/// asked for are written. A member's page is a range of `case_agencies`, joined to at most
/// `limit` case documents.
fn case_list_query(prefix: &str, list: &CaseList) -> QueryBuilder<Postgres> {
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
                    .push(" and (doc::json ->> 'workflow') = ")
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
    pool: &PgPool,
    list: &CaseList,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(case_list_query("", list)
        .build_query_as()
        .fetch_all(pool)
        .await?)
}

pub(crate) async fn explain_list_cases(
    pool: &PgPool,
    list: &CaseList,
) -> Result<String, StoreError> {
    let plan: serde_json::Value = case_list_query("explain (analyze, format json) ", list)
        .build_query_scalar()
        .fetch_one(pool)
        .await?;
    Ok(plan.to_string())
}

/// [`super::Sql`] over a PostgreSQL pool.
#[derive(Debug)]
pub(super) struct Sql(pub(super) PgPool);

#[async_trait::async_trait]
impl super::Sql for Sql {
    async fn begin_rewrite(&self) -> Result<Box<dyn RewriteTx>, StoreError> {
        Ok(Box::new(Rewriting {
            tx: self.0.begin().await?,
        }))
    }

    async fn put(&self, document: &Document) -> Result<(), StoreError> {
        let mut tx = self.0.begin().await?;
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

/// A rewrite's transaction.
pub(super) struct Rewriting {
    tx: Transaction<'static, Postgres>,
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
        crate::credentials::insert_postgres(&mut self.tx, credential).await
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}
