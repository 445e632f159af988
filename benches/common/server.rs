//! A real `daftar serve` (the binary cargo builds beside the benchmark) on a given database,
//! and what can be seen of it from outside: how long it took to become ready, its memory and
//! CPU time.
//! `DAFTAR_BENCH_SERVER=/path/to/daftar` runs another build instead (an earlier commit's, to
//! compare two builds on the same machine in one sitting).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
    /// From spawning the process to the first `200` from `/ready`.
    pub ready_after: Duration,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Server {
    /// Starts the server on `database_url` and waits up to `patience` for `/ready`. `dir`
    /// (which may also hold the SQLite file) receives the mail and the server's log, and
    /// lives as long as the server.
    pub async fn start(
        database_url: &str,
        token: &str,
        dir: tempfile::TempDir,
        patience: Duration,
    ) -> Self {
        let port = free_port();
        let root = env!("CARGO_MANIFEST_DIR");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("server log");
        let started = Instant::now();
        let binary = std::env::var_os("DAFTAR_BENCH_SERVER")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_daftar").into());
        let child = Command::new(binary)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("DAFTAR_DATABASE_URL", database_url)
            .env("DAFTAR_BOOTSTRAP_TOKEN", token)
            .env("DAFTAR_SCHEMAS_DIR", format!("{root}/schemas"))
            .env("DAFTAR_WORKFLOWS_DIR", format!("{root}/workflows"))
            .env("DAFTAR_MAIL_DIR", dir.path().join("mail"))
            .env("RUST_LOG", "warn")
            // A few members write as fast as the server takes it: measure the server, not the
            // per-member write limit.
            .env("DAFTAR_WRITES_PER_MINUTE", "0")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("daftar starts");
        let mut server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            ready_after: Duration::ZERO,
            dir,
        };
        server.ready_after = server.wait_ready(started, patience).await;
        server
    }

    async fn wait_ready(&mut self, started: Instant, patience: Duration) -> Duration {
        let client = reqwest::Client::new();
        let ready = format!("{}/ready", self.base);
        while started.elapsed() < patience {
            if client
                .get(&ready)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return started.elapsed();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "daftar exited ({status}) before it was ready:\n{}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("daftar was not ready after {patience:?}:\n{}", self.log());
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU seconds (user + system, every thread) the server has used since it started.
    pub fn cpu_seconds(&self) -> f64 {
        super::cpu_seconds(Some(self.pid()))
    }

    /// Bytes the server has read and written through system calls since it started (`rchar`
    /// and `wchar` of `/proc/PID/io`): the database's pages, its write-ahead log and files.
    pub fn io_bytes(&self) -> (u64, u64) {
        let io = std::fs::read_to_string(format!("/proc/{}/io", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            io.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        (field("rchar:"), field("wchar:"))
    }

    /// Resident memory (MiB): now, and the peak since the process started.
    pub fn memory(&self) -> (f64, f64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(0.0, |kb| kb / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}
