//! What an append writes beside its events, and in what order: read-model documents, the
//! case list's rows, credentials, timers and e-mails. Engine code builds [`SideWrite`]s; the
//! event store carries them opaquely and, inside each batch's transaction, hands the written
//! ones to [`Hook`], which writes them through the backend's [`Tables`] — the only place that
//! knows the order, for both backends. Sits above `documents`, `credentials`, `timers` and
//! `outbox` (whose SQL it calls) and above `event_store` (whose hook it implements).

mod order;
mod postgres;
mod sqlite;
mod timer_steps;

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::Transaction;

use crate::credentials::Credential;
use crate::db::{Database, DbError};
use crate::documents::{CaseAgency, Document};
use crate::event_store::{EventStore, SideWriteHook, SideWrites};
use crate::outbox::{OutboxRow, Outcome};
use crate::timers::TimerGroup;

pub(crate) use order::{newest, newest_case_agencies};

/// A write that rides along with an append and commits or rolls back with it.
#[derive(Debug, Clone, PartialEq)]
pub enum SideWrite {
    /// Insert or replace a document unless a newer version of it is stored.
    Document(Document),
    /// Insert or update an agency's row in the case list's index, unless a newer one is stored.
    CaseAgency(CaseAgency),
    /// Schedule a timer (a no-op if one with this id exists).
    ScheduleTimer(crate::timers::TimerRow),
    /// Drop the pending timers of a task, or of the whole case when `task_id` is `None`.
    CancelTimers {
        case_id: String,
        task_id: Option<String>,
    },
    /// Mark a claimed timer fired, with the events its firing appended.
    CompleteTimer { id: String },
    /// Record a token's hash (a no-op if the token is recorded): see [`crate::credentials`].
    Credential(crate::credentials::Credential),
    /// Queue an e-mail (a no-op if one with this id exists).
    Enqueue(Box<crate::outbox::OutboxRow>),
    /// Record a notification's final outcome (`sent` or `failed`) with its event.
    FinishNotification(crate::outbox::Outcome),
}

/// The tables a batch's side writes go to, on one backend, inside the batch's transaction:
/// one implementation per backend, so the order below is written once.
#[async_trait]
pub(crate) trait Tables: Send {
    /// Documents distinct by `(kind, id)`; a stored newer version is kept.
    async fn upsert_documents(&mut self, docs: &[&Document]) -> Result<(), DbError>;
    /// Case-list rows distinct by `(agency, case)`; a stored newer version is kept.
    async fn upsert_case_agencies(&mut self, rows: &[&CaseAgency]) -> Result<(), DbError>;
    async fn enqueue(&mut self, mails: &[&OutboxRow]) -> Result<(), DbError>;
    async fn insert_credential(&mut self, credential: &Credential) -> Result<(), DbError>;
    async fn apply_timers(&mut self, group: &TimerGroup<'_>) -> Result<(), DbError>;
    async fn complete_timer(&mut self, id: &str) -> Result<(), DbError>;
    /// Notifications' outcomes, distinct by id.
    async fn finish_notifications(&mut self, outcomes: &[&Outcome]) -> Result<(), DbError>;
}

/// Writes a batch's side writes, leaving the rows that applying each write in order would.
/// Documents, case-list rows, e-mails, notification outcomes and credentials commute with
/// every other write (each is an upsert guarded by version, an insert under its own id, or
/// an update of the e-mail named, after it was queued), so each kind goes in one multi-row
/// statement first (of two outcomes for one e-mail, the later); timer writes follow in order,
/// grouped where grouping cannot change the result (see [`timer_steps::steps`]).
pub(crate) async fn write_in_order(
    tables: &mut impl Tables,
    writes: &[&SideWrite],
) -> Result<(), DbError> {
    let each = || writes.iter().copied();
    let documents = newest(each());
    if !documents.is_empty() {
        tables.upsert_documents(&documents).await?;
    }
    let case_agencies = newest_case_agencies(each());
    if !case_agencies.is_empty() {
        tables.upsert_case_agencies(&case_agencies).await?;
    }
    let mails: Vec<&OutboxRow> = each()
        .filter_map(|write| match write {
            SideWrite::Enqueue(row) => Some(row.as_ref()),
            _ => None,
        })
        .collect();
    if !mails.is_empty() {
        tables.enqueue(&mails).await?;
    }
    let outcomes = last_outcomes(each());
    if !outcomes.is_empty() {
        tables.finish_notifications(&outcomes).await?;
    }
    for write in each() {
        if let SideWrite::Credential(credential) = write {
            tables.insert_credential(credential).await?;
        }
    }
    for step in timer_steps::steps(each()) {
        match step {
            timer_steps::Step::Timers(group) => tables.apply_timers(&group).await?,
            timer_steps::Step::One(SideWrite::CompleteTimer { id }) => {
                tables.complete_timer(id).await?
            }
            timer_steps::Step::One(_) => {}
        }
    }
    Ok(())
}

/// The notification outcomes among `writes`, the last for each e-mail, in the order written.
fn last_outcomes<'a>(writes: impl DoubleEndedIterator<Item = &'a SideWrite>) -> Vec<&'a Outcome> {
    let mut seen = std::collections::HashSet::new();
    let mut outcomes: Vec<&Outcome> = writes
        .rev()
        .filter_map(|write| match write {
            SideWrite::FinishNotification(outcome) => Some(outcome),
            _ => None,
        })
        .filter(|outcome| seen.insert(outcome.id.as_str()))
        .collect();
    outcomes.reverse();
    outcomes
}

