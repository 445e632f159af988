//! The case list: `GET /v1/cases` answered by one indexed query. A member sees the cases its
//! agency takes part in, so the `case_agencies` table keeps one row per (agency, case) —
//! written, like the case document, as a side write of the case's append, and rebuilt with
//! it. A member's page is then a range of that table's index, never a walk through every
//! case. This module owns the rows and the query's shape; the SQL is in `sqlite`/`postgres`.

use super::Documents;
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

impl Documents {
    /// `(id, doc)` of the cases matching `list`, at most `limit`, in one query.
    pub async fn list_cases(&self, list: &CaseList) -> Result<Vec<(String, String)>, StoreError> {
        self.sql.list_cases(list).await
    }

    /// How the database runs [`Documents::list_cases`]: SQLite's `EXPLAIN QUERY PLAN` lines,
    /// or PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)` document (the query is run, so it
    /// tells the rows each step read). For checking that a list searches an index.
    pub async fn explain_list_cases(&self, list: &CaseList) -> Result<String, StoreError> {
        self.sql.explain_list_cases(list).await
    }
}
