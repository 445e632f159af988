//! Importing a log exported elsewhere: the rows are written with their ORIGINAL position,
//! recorded_at, prev_hash and hash — re-appending through the writer would re-number and
//! re-hash them, and the copy would no longer prove anything about the original.
//!
//! Only into an empty store, and only a chain that verifies from the genesis hash: every row
//! is checked here before it is buffered (so a refusal names the exact row), and again by the
//! backend under the writer lock before it is inserted.

use std::collections::HashMap;

use super::hash::check_link;
use super::types::check_identifier;
use super::{EventStore, GENESIS_HASH, Metadata, RawEvent, StoreError};

/// Rows written per transaction.
const IMPORT_BATCH: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "the store is not empty (its log ends at position {0}); import only into a freshly migrated database"
    )]
    NotEmpty(i64),
    #[error("position {position}: {detail}")]
    Broken { position: i64, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The checks an imported log must pass, row by row from the genesis hash: the chain links
/// up, identifiers are valid, stream versions count up by one, time never goes back, the
/// JSON decodes. Pure, so a file can be checked completely before anything is written.
#[derive(Debug, Clone)]
pub struct ChainCheck {
    next_position: i64,
    prev_hash: String,
    last_recorded_us: i64,
    /// Memory grows with the number of streams (cases, members…), not of events.
    stream_versions: HashMap<String, i64>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self {
            next_position: 1,
            prev_hash: GENESIS_HASH.to_string(),
            last_recorded_us: i64::MIN,
            stream_versions: HashMap::new(),
        }
    }
}

impl ChainCheck {
    /// The position the next row must have.
    pub fn next_position(&self) -> i64 {
        self.next_position
    }

    /// The head so far: (position, hash).
    pub fn head(&self) -> (i64, &str) {
        (self.next_position - 1, &self.prev_hash)
    }

    /// Checks `row` and, if it passes, advances past it.
    pub fn accept(&mut self, row: &RawEvent) -> Result<(), String> {
        check_link(self.next_position, &self.prev_hash, row)?;
        check_identifier("stream id", &row.stream_id).map_err(|e| e.to_string())?;
        check_identifier("event type", &row.event_type).map_err(|e| e.to_string())?;
        if row.event_version < 1 {
            return Err(format!("event_version {} is below 1", row.event_version));
        }
        let expected = self
            .stream_versions
            .get(&row.stream_id)
            .copied()
            .unwrap_or(0)
            + 1;
        if row.version != expected {
            return Err(format!(
                "stream {} jumps to version {}, expected {expected}",
                row.stream_id, row.version
            ));
        }
        if row.recorded_at_us < self.last_recorded_us {
            return Err("recorded_at goes back in time".into());
        }
        serde_json::from_str::<serde::de::IgnoredAny>(&row.data)
            .map_err(|e| format!("data is not JSON: {e}"))?;
        serde_json::from_str::<Metadata>(&row.metadata)
            .map_err(|e| format!("metadata is not valid: {e}"))?;
        self.next_position += 1;
        self.prev_hash.clone_from(&row.hash);
        self.last_recorded_us = row.recorded_at_us;
        match self.stream_versions.get_mut(&row.stream_id) {
            Some(version) => *version = row.version,
            None => {
                self.stream_versions
                    .insert(row.stream_id.clone(), row.version);
            }
        }
        Ok(())
    }
}

/// Checks and writes rows in log order; see the module docs.
pub struct Importer {
    store: EventStore,
    chain: ChainCheck,
    pending: Vec<RawEvent>,
    written: i64,
}

impl EventStore {
    /// Starts an import; refuses a store that already holds events.
    pub async fn importer(&self) -> Result<Importer, ImportError> {
        let (head, _) = self.backend.head().await?;
        if head != 0 {
            return Err(ImportError::NotEmpty(head));
        }
        Ok(Importer {
            store: self.clone(),
            chain: ChainCheck::default(),
            pending: Vec::with_capacity(IMPORT_BATCH),
            written: 0,
        })
    }

    /// Imports `rows` (the whole log, in order) into this empty store; returns the new head.
    pub async fn import(
        &self,
        rows: impl IntoIterator<Item = RawEvent>,
    ) -> Result<(i64, String), ImportError> {
        let mut importer = self.importer().await?;
        for row in rows {
            importer.push(row).await?;
        }
        importer.finish().await
    }
}

impl Importer {
    /// Checks `row` against the chain so far and queues it; writes a batch when full.
    pub async fn push(&mut self, row: RawEvent) -> Result<(), ImportError> {
        self.chain
            .accept(&row)
            .map_err(|detail| ImportError::Broken {
                position: row.position,
                detail,
            })?;
        self.pending.push(row);
        if self.pending.len() >= IMPORT_BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes what is queued and returns the head (position, hash).
    pub async fn finish(mut self) -> Result<(i64, String), ImportError> {
        self.flush().await?;
        let (position, hash) = self.chain.head();
        Ok((position, hash.to_string()))
    }

    /// How many rows are committed so far.
    pub fn written(&self) -> i64 {
        self.written
    }

    async fn flush(&mut self) -> Result<(), ImportError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.store.backend.insert_raw(&self.pending).await?;
        self.written += self.pending.len() as i64;
        self.pending.clear();
        Ok(())
    }
}

/// The backend's own check, under the writer lock: `rows` continue the head and chain.
pub(crate) fn check_continues(
    head_position: i64,
    head_hash: &str,
    rows: &[RawEvent],
) -> Result<(), StoreError> {
    let mut prev_hash = head_hash;
    for (i, row) in rows.iter().enumerate() {
        check_link(head_position + 1 + i as i64, prev_hash, row).map_err(|detail| {
            StoreError::Corrupt {
                position: row.position,
                detail: format!("refused by the import: {detail}"),
            }
        })?;
        prev_hash = &row.hash;
    }
    Ok(())
}