/// The event store's hook: each append's payload is a `Vec<SideWrite>`.
pub struct Hook;

impl Hook {
    fn flatten<'a>(batch: &[&'a SideWrites]) -> Result<Vec<&'a SideWrite>, DbError> {
        let mut writes = Vec::new();
        for payload in batch.iter().filter(|payload| !payload.is_empty()) {
            let list = payload.get::<Vec<SideWrite>>().ok_or_else(|| {
                DbError::InvalidAppend("side writes must be a Vec<SideWrite>".into())
            })?;
            writes.extend(list);
        }
        Ok(writes)
    }
}

#[async_trait]
impl SideWriteHook<sqlx::Sqlite> for Hook {
    async fn write(
        &self,
        tx: &mut Transaction<'static, sqlx::Sqlite>,
        batch: &[&SideWrites],
    ) -> Result<(), DbError> {
        write_in_order(&mut sqlite::SqliteTables(tx), &Self::flatten(batch)?).await
    }
}

#[async_trait]
impl SideWriteHook<sqlx::Postgres> for Hook {
    async fn write(
        &self,
        tx: &mut Transaction<'static, sqlx::Postgres>,
        batch: &[&SideWrites],
    ) -> Result<(), DbError> {
        write_in_order(&mut postgres::PgTables(tx), &Self::flatten(batch)?).await
    }
}

/// Opens the event store of a database with the side-write [`Hook`]: what every writer of
/// the log uses (`database.event_store()`).
pub trait OpenEventStore {
    fn event_store(&self) -> EventStore;
}

impl OpenEventStore for Database {
    fn event_store(&self) -> EventStore {
        EventStore::open(self, Arc::new(Hook))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: &str, status: &'static str, attempts: i32) -> SideWrite {
        SideWrite::FinishNotification(Outcome {
            id: id.into(),
            status,
            attempts,
            error: (status == "failed").then(|| "refused".into()),
            at_us: i64::from(attempts),
        })
    }

    #[test]
    fn of_two_outcomes_for_one_e_mail_the_later_is_written() {
        let writes = [
            outcome("a", "failed", 1),
            SideWrite::CancelTimers {
                case_id: "c".into(),
                task_id: None,
            },
            outcome("b", "sent", 1),
            outcome("a", "sent", 2),
        ];
        let kept: Vec<(&str, &str, i32)> = last_outcomes(writes.iter())
            .into_iter()
            .map(|o| (o.id.as_str(), o.status, o.attempts))
            .collect();
        assert_eq!(kept, vec![("b", "sent", 1), ("a", "sent", 2)]);
    }
}
