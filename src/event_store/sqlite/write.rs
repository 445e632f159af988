//! The SQLite write path: a batch in as few hand-offs to the connection's thread as SQLite
//! allows through sqlx. sqlx runs every statement on the connection's worker thread and
//! waits for the answer; each such hop costs more than the statement itself for a small
//! batch, so a batch makes four whatever its size: `BEGIN IMMEDIATE`, one statement that reads
//! everything the plan depends on (head, stream versions, stored ids), one prepared
//! multi-statement that inserts every row and moves the head, and `COMMIT` (plus the side
//! writes, when the batch carries any). The rows travel as one JSON array bound to one
//! parameter, so the SQL text — and with it the cached prepared statement — is the same for
//! a batch of one row or of a thousand.

use sqlx::sqlite::SqlitePool;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use uuid::Uuid;

use super::super::batch::{self, Snapshot, StoredId};
use super::super::{AppendOutcome, AppendRequest, RawEvent, SideWriteHook, StoreError};

/// Everything a batch's plan depends on, in one statement: the head (tag 0), the version of
/// each stream the batch appends to (tag 1; null for a stream without events) and the batch's
/// event ids already stored (tag 2). Each version is one seek of the stream index: `max`
/// alone over an index prefix reads one entry, where `group by` would read all of the
/// stream's.
const SNAPSHOT: &str = "\
    select 0, position, hash, recorded_at_us, null from log_head where id = 1 \
    union all \
    select 1, streams.value, \
     (select max(version) from events where stream_id = streams.value), null, null \
     from json_each(?1) as streams \
    union all \
    select 2, event_id, position, stream_id, version from events \
     where event_id in (select value from json_each(?2))";

/// Moves the head and inserts the rows of `?4` (a JSON array of 11-element arrays, in column
/// order): two statements prepared once and run in one hop. (The head goes first so the
/// insert's parameter is the last: sqlx binds a statement's unnamed leading slots
/// positionally, and those are then the three small values, not the rows.)
const WRITE_ROWS: &str = "\
    update log_head set position = ?1, hash = ?2, recorded_at_us = ?3 where id = 1; \
    insert into events (position, stream_id, version, event_id, event_type, event_version, \
     data, metadata, recorded_at_us, prev_hash, hash) \
    select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, \
     value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10 \
    from json_each(?4) order by key";

pub(super) async fn write_batch(
    pool: &SqlitePool,
    side_writes: &dyn SideWriteHook<Sqlite>,
    requests: &[AppendRequest],
) -> Result<Vec<Result<AppendOutcome, StoreError>>, StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let snapshot = snapshot(&mut tx, requests).await?;
    let plan = batch::plan(snapshot, requests, chrono::Utc::now().timestamp_micros());
    if plan.rows.is_empty() {
        return Ok(plan.outcomes);
    }
    let last = plan.rows.last().expect("rows are not empty");
    write_rows(&mut tx, &plan.rows, last).await?;
    let written = batch::written_side_writes(requests, &plan.outcomes);
    if !written.is_empty() {
        side_writes.write(&mut tx, &written).await?;
    }
    tx.commit().await?;
    Ok(plan.outcomes)
}

async fn snapshot(
    tx: &mut Transaction<'static, Sqlite>,
    requests: &[AppendRequest],
) -> Result<Snapshot, StoreError> {
    let ids: Vec<String> = batch::event_ids_of(requests)
        .iter()
        .map(|id| id.hyphenated().to_string())
        .collect();
    let rows = sqlx::query(SNAPSHOT)
        .bind(serde_json::to_string(&batch::streams_of(requests)).expect("strings serialize"))
        .bind(serde_json::to_string(&ids).expect("strings serialize"))
        .fetch_all(&mut **tx)
        .await?;
    let mut snapshot = Snapshot::default();
    let mut has_head = false;
    for row in rows {
        match row.try_get::<i64, _>(0)? {
            0 => {
                has_head = true;
                snapshot.head_position = row.try_get(1)?;
                snapshot.head_hash = row.try_get(2)?;
                snapshot.last_recorded_us = row.try_get(3)?;
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
    if !has_head {
        return Err(sqlx::Error::RowNotFound.into());
    }
    Ok(snapshot)
}

/// The rows as the JSON array [`WRITE_ROWS`] reads: each text goes through JSON's string
/// escaping and back, so the stored bytes are exactly the planned ones.
fn rows_json(rows: &[RawEvent]) -> String {
    let tuples: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.position,
                &r.stream_id,
                r.version,
                r.event_id.hyphenated().to_string(),
                &r.event_type,
                r.event_version,
                &r.data,
                &r.metadata,
                r.recorded_at_us,
                &r.prev_hash,
                &r.hash,
            )
        })
        .collect();
    serde_json::to_string(&tuples).expect("rows serialize")
}

async fn write_rows(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[RawEvent],
    head: &RawEvent,
) -> Result<(), StoreError> {
    sqlx::query(WRITE_ROWS)
        .bind(head.position)
        .bind(&head.hash)
        .bind(head.recorded_at_us)
        .bind(rows_json(rows))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// [`super::super::Backend::insert_raw`]: an import's rows, exactly as given, under the
/// write lock. Imported texts are bound one by one rather than through JSON: they come
/// from a file and are stored whatever bytes they hold.
pub(super) async fn insert_raw(
    pool: &SqlitePool,
    rows: &[RawEvent],
) -> Result<(i64, String), StoreError> {
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
    super::super::import::check_continues(head.try_get(0)?, &head.try_get::<String, _>(1)?, rows)?;
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

/// Inserts rows with multi-row statements (11 binds a row: a chunk of 64 stays far below
/// SQLite's limit on bound parameters).
async fn insert_rows(
    tx: &mut Transaction<'static, Sqlite>,
    rows: &[RawEvent],
) -> Result<(), StoreError> {
    for range in crate::db::fixed_chunks(rows.len()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_travel_as_arrays_in_column_order() {
        let row = RawEvent {
            position: 7,
            stream_id: "case-1".into(),
            version: 2,
            event_id: Uuid::nil(),
            event_type: "TaskSubmitted".into(),
            event_version: 1,
            data: "{\"t\":\"ا\\n\"}".into(),
            metadata: "{}".into(),
            recorded_at_us: 9,
            prev_hash: "p".into(),
            hash: "h".into(),
        };
        assert_eq!(
            rows_json(&[row]),
            r#"[[7,"case-1",2,"00000000-0000-0000-0000-000000000000","TaskSubmitted",1,"{\"t\":\"ا\\n\"}","{}",9,"p","h"]]"#
        );
    }
}
