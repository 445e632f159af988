//! The `credentials` table: each bearer token's SHA-256 with the token and member it stands
//! for, and when it was last used. It is kept beside the log, not in it: the log is read by
//! auditors and exported whole, and what a caller's token is checked against must not be.
//!
//! Rows are written only inside the event store's transaction, as the [`SideWrite`] of a
//! `TokenIssued` event (or, for events written before this table, by the rebuild that reads
//! the hash they carried). A read-model rebuild never deletes them: the log cannot give a
//! hash back. This module owns the SQL; whether a token is revoked or expired is the `token`
//! read model's answer (`engine::tokens`).
//!
//! [`SideWrite`]: crate::side_writes::SideWrite

mod postgres;
mod sqlite;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::db::Database;
use crate::event_store::StoreError;

pub(crate) use postgres::insert as insert_postgres;
pub(crate) use sqlite::insert as insert_sqlite;

/// One token's row, as written with its `TokenIssued` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Hex SHA-256 of the token.
    pub token_sha256: String,
    pub token_id: Uuid,
    pub member_id: String,
}

/// A token's row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub token_id: Uuid,
    pub member_id: String,
    pub last_used_us: Option<i64>,
}

/// Reads of the `credentials` table, and the one write made outside an append.
#[derive(Clone, Debug)]
pub struct Credentials {
    sql: Arc<dyn Sql>,
}

/// The table's SQL on one backend (`sqlite`, `postgres`): raw rows, parsed here.
#[async_trait]
trait Sql: Send + Sync + std::fmt::Debug {
    async fn find(
        &self,
        token_sha256: &str,
    ) -> Result<Option<(String, String, Option<i64>)>, StoreError>;
    async fn of_member(&self, member_id: &str) -> Result<Vec<(String, Option<i64>)>, StoreError>;
    async fn touch(&self, token_sha256: &str, at_us: i64) -> Result<(), StoreError>;
}

impl Credentials {
    pub fn new(database: Database) -> Self {
        let sql = database.backend::<dyn Sql>(
            |pool| Arc::new(sqlite::Sql(pool)),
            |pool| Arc::new(postgres::Sql(pool)),
        );
        Self { sql }
    }

    /// The token whose hash is `token_sha256`, if one was issued.
    pub async fn find(&self, token_sha256: &str) -> Result<Option<Found>, StoreError> {
        let row = self.sql.find(token_sha256).await?;
        row.map(|(token_id, member_id, last_used_us)| {
            Ok(Found {
                token_id: parse_id(&token_id)?,
                member_id,
                last_used_us,
            })
        })
        .transpose()
    }

    /// When each of a member's tokens was last used (tokens never used are left out).
    pub async fn last_used(&self, member_id: &str) -> Result<HashMap<Uuid, i64>, StoreError> {
        let rows = self.sql.of_member(member_id).await?;
        let mut used = HashMap::new();
        for (token_id, at) in rows {
            if let Some(at) = at {
                used.insert(parse_id(&token_id)?, at);
            }
        }
        Ok(used)
    }

    /// Records a use at `at_us`. Not an event (a use changes nothing) and not a side write:
    /// a plain update, which the caller makes at most once a minute per token and node.
    pub async fn touch(&self, token_sha256: &str, at_us: i64) -> Result<(), StoreError> {
        self.sql.touch(token_sha256, at_us).await
    }
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt {
        position: 0,
        detail: format!("credentials: {text:?} is not a token id"),
    })
}
