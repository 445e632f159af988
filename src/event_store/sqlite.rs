//! The SQLite backend: one file, WAL, `synchronous=FULL`. Writers are serialized by
//! `BEGIN IMMEDIATE`, which takes the database's write lock up front, so positions are
//! assigned and committed in one order even across processes sharing the file.

use async_trait::async_trait;
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{Row, Sqlite};
use uuid::Uuid;

use std::sync::Arc;
use std::time::Duration;

use super::{
    AppendOutcome, AppendRequest, Backend, RawEvent, ReadAll, SideWriteHook, StoreError, read_sql,
};

pub(crate) struct SqliteBackend {
    pool: SqlitePool,
    /// The group-commit writer's own connection. A connection forgets the pages it has read
    /// whenever another connection has committed, and the shared pool hands its idle
    /// connections out in turn: the writer could begin each batch on one the batch before
    /// had made stale. Closed at shutdown, so that closing the database's pool closes the
    /// file's last connection (which checkpoints the WAL).
    writer: SqlitePool,
    side_writes: Arc<dyn SideWriteHook<Sqlite>>,
}

impl SqliteBackend {
    pub(crate) fn new(pool: SqlitePool, side_writes: Arc<dyn SideWriteHook<Sqlite>>) -> Self {
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false)
            .connect_lazy_with((*pool.connect_options()).clone());
        Self {
            pool,
            writer,
            side_writes,
        }
    }
}

fn raw_event(row: &SqliteRow) -> Result<RawEvent, StoreError> {
    let position: i64 = row.try_get(0)?;
    let event_id: String = row.try_get(3)?;
    let event_id = Uuid::parse_str(&event_id).map_err(|e| StoreError::Corrupt {
        position,
        detail: format!("event_id {event_id:?}: {e}"),
    })?;
    Ok(RawEvent {
        position,
        stream_id: row.try_get(1)?,
        version: row.try_get(2)?,
        event_id,
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
impl Backend for SqliteBackend {
    async fn write_batch(
        &self,
        requests: &[AppendRequest],
    ) -> Result<Vec<Result<AppendOutcome, StoreError>>, StoreError> {
        write::write_batch(&self.writer, self.side_writes.as_ref(), requests).await
    }

    async fn close(&self) {
        self.writer.close().await;
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        let rows = sqlx::query(
            "select position, stream_id, version, event_id, event_type, event_version, \
             data, metadata, recorded_at_us, prev_hash, hash \
             from events where stream_id = ? and version >= ? order by version",
        )
        .bind(stream_id)
        .bind(from_version)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(raw_event).collect()
    }

    async fn read_all(&self, query: &ReadAll) -> Result<Vec<RawEvent>, StoreError> {
        let dialect = read_sql::Dialect {
            placeholder: |n| format!("?{n}"),
            prefix_test: "substr(stream_id, 1, length(?2)) = ?2",
            no_prefix: "",
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
             from events where position >= ? and position <= ? order by position limit ?",
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
            sqlx::query_scalar("select hash from events where position = ?")
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
        write::insert_raw(&self.pool, rows).await
    }

    async fn scan_range(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        // A page SQLite cannot pack faithfully (a NUL inside a text) is read row by row.
        match scan::scan_range(&self.pool, from, to, limit).await {
            Err(StoreError::Corrupt { .. }) => {
                self.read_range(from, to, limit.min(scan::PACKED_PAGE))
                    .await
            }
            other => other,
        }
    }

    async fn scan_stream(
        &self,
        stream_id: &str,
        from_version: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        match scan::scan_stream(&self.pool, stream_id, from_version).await {
            Err(StoreError::Corrupt { .. }) => self.read_stream(stream_id, from_version).await,
            other => other,
        }
    }
}

mod scan;

mod write;
