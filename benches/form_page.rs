//! The task page's form: rendering the data-exchange inventory form with 50 needs (every
//! field of every need, the agency list, the array buttons) and reading it back from a
//! post, timed one at a time — p50, p99 and the HTML's size. In the same run, as the
//! baseline, the real `daftar serve`'s `GET /v1/cases/{id}` for a 31-agency case.
//!
//! `cargo bench --bench form_page [-- --needs 50 --renders 500]`; `cargo test --bench
//! form_page` runs a seconds-long smoke version.

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{Args, server::Server};
use daftar::web::form::{self, AgencyOption, FormContext, Locale};
use serde_json::{Value, json};

const TOKEN: &str = "form-page-benchmark-token-0001";

fn fixture(path: &str) -> Value {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

/// An inventory of `needs` needs (the IRICA fixture's first need, retitled) and its offers.
fn inventory(needs: usize) -> Value {
    let mut data = fixture("tests/fixtures/inventories/IRICA.json");
    let need = data["needs"][0].clone();
    data["needs"] = (0..needs)
        .map(|i| {
            let mut need = need.clone();
            need["title"] = json!(format!("{} {i}", need["title"].as_str().unwrap_or("")));
            need
        })
        .collect();
    data
}

fn agencies() -> Vec<AgencyOption> {
    let listed = fixture("tests/fixtures/agencies.json");
    listed["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| AgencyOption {
            code: a["code"].as_str().unwrap().to_owned(),
            name: a["name_fa"].as_str().unwrap().to_owned(),
        })
        .collect()
}

/// The fields a browser posts for the rendered form: every named input with its value
/// (enough for timing the parse; the unit tests check the exact browser behaviour).
fn posted(page: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for chunk in page.split("<input ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap_or(chunk.len())];
        let attr = |name: &str| {
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            let end = tag[start..].find('"')? + start;
            Some(tag[start..end].to_owned())
        };
        let checkable = tag.contains("type=\"checkbox\"") || tag.contains("type=\"radio\"");
        if checkable && !tag.contains(" checked") {
            continue;
        }
        if let Some(name) = attr("name") {
            fields.push((name, attr("value").unwrap_or_default()));
        }
    }
    fields
}

struct Timed {
    p50: Duration,
    p99: Duration,
}

fn timed(mut latencies: Vec<Duration>) -> Timed {
    latencies.sort_unstable();
    Timed {
        p50: common::quantile(&latencies, 0.50),
        p99: common::quantile(&latencies, 0.99),
    }
}

fn print(label: &str, n: usize, t: &Timed, size: Option<usize>) {
    let size = size.map_or(String::new(), |s| {
        format!("  {:>8.1} KB", s as f64 / 1024.0)
    });
    println!(
        "{label:<40} {n:>6} runs  p50 {:>8.3} ms  p99 {:>8.3} ms{size}",
        t.p50.as_secs_f64() * 1e3,
        t.p99.as_secs_f64() * 1e3
    );
}

fn render_and_parse(needs: usize, runs: usize) {
    let schema = fixture("schemas/data-exchange-inventory.schema.json");
    let data = inventory(needs);
    let agencies = agencies();
    let ctx = FormContext {
        locale: Locale::Fa,
        agencies: &agencies,
        action: "/tasks/bench",
    };
    let mut page = String::new();
    let mut renders = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        page = form::render(&schema, &data, &[], &ctx).into_string();
        renders.push(started.elapsed());
    }
    print(
        &format!("render inventory form, {needs} needs"),
        runs,
        &timed(renders),
        Some(page.len()),
    );
    let fields = posted(&page);
    let mut parses = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let parsed = form::parse(&schema, &fields, &ctx);
        parses.push(started.elapsed());
        assert_eq!(parsed.data["needs"].as_array().map(Vec::len), Some(needs));
    }
    print(
        &format!("parse its post ({} fields)", fields.len()),
        runs,
        &timed(parses),
        None,
    );
}

async fn api_baseline(runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("form.db").display());
    let server = Server::start(&url, TOKEN, dir, Duration::from_secs(15)).await;
    let client = reqwest::Client::new();
    let base = &server.base;
    let agencies = fixture("tests/fixtures/agencies.json");
    let imported = client
        .post(format!("{base}/v1/agencies:import"))
        .bearer_auth(TOKEN)
        .json(&agencies)
        .send()
        .await
        .unwrap();
    assert!(imported.status().is_success());
    let case: Value = client
        .post(format!("{base}/v1/cases"))
        .bearer_auth(TOKEN)
        .json(&json!({"workflow": "data-exchange-inventory", "title": "bench", "participants": "all"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = case["id"].as_str().expect("a case");
    let mut latencies = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let response = client
            .get(format!("{base}/v1/cases/{id}"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        size = response.bytes().await.unwrap().len();
        latencies.push(started.elapsed());
    }
    print(
        "API GET /v1/cases/{id} (31 tasks)",
        runs,
        &timed(latencies),
        Some(size),
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let needs = args.number("--needs", 50, 50);
    let runs = args.number("--renders", 500, 10);
    println!("form page benchmark: {needs} needs, {runs} runs each, one at a time");
    render_and_parse(needs, runs);
    api_baseline(runs).await;
}
