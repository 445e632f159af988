//! The PostgreSQL write path: a batch in two statements between `BEGIN` and `COMMIT`
//! (plus the side writes, when it carries any), whatever its size. The first locks the
//! `log_head` row and reads, in the same round trip, everything the plan depends on; the
//! second inserts every row (arrays + `unnest`) and moves the head.

use sqlx::postgres::PgPool;
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

use super::super::batch::{self, Plan, Snapshot, StoredId};
use super::super::{AppendOutcome, AppendRequest, SideWriteHook, StoreError};

/// The head, locked (tag 0), the version of each stream the batch appends to (tag 1; null
/// for a stream without events: each one backward step of the stream index, where `group
/// by` would read every event of the stream) and the batch's event ids already stored (tag
/// 2). The lock may be granted only after another writer commits, while the rest of the
/// statement reads the log as it was when the statement began: the head row carries the
/// highest position that reading saw, so a stale read is noticed (and the reads repeated,
/// now under the lock).
const SNAPSHOT: &str = "\
    with head as (select position, hash, recorded_at_us from log_head where id = 1 for update) \
    select 0 as tag, null::text as key, position as a, hash as b, recorded_at_us as c, \
     (select coalesce(max(position), 0) from events) as d from head \
    union all \
    select 1, stream, (select max(version) from events where stream_id = stream), null, null, \
     null from unnest($1::text[]) as stream \
    union all \
    select 2, event_id::text, position, stream_id, version, null from events \
     where event_id = any($2)";

/// Inserts the planned rows and moves the head, in one statement.
const WRITE_ROWS: &str = "\
    with head as (update log_head set position = $12, hash = $13, recorded_at_us = $14 \
     where id = 1) \
    insert into events (position, stream_id, version, event_id, event_type, event_version, \
     data, metadata, recorded_at_us, prev_hash, hash) \
    select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], \
     $6::int[], $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[])";

pub(super) async fn write_batch(
    pool: &PgPool,
    side_writes: &dyn SideWriteHook<Postgres>,
    requests: &[AppendRequest],
) -> Result<Vec<Result<AppendOutcome, StoreError>>, StoreError> {
    let mut tx = pool.begin().await?;
    let snapshot = match snapshot(&mut tx, requests).await? {
        Some(snapshot) => snapshot,
        // Another writer committed while this one waited for the lock: read again.
        None => snapshot(&mut tx, requests)
            .await?
            .ok_or_else(|| StoreError::InvalidAppend("log head moved under its lock".into()))?,
    };
    let plan = batch::plan(snapshot, requests, chrono::Utc::now().timestamp_micros());
    if plan.rows.is_empty() {
        return Ok(plan.outcomes);
    }
    write_rows(&mut tx, &plan).await?;
    let written = batch::written_side_writes(requests, &plan.outcomes);
    if !written.is_empty() {
        side_writes.write(&mut tx, &written).await?;
    }
    tx.commit().await?;
    Ok(plan.outcomes)
}

/// The snapshot, or `None` when the reads were older than the locked head.
async fn snapshot(
    tx: &mut Transaction<'static, Postgres>,
    requests: &[AppendRequest],
) -> Result<Option<Snapshot>, StoreError> {
    let rows = sqlx::query(SNAPSHOT)
        .bind(batch::streams_of(requests))
        .bind(batch::event_ids_of(requests))
        .fetch_all(&mut **tx)
        .await?;
    let mut snapshot = Snapshot::default();
    let mut fresh = None;
    for row in rows {
        match row.try_get::<i32, _>(0)? {
            0 => {
                snapshot.head_position = row.try_get(2)?;
                snapshot.head_hash = row.try_get(3)?;
                snapshot.last_recorded_us = row.try_get(4)?;
                fresh = Some(row.try_get::<i64, _>(5)? == snapshot.head_position);
            }
            1 => {
                // No version: a stream without events yet.
                if let Some(version) = row.try_get::<Option<i64>, _>(2)? {
                    snapshot.versions.insert(row.try_get(1)?, version);
                }
            }
            _ => {
                let id: String = row.try_get(1)?;
                if let Ok(id) = Uuid::parse_str(&id) {
                    let stored = StoredId {
                        position: row.try_get(2)?,
                        stream_id: row.try_get(3)?,
                        version: row.try_get(4)?,
                    };
                    snapshot.existing.insert(id, stored);
                }
            }
        }
    }
    match fresh {
        None => Err(sqlx::Error::RowNotFound.into()),
        Some(true) => Ok(Some(snapshot)),
        Some(false) => Ok(None),
    }
}

async fn write_rows(
    tx: &mut Transaction<'static, Postgres>,
    plan: &Plan,
) -> Result<(), StoreError> {
    let rows = &plan.rows;
    let text = |f: fn(&super::super::RawEvent) -> &str| rows.iter().map(f).collect::<Vec<_>>();
    sqlx::query(WRITE_ROWS)
        .bind(rows.iter().map(|r| r.position).collect::<Vec<_>>())
        .bind(text(|r| r.stream_id.as_str()))
        .bind(rows.iter().map(|r| r.version).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.event_id).collect::<Vec<_>>())
        .bind(text(|r| r.event_type.as_str()))
        .bind(rows.iter().map(|r| r.event_version).collect::<Vec<_>>())
        .bind(text(|r| r.data.as_str()))
        .bind(text(|r| r.metadata.as_str()))
        .bind(rows.iter().map(|r| r.recorded_at_us).collect::<Vec<_>>())
        .bind(text(|r| r.prev_hash.as_str()))
        .bind(text(|r| r.hash.as_str()))
        .bind(plan.head_position)
        .bind(&plan.head_hash)
        .bind(plan.last_recorded_us)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
