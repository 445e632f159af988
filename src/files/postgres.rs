//! PostgreSQL SQL for the `files` and `file_uploads` tables.

use sqlx::postgres::PgPool;

use super::{FileRow, MetaRow, StoredFile};
use crate::event_store::StoreError;

async fn store(pool: &PgPool, file: &StoredFile) -> Result<bool, StoreError> {
    let mut tx = pool.begin().await?;
    let meta = &file.meta;
    let created = sqlx::query(
        "insert into files (sha256, size, content_type, filename, uploaded_by, uploaded_at_us, bytes) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
    )
    .bind(&meta.sha256)
    .bind(meta.size)
    .bind(&meta.content_type)
    .bind(&meta.filename)
    .bind(&file.uploaded_by)
    .bind(file.uploaded_at_us)
    .bind(&file.bytes)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    sqlx::query(
        "insert into file_uploads (sha256, member_id, filename, uploaded_at_us) \
         values ($1, $2, $3, $4) \
         on conflict (sha256, member_id) do update set filename = excluded.filename",
    )
    .bind(&meta.sha256)
    .bind(&file.uploaded_by)
    .bind(&meta.filename)
    .bind(file.uploaded_at_us)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(created)
}

async fn meta(
    pool: &PgPool,
    sha256: &str,
) -> Result<Option<(String, i64, String, String)>, StoreError> {
    Ok(
        sqlx::query_as("select sha256, size, content_type, filename from files where sha256 = $1")
            .bind(sha256)
            .fetch_optional(pool)
            .await?,
    )
}

async fn uploaded_as(
    pool: &PgPool,
    sha256: &str,
    member_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar(
            "select filename from file_uploads where sha256 = $1 and member_id = $2",
        )
        .bind(sha256)
        .bind(member_id)
        .fetch_optional(pool)
        .await?,
    )
}

async fn get(pool: &PgPool, sha256: &str) -> Result<Option<FileRow>, StoreError> {
    Ok(sqlx::query_as(
        "select sha256, size, content_type, filename, uploaded_by, uploaded_at_us, bytes \
         from files where sha256 = $1",
    )
    .bind(sha256)
    .fetch_optional(pool)
    .await?)
}

async fn hashes(pool: &PgPool) -> Result<Vec<String>, StoreError> {
    Ok(
        sqlx::query_scalar("select sha256 from files order by sha256")
            .fetch_all(pool)
            .await?,
    )
}

/// The task and case documents whose text holds `needle` (the caller checks where).
async fn documents_mentioning(
    pool: &PgPool,
    needle: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "select kind, doc from documents where kind in ('task', 'case') and strpos(doc, $1) > 0",
    )
    .bind(needle)
    .fetch_all(pool)
    .await?)
}

/// [`super::Sql`] over a PostgreSQL pool.
#[derive(Debug)]
pub(super) struct Sql(pub(super) PgPool);

#[async_trait::async_trait]
impl super::Sql for Sql {
    async fn store(&self, file: &StoredFile) -> Result<bool, StoreError> {
        store(&self.0, file).await
    }

    async fn meta(&self, sha256: &str) -> Result<Option<MetaRow>, StoreError> {
        meta(&self.0, sha256).await
    }

    async fn uploaded_as(
        &self,
        sha256: &str,
        member_id: &str,
    ) -> Result<Option<String>, StoreError> {
        uploaded_as(&self.0, sha256, member_id).await
    }

    async fn get(&self, sha256: &str) -> Result<Option<FileRow>, StoreError> {
        get(&self.0, sha256).await
    }

    async fn hashes(&self) -> Result<Vec<String>, StoreError> {
        hashes(&self.0).await
    }

    async fn documents_mentioning(
        &self,
        needle: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        documents_mentioning(&self.0, needle).await
    }
}
