//! `daftar audit …` and `daftar projections rebuild`: the auditor's tools over the log. Results
//! go to stdout as JSON (NDJSON for `export`) so they can be kept and compared; a one-line
//! note for people goes to stderr; a failed check exits non-zero with the reason.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use uuid::Uuid;

use crate::audit::checkpoint::{self, Checkpoint};
use crate::audit::replay::{self, At};
use crate::audit::{timeline, transfer};
use crate::db::{Database, DatabaseUrl};
use crate::documents::Documents;
use crate::engine::rebuild::{ReadModel, rebuild as rebuild_models};
use crate::side_writes::OpenEventStore;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; with --expect-head, also prove no tail was deleted.
    Verify {
        /// A checkpoint POSITION:HASH kept from an earlier verify or export.
        #[arg(long, value_name = "POSITION:HASH")]
        expect_head: Option<Checkpoint>,
    },
    /// Write the log as NDJSON to stdout, one envelope per line (as GET /v1/events).
    Export {
        /// Only events after this position.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        after: i64,
    },
    /// Read an export into an EMPTY store, checking every hash first; then rebuild read models.
    Import {
        file: PathBuf,
        /// Refuse the file unless it holds this checkpoint (catches a truncated file).
        #[arg(long, value_name = "POSITION:HASH")]
        expect_head: Option<Checkpoint>,
    },
    /// Print a case as it was at a log position or RFC 3339 time (default: now), as JSON.
    Replay {
        case_id: Uuid,
        /// A log position or an RFC 3339 time.
        #[arg(long, value_name = "POSITION|TIME", allow_hyphen_values = true)]
        at: Option<String>,
    },
    /// Print a case's timeline: who did what, when, under which versions.
    Timeline { case_id: Uuid },
}

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Drop read models and rebuild them from the log: case, task, agency, member, token
    /// (all when no name is given).
    Rebuild { name: Option<String> },
}

/// Opens the database. Read-only commands refuse a SQLite file that does not exist rather
/// than create an empty one and report on it.
async fn open(url: &DatabaseUrl, read_only: bool) -> anyhow::Result<Database> {
    if let (true, DatabaseUrl::Sqlite(path)) = (read_only, url)
        && !path.exists()
    {
        bail!("no database at {}", url.display());
    }
    let database = Database::connect(url).await?;
    database.migrate().await?;
    Ok(database)
}

fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub async fn run(command: AuditCommand, url: &DatabaseUrl) -> anyhow::Result<()> {
    let read_only = !matches!(command, AuditCommand::Import { .. });
    let database = open(url, read_only).await?;
    let store = database.event_store();
    let result = match command {
        AuditCommand::Verify { expect_head } => {
            verify(&database, &store, expect_head.as_ref()).await
        }
        AuditCommand::Export { after } => {
            let files = crate::files::Files::new(database.clone());
            export(&store, &files, after).await
        }
        AuditCommand::Import { file, expect_head } => {
            import(&database, &store, &file, expect_head.as_ref()).await
        }
        AuditCommand::Replay { case_id, at } => {
            let at = at.as_deref().map(At::parse).transpose()?;
            let case = replay::case_at(&store, case_id, at, chrono::Utc::now()).await?;
            print_json(&case.view())
        }
        AuditCommand::Timeline { case_id } => {
            print_json(&timeline::timeline(&store, case_id).await?)
        }
    };
    store.shutdown().await;
    database.close().await;
    result
}

async fn verify(
    database: &Database,
    store: &crate::event_store::EventStore,
    expect_head: Option<&Checkpoint>,
) -> anyhow::Result<()> {
    let files = crate::files::Files::new(database.clone());
    let verification = checkpoint::verify(store, &files, expect_head).await?;
    print_json(&verification)?;
    if let Some(problem) = verification.problem() {
        bail!("{problem}");
    }
    let report = &verification.report;
    eprintln!(
        "ok: {} events verified; checkpoint {}:{}",
        report.checked, report.head_position, report.head_hash
    );
    Ok(())
}

async fn export(
    store: &crate::event_store::EventStore,
    files: &crate::files::Files,
    after: i64,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let summary = transfer::export(store, files, after, &mut out).await?;
    eprintln!(
        "exported {} events after position {after} and {} files; checkpoint {}",
        summary.events,
        summary.files,
        summary.checkpoint()
    );
    Ok(())
}

async fn import(
    database: &Database,
    store: &crate::event_store::EventStore,
    file: &std::path::Path,
    expect_head: Option<&Checkpoint>,
) -> anyhow::Result<()> {
    let files = crate::files::Files::new(database.clone());
    let summary = transfer::import(store, &files, file, expect_head).await?;
    // The read models of the imported history: without them the server could not even
    // authenticate (tokens and members are documents too).
    let documents = Documents::new(database.clone());
    let rebuilt = rebuild_models(store, &documents, &[])
        .await
        .context("rebuilding the read models after the import")?;
    print_json(&serde_json::json!({
        "imported": summary.events,
        "files": summary.files,
        "head_position": summary.head_position,
        "head_hash": summary.head_hash,
        "checkpoint": summary.checkpoint(),
        "rebuilt": rebuilt,
    }))?;
    eprintln!(
        "imported {} events and {} files; checkpoint {}",
        summary.events,
        summary.files,
        summary.checkpoint()
    );
    Ok(())
}

pub async fn rebuild(command: ProjectionsCommand, url: &DatabaseUrl) -> anyhow::Result<()> {
    let ProjectionsCommand::Rebuild { name } = command;
    let models = match name.as_deref() {
        None | Some("all") => Vec::new(),
        Some(name) => vec![ReadModel::parse(name).with_context(|| {
            format!("no read model {name:?}; the names are case, task, agency, member, token")
        })?],
    };
    let database = open(url, true).await?;
    let store = database.event_store();
    let documents = Documents::new(database.clone());
    let result = rebuild_models(&store, &documents, &models).await;
    store.shutdown().await;
    database.close().await;
    let report = result?;
    print_json(&report)?;
    eprintln!(
        "rebuilt {} from {} events ({} cases): {} documents",
        report.models.join(", "),
        report.events,
        report.cases,
        report.documents
    );
    Ok(())
}
