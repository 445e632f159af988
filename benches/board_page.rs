//! The secretariat's case page for a 31-agency inventory case: how long the real `daftar
//! serve` takes to answer `GET /cases/{id}` (the page with its status board, as a signed-in
//! browser asks for it) and `GET /cases/{id}/board` (the fragment the page polls), and how
//! big the HTML is — against the API's `GET /v1/cases/{id}` in the same run, the baseline.
//! The case is mid-round: of 31 agencies, 20 submitted, 5 of them were returned and 10
//! accepted, so the board shows every status.
//!
//! `cargo bench --bench board_page [-- --requests 2000 --clients 4]`; `cargo test --bench
//! board_page` runs a seconds-long smoke version. SQLite only: the page reads what the API
//! reads, so the backend is not what this compares.

#[path = "common/mod.rs"]
mod common;

use std::time::Duration;

use common::{Args, Figures, drive, one_need_inventory, print_row, server::Server};
use reqwest::{Client, redirect};
use serde_json::{Value, json};

const TOKEN: &str = "board-page-benchmark-token-00001";

struct Setup {
    case: String,
    /// The secretariat's session cookie, for the pages.
    cookie: String,
    /// The secretariat's token, for the API.
    token: String,
}

async fn call(
    client: &Client,
    method: reqwest::Method,
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

async fn setup(client: &Client, base: &str) -> Setup {
    use reqwest::Method;
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/agencies.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    call(
        client,
        Method::POST,
        format!("{base}/v1/agencies:import"),
        TOKEN,
        Some(fixture.clone()),
    )
    .await;
    let member = |id: &str, agency: &str, role: &str| json!({"id": id, "name": format!("کارشناس {id}"), "email": format!("{id}@x.example"), "agency": agency, "roles": [role]});
    call(
        client,
        Method::POST,
        format!("{base}/v1/members"),
        TOKEN,
        Some(member("sec", "MIMT", "secretariat")),
    )
    .await;
    let token = call(
        client,
        Method::POST,
        format!("{base}/v1/members/sec/tokens"),
        TOKEN,
        None,
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let codes: Vec<String> = fixture["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect();
    let mut members = Vec::new();
    for code in &codes {
        let id = format!("m-{}", code.to_lowercase());
        call(
            client,
            Method::POST,
            format!("{base}/v1/members"),
            TOKEN,
            Some(member(&id, code, "member")),
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
        members.push((code.clone(), issued["token"].as_str().unwrap().to_string()));
    }
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصای اطلاعات مورد نیاز و قابل عرضه", "participants": "all"});
    let case = call(
        client,
        Method::POST,
        format!("{base}/v1/cases"),
        &token,
        Some(body),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tasks = call(
        client,
        Method::GET,
        format!("{base}/v1/tasks?case={case}&limit=100"),
        &token,
        None,
    )
    .await;
    for (n, (code, member_token)) in members.iter().take(20).enumerate() {
        let task = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == code.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let submit = format!("{base}/v1/tasks/{task}/submissions");
        let review = format!("{base}/v1/tasks/{task}/review");
        call(
            client,
            Method::POST,
            submit.clone(),
            member_token,
            Some(json!({"data": one_need_inventory(code, n)})),
        )
        .await;
        if n < 5 {
            call(
                client,
                Method::POST,
                review,
                &token,
                Some(json!({"decision": "return", "comment": "مبنای قانونی را کامل کنید"})),
            )
            .await;
        } else if n < 15 {
            call(
                client,
                Method::POST,
                review,
                &token,
                Some(json!({"decision": "accept"})),
            )
            .await;
        }
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
    Setup {
        case,
        cookie,
        token,
    }
}

/// Times `requests` GETs of `url` over `clients` connections; returns the figures and the
/// body size of the last answer.
async fn measure(
    client: &Client,
    url: String,
    auth: (&'static str, String),
    requests: usize,
    clients: usize,
) -> (Figures, usize) {
    let size = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (header, value) = auth;
    let figures = {
        let (client, size) = (client.clone(), size.clone());
        drive(clients, requests, move |_, _| {
            let (client, url, value, size) =
                (client.clone(), url.clone(), value.clone(), size.clone());
            async move {
                let response = client
                    .get(&url)
                    .header(header, &value)
                    .send()
                    .await
                    .expect("an answer");
                assert!(
                    response.status().is_success(),
                    "{url}: {}",
                    response.status()
                );
                let body = response.bytes().await.expect("a body");
                size.store(body.len(), std::sync::atomic::Ordering::Relaxed);
            }
        })
        .await
    };
    (figures, size.load(std::sync::atomic::Ordering::Relaxed))
}

fn main() {
    let args = Args::parse();
    let requests = args.number("--requests", 2000, 40);
    let clients = args.number("--clients", 4, 2);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("board.db").display());
        let server = Server::start(&url, TOKEN, dir, Duration::from_secs(15)).await;
        let client = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        let base = server.base.clone();
        let setup = setup(&client, &base).await;
        println!("board page: a 31-agency case, {requests} requests over {clients} clients each");
        let bearer = ("authorization", format!("Bearer {}", setup.token));
        let cookie = ("cookie", setup.cookie.clone());
        let case = &setup.case;
        let (api, api_size) = measure(
            &client,
            format!("{base}/v1/cases/{case}"),
            bearer,
            requests,
            clients,
        )
        .await;
        let (page, page_size) = measure(
            &client,
            format!("{base}/cases/{case}"),
            cookie.clone(),
            requests,
            clients,
        )
        .await;
        let (fragment, fragment_size) = measure(
            &client,
            format!("{base}/cases/{case}/board"),
            cookie,
            requests,
            clients,
        )
        .await;
        for (name, figures, size) in [
            ("GET /v1/cases/{id} (baseline)", &api, api_size),
            ("GET /cases/{id} (page)", &page, page_size),
            ("GET /cases/{id}/board (fragment)", &fragment, fragment_size),
        ] {
            print_row("sqlite", name, figures, None);
            println!("{:<42} {:>8.1} KB", "", size as f64 / 1024.0);
        }
        println!(
            "page p50 / API p50: {:.2}",
            page.p50.as_secs_f64() / api.p50.as_secs_f64()
        );
        drop(server);
    });
}
