//! Checkpoints: `POSITION:HASH`, the head an auditor wrote down after an earlier verify or
//! export. The chain alone cannot reveal that its newest events were deleted (what is left
//! still links up); the checkpoint can: the log must still hold `POSITION`, with that hash.

use std::str::FromStr;

use serde::Serialize;

use super::files::FileCheck;
use crate::event_store::{EventStore, GENESIS_HASH, StoreError, VerifyReport};
use crate::files::Files;

/// A head remembered by an auditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub position: i64,
    pub hash: String,
}

impl FromStr for Checkpoint {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let shape = || format!("{raw:?} is not a checkpoint: write POSITION:HASH (64 hex digits)");
        let (position, hash) = raw.trim().split_once(':').ok_or_else(shape)?;
        let position: i64 = position.parse().map_err(|_| shape())?;
        let hash = hash.to_ascii_lowercase();
        if position < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(shape());
        }
        Ok(Self { position, hash })
    }
}

impl std::fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.position, self.hash)
    }
}

/// What comparing the log with a checkpoint found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CheckpointResult {
    pub position: i64,
    pub hash: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A verify report with the checkpoint comparison (`ok` is false if either failed).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Verification {
    #[serde(flatten)]
    pub report: VerifyReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<CheckpointResult>,
    /// The attachments events name: stored, and still their hash.
    pub files: FileCheck,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.report.ok
    }

    /// One line saying what is wrong, for the CLI's error.
    pub fn problem(&self) -> Option<String> {
        if let Some(position) = self.report.first_bad_position {
            let detail = self.report.detail.as_deref().unwrap_or("broken");
            return Some(format!(
                "the hash chain is broken at position {position}: {detail}"
            ));
        }
        if let (Some(position), Some(detail)) = (self.files.first_bad_position, &self.files.detail)
        {
            return Some(format!(
                "the event at position {position} names a file: {detail}"
            ));
        }
        self.checkpoint
            .as_ref()
            .and_then(|c| c.detail.clone().filter(|_| !c.ok))
    }
}

/// Verifies the whole chain and the files its events name, then (if given) compares it
/// with `checkpoint`.
pub async fn verify(
    store: &EventStore,
    files: &Files,
    checkpoint: Option<&Checkpoint>,
) -> Result<Verification, StoreError> {
    let mut report = store.verify(1, None).await?;
    let files = super::files::check(store, files, report.head_position).await?;
    let checkpoint = match checkpoint {
        None => None,
        Some(expected) => Some(compare(store, &report, expected).await?),
    };
    if checkpoint.as_ref().is_some_and(|c| !c.ok) || !files.ok {
        report.ok = false;
    }
    Ok(Verification {
        report,
        checkpoint,
        files,
    })
}

async fn compare(
    store: &EventStore,
    report: &VerifyReport,
    expected: &Checkpoint,
) -> Result<CheckpointResult, StoreError> {
    let (head, _) = store.head().await?;
    let found = if expected.position == 0 {
        Some(GENESIS_HASH.to_string())
    } else {
        store.hash_at(expected.position).await?
    };
    let detail = match found {
        _ if expected.position > head => Some(format!(
            "the log ends at position {head}, but the checkpoint {expected} was taken at \
             position {}: events {}..={} are missing (deleted from the end of the log)",
            expected.position,
            head + 1,
            expected.position
        )),
        None => Some(format!(
            "position {} of checkpoint {expected} is missing from the log",
            expected.position
        )),
        Some(hash) if hash != expected.hash => Some(format!(
            "position {} has hash {hash}, but the checkpoint says {}: the history up to that \
             position was rewritten",
            expected.position, expected.hash
        )),
        Some(_) if !report.ok && report.head_position < expected.position => Some(format!(
            "the chain does not verify up to the checkpoint's position {}",
            expected.position
        )),
        Some(_) => None,
    };
    Ok(CheckpointResult {
        position: expected.position,
        hash: expected.hash.clone(),
        ok: detail.is_none(),
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_is_position_colon_hash() {
        let hash = "AB".repeat(32);
        let checkpoint: Checkpoint = format!("12:{hash}").parse().unwrap();
        assert_eq!(checkpoint.position, 12);
        assert_eq!(checkpoint.hash, "ab".repeat(32));
        for bad in [
            "12",
            "x:ab",
            "-1:00",
            "3:abc",
            &format!("3:{}", "zz".repeat(32)),
        ] {
            assert!(bad.parse::<Checkpoint>().is_err(), "{bad}");
        }
    }
}
