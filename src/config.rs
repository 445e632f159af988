//! Settings from the environment and flags (flags win), each parsed into a type that can only
//! hold a valid value, so a bad setting stops the process before anything is opened.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

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
    /// Limits on slow and hostile clients, and how shutdown drains.
    pub protection: Protection,
    /// The people's pages: the public address and how long sessions last.
    pub web: WebSettings,
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
            protection: Protection::default(),
            web: WebSettings::default(),
        }
    }
}

/// What protects the server from slow, hostile or guessing clients, and how long a
/// graceful shutdown may take. Every value has a flag and an environment variable.
#[derive(Debug, Clone, clap::Args)]
pub struct Protection {
    /// Seconds a client has to send a request's headers; slower ones get 408 and are cut off.
    #[arg(long, env = "DAFTAR_REQUEST_HEAD_TIMEOUT_SECS", default_value_t = 5)]
    pub request_head_timeout_secs: u64,
    /// Seconds a client has to send a request's whole body; slower ones get 408.
    #[arg(long, env = "DAFTAR_BODY_TIMEOUT_SECS", default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Seconds an idle keep-alive connection is kept open.
    #[arg(long, env = "DAFTAR_KEEP_ALIVE_SECS", default_value_t = 15)]
    pub keep_alive_secs: u64,
    /// Seconds SIGTERM waits for in-flight requests before closing their connections.
    #[arg(long, env = "DAFTAR_SHUTDOWN_TIMEOUT_SECS", default_value_t = 25)]
    pub shutdown_timeout_secs: u64,
    /// Unknown tokens tolerated per client address per minute before 429 (0: no limit).
    #[arg(long, env = "DAFTAR_AUTH_FAILURES_PER_MINUTE", default_value_t = 20)]
    pub auth_failures_per_minute: u32,
    /// Reverse proxies (comma-separated IPs) whose `X-Forwarded-For` names the client.
    #[arg(long, env = "DAFTAR_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpAddr>,
    /// Writes (non-GET requests) allowed per member per minute before 429 (0: no limit).
    #[arg(long, env = "DAFTAR_WRITES_PER_MINUTE", default_value_t = 600)]
    pub writes_per_minute: u32,
    /// Seconds an `Idempotency-Key`'s answer is remembered; older ones are purged.
    #[arg(long, env = "DAFTAR_IDEMPOTENCY_TTL_SECS", default_value_t = 86_400)]
    pub idempotency_ttl_secs: u64,
    /// The largest attachment accepted by `POST /v1/files`, in bytes (default 10 MB); larger
    /// ones get 413.
    #[arg(long, env = "DAFTAR_ATTACHMENT_MAX_BYTES", default_value_t = DEFAULT_ATTACHMENT_MAX_BYTES)]
    pub attachment_max_bytes: usize,
}

/// 10 MB: a scanned letter of a few pages.
pub const DEFAULT_ATTACHMENT_MAX_BYTES: usize = 10 * 1024 * 1024;

impl Default for Protection {
    fn default() -> Self {
        Self {
            request_head_timeout_secs: 5,
            body_timeout_secs: 30,
            keep_alive_secs: 15,
            shutdown_timeout_secs: 25,
            auth_failures_per_minute: 20,
            trusted_proxies: Vec::new(),
            writes_per_minute: 600,
            idempotency_ttl_secs: 86_400,
            attachment_max_bytes: DEFAULT_ATTACHMENT_MAX_BYTES,
        }
    }
}

impl Protection {
    pub fn request_head_timeout(&self) -> Duration {
        Duration::from_secs(self.request_head_timeout_secs.max(1))
    }

    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_secs.max(1))
    }

    pub fn idempotency_ttl(&self) -> Duration {
        Duration::from_secs(self.idempotency_ttl_secs.max(1))
    }
}

/// `DAFTAR_PUBLIC_URL`: the server's address as people reach it, e.g.
/// `https://daftar.example.org`. Built only by [`PublicUrl::parse`]: http or https, a host,
/// no query; kept without a trailing slash so paths append cleanly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(url::Url);

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = url::Url::parse(raw.trim())
            .map_err(|e| format!("DAFTAR_PUBLIC_URL {raw:?} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "DAFTAR_PUBLIC_URL {raw:?} must be an http:// or https:// address with a host"
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "DAFTAR_PUBLIC_URL {raw:?} must not carry a query or a fragment"
            ));
        }
        Ok(Self(url))
    }

    /// `base` + `path` (`path` starts with `/`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0.as_str().trim_end_matches('/'))
    }

    /// `host[:port]`, as an `Origin` header names it.
    pub fn authority(&self) -> String {
        match self.0.port() {
            Some(port) => format!("{}:{port}", self.0.host_str().unwrap_or_default()),
            None => self.0.host_str().unwrap_or_default().to_string(),
        }
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }
}

/// The people's pages: where they are reached and how long a sign-in lasts.
#[derive(Debug, Clone, clap::Args)]
pub struct WebSettings {
    /// The server's address as people reach it (e.g. https://daftar.example.org): the base
    /// of every link in e-mails; with https, session cookies are marked Secure.
    #[arg(long, env = "DAFTAR_PUBLIC_URL", value_parser = PublicUrl::parse)]
    pub public_url: Option<PublicUrl>,
    /// Minutes without a request after which a session ends.
    #[arg(long, env = "DAFTAR_SESSION_IDLE_MINUTES", default_value_t = 480)]
    pub session_idle_minutes: u64,
    /// Hours after signing in after which a session ends however active it is.
    #[arg(long, env = "DAFTAR_SESSION_LIFETIME_HOURS", default_value_t = 168)]
    pub session_lifetime_hours: u64,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            public_url: None,
            session_idle_minutes: 480,
            session_lifetime_hours: 168,
        }
    }
}

impl WebSettings {
    pub fn session_idle(&self) -> Duration {
        Duration::from_secs(self.session_idle_minutes.max(1) * 60)
    }

    pub fn session_lifetime(&self) -> Duration {
        Duration::from_secs(self.session_lifetime_hours.max(1) * 3600)
    }
}

#[cfg(test)]
mod web_settings_tests {
    use super::PublicUrl;

    #[test]
    fn a_public_url_is_an_http_address_with_a_host() {
        let url = PublicUrl::parse("https://daftar.example.org/").unwrap();
        assert_eq!(url.join("/tasks/1"), "https://daftar.example.org/tasks/1");
        assert_eq!(url.authority(), "daftar.example.org");
        assert!(url.is_https());
        let local = PublicUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(local.authority(), "127.0.0.1:8080");
        assert!(!local.is_https());
        assert!(PublicUrl::parse("ftp://example.org").is_err());
        assert!(PublicUrl::parse("daftar.example.org").is_err());
        assert!(PublicUrl::parse("https://example.org/?a=1").is_err());
    }
}
