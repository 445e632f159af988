//! The leased claim of due rows, shared by the queues the background workers drain (the
//! e-mail outbox, the timers). A claim takes, for one node and for a while, the rows that are
//! waiting, due, and not held by a live lease, earliest due first: with several nodes each
//! row is handled by one of them at a time, and the rows of a node that died are taken again
//! once its lease runs out. Written once per backend, over a description of the table; the
//! queues own their tables and everything else about them.

pub(crate) mod postgres;
pub(crate) mod sqlite;

/// A queue table as a claim sees it. Every such table has `id`, `status`, `claimed_by` and
/// `lease_until_us` columns; the names here are the code's own constants, never input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DueRows {
    pub table: &'static str,
    /// The `status` of a row that waits to be handled.
    pub waiting: &'static str,
    /// The column saying when a row falls due (µs since the epoch).
    pub due: &'static str,
    /// The columns a claim returns (what the row type reads).
    pub columns: &'static str,
}

impl DueRows {
    /// The rows claimable at `now` (a parameter named by the backend: `?1`, `$2`).
    fn claimable(&self, now: &str) -> String {
        format!(
            "status = '{}' and {due} <= {now} and (lease_until_us is null or lease_until_us < {now})",
            self.waiting,
            due = self.due,
        )
    }
}

/// Who asks for a lease, from when, for how long, for how many rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lease<'a> {
    pub node: &'a str,
    pub now_us: i64,
    pub lease_us: i64,
    pub limit: i64,
}

/// A claimed row knows its id (SQLite leases the rows it read by their ids).
pub(crate) trait Claimable {
    fn id(&self) -> &str;
}
