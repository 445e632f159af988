//! The claim on SQLite: read the due rows and lease them in one `BEGIN IMMEDIATE`
//! transaction, so one claimer at a time holds the write lock, even across processes
//! sharing the file.

use sqlx::sqlite::{SqlitePool, SqliteRow};

use super::{Claimable, DueRows, Lease};
use crate::event_store::StoreError;

pub(crate) async fn claim<T>(
    pool: &SqlitePool,
    rows: &DueRows,
    lease: Lease<'_>,
) -> Result<Vec<T>, StoreError>
where
    T: Claimable + for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin,
{
    // Only the description's constants go into the text; every value is bound. The text is
    // the same at every call, so the statement cache still holds it.
    let select = format!(
        "select {} from {} where {} order by {} limit ?2",
        rows.columns,
        rows.table,
        rows.claimable("?1"),
        rows.due,
    );
    let mark = format!(
        "update {} set claimed_by = ?, lease_until_us = ? where id = ?",
        rows.table
    );
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let claimed: Vec<T> = sqlx::query_as(sqlx::AssertSqlSafe(select))
        .bind(lease.now_us)
        .bind(lease.limit)
        .fetch_all(&mut *tx)
        .await?;
    for row in &claimed {
        sqlx::query(sqlx::AssertSqlSafe(mark.as_str()))
            .bind(lease.node)
            .bind(lease.now_us + lease.lease_us)
            .bind(row.id())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}
