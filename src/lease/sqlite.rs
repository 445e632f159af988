//! The claim on SQLite: read the due rows and lease them in one `BEGIN IMMEDIATE`
//! transaction, so one claimer at a time holds the write lock, even across processes
//! sharing the file. The rows read are leased by one statement: the write turn a claim
//! holds is the one the group-commit writer waits for, so the claim makes four hand-offs to
//! the connection's thread whatever its size, not one more for each row.

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
        "update {} set claimed_by = ?1, lease_until_us = ?2 \
         where id in (select value from json_each(?3))",
        rows.table
    );
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let claimed: Vec<T> = sqlx::query_as(sqlx::AssertSqlSafe(select))
        .bind(lease.now_us)
        .bind(lease.limit)
        .fetch_all(&mut *tx)
        .await?;
    if !claimed.is_empty() {
        let ids: Vec<&str> = claimed.iter().map(Claimable::id).collect();
        sqlx::query(sqlx::AssertSqlSafe(mark))
            .bind(lease.node)
            .bind(lease.now_us + lease.lease_us)
            .bind(serde_json::to_string(&ids).expect("strings serialize"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}
