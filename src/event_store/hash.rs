//! The hash chain. Each event stores `prev_hash` (the hash of the event before it, or
//! [`GENESIS_HASH`] for position 1) and `hash = SHA-256(prev_hash ‖ canonical bytes)`.
//!
//! The canonical bytes are the stored fields joined by `\n`, in this order:
//! `position, stream_id, version, event_id, event_type, event_version, recorded_at_us,
//! metadata, data` — integers in decimal, the event id in lowercase hyphenated form,
//! `metadata` and `data` as the exact JSON text stored. Stream ids and event types cannot
//! contain `\n` and compact JSON never does, so the encoding is unambiguous; `prev_hash` is
//! fed as its 32 raw bytes. An auditor can recompute it in a few lines of any language.

use sha2::{Digest, Sha256};

use std::sync::Arc;

use super::pages::Pages;
use super::{Backend, RawEvent, StoreError};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Computes an event's hash from its stored fields and the previous hash (hex).
pub fn event_hash(prev_hash_hex: &str, event: &RawEvent) -> String {
    hex::encode(event_digest(prev_hash_hex, event))
}

/// The SHA-256 digest behind [`event_hash`], as raw bytes.
fn event_digest(prev_hash_hex: &str, event: &RawEvent) -> [u8; 32] {
    use std::io::Write as _;
    let mut prev = [0u8; 32];
    // A malformed stored prev_hash hashes as zeros and so fails verification at that row.
    let _ = hex::decode_to_slice(prev_hash_hex, &mut prev);
    let mut header = Vec::with_capacity(192);
    // Writing into a Vec cannot fail.
    let _ = write!(
        header,
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n",
        event.position,
        event.stream_id,
        event.version,
        event.event_id.hyphenated(),
        event.event_type,
        event.event_version,
        event.recorded_at_us,
    );
    let mut hasher = Sha256::new();
    hasher.update(prev);
    hasher.update(&header);
    hasher.update(event.metadata.as_bytes());
    hasher.update(b"\n");
    hasher.update(event.data.as_bytes());
    hasher.finalize().into()
}

/// Whether `stored` is the lowercase hex of `digest`, as [`event_hash`] writes it.
fn is_hex_of(stored: &str, digest: &[u8; 32]) -> bool {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(stored, &mut bytes).is_ok()
        && bytes == *digest
        && !stored.bytes().any(|b| b.is_ascii_uppercase())
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct VerifyReport {
    pub ok: bool,
    /// How many events were checked.
    pub checked: i64,
    /// The last position checked that is good (the head when everything is).
    pub head_position: i64,
    pub head_hash: String,
    /// The first position whose bytes, links or numbering are wrong.
    pub first_bad_position: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Checks one row against the expected position and previous hash.
pub fn check_link(expected_position: i64, prev_hash: &str, event: &RawEvent) -> Result<(), String> {
    if event.position != expected_position {
        return Err(format!(
            "expected position {expected_position}, found {}",
            event.position
        ));
    }
    if event.prev_hash != prev_hash {
        return Err(format!(
            "prev_hash {} does not match the hash of position {}",
            event.prev_hash,
            expected_position - 1
        ));
    }
    if !is_hex_of(&event.hash, &event_digest(prev_hash, event)) {
        return Err("stored bytes do not match the stored hash".into());
    }
    Ok(())
}

/// Streams `from..=to` page by page ([`Pages`]: memory stays flat) and re-derives every hash.
pub(crate) async fn verify(
    backend: Arc<dyn Backend>,
    from: i64,
    to: Option<i64>,
) -> Result<VerifyReport, StoreError> {
    let from = from.max(1);
    let (head_position, _) = backend.head().await?;
    let to = to.unwrap_or(head_position).min(head_position);
    let mut prev_hash = backend
        .hash_at(from - 1)
        .await?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let mut report = VerifyReport {
        ok: true,
        checked: 0,
        head_position: from - 1,
        head_hash: prev_hash.clone(),
        first_bad_position: None,
        detail: None,
    };
    let mut pages = Pages::read(backend, from, to);
    let mut next = from;
    while next <= to {
        let page = match pages.next().await {
            // A row that cannot even be read is as bad as one whose hash is wrong.
            Some(Err(StoreError::Corrupt { position, detail })) => {
                return Ok(report.bad(next.min(position), detail));
            }
            Some(page) => page?,
            None => Vec::new(),
        };
        if page.is_empty() {
            return Ok(report.bad(next, "event is missing".into()));
        }
        for event in &page {
            if let Err(detail) = check_link(next, &prev_hash, event) {
                return Ok(report.bad(next, detail));
            }
            prev_hash.clone_from(&event.hash);
            report.checked += 1;
            report.head_position = event.position;
            next += 1;
        }
        report.head_hash.clone_from(&prev_hash);
    }
    Ok(report)
}

impl VerifyReport {
    fn bad(mut self, position: i64, detail: String) -> Self {
        self.ok = false;
        self.first_bad_position = Some(position);
        self.detail = Some(detail);
        self
    }
}
