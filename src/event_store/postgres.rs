//! The PostgreSQL backend. Writers on every node serialize on the `log_head` row
//! (`SELECT … FOR UPDATE`), so positions are assigned and committed in one order: a reader
//! that has seen position n can never later find a smaller one appear. Each batch costs a
//! fixed handful of round trips (arrays + `unnest`), whatever its size.

use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgRow};
use sqlx::{Postgres, Row};

use std::sync::Arc;

use super::{
    AppendOutcome, AppendRequest, Backend, RawEvent, ReadAll, SideWriteHook, StoreError, read_sql,
};

pub(crate) struct PostgresBackend {
    pool: PgPool,
    side_writes: Arc<dyn SideWriteHook<Postgres>>,
}

impl PostgresBackend {
    pub(crate) fn new(pool: PgPool, side_writes: Arc<dyn SideWriteHook<Postgres>>) -> Self {
        Self { pool, side_writes }
    }
}

fn raw_event(row: &PgRow) -> Result<RawEvent, StoreError> {
    Ok(RawEvent {
        position: row.try_get(0)?,
        stream_id: row.try_get(1)?,
        version: row.try_get(2)?,
        event_id: row.try_get(3)?,
        event_type: row.try_get(4)?,
        event_version: row.try_get(5)?,
        data: row.try_get(6)?,
        metadata: row.try_get(7)?,
        recorded_at_us: row.try_get(8)?,
        prev_hash: row.try_get(9)?,
        hash: row.try_get(10)?,
    })
}

#[async_trait]
impl Backend for PostgresBackend {
    async fn write_batch(
        &self,
        requests: &[AppendRequest],
    ) -> Result<Vec<Result<AppendOutcome, StoreError>>, StoreError> {
        write::write_batch(&self.pool, self.side_writes.as_ref(), requests).await
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        let rows = sqlx::query(
            "select position, stream_id, version, event_id, event_type, event_version, \
             data, metadata, recorded_at_us, prev_hash, hash \
             from events where stream_id = $1 and version >= $2 order by version",
        )
        .bind(stream_id)
        .bind(from_version)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(raw_event).collect()
    }

    async fn read_all(&self, query: &ReadAll) -> Result<Vec<RawEvent>, StoreError> {
        let dialect = read_sql::Dialect {
            placeholder: |n| format!("${n}"),
            prefix_test: "starts_with(stream_id, $2)",
            no_prefix: "$2::text is null",
        };
        let sql = read_sql::read_all_sql(
            query.event_types.len(),
            query.stream_prefix.is_some(),
            &dialect,
        );
        let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(query.after)
            .bind(query.stream_prefix.as_deref())
            .bind(query.limit);
        for event_type in &query.event_types {
            statement = statement.bind(event_type);
        }
        let rows = statement.fetch_all(&self.pool).await?;
        rows.iter().map(raw_event).collect()
    }

    async fn read_range(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        let rows = sqlx::query(
            "select position, stream_id, version, event_id, event_type, event_version, \
             data, metadata, recorded_at_us, prev_hash, hash \
             from events where position >= $1 and position <= $2 order by position limit $3",
        )
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(raw_event).collect()
    }

    async fn hash_at(&self, position: i64) -> Result<Option<String>, StoreError> {
        if position <= 0 {
            return Ok(Some(super::GENESIS_HASH.to_string()));
        }
        Ok(
            sqlx::query_scalar("select hash from events where position = $1")
                .bind(position)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn head(&self) -> Result<(i64, String), StoreError> {
        let row = sqlx::query("select position, hash from log_head where id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn insert_raw(&self, rows: &[RawEvent]) -> Result<(i64, String), StoreError> {
        insert_raw(&self.pool, rows).await
    }
}

/// [`Backend::insert_raw`]: the `log_head` row locked, then one `unnest` INSERT.
async fn insert_raw(pool: &PgPool, rows: &[RawEvent]) -> Result<(i64, String), StoreError> {
    let Some(last) = rows.last() else {
        return Err(StoreError::InvalidAppend(
            "an import batch needs at least one event".into(),
        ));
    };
    let mut tx = pool.begin().await?;
    let head = sqlx::query("select position, hash from log_head where id = 1 for update")
        .fetch_one(&mut *tx)
        .await?;
    super::import::check_continues(head.try_get(0)?, &head.try_get::<String, _>(1)?, rows)?;
    let column = |f: fn(&RawEvent) -> &str| rows.iter().map(f).collect::<Vec<_>>();
    sqlx::query(
        "insert into events (position, stream_id, version, event_id, event_type, event_version, \
         data, metadata, recorded_at_us, prev_hash, hash) \
         select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], \
         $6::int[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[])",
    )
    .bind(rows.iter().map(|r| r.position).collect::<Vec<_>>())
    .bind(column(|r| r.stream_id.as_str()))
    .bind(rows.iter().map(|r| r.version).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.event_id).collect::<Vec<_>>())
    .bind(column(|r| r.event_type.as_str()))
    .bind(rows.iter().map(|r| r.event_version).collect::<Vec<_>>())
    .bind(column(|r| r.data.as_str()))
    .bind(column(|r| r.metadata.as_str()))
    .bind(rows.iter().map(|r| r.recorded_at_us).collect::<Vec<_>>())
    .bind(column(|r| r.prev_hash.as_str()))
    .bind(column(|r| r.hash.as_str()))
    .execute(&mut *tx)
    .await?;
    sqlx::query("update log_head set position = $1, hash = $2, recorded_at_us = $3 where id = 1")
        .bind(last.position)
        .bind(&last.hash)
        .bind(last.recorded_at_us)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((last.position, last.hash.clone()))
}

mod write;
