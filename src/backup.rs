//! `daftar backup FILE`: an online, consistent copy of a SQLite database while servers keep
//! writing to it. SQLite's `VACUUM INTO` reads the whole database inside one read
//! transaction (in WAL mode writers carry on meanwhile) and writes it, compacted, to a new
//! file: the log, the read models, the credentials, timers and e-mails as of one instant.
//! The checkpoint reported is read from the copy itself, so it is exactly the head the copy
//! holds, and `daftar audit verify --expect-head` proves a restore against it.
//!
//! PostgreSQL has its own tool for this (`pg_dump` takes one consistent snapshot);
//! [`backup`] names it rather than imitate it.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use crate::db::DatabaseUrl;

/// What `daftar backup` wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Backup {
    pub file: PathBuf,
    pub bytes: u64,
    pub head_position: i64,
    pub head_hash: String,
}

impl Backup {
    /// `POSITION:HASH`, as `audit verify --expect-head` takes it.
    pub fn checkpoint(&self) -> String {
        format!("{}:{}", self.head_position, self.head_hash)
    }
}

/// What to run instead on PostgreSQL.
pub const POSTGRES_BACKUP: &str = "daftar backup copies SQLite databases; on PostgreSQL use \
pg_dump, which takes one consistent snapshot while the servers run: \
pg_dump --format=custom --file=daftar.dump \"$DAFTAR_DATABASE_URL\" \
(restore with pg_restore --dbname=URL daftar.dump, then daftar audit verify)";

/// Copies the database at `url` to `to`, a file that must not exist yet.
pub async fn backup(url: &DatabaseUrl, to: &Path) -> anyhow::Result<Backup> {
    let DatabaseUrl::Sqlite(from) = url else {
        bail!("{POSTGRES_BACKUP}");
    };
    if !from.exists() {
        bail!("no database at {}", url.display());
    }
    // VACUUM INTO refuses an existing file too; saying so first names the file.
    if to.exists() {
        bail!(
            "{} exists; a backup never overwrites, choose a new file",
            to.display()
        );
    }
    let target = to
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", to.display()))?;
    let mut source = open(from, false).await?;
    sqlx::query("vacuum into ?")
        .bind(target)
        .execute(&mut source)
        .await
        .with_context(|| format!("copying {} into {}", from.display(), to.display()))?;
    source.close().await?;
    let mut copy = open(to, true).await?;
    let (head_position, head_hash): (i64, String) =
        sqlx::query_as("select position, hash from log_head where id = 1")
            .fetch_one(&mut copy)
            .await
            .with_context(|| format!("reading the head of {}", to.display()))?;
    copy.close().await?;
    Ok(Backup {
        file: to.to_path_buf(),
        bytes: std::fs::metadata(to)?.len(),
        head_position,
        head_hash,
    })
}

/// One connection, changing nothing about the file (no journal mode, no migration).
async fn open(path: &Path, read_only: bool) -> anyhow::Result<SqliteConnection> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .with_context(|| format!("invalid SQLite path {}", path.display()))?
        .create_if_missing(false)
        .read_only(read_only)
        // A server holding the write lock delays nothing here but the first read.
        .busy_timeout(Duration::from_secs(30));
    SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("cannot open SQLite database {}", path.display()))
}
