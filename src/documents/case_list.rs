//! The case list: `GET /v1/cases` answered by one indexed query. A member sees the cases its
//! agency takes part in, so the `case_agencies` table keeps one row per (agency, case) —
//! written, like the case document, as a side write of the case's append, and rebuilt with
//! it. A member's page is then a range of that table's index, never a walk through every
//! case. This module owns the rows and the query's shape; the SQL is in `sqlite`/`postgres`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{Documents, SideWrite, postgres, sqlite};
use crate::db::Database;
use crate::event_store::StoreError;

/// One agency's part in one case, with what a list filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAgency {
    pub agency: String,
    pub case_id: String,
    pub workflow: String,
    pub status: String,
    /// The case version the row reflects: an older write never replaces a newer one.
    pub version: i64,
}

/// Which cases to list, in id order after a cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseList {
    /// Only the cases this agency takes part in (a member's list); every case when `None`.
    pub agency: Option<String>,
    pub status: Option<String>,
    pub workflow: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// The case-agency rows among side writes, one per (agency, case): what upserting them one
/// by one, in order, leaves behind (as [`super::newest`] for documents).
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

impl Documents {
    /// `(id, doc)` of the cases matching `list`, at most `limit`, in one query.
    pub async fn list_cases(&self, list: &CaseList) -> Result<Vec<(String, String)>, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::list_cases(pool, list).await,
            Database::Postgres(pool) => postgres::list_cases(pool, list).await,
        }
    }

    /// How the database runs [`Documents::list_cases`]: SQLite's `EXPLAIN QUERY PLAN` lines,
    /// or PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)` document (the query is run, so it
    /// tells the rows each step read). For checking that a list searches an index.
    pub async fn explain_list_cases(&self, list: &CaseList) -> Result<String, StoreError> {
        match &self.database {
            Database::Sqlite(pool) => sqlite::explain_list_cases(pool, list).await,
            Database::Postgres(pool) => postgres::explain_list_cases(pool, list).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
