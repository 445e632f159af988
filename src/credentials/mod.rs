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
//! [`SideWrite`]: crate::documents::SideWrite

mod postgres;
mod sqlite;

use std::collections::HashMap;

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
    database: Database,
}

impl Credentials {
    pub fn new(database: Database) -> Self {
        Self { database }
    }

    /// The token whose hash is `token_sha256`, if one was issued.
    pub async fn find(&self, token_sha256: &str) -> Result<Option<Found>, StoreError> {
        let row: Option<(String, String, Option<i64>)> = match &self.database {
            Database::Sqlite(pool) => sqlite::find(pool, token_sha256).await?,
            Database::Postgres(pool) => postgres::find(pool, token_sha256).await?,
        };
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
        let rows: Vec<(String, Option<i64>)> = match &self.database {
            Database::Sqlite(pool) => sqlite::of_member(pool, member_id).await?,
            Database::Postgres(pool) => postgres::of_member(pool, member_id).await?,
        };
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
        match &self.database {
            Database::Sqlite(pool) => sqlite::touch(pool, token_sha256, at_us).await,
            Database::Postgres(pool) => postgres::touch(pool, token_sha256, at_us).await,
        }
    }
}

fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt {
        position: 0,
        detail: format!("credentials: {text:?} is not a token id"),
    })
}
