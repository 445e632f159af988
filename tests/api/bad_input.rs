//! Every bad input of the contract: the right status, a problem+json body, nothing appended.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, inventory, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

struct World {
    app: TestApp,
    secretariat: String,
    irica: String,
    mimt: String,
    irica_task: String,
    mimt_task: String,
}

async fn world(db: TestDb) -> World {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let case = app.expect(Method::POST, "/v1/cases", &secretariat, Some(json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["IRICA", "MIMT"]})), 201).await;
    let task_of = |code: &str| {
        case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (irica_task, mimt_task) = (task_of("IRICA"), task_of("MIMT"));
    World {
        app,
        secretariat,
        irica,
        mimt,
        irica_task,
        mimt_task,
    }
}

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value, String) {
    let response = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null),
        kind,
    )
}

async fn malformed_and_oversized_bodies_are_refused(db: TestDb) {
    let w = world(db).await;
    let head = w.app.head_position().await;
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    let deep = format!(
        "{{\"data\": {}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("application/json", b"{\"data\": {".to_vec(), 400),
        (
            "text/plain",
            serde_json::to_vec(&json!({"data": inventory()})).unwrap(),
            415,
        ),
        ("application/json", vec![b' '; 2 * 1024 * 1024], 413),
        ("application/json", deep.into_bytes(), 400),
        (
            "application/json",
            serde_json::to_vec(&json!({"data": inventory(), "extra": 1})).unwrap(),
            400,
        ),
    ];
    for (content_type, body, expected) in cases {
        let (status, problem, kind) =
            raw(&w.app, Method::POST, &path, &w.irica, content_type, body).await;
        assert_eq!(status, expected, "{problem}");
        assert_eq!(kind, "application/problem+json");
        assert_eq!(problem["status"], expected);
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let now = w.app.head_position().await;
    let after = w
        .app
        .get(&format!("/v1/events?after={head}"), ADMIN_TOKEN)
        .await;
    assert_eq!(now, head, "a refused request appends nothing: {after}");
}

/// serde reads a struct from an array of its fields in order; the contract says objects.
async fn arrays_where_objects_belong_are_refused(db: TestDb) {
    let w = world(db).await;
    let head = w.app.head_position().await;
    let cases = [
        (
            "/v1/agencies:import",
            json!({"agencies": [["X1", "اداره آزمایشی"]]}),
            "/agencies/0",
        ),
        (
            "/v1/agencies:import",
            json!({"agencies": [{"code": "X2", "name_fa": "اداره دوم"}, ["X3", "سوم"]]}),
            "/agencies/1",
        ),
    ];
    for (path, body, at) in cases {
        let problem = w
            .app
            .expect(Method::POST, path, ADMIN_TOKEN, Some(body), 400)
            .await;
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("expected an object at {at}, found an array")),
            "{problem}"
        );
    }
    let agencies = w.app.get("/v1/agencies?limit=200", ADMIN_TOKEN).await;
    for code in ["X1", "X2", "X3"] {
        assert!(
            !agencies["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["code"] == code),
            "{code} was imported: {agencies}"
        );
    }
    // Arrays where the contract has them still pass: an agency list of objects.
    let fine = json!({"agencies": [{"code": "X4", "name_fa": "اداره چهارم"}]});
    w.app
        .expect(
            Method::POST,
            "/v1/agencies:import",
            ADMIN_TOKEN,
            Some(fine),
            201,
        )
        .await;
    assert!(w.app.head_position().await > head);
}

