//! One real `daftar serve` process: started on a free port over a given database, with its
//! own log file and mail directory; stopped by SIGKILL (a crash) or SIGTERM (an orderly stop).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use reqwest::Client;

pub const ADMIN_TOKEN: &str = "bootstrap-token-for-resilience-0123456789";

/// A running server process.
pub struct Node {
    child: Child,
    pub base: String,
    pub log: PathBuf,
    /// How many runs the log held before this one (a restart appends to the same log).
    earlier_runs: usize,
}

/// How to start a node: the database, where its mail and log go, and extra environment.
#[derive(Clone)]
pub struct NodeConfig {
    pub database_url: String,
    pub mail_dir: PathBuf,
    pub log: PathBuf,
    pub env: Vec<(String, String)>,
}

impl NodeConfig {
    pub fn new(database_url: &str, dir: &Path, name: &str) -> Self {
        let mail_dir = dir.join(format!("mail-{name}"));
        std::fs::create_dir_all(&mail_dir).expect("mail dir");
        Self {
            database_url: database_url.to_string(),
            mail_dir,
            log: dir.join(format!("{name}.log")),
            env: vec![(
                "DAFTAR_CALENDAR_DIR".into(),
                always_open_calendar(dir).display().to_string(),
            )],
        }
    }

    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// A business calendar in which offices never close (no weekend, no holiday, open round the
/// clock, no quiet period): the tests' deadlines pass seconds after a case opens, and their
/// reminders and escalations must fire then, whatever the day and hour the suite runs at.
fn always_open_calendar(dir: &Path) -> PathBuf {
    let calendar = dir.join("calendar");
    std::fs::create_dir_all(&calendar).expect("calendar dir");
    for year in 1404..=1407 {
        let table = serde_json::json!({
            "year": year, "version": format!("{year}.always-open"), "holidays": [],
            "weekend": [], "office_hours": {"opens": "00:00", "closes": "24:00"},
            "no_escalation": [],
        });
        std::fs::write(calendar.join(format!("{year}.json")), table.to_string())
            .expect("calendar file");
    }
    calendar
}

impl Node {
    /// Starts the binary (appending to the log, so a restart keeps the earlier run's lines)
    /// without waiting for it.
    pub fn spawn(config: &NodeConfig) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let log = File::options()
            .create(true)
            .append(true)
            .open(&config.log)
            .expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_daftar"));
        command
            .arg("serve")
            .env("DAFTAR_DATABASE_URL", &config.database_url)
            .env("DAFTAR_BIND", "127.0.0.1:0")
            .env("DAFTAR_BOOTSTRAP_TOKEN", ADMIN_TOKEN)
            .env("DAFTAR_MAIL_DIR", &config.mail_dir)
            .env("DAFTAR_SCHEMAS_DIR", root.join("schemas"))
            .env("DAFTAR_WORKFLOWS_DIR", root.join("workflows"))
            .env("RUST_LOG", "info")
            // Bursts write as fast as the server takes them, a few members for thousands of
            // cases: what is measured is the server, not the per-member write limit.
            .env("DAFTAR_WRITES_PER_MINUTE", "0")
            .env_remove("DAFTAR_SMTP_URL")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log);
        for (key, value) in &config.env {
            command.env(key, value);
        }
        let earlier_runs = std::fs::read_to_string(&config.log)
            .unwrap_or_default()
            .matches("daftar is serving")
            .count();
        let child = command.spawn().expect("daftar starts");
        Self {
            child,
            base: String::new(),
            log: config.log.clone(),
            earlier_runs,
        }
    }

    /// Starts the binary and waits until `/ready` answers 200.
    pub async fn start(config: &NodeConfig) -> Self {
        let mut node = Self::spawn(config);
        node.wait_ready(Duration::from_secs(60)).await;
        node
    }

    /// Waits for this run's "daftar is serving … port=N" line, then for `/ready`.
    pub async fn wait_ready(&mut self, limit: Duration) {
        let started = Instant::now();
        let client = Client::new();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("daftar exited early ({status}):\n{}", self.log_text());
            }
            let log = self.log_text();
            if let Some(line) = log.split("daftar is serving").nth(self.earlier_runs + 1) {
                let port: String = line
                    .split("port=")
                    .nth(1)
                    .unwrap_or_default()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                self.base = format!("http://127.0.0.1:{port}");
                let ready = client.get(format!("{}/ready", self.base)).send().await;
                if ready.is_ok_and(|r| r.status() == 200) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("daftar was not ready in {limit:?}:\n{}", self.log_text());
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: the process dies at once, mid-whatever.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM: an orderly stop (drain, flush, stop workers).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to exit, at most `limit`.
    pub async fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.kill();
        panic!("daftar did not exit within {limit:?}:\n{}", self.log_text());
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Never leave a server behind, whatever the test did.
        if let Ok(None) = self.child.try_wait() {
            self.kill();
        }
    }
}
