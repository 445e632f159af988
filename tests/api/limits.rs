//! What one client or member can make the server keep: metric series, idempotency answers,
//! writes per minute.

use std::time::Duration;

use daftar::db::{Database, DatabaseUrl};
use daftar::idempotency::IdempotencyRecords;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::on_both_backends;
use crate::support::TestDb;

/// A small deterministic generator, so a failure can be replayed.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn word(&mut self) -> String {
        format!("{:x}", self.next())
    }
}

fn random_request(noise: &mut Noise) -> (Method, String) {
    let standard = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
    let method = match noise.next() % 10 {
        n if (n as usize) < standard.len() => standard[n as usize].to_string(),
        _ => format!("X{}", noise.word().to_uppercase()),
    };
    let path = match noise.next() % 5 {
        0 => format!("/v1/cases/{}", noise.word()),
        1 => format!("/v1/tasks/{}/vote", noise.word()),
        2 => format!("/v1/{}", noise.word()),
        3 => format!("/health?probe={}", noise.word()),
        _ => format!("/{}/{}", noise.word(), noise.word()),
    };
    (Method::from_bytes(method.as_bytes()).unwrap(), path)
}

async fn metrics_series_stay_bounded_under_random_methods_and_paths(db: TestDb) {
    let app = spawn_app(db).await;
    let mut workers = Vec::new();
    for worker in 0..8u64 {
        let (client, base) = (app.client.clone(), app.address.clone());
        workers.push(tokio::spawn(async move {
            let mut noise = Noise(0x9E37_79B9_7F4A_7C15 ^ (worker + 1));
            for _ in 0..1250 {
                let (method, path) = random_request(&mut noise);
                let response = client
                    .request(method, format!("{base}{path}"))
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().as_u16() < 500, "{path}");
            }
        }));
    }
    for worker in workers {
        worker.await.unwrap();
    }
    let response = app.call(Method::GET, "/metrics", None, None).await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = response.text().await.unwrap();
    let series: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    // Routes × the methods and statuses answered, and the latency buckets per route: a few
    // hundred at most, however many requests came. A raw method or path as a label would
    // add a series for nearly every request.
    assert!(series.len() < 1000, "{} series", series.len());
    assert!(text.contains(r#"method="other""#), "{text}");
    assert!(text.contains(r#"route="unmatched""#), "{text}");
    assert!(text.contains(r#"route="/v1/cases/{id:[^/:]+}""#), "{text}");
    assert!(!text.contains("probe="), "a query string became a label");
    assert!(text.contains("daftar_http_request_duration_seconds_bucket{"));
    assert!(text.contains("daftar_group_commit_batch_size_bucket{"));
    assert!(text.contains("\ndaftar_appends_total "));
    assert!(text.contains("\ndaftar_scheduler_rounds_total "), "{text}");
    assert!(
        text.contains("\ndaftar_dispatcher_failed_rounds_total 0\n"),
        "{text}"
    );
    assert!(text.ends_with("# EOF\n"));
}

async fn stored_answers(records: &IdempotencyRecords) -> i64 {
    records.count().await.unwrap()
}

async fn post_with_key(app: &TestApp, path: &str, token: &str, key: &str, body: Value) -> u16 {
    app.client
        .post(format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn idempotency_answers_are_kept_only_for_callers_allowed_to_act(db: TestDb) {
    let records = IdempotencyRecords::new(db.connect().await);
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let member = app.member("m-irica", "IRICA", &["member"]).await;
    let before = stored_answers(&records).await;
    let case =
        json!({"workflow": "data-exchange-inventory", "title": "t", "participants": ["IRICA"]});

    // Refusals that cost the caller nothing to provoke are not remembered …
    let forbidden = post_with_key(&app, "/v1/cases", &member, "k-403", case.clone()).await;
    assert_eq!(forbidden, 403);
    let missing_task = "/v1/tasks/01890000-0000-7000-8000-000000000000/submissions";
    let missing = post_with_key(&app, missing_task, &member, "k-404", json!({"data": {}})).await;
    assert_eq!(missing, 404);
    assert_eq!(stored_answers(&records).await, before);
    // … so the key is still free for a request the caller may make.
    let other = json!({"data": {"x": 1}});
    assert_ne!(
        post_with_key(&app, missing_task, &member, "k-403", other).await,
        422,
        "the 403's key was remembered"
    );

    // What an allowed caller is refused for (its input, the state) is remembered and replayed.
    let bad =
        json!({"workflow": "data-exchange-inventory", "title": "t", "participants": ["NOPE"]});
    let refused = post_with_key(&app, "/v1/cases", &secretariat, "k-4xx", bad.clone()).await;
    assert!(
        (400..500).contains(&refused) && ![401, 403, 404].contains(&refused),
        "{refused}"
    );
    assert_eq!(stored_answers(&records).await, before + 1);
    let replay = app
        .client
        .post(format!("{}/v1/cases", app.address))
        .bearer_auth(&secretariat)
        .header("idempotency-key", "k-4xx")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status().as_u16(), refused);
    assert_eq!(replay.headers()["idempotent-replay"], "true");
    assert_eq!(replay.headers()["content-type"], "application/problem+json");

    // And so is what changed something.
    assert_eq!(
        post_with_key(&app, "/v1/cases", &secretariat, "k-201", case).await,
        201
    );
    assert_eq!(stored_answers(&records).await, before + 2);
}

async fn idempotency_answers_expire_and_are_purged(db: TestDb) {
    let records = IdempotencyRecords::new(db.connect().await);
    let app = spawn_app_with(db, |s| s.protection.idempotency_ttl_secs = 1).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let case = |title: &str| json!({"workflow": "data-exchange-inventory", "title": title, "participants": ["IRICA"]});
    assert_eq!(
        post_with_key(&app, "/v1/cases", &secretariat, "k", case("a")).await,
        201
    );
    assert_eq!(
        post_with_key(&app, "/v1/cases", &secretariat, "k", case("b")).await,
        422,
        "within its lifetime the key is bound to its first request"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        post_with_key(&app, "/v1/cases", &secretariat, "k", case("b")).await,
        201,
        "an expired key is free again"
    );
    // The periodic purge (every second with a one-second lifetime) empties the table.
    let mut left = stored_answers(&records).await;
    for _ in 0..100 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = stored_answers(&records).await;
    }
    assert_eq!(left, 0, "expired answers are purged");
}

async fn writes_are_limited_per_member(db: TestDb) {
    // The admin's set-up takes five writes of the six.
    let app = spawn_app_with(db, |s| s.protection.writes_per_minute = 6).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let member = app.member("m-irica", "IRICA", &["member"]).await;
    let body =
        json!({"workflow": "data-exchange-inventory", "title": "t", "participants": ["NOPE"]});
    for _ in 0..6 {
        let response = app
            .call(
                Method::POST,
                "/v1/cases",
                Some(&secretariat),
                Some(body.clone()),
            )
            .await;
        assert_ne!(response.status().as_u16(), 429);
    }
    let limited = app
        .call(
            Method::POST,
            "/v1/cases",
            Some(&secretariat),
            Some(body.clone()),
        )
        .await;
    assert_eq!(limited.status().as_u16(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    assert_eq!(
        limited.headers()["content-type"],
        "application/problem+json"
    );
    // Reads go on, and another member's writes are its own.
    app.get("/v1/cases", &secretariat).await;
    let other = app
        .call(Method::POST, "/v1/cases", Some(&member), Some(body))
        .await;
    assert_ne!(other.status().as_u16(), 429);
}

/// A database whose idempotency answers an earlier version kept among the documents: after
/// the upgrade they are in their own table, still replayed, and gone from the documents.
async fn answers_remembered_before_the_upgrade_move_to_their_table(db: TestDb) {
    let backend = match &db.url {
        DatabaseUrl::Sqlite(_) => "sqlite",
        DatabaseUrl::Postgres(_) => "postgres",
    };
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let earlier = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.as_str() < "0006" {
            std::fs::copy(&path, earlier.path().join(name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(earlier.path()).await.unwrap();
    let database = Database::connect(&db.url).await.unwrap();
    let insert = "insert into documents (kind, id, version, doc) values ('idempotency', 'abc', 1, \
                  '{\"fingerprint\":\"f\",\"status\":201,\"body\":{\"id\":\"x\",\"n\":[1]}}')";
    let documents_left = "select count(*) from documents where kind = 'idempotency'";
    match &database {
        Database::Sqlite(pool) => {
            migrator.run(pool).await.unwrap();
            sqlx::query(insert).execute(pool).await.unwrap();
        }
        Database::Postgres(pool) => {
            migrator.run(pool).await.unwrap();
            sqlx::query(insert).execute(pool).await.unwrap();
        }
    }
    database.migrate().await.unwrap();
    let left: i64 = match &database {
        Database::Sqlite(pool) => sqlx::query_scalar(documents_left).fetch_one(pool).await,
        Database::Postgres(pool) => sqlx::query_scalar(documents_left).fetch_one(pool).await,
    }
    .unwrap();
    assert_eq!(left, 0);
    let records = IdempotencyRecords::new(database);
    let now = chrono::Utc::now().timestamp_micros();
    let moved = records
        .find("abc", now - 60_000_000)
        .await
        .unwrap()
        .expect("the answer moved, dated at the upgrade");
    assert_eq!((moved.fingerprint.as_str(), moved.status), ("f", 201));
    let body: Value = serde_json::from_str(&moved.body).unwrap();
    assert_eq!(body, json!({"id": "x", "n": [1]}));
}

on_both_backends!(
    idempotency_answers_are_kept_only_for_callers_allowed_to_act,
    idempotency_answers_expire_and_are_purged,
    writes_are_limited_per_member,
    answers_remembered_before_the_upgrade_move_to_their_table,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn metrics_series_stay_bounded() {
    metrics_series_stay_bounded_under_random_methods_and_paths(crate::support::sqlite()).await;
}
