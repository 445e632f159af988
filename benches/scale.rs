//! Scale: the real `daftar serve` on a store of many cases. A small and a large store are
//! filled (see `scale/fill.rs`: copies of a recorded story, about 80 events per case, 38 of
//! every 161 carrying a ≈1 KB submission, W1's document), and on each the server is started and measured:
//! the time from spawning it to `/ready`, its resident memory after the start and after the
//! reads, and the latency of single reads over HTTP (one task, one case, a case's history,
//! replaying a case, the status board of a 31-agency case, a page of `GET /v1/events` near
//! the end of the log). Reading a task or replaying a case must not grow with the log.
//!
//! `cargo bench --bench scale [-- --backend sqlite|postgres|both --events N --small-events N
//! --reads N]`; the full size is `--events 10000000` (≈124,000 cases), the default
//! 1,000,000. `cargo test --bench scale` runs a seconds-long smoke version (a few hundred
//! cases).

#[path = "common/mod.rs"]
mod common;
#[path = "scale/fill.rs"]
mod fill;
#[path = "scale/probe.rs"]
mod probe;
#[path = "../tests/support/mod.rs"]
mod support;
#[path = "audit/template.rs"]
mod template;

use std::time::Duration;

use common::{Args, server::Server};
use fill::Filled;
use probe::{Latency, Read, Target};
use template::Template;

const TOKEN: &str = "scale-benchmark-token-0000000001";

struct Options {
    backends: Vec<String>,
    /// Stamped events in the small and in the large store.
    sizes: [usize; 2],
    reads: usize,
}

fn options() -> Options {
    let args = Args::parse();
    Options {
        backends: args.backends(),
        sizes: [
            args.number("--small-events", 10_000, 2_000),
            args.number("--events", 1_000_000, 20_000),
        ],
        reads: args.number("--reads", 300, 10),
    }
}

/// Everything measured on one store.
struct Measured {
    filled: Filled,
    ready_after: Duration,
    rss_started: f64,
    reads: Vec<Latency>,
    rss_after: f64,
    rss_peak: f64,
}

async fn measure(backend: &str, template: &Template, stamped: usize, reads: usize) -> Measured {
    let filled = fill::fill(backend, template, stamped).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let patience = Duration::from_secs(3600);
    let server = Server::start(&filled.url(), TOKEN, dir, patience).await;
    let (rss_started, _) = server.memory();
    let client = reqwest::Client::new();
    let copies = template.complete_copies(stamped);
    assert!(
        copies > 0,
        "{stamped} events hold no complete group of copies"
    );
    let directory = filled.events - stamped as u64;
    let group = template.last_complete_group(stamped);
    let target = Target {
        template,
        copies,
        last_group: directory + group.start as u64..directory + group.end as u64,
    };
    probe::check(&client, &server.base, TOKEN, &target).await;
    let mut latencies = Vec::new();
    for read in Read::ALL {
        latencies.push(probe::measure(&client, &server.base, TOKEN, &target, read, reads).await);
    }
    let (rss_after, rss_peak) = server.memory();
    Measured {
        filled,
        ready_after: server.ready_after,
        rss_started,
        reads: latencies,
        rss_after,
        rss_peak,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn size(m: &Measured) -> String {
    format!("{} events, {} cases", m.filled.events, m.filled.cases)
}

fn row(what: &str, [small, large, ratio]: [String; 3]) {
    println!("| {what} | {small} | {large} | {ratio} |");
}

fn print_table(backend: &str, small: &Measured, large: &Measured) {
    println!(
        "\n{backend}: small = {}, large = {}",
        size(small),
        size(large)
    );
    row(
        "measure",
        ["small".into(), "large".into(), "large / small".into()],
    );
    println!("|---|---|---|---|");
    let fill = |m: &Measured| {
        let (import, rebuild) = (m.filled.imported_in, m.filled.rebuilt_in);
        format!(
            "{:.1} s + {:.1} s",
            import.as_secs_f64(),
            rebuild.as_secs_f64()
        )
    };
    row(
        "fill: import + rebuild read models",
        [fill(small), fill(large), String::new()],
    );
    let (s, l) = (ms(small.ready_after), ms(large.ready_after));
    let start = [
        format!("{s:.0} ms"),
        format!("{l:.0} ms"),
        format!("{:.1}x", l / s),
    ];
    row("start: spawn to /ready", start);
    let mib = |v: f64| format!("{v:.0} MiB");
    row(
        "RSS after start",
        [
            mib(small.rss_started),
            mib(large.rss_started),
            String::new(),
        ],
    );
    for (i, read) in Read::ALL.into_iter().enumerate() {
        let (s, l) = (&small.reads[i], &large.reads[i]);
        let cell = |x: &Latency| format!("{:.2} / {:.2} ms", ms(x.p50), ms(x.p99));
        let ratio = format!("{:.2}x p50", ms(l.p50) / ms(s.p50));
        row(
            &format!("{} (p50 / p99)", read.label()),
            [cell(s), cell(l), ratio],
        );
    }
    let after = |m: &Measured| format!("{:.0} MiB (peak {:.0} MiB)", m.rss_after, m.rss_peak);
    row(
        "RSS after the reads",
        [after(small), after(large), String::new()],
    );
}

#[tokio::main]
async fn main() {
    let options = options();
    let template = Template::record_with(|code| common::one_need_inventory(code, 1)).await;
    println!(
        "scale benchmark: stores of {} and {} stamped events, {} reads of each kind; story of {} events ({} of them ≈1 KB submissions)",
        options.sizes[0],
        options.sizes[1],
        options.reads,
        template.len(),
        template.submissions()
    );
    for backend in &options.backends {
        let small = measure(backend, &template, options.sizes[0], options.reads).await;
        let large = measure(backend, &template, options.sizes[1], options.reads).await;
        print_table(backend, &small, &large);
    }
}
