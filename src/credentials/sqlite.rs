//! SQLite SQL for the `credentials` table.

use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, Transaction};

use super::Credential;
use crate::event_store::StoreError;

async fn find(
    pool: &SqlitePool,
    token_sha256: &str,
) -> Result<Option<(String, String, Option<i64>)>, StoreError> {
    Ok(sqlx::query_as(
        "select token_id, member_id, last_used_us from credentials where token_sha256 = ?",
    )
    .bind(token_sha256)
    .fetch_optional(pool)
    .await?)
}

async fn of_member(
    pool: &SqlitePool,
    member_id: &str,
) -> Result<Vec<(String, Option<i64>)>, StoreError> {
    Ok(
        sqlx::query_as("select token_id, last_used_us from credentials where member_id = ?")
            .bind(member_id)
            .fetch_all(pool)
            .await?,
    )
}

async fn touch(pool: &SqlitePool, token_sha256: &str, at_us: i64) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("update credentials set last_used_us = ? where token_sha256 = ?")
        .bind(at_us)
        .bind(token_sha256)
        .execute(pool)
        .await?;
    Ok(())
}

/// Inside an append's (or a rebuild's) transaction; a token already recorded is left as is.
pub(crate) async fn insert(
    tx: &mut Transaction<'static, Sqlite>,
    credential: &Credential,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into credentials (token_sha256, token_id, member_id) values (?, ?, ?) \
         on conflict do nothing",
    )
    .bind(&credential.token_sha256)
    .bind(credential.token_id.to_string())
    .bind(&credential.member_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// [`super::Sql`] over a SQLite pool.
#[derive(Debug)]
pub(super) struct Sql(pub(super) SqlitePool);

#[async_trait::async_trait]
impl super::Sql for Sql {
    async fn find(
        &self,
        token_sha256: &str,
    ) -> Result<Option<(String, String, Option<i64>)>, StoreError> {
        find(&self.0, token_sha256).await
    }

    async fn of_member(&self, member_id: &str) -> Result<Vec<(String, Option<i64>)>, StoreError> {
        of_member(&self.0, member_id).await
    }

    async fn touch(&self, token_sha256: &str, at_us: i64) -> Result<(), StoreError> {
        touch(&self.0, token_sha256, at_us).await
    }
}
