//! The claim on PostgreSQL: one `update … where id in (select … for update skip locked)`,
//! so claimers on several nodes take disjoint rows without waiting on each other.

use sqlx::postgres::{PgPool, PgRow};

use super::{DueRows, Lease};
use crate::event_store::StoreError;

pub(crate) async fn claim<T>(
    pool: &PgPool,
    rows: &DueRows,
    lease: Lease<'_>,
) -> Result<Vec<T>, StoreError>
where
    T: for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
{
    // Only the description's constants go into the text; every value is bound.
    let sql = format!(
        "update {table} set claimed_by = $1, lease_until_us = $2 + $3 where id in ( \
             select id from {table} where {claimable} \
             order by {due} limit $4 for update skip locked) \
         returning {columns}",
        table = rows.table,
        claimable = rows.claimable("$2"),
        due = rows.due,
        columns = rows.columns,
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(lease.node)
        .bind(lease.now_us)
        .bind(lease.lease_us)
        .bind(lease.limit)
        .fetch_all(pool)
        .await?)
}
