//! Tokens and members over HTTP: an expiry on issue, a member's tokens listed without their
//! secrets, and a disabled member refused at once while its open task stays with its agency.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

async fn status(app: &TestApp, path: &str, token: &str) -> u16 {
    app.call(Method::GET, path, Some(token), None)
        .await
        .status()
        .as_u16()
}

async fn an_admin_lists_and_expires_tokens(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let first = app.member("m-irica", "IRICA", &["member"]).await;
    let path = "/v1/members/m-irica/tokens";
    let until = "2099-03-20T00:00:00Z";
    let issued = app
        .expect(
            Method::POST,
            path,
            ADMIN_TOKEN,
            Some(json!({"expires_at": until})),
            201,
        )
        .await;
    assert_eq!(issued["expires_at"], until);
    let past = json!({"expires_at": "2020-01-01T00:00:00Z"});
    app.expect(Method::POST, path, ADMIN_TOKEN, Some(past), 422)
        .await;
    let unknown = json!({"expires": until});
    app.expect(Method::POST, path, ADMIN_TOKEN, Some(unknown), 400)
        .await;
    // Not an object: refused, an array of the fields in order too. No token is issued.
    for body in [json!([]), json!([until]), json!("x"), json!(3)] {
        app.expect(Method::POST, path, ADMIN_TOKEN, Some(body), 400)
            .await;
    }
    assert_eq!(status(&app, "/v1/tasks", &first).await, 200);

    let response = app.call(Method::GET, path, Some(ADMIN_TOKEN), None).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let second = issued["token"].as_str().unwrap();
    for secret in [first.as_str(), second] {
        assert!(!text.contains(secret), "a token is listed: {text}");
        let hash = daftar::engine::token_hash(secret);
        assert!(!text.contains(&hash), "a token's hash is listed: {text}");
    }
    let listed: Value = serde_json::from_str(&text).unwrap();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{listed}");
    assert_eq!(items[0]["issued_by"], "admin");
    assert!(items[0]["last_used_at"].is_string(), "{listed}");
    assert_eq!(items[0]["expires_at"], Value::Null);
    assert_eq!(items[1]["token_id"], issued["token_id"]);
    assert_eq!(items[1]["expires_at"], until);
    assert_eq!(items[1]["last_used_at"], Value::Null);

    assert_eq!(status(&app, path, &first).await, 403);
    assert_eq!(
        status(&app, "/v1/members/nobody/tokens", ADMIN_TOKEN).await,
        404
    );
    // Clients written before tokens could expire send `null` or `{}`: no options, as then.
    for body in [json!(null), json!({})] {
        let plain = app
            .expect(Method::POST, path, ADMIN_TOKEN, Some(body), 201)
            .await;
        assert_eq!(plain["expires_at"], Value::Null);
    }
}

async fn a_disabled_member_is_refused_and_its_task_stays_with_its_agency(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let colleague = app.member("m-irica-2", "IRICA", &["member"]).await;
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["IRICA", "MIMT"]});
    let case = app
        .expect(Method::POST, "/v1/cases", &secretariat, Some(body), 201)
        .await;
    let task = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "IRICA")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let disable = "/v1/members/m-irica:disable";
    app.expect(Method::POST, disable, &secretariat, None, 403)
        .await;
    let member = app
        .expect(Method::POST, disable, ADMIN_TOKEN, None, 200)
        .await;
    assert_eq!(member["disabled"], true);
    // Refused at once on the node that disabled it.
    assert_eq!(status(&app, "/v1/tasks", &irica).await, 401);
    app.expect(
        Method::POST,
        "/v1/members/admin:disable",
        ADMIN_TOKEN,
        None,
        422,
    )
    .await;

    let open = app.get(&format!("/v1/tasks/{task}"), &colleague).await;
    assert_eq!(open["agency"], "IRICA");
    let reassign = format!("/v1/tasks/{task}/reassign");
    let to = |id: &str| Some(json!({"member_id": id}));
    app.expect(Method::POST, &reassign, &secretariat, to("m-irica"), 422)
        .await;
    app.expect(Method::POST, &reassign, &secretariat, to("m-irica-2"), 200)
        .await;

    let events = app
        .get("/v1/events?stream=member-m-irica", ADMIN_TOKEN)
        .await;
    let disabled = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event_type"] == "MemberDisabled")
        .expect("a MemberDisabled event")
        .clone();
    assert_eq!(disabled["metadata"]["actor"], "admin", "{disabled}");

    let member = app
        .expect(
            Method::POST,
            "/v1/members/m-irica:enable",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(member["disabled"], false);
    assert_eq!(status(&app, "/v1/tasks", &irica).await, 200);
}

/// The log holds nothing computed from a token: not its hash, and not (for the bootstrap
/// token, which an operator chooses and may be guessable) an id derived from it.
async fn the_log_holds_nothing_computed_from_a_token(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let token = app.member("m-irica", "IRICA", &["member"]).await;
    let response = app
        .client
        .get(format!("{}/v1/events?limit=500", app.address))
        .bearer_auth(ADMIN_TOKEN)
        .header("accept", "application/x-ndjson")
        .send()
        .await
        .unwrap();
    let log = response.text().await.unwrap();
    assert!(log.contains("TokenIssued"), "{log}");
    for secret in [ADMIN_TOKEN, token.as_str()] {
        let hash = daftar::engine::token_hash(secret);
        assert!(!log.contains(&hash), "a token's hash is in the log");
        let derived = daftar::domain::derive_id(uuid::Uuid::nil(), &["bootstrap-token", &hash]);
        assert!(
            !log.contains(&derived.to_string()),
            "an id derived from a token is in the log"
        );
    }
}

on_both_backends!(
    the_log_holds_nothing_computed_from_a_token,
    an_admin_lists_and_expires_tokens,
    a_disabled_member_is_refused_and_its_task_stays_with_its_agency,
);
