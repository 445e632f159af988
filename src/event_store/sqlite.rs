//! The SQLite backend: one file, WAL, `synchronous=FULL`. Writers are serialized by
//! `BEGIN IMMEDIATE`, which takes the database's write lock up front, so positions are
//! assigned and committed in one order even across processes sharing the file.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use uuid::Uuid;

use crate::documents::{self, SideWrite};

use super::batch::{self, Snapshot, StoredId};
use super::{
    AppendOutcome, AppendRequest, Backend, RawEvent, ReadAll, StoreError, queued, read_sql,
};

pub(crate) struct SqliteBackend {
    pool: SqlitePool,
}

impl SqliteBackend {
    pub(crate) fn new(pool: SqlitePool) -> Self {
        Self { pool }
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

async fn snapshot(
    tx: &mut Transaction<'static, Sqlite>,
    requests: &[AppendRequest],
) -> Result<Snapshot, StoreError> {
    let head = sqlx::query("select position, hash, recorded_at_us from log_head where id = 1")
        .fetch_one(&mut **tx)
        .await?;
    let rows = sqlx::query(
        "select stream_id, max(version) from events \
         where stream_id in (select value from json_each(?)) group by stream_id",
    )
    .bind(serde_json::to_string(&batch::streams_of(requests)).expect("strings serialize"))
    .fetch_all(&mut **tx)
    .await?;
    let mut versions = HashMap::with_capacity(rows.len());
    for row in rows {
        versions.insert(row.try_get(0)?, row.try_get(1)?);
    }
    let ids: Vec<String> = batch::event_ids_of(requests)
        .iter()
        .map(|id| id.hyphenated().to_string())
        .collect();
    let rows = sqlx::query(
        "select event_id, position, stream_id, version from events \
         where event_id in (select value from json_each(?))",
    )
    .bind(serde_json::to_string(&ids).expect("strings serialize"))
    .fetch_all(&mut **tx)
    .await?;
    let mut existing = HashMap::new();
    for row in rows {
        let id: String = row.try_get(0)?;
        if let Ok(id) = Uuid::parse_str(&id) {
            let stored = StoredId {
                position: row.try_get(1)?,
                stream_id: row.try_get(2)?,
                version: row.try_get(3)?,
            };
            existing.insert(id, stored);
        }
    }
    Ok(Snapshot {
        head_position: head.try_get(0)?,
        head_hash: head.try_get(1)?,
        last_recorded_us: head.try_get(2)?,
        versions,
        existing,
    })
}

/// Inserts the planned rows with multi-row statements (11 binds a row: a chunk of 64 stays
/// far below SQLite's limit on bound parameters).
async fn insert_rows(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[RawEvent],
) -> Result<(), StoreError> {
    for range in documents::fixed_chunks(rows.len()) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "insert into events (position, stream_id, version, event_id, event_type, \
             event_version, data, metadata, recorded_at_us, prev_hash, hash) ",
        );
        insert.push_values(&rows[range], |mut values, row| {
            values
                .push_bind(row.position)
                .push_bind(&row.stream_id)
                .push_bind(row.version)
                .push_bind(row.event_id.hyphenated().to_string())
                .push_bind(&row.event_type)
                .push_bind(row.event_version)
                .push_bind(&row.data)
                .push_bind(&row.metadata)
                .push_bind(row.recorded_at_us)
                .push_bind(&row.prev_hash)
                .push_bind(&row.hash);
        });
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

#[async_trait]
impl Backend for SqliteBackend {
    async fn write_batch(
        &self,
        requests: &[AppendRequest],
    ) -> Result<Vec<Result<AppendOutcome, StoreError>>, StoreError> {
        let _turn = crate::db::sqlite_write_turn(&self.pool).await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let snapshot = snapshot(&mut tx, requests).await?;
        let plan = batch::plan(snapshot, requests, chrono::Utc::now().timestamp_micros());
        if plan.rows.is_empty() {
            return Ok(plan.outcomes);
        }
        insert_rows(&mut tx, &plan.rows).await?;
        let writes = || {
            requests
                .iter()
                .zip(&plan.outcomes)
                .filter(|(_, outcome)| AppendRequest::wrote(outcome))
                .flat_map(|(request, _)| &request.side_writes)
        };
        documents::upsert_many_sqlite(&mut tx, &documents::newest(writes())).await?;
        documents::upsert_case_agencies_sqlite(&mut tx, &documents::newest_case_agencies(writes()))
            .await?;
        crate::outbox::sqlite::enqueue_many(&mut tx, &queued(writes())).await?;
        for credential in super::credentials(writes()) {
            crate::credentials::insert_sqlite(&mut tx, credential).await?;
        }
        for step in crate::timers::steps(writes()) {
            apply_side_write(&mut tx, step).await?;
        }
        sqlx::query("update log_head set position = ?, hash = ?, recorded_at_us = ? where id = 1")
            .bind(plan.head_position)
            .bind(&plan.head_hash)
            .bind(plan.last_recorded_us)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(plan.outcomes)
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
        insert_raw(&self.pool, rows).await
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

/// [`Backend::insert_raw`]: one `BEGIN IMMEDIATE` transaction, multi-row INSERTs (the same
/// as an append's, see `insert_rows`).
async fn insert_raw(pool: &SqlitePool, rows: &[RawEvent]) -> Result<(i64, String), StoreError> {
    let Some(last) = rows.last() else {
        return Err(StoreError::InvalidAppend(
            "an import batch needs at least one event".into(),
        ));
    };
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let head = sqlx::query("select position, hash from log_head where id = 1")
        .fetch_one(&mut *tx)
        .await?;
    super::import::check_continues(head.try_get(0)?, &head.try_get::<String, _>(1)?, rows)?;
    insert_rows(&mut tx, rows).await?;
    sqlx::query("update log_head set position = ?, hash = ?, recorded_at_us = ? where id = 1")
        .bind(last.position)
        .bind(&last.hash)
        .bind(last.recorded_at_us)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((last.position, last.hash.clone()))
}

/// One step of the side writes inside the append's transaction (documents and e-mails are
/// written before, together: see `write_batch`).
async fn apply_side_write(
    tx: &mut Transaction<'static, Sqlite>,
    step: crate::timers::Step<'_>,
) -> Result<(), StoreError> {
    match step {
        crate::timers::Step::Timers(group) => crate::timers::sqlite::apply(tx, &group).await,
        crate::timers::Step::One(SideWrite::CompleteTimer { id }) => {
            crate::timers::sqlite::complete(tx, id).await
        }
        crate::timers::Step::One(SideWrite::FinishNotification {
            id,
            status,
            attempts,
            error,
            at_us,
        }) => {
            crate::outbox::sqlite::finish(tx, id, status, *attempts, error.as_deref(), *at_us).await
        }
        crate::timers::Step::One(_) => Ok(()),
    }
}
