//! Moving the log between stores: `daftar audit export` writes one [`Envelope`] per line
//! (NDJSON, exactly the lines of `GET /v1/events` with `Accept: application/x-ndjson`), and
//! `daftar audit import` reads such a file into an EMPTY store with every original position,
//! time and hash.
//!
//! The import reads the file twice: first it checks every line (JSON, hash, chain, order)
//! and writes nothing, so a broken file is refused whole and named by line and position;
//! then it writes, through [`crate::event_store::Importer`], which checks each row again.
//!
//! The files the exported events name follow the events, one `{"file": …}` line each (see
//! [`super::files`]); an import checks that each file's bytes hash to its name and stores
//! it. An export made before attachments existed has no such lines and imports as before.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde::Serialize;

use super::AuditError;
use super::checkpoint::Checkpoint;
use super::files::{FILE_LINE_START, named_by_raw, parse_file_line, write_file_line};
use crate::event_store::{ChainCheck, Envelope, EventStore, ImportError, RawEvent};
use crate::files::{Files, StoredFile};

/// What an export or import covered; `head` is the checkpoint to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferSummary {
    pub events: i64,
    /// Files carried (attachments the events name).
    pub files: i64,
    pub first_position: Option<i64>,
    pub head_position: i64,
    pub head_hash: String,
}

impl TransferSummary {
    pub fn checkpoint(&self) -> String {
        format!("{}:{}", self.head_position, self.head_hash)
    }
}

/// Writes the events after `after`, up to the head as it was when the export started, then
/// the files they name.
pub async fn export(
    store: &EventStore,
    files: &Files,
    after: i64,
    out: &mut impl Write,
) -> Result<TransferSummary, AuditError> {
    let (head, _) = store.head().await?;
    if after < 0 || after > head {
        return Err(AuditError::OutOfRange(format!(
            "--after {after} is outside the log, which holds positions 0..={head}"
        )));
    }
    let mut summary = TransferSummary {
        events: 0,
        files: 0,
        first_position: None,
        head_position: after,
        head_hash: store.hash_at(after).await?.unwrap_or_default(),
    };
    let mut pages = store.pages(after + 1, head);
    let mut buffer = Vec::with_capacity(1 << 20);
    let mut named = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page?;
        buffer.clear();
        for raw in page {
            summary.first_position.get_or_insert(raw.position);
            summary.head_position = raw.position;
            summary.head_hash.clone_from(&raw.hash);
            summary.events += 1;
            named.extend(named_by_raw(&raw.event_type, &raw.data));
            Envelope::from_raw(raw)?.write_line(&mut buffer);
        }
        out.write_all(&buffer)?;
    }
    summary.files = export_files(files, named, out).await?;
    out.flush()?;
    Ok(summary)
}

/// Writes each named file once, in the order first named; a file the store lacks is left
/// out (verify reports it). How many were written.
async fn export_files(
    files: &Files,
    mut named: Vec<String>,
    out: &mut impl Write,
) -> Result<i64, AuditError> {
    let mut seen = std::collections::HashSet::new();
    named.retain(|sha256| seen.insert(sha256.clone()));
    let mut written = 0;
    let mut buffer = Vec::new();
    for sha256 in named {
        let Some(file) = files.get(&sha256).await? else {
            tracing::warn!(%sha256, "an event names a file that is not stored: exported without it");
            continue;
        };
        buffer.clear();
        write_file_line(&file, &mut buffer);
        out.write_all(&buffer)?;
        written += 1;
    }
    Ok(written)
}

/// Why an import file was refused: the line (1-based) and the position it holds or should.
#[derive(Debug, thiserror::Error)]
pub enum ImportFileError {
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
    #[error("{path} line {line} (position {position}): {detail}")]
    Line {
        path: String,
        line: u64,
        position: i64,
        detail: String,
    },
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// Checks the whole file, then imports it into `store` (which must be empty) and its files
/// into `files`.
pub async fn import(
    store: &EventStore,
    files: &Files,
    path: &Path,
    expect_head: Option<&Checkpoint>,
) -> Result<TransferSummary, ImportFileError> {
    let (head, _) = store.head().await.map_err(ImportError::from)?;
    if head != 0 {
        return Err(ImportError::NotEmpty(head).into());
    }
    let checked = read(path, expect_head, async |_| Ok(())).await?;
    let mut importer = store.importer().await?;
    read(path, None, async |line| match line {
        Line::Event(row) => importer.push(row).await,
        Line::File(file) => files
            .store(&file)
            .await
            .map(|_| ())
            .map_err(ImportError::from),
    })
    .await?;
    let (head_position, head_hash) = importer.finish().await?;
    debug_assert_eq!(head_position, checked.head_position);
    Ok(TransferSummary {
        head_position,
        head_hash,
        ..checked
    })
}

/// A line of an export: an event, or a file the events name.
enum Line {
    Event(RawEvent),
    File(StoredFile),
}

/// Reads `path` line by line, the events through a [`ChainCheck`], handing each line to
/// `sink`.
async fn read<F>(
    path: &Path,
    expect_head: Option<&Checkpoint>,
    mut sink: F,
) -> Result<TransferSummary, ImportFileError>
where
    F: AsyncFnMut(Line) -> Result<(), ImportError>,
{
    let shown = path.display().to_string();
    let file_error = |detail: String| ImportFileError::File {
        path: shown.clone(),
        detail,
    };
    let file = std::fs::File::open(path).map_err(|e| file_error(format!("cannot open: {e}")))?;
    let mut chain = ChainCheck::default();
    let mut checkpoint_seen = expect_head.is_some_and(|c| c.position == 0);
    let mut files = 0;
    for (index, line) in BufReader::with_capacity(1 << 20, file).lines().enumerate() {
        let position = chain.next_position();
        let refuse = |detail: String| ImportFileError::Line {
            path: shown.clone(),
            line: index as u64 + 1,
            position,
            detail,
        };
        let line = line.map_err(|e| refuse(format!("cannot read: {e}")))?;
        if line.starts_with(FILE_LINE_START) {
            let file = parse_file_line(&line).map_err(&refuse)?;
            sink(Line::File(file)).await?;
            files += 1;
            continue;
        }
        let row = Envelope::parse_line(&line)
            .map_err(|e| refuse(format!("not an event envelope: {e}")))?
            .into_raw();
        let position = row.position;
        let refuse = |detail: String| ImportFileError::Line {
            path: shown.clone(),
            line: index as u64 + 1,
            position,
            detail,
        };
        chain.accept(&row).map_err(refuse)?;
        if let Some(expected) = expect_head.filter(|c| c.position == position) {
            if expected.hash != row.hash {
                return Err(refuse(format!(
                    "has hash {}, but the checkpoint {expected} says otherwise",
                    row.hash
                )));
            }
            checkpoint_seen = true;
        }
        sink(Line::Event(row)).await.map_err(|e| match e {
            ImportError::Broken { detail, .. } => refuse(detail),
            other => other.into(),
        })?;
    }
    let (head_position, head_hash) = chain.head();
    if head_position == 0 {
        return Err(file_error("holds no events".into()));
    }
    if let Some(expected) = expect_head.filter(|_| !checkpoint_seen) {
        return Err(file_error(format!(
            "ends at position {head_position}, before the checkpoint {expected}: \
             the file is truncated"
        )));
    }
    Ok(TransferSummary {
        events: head_position,
        files,
        first_position: Some(1),
        head_position,
        head_hash: head_hash.to_string(),
    })
}
