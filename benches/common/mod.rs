//! What the benchmarks share: reading their command line, timing a fixed number of
//! operations spread over concurrent workers, the raw INSERT baseline ([`raw`]) and the
//! spawned `daftar serve` ([`server`]). Each benchmark includes this with `#[path]` and uses
//! part of it.
#![allow(dead_code)]

pub mod raw;
pub mod server;

/// CPU seconds (user + system, every thread) a process has used: `pid`'s, or this one's.
/// On a machine shared with other jobs, wall-clock rates drift with their load; CPU-time
/// rates do much less.
pub fn cpu_seconds(pid: Option<u32>) -> f64 {
    let path = pid.map_or("/proc/self/stat".to_string(), |p| format!("/proc/{p}/stat"));
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th,
    // in clock ticks (USER_HZ, 100 on Linux).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: f64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The benchmark's arguments. `cargo bench` passes `--bench`, and then the full sizes run;
/// `cargo test --all-targets` does not, and then a seconds-long smoke version runs.
pub struct Args(Vec<String>);

impl Args {
    pub fn parse() -> Self {
        Self(std::env::args().collect())
    }

    pub fn full(&self) -> bool {
        self.0.iter().any(|a| a == "--bench")
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .cloned()
    }

    /// `name`'s value, or the full or smoke default.
    pub fn number(&self, name: &str, full_size: usize, smoke: usize) -> usize {
        self.value(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(if self.full() { full_size } else { smoke })
    }

    /// `--backend sqlite|postgres|both`; both by default when DAFTAR_TEST_POSTGRES_URL is set.
    pub fn backends(&self) -> Vec<String> {
        let default = if std::env::var("DAFTAR_TEST_POSTGRES_URL").is_ok() {
            "both"
        } else {
            "sqlite"
        };
        match self.value("--backend").as_deref().unwrap_or(default) {
            "both" => vec!["sqlite".into(), "postgres".into()],
            one => vec![one.to_string()],
        }
    }
}

/// Throughput and latency of one timed run.
pub struct Figures {
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

/// The `q` quantile of sorted latencies.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

pub fn figures(mut latencies: Vec<Duration>, elapsed: Duration) -> Figures {
    latencies.sort_unstable();
    Figures {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: quantile(&latencies, 0.50),
        p99: quantile(&latencies, 0.99),
    }
}

/// One line of figures, with the ratio to a baseline when there is one.
pub fn print_row(backend: &str, scenario: &str, f: &Figures, baseline: Option<&Figures>) {
    let ratio = baseline
        .map(|b| format!("{:>7.2}x raw", f.per_second / b.per_second))
        .unwrap_or_default();
    println!(
        "{backend:<9} {scenario:<32} {:>10.0}/s  p50 {:>7.2} ms  p99 {:>7.2} ms  {ratio}",
        f.per_second,
        f.p50.as_secs_f64() * 1e3,
        f.p99.as_secs_f64() * 1e3
    );
}

/// Runs `total` operations split over `workers` tasks; each operation is timed.
pub async fn drive<F, Fut>(workers: usize, total: usize, operation: F) -> Figures
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let mut handles = Vec::new();
    for worker in 0..workers {
        let operation = operation.clone();
        let count = total / workers;
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(count);
            for i in 0..count {
                let t = Instant::now();
                operation(worker, i).await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for handle in handles {
        latencies.extend(handle.await.expect("worker"));
    }
    figures(latencies, started.elapsed())
}

/// A ≈1 KB inventory of one need.
pub fn one_need_inventory(code: &str, n: usize) -> Value {
    json!({"needs": [{
        "title": format!("استعلام کارت بازرگانی برای پرونده {n}"),
        "description": "برای صدور مجوز و تطبیق اطلاعات متقاضی با سامانه جامع تجارت، استعلام برخط وضعیت کارت بازرگانی و شناسه ملی اشخاص حقوقی لازم است.",
        "data_items": [{"name": "شماره کارت بازرگانی", "datatype": "string"}, {"name": "تاریخ اعتبار", "datatype": "date"}],
        "lookup_keys": ["commercial_card_no", "legal_entity_national_id"],
        "provider_agency": "MIMT",
        "legal_basis": [{"law_title": "قانون مقررات صادرات و واردات", "article": "ماده ۳"}],
        "purpose": "تطبیق هویت بازرگان پیش از صدور مجوز",
        "personal_data": false,
        "frequency": "per_transaction",
        "latency": "online",
        "contact": {"name": format!("کارشناس {code}"), "email": format!("focal@{}.example", code.to_lowercase())}
    }], "offers": []})
}
