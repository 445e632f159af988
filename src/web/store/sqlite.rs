//! SQLite SQL for the pages' tables. Every write takes this process's write turn
//! ([`crate::db::sqlite_write_turn`]) like the other writers.

use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

use super::{Draft, SessionRow};
use crate::event_store::StoreError;

async fn insert_session(
    pool: &SqlitePool,
    id_hash: &str,
    row: &SessionRow,
) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("insert into web_sessions (id_hash, member_id, token_hash, csrf_token, created_at_us, last_seen_at_us, expires_at_us) values (?, ?, ?, ?, ?, ?, ?)")
        .bind(id_hash)
        .bind(&row.member_id)
        .bind(&row.token_hash)
        .bind(&row.csrf_token)
        .bind(row.created_at_us)
        .bind(row.last_seen_at_us)
        .bind(row.expires_at_us)
        .execute(pool)
        .await?;
    Ok(())
}

fn session_row(row: SqliteRow) -> Result<SessionRow, sqlx::Error> {
    Ok(SessionRow {
        member_id: row.try_get("member_id")?,
        token_hash: row.try_get("token_hash")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at_us: row.try_get("created_at_us")?,
        last_seen_at_us: row.try_get("last_seen_at_us")?,
        expires_at_us: row.try_get("expires_at_us")?,
    })
}

async fn session(pool: &SqlitePool, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
    let row = sqlx::query("select member_id, token_hash, csrf_token, created_at_us, last_seen_at_us, expires_at_us from web_sessions where id_hash = ?")
        .bind(id_hash)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(session_row).transpose()?)
}

async fn touch_session(pool: &SqlitePool, id_hash: &str, at_us: i64) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("update web_sessions set last_seen_at_us = ? where id_hash = ?")
        .bind(at_us)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

async fn delete_session(pool: &SqlitePool, id_hash: &str) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("delete from web_sessions where id_hash = ?")
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

async fn delete_stale(
    pool: &SqlitePool,
    now_us: i64,
    idle_before_us: i64,
) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("delete from web_sessions where expires_at_us <= ? or last_seen_at_us < ?")
        .bind(now_us)
        .bind(idle_before_us)
        .execute(pool)
        .await?;
    sqlx::query("delete from web_sign_in_links where expires_at_us <= ?")
        .bind(now_us)
        .execute(pool)
        .await?;
    Ok(())
}

async fn insert_link(
    pool: &SqlitePool,
    token_hash: &str,
    member_id: &str,
    created_at_us: i64,
    expires_at_us: i64,
) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("insert into web_sign_in_links (token_hash, member_id, created_at_us, expires_at_us) values (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(member_id)
        .bind(created_at_us)
        .bind(expires_at_us)
        .execute(pool)
        .await?;
    Ok(())
}

/// Marks the link used if it is unused and unexpired, in one statement: two clicks racing
/// cannot both win.
async fn spend_link(
    pool: &SqlitePool,
    token_hash: &str,
    now_us: i64,
) -> Result<Option<String>, StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    let row = sqlx::query("update web_sign_in_links set used_at_us = ? where token_hash = ? and used_at_us is null and expires_at_us > ? returning member_id")
        .bind(now_us)
        .bind(token_hash)
        .bind(now_us)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.try_get("member_id")).transpose()?)
}

async fn link_state(
    pool: &SqlitePool,
    token_hash: &str,
) -> Result<Option<(String, Option<i64>)>, StoreError> {
    let row =
        sqlx::query("select member_id, used_at_us from web_sign_in_links where token_hash = ?")
            .bind(token_hash)
            .fetch_optional(pool)
            .await?;
    Ok(row
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("member_id")?, r.try_get("used_at_us")?)))
        .transpose()?)
}

async fn save_draft(pool: &SqlitePool, draft: &Draft) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("insert into task_drafts (task_id, agency, data, saved_by, saved_at_us, attachments) values (?, ?, ?, ?, ?, ?) on conflict (task_id) do update set agency = excluded.agency, data = excluded.data, saved_by = excluded.saved_by, saved_at_us = excluded.saved_at_us, attachments = excluded.attachments")
        .bind(&draft.task_id)
        .bind(&draft.agency)
        .bind(&draft.data)
        .bind(&draft.saved_by)
        .bind(draft.saved_at_us)
        .bind(&draft.attachments)
        .execute(pool)
        .await?;
    Ok(())
}

async fn draft(pool: &SqlitePool, task_id: &str) -> Result<Option<Draft>, StoreError> {
    let row = sqlx::query(
        "select task_id, agency, data, saved_by, saved_at_us, attachments from task_drafts where task_id = ?",
    )
    .bind(task_id)
    .fetch_optional(pool)
    .await?;
    Ok(row
        .map(|r| {
            Ok::<_, sqlx::Error>(Draft {
                task_id: r.try_get("task_id")?,
                agency: r.try_get("agency")?,
                data: r.try_get("data")?,
                saved_by: r.try_get("saved_by")?,
                saved_at_us: r.try_get("saved_at_us")?,
                attachments: r.try_get("attachments")?,
            })
        })
        .transpose()?)
}

async fn delete_draft(pool: &SqlitePool, task_id: &str) -> Result<(), StoreError> {
    let _turn = crate::db::sqlite_write_turn(pool).await;
    sqlx::query("delete from task_drafts where task_id = ?")
        .bind(task_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// [`super::Sql`] over a SQLite pool.
#[derive(Debug)]
pub(super) struct Sql(pub(super) SqlitePool);

#[async_trait::async_trait]
impl super::Sql for Sql {
    async fn insert_session(&self, id_hash: &str, row: &SessionRow) -> Result<(), StoreError> {
        insert_session(&self.0, id_hash, row).await
    }

    async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        session(&self.0, id_hash).await
    }

    async fn touch_session(&self, id_hash: &str, at_us: i64) -> Result<(), StoreError> {
        touch_session(&self.0, id_hash, at_us).await
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        delete_session(&self.0, id_hash).await
    }

    async fn delete_stale(&self, now_us: i64, idle_before_us: i64) -> Result<(), StoreError> {
        delete_stale(&self.0, now_us, idle_before_us).await
    }

    async fn insert_link(
        &self,
        token_hash: &str,
        member_id: &str,
        created_at_us: i64,
        expires_at_us: i64,
    ) -> Result<(), StoreError> {
        insert_link(&self.0, token_hash, member_id, created_at_us, expires_at_us).await
    }

    async fn spend_link(
        &self,
        token_hash: &str,
        now_us: i64,
    ) -> Result<Option<String>, StoreError> {
        spend_link(&self.0, token_hash, now_us).await
    }

    async fn link_state(
        &self,
        token_hash: &str,
    ) -> Result<Option<(String, Option<i64>)>, StoreError> {
        link_state(&self.0, token_hash).await
    }

    async fn save_draft(&self, draft: &Draft) -> Result<(), StoreError> {
        save_draft(&self.0, draft).await
    }

    async fn draft(&self, task_id: &str) -> Result<Option<Draft>, StoreError> {
        draft(&self.0, task_id).await
    }

    async fn delete_draft(&self, task_id: &str) -> Result<(), StoreError> {
        delete_draft(&self.0, task_id).await
    }
}
