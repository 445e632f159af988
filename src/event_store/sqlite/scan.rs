//! Bulk scans on SQLite (verify, export, replaying every case): a page of events comes back
//! as ONE value that SQLite packs, instead of one row per event. sqlx hands every row from
//! its worker thread to the async side on its own — a wake-up and a dozen allocations per
//! row — which was most of the cost of verifying or replaying a long log; packed, a page
//! costs one hand-off. The rows are exactly those of `read_range` / `read_stream` (tested).
//!
//! Each event is packed as eleven space-terminated decimal numbers — position, version,
//! event_version, recorded_at_us and the byte lengths of event_id, stream_id, event_type,
//! data, metadata, prev_hash, hash — followed by those seven texts. The lengths make the
//! packing unambiguous whatever the texts hold, tampered ones included.

use sqlx::Row;
use sqlx::sqlite::SqlitePool;
use uuid::Uuid;

use crate::event_store::{RawEvent, StoreError};

macro_rules! packed_event {
    () => {
        "concat(position, ' ', version, ' ', event_version, ' ', recorded_at_us, ' ', \
         length(cast(event_id as blob)), ' ', length(cast(stream_id as blob)), ' ', \
         length(cast(event_type as blob)), ' ', length(cast(data as blob)), ' ', \
         length(cast(metadata as blob)), ' ', length(cast(prev_hash as blob)), ' ', \
         length(cast(hash as blob)), ' ', \
         event_id, stream_id, event_type, data, metadata, prev_hash, hash)"
    };
}

/// Events per packed page: the page is one SQLite string (at most 1 GB), and a submission
/// may be up to 1 MB.
pub(crate) const PACKED_PAGE: i64 = 500;

/// `from <= position <= to`, at most `limit` (capped at [`PACKED_PAGE`]), in position order.
pub(crate) async fn scan_range(
    pool: &SqlitePool,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<RawEvent>, StoreError> {
    let row = sqlx::query(concat!(
        "select group_concat(",
        packed_event!(),
        ", '') from (select * from events \
         where position >= ?1 and position <= ?2 order by position limit ?3)"
    ))
    .bind(from)
    .bind(to)
    .bind(limit.min(PACKED_PAGE))
    .fetch_one(pool)
    .await?;
    unpack(row.try_get::<Option<&str>, _>(0)?.unwrap_or_default())
}

/// The events of one stream with `version >= from_version`, in version order.
pub(crate) async fn scan_stream(
    pool: &SqlitePool,
    stream_id: &str,
    from_version: i64,
) -> Result<Vec<RawEvent>, StoreError> {
    let row = sqlx::query(concat!(
        "select group_concat(",
        packed_event!(),
        ", '') from (select * from events where stream_id = ?1 and version >= ?2 \
         order by version)"
    ))
    .bind(stream_id)
    .bind(from_version)
    .fetch_one(pool)
    .await?;
    unpack(row.try_get::<Option<&str>, _>(0)?.unwrap_or_default())
}

fn unpack(mut rest: &str) -> Result<Vec<RawEvent>, StoreError> {
    let mut rows = Vec::new();
    let mut position = 0;
    let corrupt = |position: i64, detail: &str| StoreError::Corrupt {
        position,
        detail: format!("packed scan: {detail}"),
    };
    while !rest.is_empty() {
        let mut numbers = [0i64; 11];
        for number in &mut numbers {
            let (digits, tail) = rest
                .split_once(' ')
                .ok_or_else(|| corrupt(position + 1, "a field is cut short"))?;
            *number = digits
                .parse()
                .map_err(|_| corrupt(position + 1, "a number field is not an integer"))?;
            rest = tail;
        }
        let [at, version, event_version, recorded_at_us, lengths @ ..] = numbers;
        position = at;
        let mut texts = [""; 7];
        for (text, length) in texts.iter_mut().zip(lengths) {
            let length = usize::try_from(length).unwrap_or(usize::MAX);
            let (head, tail) = (rest.get(..length), rest.get(length..));
            let (Some(head), Some(tail)) = (head, tail) else {
                return Err(corrupt(position, "a text field is cut short"));
            };
            (*text, rest) = (head, tail);
        }
        let [
            event_id,
            stream_id,
            event_type,
            data,
            metadata,
            prev_hash,
            hash,
        ] = texts;
        rows.push(RawEvent {
            position,
            stream_id: stream_id.to_string(),
            version,
            event_id: Uuid::parse_str(event_id)
                .map_err(|e| corrupt(position, &format!("event_id {event_id:?}: {e}")))?,
            event_type: event_type.to_string(),
            event_version: i32::try_from(event_version)
                .map_err(|_| corrupt(position, "event_version is out of range"))?,
            data: data.to_string(),
            metadata: metadata.to_string(),
            recorded_at_us,
            prev_hash: prev_hash.to_string(),
            hash: hash.to_string(),
        });
    }
    // The pages are concatenated in the order their subquery reads them; an aggregate's own
    // `order by` would copy every row into a sorter first. Should SQLite ever concatenate in
    // another order, the rows are put back in log order here (a stream's version order is its
    // position order).
    if !rows.is_sorted_by_key(|row| row.position) {
        rows.sort_by_key(|row| row.position);
    }
    Ok(rows)
}
