//! Settings from the environment and flags (flags win), each parsed into a type that can only
//! hold a valid value, so a bad setting stops the process before anything is opened.

use std::net::SocketAddr;

use crate::db::DatabaseUrl;
use crate::engine::EngineConfig;
use crate::notify::MailSettings;

/// `DAFTAR_BIND`: an `IP:PORT` to listen on.
pub fn parse_bind(raw: &str) -> Result<SocketAddr, String> {
    raw.trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not an IP:PORT address like 127.0.0.1:8080"))
}

/// What `daftar serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: SocketAddr,
    /// Where the shipped form schemas and workflow definitions are read from.
    pub engine: EngineConfig,
    /// `DAFTAR_BOOTSTRAP_TOKEN`: on a database without an `admin` member, create it with this
    /// token.
    pub bootstrap_token: Option<String>,
    /// The largest request body accepted, in bytes (`DAFTAR_BODY_LIMIT`, default 1 MiB).
    pub body_limit: usize,
    /// Where e-mail goes (SMTP, or `.eml` files).
    pub mail: MailSettings,
}

impl Settings {
    /// Settings for tests and embedding: a SQLite file and an ephemeral port.
    pub fn for_database(database_url: DatabaseUrl) -> Self {
        Self {
            database_url,
            bind: "127.0.0.1:0".parse().expect("a valid address"),
            engine: EngineConfig::default(),
            bootstrap_token: None,
            body_limit: 1024 * 1024,
            mail: MailSettings::default(),
        }
    }
}
