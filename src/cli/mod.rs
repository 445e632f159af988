//! The `daftar` command line: one binary for the server and the operator's tools. This is the
//! only module that prints to stdout/stderr directly (its output *is* the interface).
//! The auditor's and operator's commands over the log live in [`audit`].

mod audit;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::config::{self, Settings};
use crate::db::{Database, DatabaseUrl};
use crate::side_writes::OpenEventStore;
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "daftar",
    version,
    about = "An event-sourced workflow engine for e-government working groups"
)]
pub struct Cli {
    /// Database URL: sqlite://FILE (default) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB.
    #[arg(
        long,
        global = true,
        env = "DAFTAR_DATABASE_URL",
        default_value = "sqlite://daftar.db",
        hide_env_values = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

// Built once per process from the command line, so the size of `Serve` costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DAFTAR_BIND", default_value = "127.0.0.1:8080", value_parser = config::parse_bind)]
        bind: SocketAddr,
        /// Directory of form schemas registered at start.
        #[arg(long, env = "DAFTAR_SCHEMAS_DIR", default_value = "schemas")]
        schemas: PathBuf,
        /// Directory of workflow definitions registered at start.
        #[arg(long, env = "DAFTAR_WORKFLOWS_DIR", default_value = "workflows")]
        workflows: PathBuf,
        /// Holiday tables (`<year>.json`) replacing the shipped ones, per year.
        #[arg(long, env = "DAFTAR_CALENDAR_DIR")]
        calendar_dir: Option<PathBuf>,
        /// On an empty database, create the member `admin` with this token.
        #[arg(long, env = "DAFTAR_BOOTSTRAP_TOKEN", hide_env_values = true)]
        bootstrap_token: Option<String>,
        /// SMTP server URL (smtp://, smtp://…?tls=required, smtps://); unset: .eml files.
        #[arg(long, env = "DAFTAR_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// Where .eml files are written when no SMTP server is configured.
        #[arg(long, env = "DAFTAR_MAIL_DIR", default_value = "mail")]
        mail_dir: PathBuf,
        /// The From: of every e-mail.
        #[arg(
            long,
            env = "DAFTAR_MAIL_FROM",
            default_value = "daftar <daftar@localhost>"
        )]
        mail_from: String,
        /// Seconds to wait on the SMTP server before giving up on an attempt.
        #[arg(long, env = "DAFTAR_SMTP_TIMEOUT_SECS", default_value_t = 15)]
        smtp_timeout_secs: u64,
        /// Attempts per e-mail before it is marked failed.
        #[arg(long, env = "DAFTAR_MAIL_MAX_ATTEMPTS", default_value_t = 8)]
        mail_max_attempts: u32,
        /// Seconds before the first retry (doubling each time, capped at 10 minutes).
        #[arg(long, env = "DAFTAR_MAIL_BACKOFF_SECS", default_value_t = 30)]
        mail_backoff_secs: u64,
        /// The largest request body accepted, in bytes.
        #[arg(long, env = "DAFTAR_BODY_LIMIT", default_value_t = 1024 * 1024)]
        body_limit: usize,
        #[command(flatten)]
        protection: config::Protection,
        #[command(flatten)]
        web: config::WebSettings,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Copy a SQLite database while servers run on it, and print the checkpoint it holds
    /// (POSITION:HASH). On PostgreSQL, says how to use pg_dump instead.
    Backup {
        /// The new file to write (it must not exist).
        file: PathBuf,
    },
    /// Bearer tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Workflow definitions.
    Workflows {
        #[command(subcommand)]
        command: WorkflowsCommand,
    },
    /// Reports of one case, computed from the log (reads only).
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The auditor's tools: verify, export, import, replay, timeline.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Read models derived from the log.
    Projections {
        #[command(subcommand)]
        command: audit::ProjectionsCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// The data-exchange matrix of an inventory case.
    ExchangeMatrix {
        #[arg(long)]
        case: uuid::Uuid,
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
        /// Print what a member of this agency reads (its part of the matrix), not the whole.
        #[arg(long, value_name = "CODE")]
        agency: Option<String>,
    },
    /// The status board of a case: one row per participant.
    Board {
        #[arg(long)]
        case: uuid::Uuid,
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
        /// The language of due days and agency names.
        #[arg(long, value_parser = ["fa", "en"], default_value = "fa")]
        locale: String,
        /// Print the board as a member of this agency reads it.
        #[arg(long, value_name = "CODE")]
        agency: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Json,
    /// UTF-8 with a byte-order mark, for spreadsheet tools.
    Csv,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issue a token for a member and print it (shown once; only its hash is stored).
    Issue {
        #[arg(long)]
        member: String,
        /// When the token stops working (RFC 3339, e.g. 2027-03-20T00:00:00Z); default never.
        #[arg(long, value_name = "TIME")]
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

#[derive(Debug, Subcommand)]
enum WorkflowsCommand {
    /// Check definition files (YAML or JSON) without a server: schema, then semantics.
    Check {
        /// The directory of definitions.
        #[arg(default_value = "workflows")]
        dir: PathBuf,
        /// The directory of form schemas the definitions refer to.
        #[arg(long, env = "DAFTAR_SCHEMAS_DIR", default_value = "schemas")]
        schemas: PathBuf,
    },
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        if let Command::Workflows {
            command: WorkflowsCommand::Check { dir, schemas },
        } = &self.command
        {
            return check_workflows(dir, schemas);
        }
        // Parsed here rather than by clap: clap would also parse the environment's value when
        // a flag overrides it, refusing a good flag because of a bad variable.
        let database_url = DatabaseUrl::parse(&self.database_url)?;
        match self.command {
            Command::Serve {
                bind,
                schemas,
                workflows,
                calendar_dir,
                bootstrap_token,
                body_limit,
                smtp_url,
                mail_dir,
                mail_from,
                smtp_timeout_secs,
                mail_max_attempts,
                mail_backoff_secs,
                protection,
                web,
            } => {
                let mail = crate::notify::MailSettings {
                    smtp_url,
                    mail_dir,
                    from: mail_from,
                    timeout: std::time::Duration::from_secs(smtp_timeout_secs),
                    max_attempts: mail_max_attempts.max(1),
                    backoff: std::time::Duration::from_secs(mail_backoff_secs),
                };
                let engine = crate::engine::EngineConfig {
                    schemas_dir: schemas,
                    workflows_dir: workflows,
                    calendar_dir,
                };
                let settings = Settings {
                    bind,
                    engine,
                    bootstrap_token,
                    body_limit,
                    mail,
                    protection,
                    web,
                    ..Settings::for_database(database_url)
                };
                Application::build(settings)
                    .await?
                    .run_until_stopped()
                    .await
            }
            Command::Workflows { .. } => unreachable!("handled above"),
            Command::Report { command } => report(&database_url, command).await,
            Command::Audit { command } => audit::run(command, &database_url).await,
            Command::Projections { command } => audit::rebuild(command, &database_url).await,
            Command::Token {
                command: TokenCommand::Issue { member, expires_at },
            } => issue_token(&database_url, &member, expires_at).await,
            Command::Backup { file } => backup(&database_url, &file).await,
            Command::Migrate => {
                let database = Database::connect(&database_url).await?;
                database.migrate().await?;
                println!("migrated {}", database_url.display());
                Ok(())
            }
        }
    }
}

fn check_workflows(dir: &Path, schemas: &Path) -> anyhow::Result<()> {
    let mut forms = crate::forms::FormRegistry::new();
    if let Err(errors) = forms.load_dir(schemas) {
        for error in &errors {
            eprintln!("{error}");
        }
        anyhow::bail!(
            "{} form schema(s) in {} are invalid",
            errors.len(),
            schemas.display()
        );
    }
    match crate::workflow::load_dir(dir, &forms) {
        Ok(definitions) => {
            for (path, definition) in &definitions {
                println!(
                    "ok {} ({}, {})",
                    path.display(),
                    definition.key(),
                    &definition.content_hash()[..12]
                );
            }
            Ok(())
        }
        Err(errors) => {
            for error in &errors {
                eprintln!("{error}");
            }
            anyhow::bail!(
                "{} definition file(s) in {} are invalid",
                errors.len(),
                dir.display()
            )
        }
    }
}

async fn report(url: &DatabaseUrl, command: ReportCommand) -> anyhow::Result<()> {
    use crate::engine::ReportKind;
    use crate::reports::Locale;
    let (kind, case, format, locale, agency) = match command {
        ReportCommand::ExchangeMatrix {
            case,
            format,
            agency,
        } => (
            ReportKind::ExchangeMatrix,
            case,
            format,
            "fa".into(),
            agency,
        ),
        ReportCommand::Board {
            case,
            format,
            locale,
            agency,
        } => (ReportKind::Board, case, format, locale, agency),
    };
    let database = Database::connect(url).await?;
    let store = database.event_store();
    let documents = crate::documents::Documents::new(database.clone());
    let locale = Locale::parse(&locale).unwrap_or(Locale::Fa);
    let csv = format == ReportFormat::Csv;
    let member_of = agency.as_deref();
    let result =
        crate::engine::export(&store, &documents, kind, case, csv, locale, member_of).await;
    store.shutdown().await;
    database.close().await;
    let text = result?;
    if csv {
        print!("{text}");
    } else {
        println!("{text}");
    }
    Ok(())
}

/// `daftar backup FILE`: the checkpoint on stdout (to keep), a note for people on stderr.
async fn backup(url: &DatabaseUrl, file: &Path) -> anyhow::Result<()> {
    let backup = crate::backup::backup(url, file).await?;
    println!("{}", backup.checkpoint());
    eprintln!(
        "backed up {} to {} ({} bytes, {} events); check a restore with: \
         daftar --database-url sqlite://{} audit verify --expect-head {}",
        url.display(),
        file.display(),
        backup.bytes,
        backup.head_position,
        file.display(),
        backup.checkpoint()
    );
    Ok(())
}

/// `daftar token issue --member ID`: the operator's way to a token without the API.
async fn issue_token(
    url: &DatabaseUrl,
    member: &str,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
) -> anyhow::Result<()> {
    let database = Database::connect(url).await?;
    database.migrate().await?;
    let store = database.event_store();
    // No shipped files are needed to issue a token: the catalog comes from the log alone.
    let config = crate::engine::EngineConfig {
        schemas_dir: PathBuf::new(),
        workflows_dir: PathBuf::new(),
        calendar_dir: None,
    };
    let engine = crate::engine::Engine::start(
        store.clone(),
        crate::documents::Documents::new(database.clone()),
        &config,
        std::sync::Arc::new(crate::engine::SystemClock),
    )
    .await?;
    let (token_id, token) = engine
        .issue_token(&crate::domain::Actor::system(), member, expires_at)
        .await?;
    store.shutdown().await;
    println!("{token}");
    eprintln!("token {token_id} issued for member {member}; it is shown only this once");
    Ok(())
}