async fn access_rules_hold(db: TestDb) {
    let w = world(db).await;
    let head = w.app.head_position().await;
    let app = &w.app;
    // Another agency's task does not exist for this member.
    let (status, _, _) = raw(
        app,
        Method::POST,
        &format!("/v1/tasks/{}/submissions", w.mimt_task),
        &w.irica,
        "application/json",
        serde_json::to_vec(&json!({"data": inventory()})).unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.call(
            Method::GET,
            &format!("/v1/tasks/{}", w.mimt_task),
            Some(&w.irica),
            None
        )
        .await
        .status(),
        404
    );
    // A member cannot review, even its own agency's task.
    app.expect(
        Method::POST,
        &format!("/v1/tasks/{}/submissions", w.irica_task),
        &w.irica,
        Some(json!({"data": inventory()})),
        201,
    )
    .await;
    let head = head + 1;
    app.expect(
        Method::POST,
        &format!("/v1/tasks/{}/review", w.irica_task),
        &w.irica,
        Some(json!({"decision": "accept"})),
        403,
    )
    .await;
    app.expect(
        Method::POST,
        &format!("/v1/tasks/{}/review", w.irica_task),
        &w.secretariat,
        Some(json!({"decision": "return"})),
        422,
    )
    .await;
    app.expect(
        Method::POST,
        &format!("/v1/tasks/{}/review", w.mimt_task),
        &w.secretariat,
        Some(json!({"decision": "accept"})),
        409,
    )
    .await;
    // Tokens: missing, unknown, with a trailing space, revoked.
    assert_eq!(
        app.call(Method::GET, "/v1/tasks", None, None)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.call(Method::GET, "/v1/tasks", Some("dft_unknown"), None)
            .await
            .status(),
        401
    );
    // HTTP strips a header's trailing whitespace, so "<token> " arrives as "<token>"; a space
    // inside the value does arrive and makes it another token.
    for header in [
        format!("Bearer  {}", w.mimt),
        format!("Bearer {} x", w.mimt),
        format!("bearer{}", w.mimt),
    ] {
        let response = app
            .client
            .get(format!("{}/v1/tasks", app.address))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401);
    }
    let issued = app
        .expect(
            Method::POST,
            "/v1/members/m-mimt/tokens",
            ADMIN_TOKEN,
            None,
            201,
        )
        .await;
    let head = head + 1;
    let token = issued["token"].as_str().unwrap();
    assert_eq!(
        app.call(Method::GET, "/v1/tasks", Some(token), None)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call(
            Method::DELETE,
            &format!("/v1/tokens/{}", issued["token_id"].as_str().unwrap()),
            Some(ADMIN_TOKEN),
            None
        )
        .await
        .status(),
        204
    );
    let head = head + 1;
    assert_eq!(
        app.call(Method::GET, "/v1/tasks", Some(token), None)
            .await
            .status(),
        401
    );
    // Ids that are not UUIDs, If-Match that does not match.
    app.expect(Method::GET, "/v1/tasks/not-a-uuid", &w.irica, None, 400)
        .await;
    let stale = app
        .client
        .post(format!("{}/v1/tasks/{}/review", app.address, w.irica_task))
        .bearer_auth(&w.secretariat)
        .header("if-match", "\"1\"")
        .json(&json!({"decision": "accept"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 412);
    assert_eq!(app.head_position().await, head);
}

async fn hostile_strings_are_stored_verbatim(db: TestDb) {
    let w = world(db).await;
    for text in [
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "ی‌ك‌ي \u{202b}mixed\u{202c} متن",
    ] {
        let mut data = inventory();
        data["needs"][0]["title"] = json!(text);
        data["needs"][0]["purpose"] = json!(text);
        let case = w.app.expect(Method::POST, "/v1/cases", &w.secretariat, Some(json!({"workflow": "data-exchange-inventory", "title": text, "participants": ["IRICA"]})), 201).await;
        assert_eq!(case["title"], text);
        let task = case["tasks"][0]["id"].as_str().unwrap();
        let submitted = w
            .app
            .expect(
                Method::POST,
                &format!("/v1/tasks/{task}/submissions"),
                &w.irica,
                Some(json!({"data": data})),
                201,
            )
            .await;
        assert_eq!(
            submitted["task"]["submissions"][0]["data"]["needs"][0]["title"],
            text
        );
        let read = w.app.get(&format!("/v1/tasks/{task}"), &w.irica).await;
        assert_eq!(read["submissions"][0]["data"]["needs"][0]["purpose"], text);
    }
}

async fn idempotency_keys_replay_and_refuse_other_bodies(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let body = json!({"workflow": "data-exchange-inventory", "title": "یک بار", "participants": ["IRICA"]});
    let send = |body: Value| {
        app.client
            .post(format!("{}/v1/cases", app.address))
            .bearer_auth(&w.secretariat)
            .header("idempotency-key", "k-1")
            .json(&body)
            .send()
    };
    let first: Value = send(body.clone()).await.unwrap().json().await.unwrap();
    let head = app.head_position().await;
    let again: Value = send(body.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(first, again);
    assert_eq!(send(json!({"workflow": "data-exchange-inventory", "title": "دیگر", "participants": ["IRICA"]})).await.unwrap().status().as_u16(), 422);
    assert_eq!(app.head_position().await, head);
    // 200 concurrent requests with one new key: exactly one case is opened.
    let concurrent =
        json!({"workflow": "data-exchange-inventory", "title": "همزمان", "participants": ["MIMT"]});
    let mut requests = Vec::new();
    for _ in 0..200 {
        let request = app
            .client
            .post(format!("{}/v1/cases", app.address))
            .bearer_auth(&w.secretariat)
            .header("idempotency-key", "k-200")
            .json(&concurrent);
        requests.push(tokio::spawn(async move {
            request.send().await.unwrap().json::<Value>().await.unwrap()
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for request in requests {
        ids.insert(request.await.unwrap()["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1);
    let _ = (&w.mimt, &w.mimt_task);
}

on_both_backends!(
    malformed_and_oversized_bodies_are_refused,
    arrays_where_objects_belong_are_refused,
    access_rules_hold,
    hostile_strings_are_stored_verbatim,
    idempotency_keys_replay_and_refuse_other_bodies,
);
