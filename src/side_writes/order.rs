//! Folding a batch's upserts: each read-model row written once, as the writes one by one
//! would have left it.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::SideWrite;
use crate::documents::{CaseAgency, Document};

/// The documents among side writes, one per `(kind, id)`: what upserting them one by one,
/// in order, leaves behind (an upsert never replaces a newer version; on a tie the later
/// write wins). A batch then writes each document once, in one statement.
pub(crate) fn newest<'a>(writes: impl IntoIterator<Item = &'a SideWrite>) -> Vec<&'a Document> {
    let mut at: HashMap<(&str, &str), usize> = Default::default();
    let mut documents: Vec<&Document> = Vec::new();
    for write in writes {
        let SideWrite::Document(document) = write else {
            continue;
        };
        match at.entry((document.kind, document.id.as_str())) {
            Entry::Occupied(slot) => {
                let kept = &mut documents[*slot.get()];
                if document.version >= kept.version {
                    *kept = document;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(documents.len());
                documents.push(document);
            }
        }
    }
    documents
}

/// The case-agency rows among side writes, one per (agency, case): what upserting them one
/// by one, in order, leaves behind (as [`newest`] for documents).
pub(crate) fn newest_case_agencies<'a>(
    writes: impl IntoIterator<Item = &'a SideWrite>,
) -> Vec<&'a CaseAgency> {
    let mut at: HashMap<(&str, &str), usize> = HashMap::new();
    let mut rows: Vec<&CaseAgency> = Vec::new();
    for write in writes {
        let SideWrite::CaseAgency(row) = write else {
            continue;
        };
        match at.entry((row.agency.as_str(), row.case_id.as_str())) {
            Entry::Occupied(slot) => {
                let kept = &mut rows[*slot.get()];
                if row.version >= kept.version {
                    *kept = row;
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(rows.len());
                rows.push(row);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(kind: &'static str, id: &str, version: i64, doc: &str) -> SideWrite {
        SideWrite::Document(Document::new(kind, id, version, &doc))
    }

    #[test]
    fn a_batch_keeps_the_newest_document_per_kind_and_id() {
        let writes = [
            write("case", "a", 1, "a1"),
            write("task", "a", 1, "task"),
            write("case", "b", 5, "b5"),
            SideWrite::CancelTimers {
                case_id: "a".into(),
                task_id: None,
            },
            write("case", "a", 3, "a3"),
            write("case", "b", 4, "b4"),
            write("case", "a", 3, "a3 again"),
        ];
        let kept: Vec<(&str, &str, i64, &str)> = newest(&writes)
            .iter()
            .map(|d| (d.kind, d.id.as_str(), d.version, d.doc.as_str()))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("case", "a", 3, "\"a3 again\""),
                ("task", "a", 1, "\"task\""),
                ("case", "b", 5, "\"b5\""),
            ]
        );
    }

    fn row(agency: &str, case: &str, status: &str, version: i64) -> SideWrite {
        SideWrite::CaseAgency(CaseAgency {
            agency: agency.into(),
            case_id: case.into(),
            workflow: "w".into(),
            status: status.into(),
            version,
        })
    }

    #[test]
    fn a_batch_keeps_the_newest_row_per_agency_and_case() {
        let writes = [
            row("A", "c1", "open", 1),
            row("B", "c1", "open", 1),
            row("A", "c2", "open", 1),
            row("A", "c1", "completed", 4),
            row("A", "c1", "open", 3),
        ];
        let kept: Vec<(&str, &str, &str)> = newest_case_agencies(&writes)
            .iter()
            .map(|r| (r.agency.as_str(), r.case_id.as_str(), r.status.as_str()))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("A", "c1", "completed"),
                ("B", "c1", "open"),
                ("A", "c2", "open"),
            ]
        );
    }
}
