//! The `daftar` command line: one binary for the server and the operator's tools. This is the
//! only module that prints to stdout/stderr directly (its output *is* the interface).

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

use crate::config::{self, Settings};
use crate::db::{Database, DatabaseUrl};
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

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (migrates the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DAFTAR_BIND", default_value = "127.0.0.1:8080", value_parser = config::parse_bind)]
        bind: SocketAddr,
    },
    /// Apply the database migrations and exit.
    Migrate,
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        // Parsed here rather than by clap: clap would also parse the environment's value when
        // a flag overrides it, refusing a good flag because of a bad variable.
        let database_url = DatabaseUrl::parse(&self.database_url)?;
        match self.command {
            Command::Serve { bind } => {
                let settings = Settings {
                    bind,
                    ..Settings::for_database(database_url)
                };
                Application::build(settings)
                    .await?
                    .run_until_stopped()
                    .await
            }
            Command::Migrate => {
                let database = Database::connect(&database_url).await?;
                database.migrate().await?;
                println!("migrated {}", database_url.display());
                Ok(())
            }
        }
    }
}
