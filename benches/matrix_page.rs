//! The exchange matrix page of a 31 × 31 case: how long the real `daftar serve` takes to
//! answer `GET /cases/{id}/matrix` (the grid, its legend and the lists, as a signed-in
//! secretariat's browser asks for it) and the page with one cell opened, and how big the
//! HTML is — against the same case's board page `GET /cases/{id}` and the API's `GET
//! /v1/exchange-matrix?case=` in the same run, the baselines. All 31 agencies' inventories
//! (`tests/fixtures/inventories/`) are accepted, so the matrix is the real one.
//!
//! `cargo bench --bench matrix_page [-- --requests 1000 --clients 4]`; `cargo test --bench
//! matrix_page` runs a seconds-long smoke version. SQLite only: the page reads what the API
//! reads, so the backend is not what this compares.

#[path = "common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{Args, Figures, drive, print_row, server::Server};
use reqwest::{Client, Method, redirect};
use serde_json::{Value, json};

const TOKEN: &str = "matrix-page-benchmark-token-0001";

async fn call(
    client: &Client,
    method: Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> Value {
    let mut request = client.request(method, &url).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the API answers");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "{url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn fixture(path: &str) -> Value {
    let path = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A member of `agency` with `role`, and its token.
async fn member(client: &Client, base: &str, id: &str, agency: &str, role: &str) -> String {
    let body = json!({"id": id, "name": format!("کارشناس {id}"), "email": format!("{id}@x.example"), "agency": agency, "roles": [role]});
    call(
        client,
        Method::POST,
        format!("{base}/v1/members"),
        TOKEN,
        Some(body),
    )
    .await;
    let issued = call(
        client,
        Method::POST,
        format!("{base}/v1/members/{id}/tokens"),
        TOKEN,
        None,
    )
    .await;
    issued["token"].as_str().unwrap().to_string()
}

/// A 31-agency inventory case with every inventory accepted; returns the case, the
/// secretariat's token and its session cookie.
async fn setup(client: &Client, base: &str) -> (String, String, String) {
    let agencies = fixture("agencies.json");
    call(
        client,
        Method::POST,
        format!("{base}/v1/agencies:import"),
        TOKEN,
        Some(agencies.clone()),
    )
    .await;
    let token = member(client, base, "sec", "MIMT", "secretariat").await;
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصای اطلاعات مورد نیاز و قابل عرضه", "participants": "all"});
    let case = call(
        client,
        Method::POST,
        format!("{base}/v1/cases"),
        &token,
        Some(body),
    )
    .await;
    let case = case["id"].as_str().unwrap().to_string();
    let tasks = call(
        client,
        Method::GET,
        format!("{base}/v1/tasks?case={case}&limit=100"),
        &token,
        None,
    )
    .await;
    for agency in agencies["agencies"].as_array().unwrap() {
        let code = agency["code"].as_str().unwrap();
        let focal = member(
            client,
            base,
            &format!("m-{}", code.to_lowercase()),
            code,
            "member",
        )
        .await;
        let task = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == code)
            .unwrap();
        let task = task["id"].as_str().unwrap();
        let data = json!({"data": fixture(&format!("inventories/{code}.json"))});
        call(
            client,
            Method::POST,
            format!("{base}/v1/tasks/{task}/submissions"),
            &focal,
            Some(data),
        )
        .await;
        let accept = json!({"decision": "accept"});
        call(
            client,
            Method::POST,
            format!("{base}/v1/tasks/{task}/review"),
            &token,
            Some(accept),
        )
        .await;
    }
    let signed_in = client
        .post(format!("{base}/sign-in/token"))
        .header("origin", base)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("daftar_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session")
        .to_string();
    (case, token, cookie)
}

/// Times `requests` GETs of `url` over `clients` connections; returns the figures and the
/// body size of the last answer.
async fn measure(
    client: &Client,
    url: String,
    headers: Vec<(&'static str, String)>,
    requests: usize,
    clients: usize,
) -> (Figures, usize) {
    let size = Arc::new(AtomicUsize::new(0));
    let (client, recorded) = (client.clone(), size.clone());
    let figures = drive(clients, requests, move |_, _| {
        let (client, url, headers, size) = (
            client.clone(),
            url.clone(),
            headers.clone(),
            recorded.clone(),
        );
        async move {
            let mut request = client.get(&url);
            for (name, value) in headers {
                request = request.header(name, value);
            }
            let response = request.send().await.expect("an answer");
            assert!(
                response.status().is_success(),
                "{url}: {}",
                response.status()
            );
            size.store(
                response.bytes().await.expect("a body").len(),
                Ordering::Relaxed,
            );
        }
    })
    .await;
    (figures, size.load(Ordering::Relaxed))
}

fn main() {
    let args = Args::parse();
    let requests = args.number("--requests", 1000, 20);
    let clients = args.number("--clients", 4, 2);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("matrix.db").display());
        let server = Server::start(&url, TOKEN, dir, Duration::from_secs(15)).await;
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        let base = server.base.clone();
        let (case, token, cookie) = setup(&client, &base).await;
        println!("matrix page: a 31 × 31 case, {requests} requests over {clients} clients each");
        let bearer = vec![("authorization", format!("Bearer {token}"))];
        let cookie = vec![("cookie", cookie)];
        let gzip = [
            cookie.clone(),
            vec![("accept-encoding", "gzip".to_string())],
        ]
        .concat();
        let matrix = format!("{base}/cases/{case}/matrix");
        let runs = [
            (
                "GET /v1/exchange-matrix (JSON)",
                format!("{base}/v1/exchange-matrix?case={case}"),
                bearer,
            ),
            (
                "GET /cases/{id} (board page)",
                format!("{base}/cases/{case}"),
                cookie.clone(),
            ),
            (
                "GET /cases/{id}/matrix (page)",
                matrix.clone(),
                cookie.clone(),
            ),
            (
                "GET /cases/{id}/matrix?cell",
                format!("{matrix}?consumer=IRICA&provider=MIMT"),
                cookie,
            ),
            ("GET /cases/{id}/matrix (gzip)", matrix, gzip),
        ];
        let mut results = Vec::new();
        for (name, url, auth) in runs {
            let (figures, size) = measure(&client, url, auth, requests, clients).await;
            print_row("sqlite", name, &figures, None);
            println!("{:<42} {:>8.1} KB", "", size as f64 / 1024.0);
            results.push((figures, size));
        }
        let (board, matrix) = (&results[1], &results[2]);
        println!(
            "matrix page / board page: p50 {:.2}, p99 {:.2}, HTML {:.2}",
            matrix.0.p50.as_secs_f64() / board.0.p50.as_secs_f64(),
            matrix.0.p99.as_secs_f64() / board.0.p99.as_secs_f64(),
            matrix.1 as f64 / board.1 as f64
        );
        drop(server);
    });
}
