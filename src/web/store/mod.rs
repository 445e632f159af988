//! The pages' own tables (migration 0009): sessions, one-time sign-in links and task drafts.
//! None of them is part of the record: they are written directly, outside the event log.
//! This module owns their SQL (one file per backend); pages never reach it but through
//! [`super::session`] and the draft functions here.

mod postgres;
mod sqlite;

use crate::db::Database;
use crate::event_store::StoreError;

/// The tables' SQL on one backend (`sqlite`, `postgres`), chosen once in `new`.
#[async_trait::async_trait]
trait Sql: Send + Sync + std::fmt::Debug {
    async fn insert_session(&self, id_hash: &str, row: &SessionRow) -> Result<(), StoreError>;
    async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError>;
    async fn touch_session(&self, id_hash: &str, at_us: i64) -> Result<(), StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    async fn delete_stale(&self, now_us: i64, idle_before_us: i64) -> Result<(), StoreError>;
    async fn insert_link(
        &self,
        token_hash: &str,
        member_id: &str,
        created_at_us: i64,
        expires_at_us: i64,
    ) -> Result<(), StoreError>;
    async fn spend_link(&self, token_hash: &str, now_us: i64)
    -> Result<Option<String>, StoreError>;
    async fn link_state(
        &self,
        token_hash: &str,
    ) -> Result<Option<(String, Option<i64>)>, StoreError>;
    async fn save_draft(&self, draft: &Draft) -> Result<(), StoreError>;
    async fn draft(&self, task_id: &str) -> Result<Option<Draft>, StoreError>;
    async fn delete_draft(&self, task_id: &str) -> Result<(), StoreError>;
}

/// A stored session (its id is known only as a hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub member_id: String,
    /// The hash of the API token pasted to open it; `None` for a session opened by link.
    pub token_hash: Option<String>,
    pub csrf_token: String,
    pub created_at_us: i64,
    pub last_seen_at_us: i64,
    pub expires_at_us: i64,
}

/// What following a sign-in link found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkUse {
    /// The link was valid and is now spent: sign this member in.
    SignedIn {
        member_id: String,
    },
    Expired,
    AlreadyUsed,
    Unknown,
}

/// A task's saved draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub task_id: String,
    pub agency: String,
    /// The JSON as saved (text, exactly as typed into the form, valid or not).
    pub data: String,
    pub saved_by: String,
    pub saved_at_us: i64,
    /// The files chosen for the submission, as JSON (`[]` for none).
    pub attachments: String,
}

#[derive(Debug, Clone)]
pub struct WebStore {
    sql: std::sync::Arc<dyn Sql>,
}

impl WebStore {
    pub fn new(database: Database) -> Self {
        let sql = database.backend::<dyn Sql>(
            |pool| std::sync::Arc::new(sqlite::Sql(pool)),
            |pool| std::sync::Arc::new(postgres::Sql(pool)),
        );
        Self { sql }
    }

    pub async fn insert_session(&self, id_hash: &str, row: &SessionRow) -> Result<(), StoreError> {
        self.sql.insert_session(id_hash, row).await
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        self.sql.session(id_hash).await
    }

    /// Records activity (for the idle timeout).
    pub async fn touch_session(&self, id_hash: &str, at_us: i64) -> Result<(), StoreError> {
        self.sql.touch_session(id_hash, at_us).await
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.sql.delete_session(id_hash).await
    }

    /// Forgets sessions past their lifetime or idle since `idle_before_us`, and links
    /// expired before `now_us`.
    pub async fn delete_stale(&self, now_us: i64, idle_before_us: i64) -> Result<(), StoreError> {
        self.sql.delete_stale(now_us, idle_before_us).await
    }

    pub async fn insert_link(
        &self,
        token_hash: &str,
        member_id: &str,
        created_at_us: i64,
        expires_at_us: i64,
    ) -> Result<(), StoreError> {
        let (hash, member) = (token_hash, member_id);
        self.sql
            .insert_link(hash, member, created_at_us, expires_at_us)
            .await
    }

    /// Spends a sign-in link: at most one caller ever gets `SignedIn` for a link.
    pub async fn use_link(&self, token_hash: &str, now_us: i64) -> Result<LinkUse, StoreError> {
        let spent = self.sql.spend_link(token_hash, now_us).await?;
        if let Some(member_id) = spent {
            return Ok(LinkUse::SignedIn { member_id });
        }
        let found = self.sql.link_state(token_hash).await?;
        Ok(match found {
            None => LinkUse::Unknown,
            Some((_, Some(_))) => LinkUse::AlreadyUsed,
            Some((_, None)) => LinkUse::Expired,
        })
    }

    /// Saves (or replaces) a task's draft.
    pub async fn save_draft(&self, draft: &Draft) -> Result<(), StoreError> {
        self.sql.save_draft(draft).await
    }

    /// The task's draft, if its agency saved one. Callers check that the viewer may see
    /// the task (and belongs to `agency`) before showing it.
    pub async fn draft(&self, task_id: &str) -> Result<Option<Draft>, StoreError> {
        self.sql.draft(task_id).await
    }

    pub async fn delete_draft(&self, task_id: &str) -> Result<(), StoreError> {
        self.sql.delete_draft(task_id).await
    }
}
