//! The files the log names: every attachment an event records must still be stored, and
//! its bytes must still hash to its name. The hash chain covers the hash in the event; this
//! check closes the gap to the bytes, which live beside the log in the `files` table.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::CASE_ATTACHMENT_LISTS;
use crate::event_store::{EventStore, ReadAll, StoreError};
use crate::files::{FileMeta, Files, StoredFile};

/// The event types that can name files.
const NAMING_EVENTS: [&str; 3] = ["SubmissionReceived", "CaseOpened", "ChildCaseOrdered"];

const PAGE: i64 = 1_000;

/// What checking the named files found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FileCheck {
    pub ok: bool,
    /// Distinct files named and checked.
    pub checked: usize,
    /// The first event naming a file that is missing or altered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_position: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The hashes of the files an event's data names.
pub fn named_files(event_type: &str, data: &Value) -> Vec<String> {
    let lists: Vec<&Value> = match event_type {
        "SubmissionReceived" => data.get("attachments").into_iter().collect(),
        "CaseOpened" | "ChildCaseOrdered" => CASE_ATTACHMENT_LISTS
            .iter()
            .filter_map(|pointer| data.get("params")?.pointer(pointer))
            .collect(),
        _ => Vec::new(),
    };
    lists
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|a| a["sha256"].as_str().map(str::to_string))
        .collect()
}

/// The hashes named by a stored event, read from its stored text (parsed only for the event
/// types that can name files).
pub fn named_by_raw(event_type: &str, data: &str) -> Vec<String> {
    if !NAMING_EVENTS.contains(&event_type) || !data.contains("\"sha256\"") {
        return Vec::new();
    }
    serde_json::from_str(data)
        .map(|data: Value| named_files(event_type, &data))
        .unwrap_or_default()
}

/// An export line that carries a file: `{"file": {…}}`, its bytes in hex (no other line of
/// an export starts so: event lines start with their position).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLine {
    file: FileRecord,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRecord {
    sha256: String,
    size: i64,
    content_type: String,
    filename: String,
    uploaded_by: String,
    uploaded_at_us: i64,
    bytes_hex: String,
}

pub const FILE_LINE_START: &str = "{\"file\":";

pub fn write_file_line(file: &StoredFile, out: &mut Vec<u8>) {
    let line = FileLine {
        file: FileRecord {
            sha256: file.meta.sha256.clone(),
            size: file.meta.size,
            content_type: file.meta.content_type.clone(),
            filename: file.meta.filename.clone(),
            uploaded_by: file.uploaded_by.clone(),
            uploaded_at_us: file.uploaded_at_us,
            bytes_hex: hex::encode(&file.bytes),
        },
    };
    serde_json::to_writer(&mut *out, &line).expect("a file line serializes");
    out.push(b'\n');
}

/// A file line read back, refused unless its bytes hash to its name.
pub fn parse_file_line(line: &str) -> Result<StoredFile, String> {
    let FileLine { file } =
        serde_json::from_str(line).map_err(|e| format!("not a file line: {e}"))?;
    let bytes = hex::decode(&file.bytes_hex).map_err(|e| format!("file bytes: {e}"))?;
    let stored = StoredFile {
        meta: FileMeta {
            sha256: file.sha256,
            size: file.size,
            content_type: file.content_type,
            filename: file.filename,
        },
        uploaded_by: file.uploaded_by,
        uploaded_at_us: file.uploaded_at_us,
        bytes,
    };
    if !stored.intact() {
        return Err(format!(
            "the bytes of file {} do not hash to it (or their size differs)",
            stored.meta.sha256
        ));
    }
    Ok(stored)
}

/// Checks every file named by the events up to position `upto`, each once, in log order;
/// stops at the first missing or altered one.
pub async fn check(store: &EventStore, files: &Files, upto: i64) -> Result<FileCheck, StoreError> {
    let mut query = ReadAll::after(0, PAGE);
    query.event_types = NAMING_EVENTS.iter().map(|t| t.to_string()).collect();
    let mut seen: HashMap<String, ()> = HashMap::new();
    loop {
        let page = store.read_all(&query).await?;
        let Some(last) = page.last() else { break };
        query.after = last.position;
        for event in page.iter().filter(|e| e.position <= upto) {
            for sha256 in named_files(&event.event_type, &event.data) {
                if seen.insert(sha256.clone(), ()).is_some() {
                    continue;
                }
                if let Some(detail) = problem(files, &sha256).await? {
                    return Ok(FileCheck {
                        ok: false,
                        checked: seen.len(),
                        first_bad_position: Some(event.position),
                        sha256: Some(sha256),
                        detail: Some(detail),
                    });
                }
            }
        }
    }
    Ok(FileCheck {
        ok: true,
        checked: seen.len(),
        first_bad_position: None,
        sha256: None,
        detail: None,
    })
}

async fn problem(files: &Files, sha256: &str) -> Result<Option<String>, StoreError> {
    Ok(match files.get(sha256).await? {
        None => Some(format!("the file {sha256} is not stored")),
        Some(file) if !file.intact() => Some(format!(
            "the stored bytes of {sha256} no longer hash to it (altered)"
        )),
        Some(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn submissions_and_case_params_name_files() {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        let submission = json!({"attachments": [{"sha256": a}]});
        assert_eq!(
            named_files("SubmissionReceived", &submission),
            vec![a.clone()]
        );
        let opened = json!({"params": {"attachments": [{"sha256": a}],
            "adopted_in_meeting": {"attachments": [{"sha256": b}]}}});
        assert_eq!(named_files("CaseOpened", &opened), [a, b]);
        assert!(named_files("SubmissionReceived", &json!({"data": {}})).is_empty());
        assert!(named_files("VoteCast", &submission).is_empty());
    }
}
