//! `PATCH /v1/members/{id}`: an admin changes a member's roles, locale and supervisor
//! (`If-Match` on its version); the change is an event with its actor and takes effect at
//! the member's next request. Every refusal appends nothing. And an agency import naming a
//! code twice is refused whole.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

/// `PATCH` with an optional `If-Match`; the status and the body.
async fn patch(
    app: &TestApp,
    id: &str,
    token: &str,
    if_match: Option<&str>,
    body: &str,
) -> (u16, Value) {
    let mut request = app
        .client
        .patch(format!("{}/v1/members/{id}", app.address))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(version) = if_match {
        request = request.header("if-match", version);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn status(app: &TestApp, path: &str, token: &str) -> u16 {
    let response = app.call(Method::GET, path, Some(token), None).await;
    response.status().as_u16()
}

async fn an_admin_changes_roles_locale_and_supervisor(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let token = app.member("m-irica", "IRICA", &["member"]).await;
    app.member("boss", "IRICA", &["member"]).await;
    assert_eq!(status(&app, "/v1/notifications", &token).await, 403);

    let body = r#"{"roles": ["member", "secretariat"], "locale": "en", "supervisor_id": "boss"}"#;
    let (code, member) = patch(&app, "m-irica", ADMIN_TOKEN, Some("\"1\""), body).await;
    assert_eq!(code, 200, "{member}");
    crate::helpers::assert_conforms(&Method::PATCH, "/v1/members/m-irica", 200, &member);
    assert_eq!(member["roles"], json!(["member", "secretariat"]));
    assert_eq!(member["locale"], "en");
    assert_eq!(member["supervisor_id"], "boss");
    assert_eq!(member["version"], 2);
    // The new role counts at the member's next request.
    assert_eq!(status(&app, "/v1/notifications", &token).await, 200);

    // A field left out stays; `null` removes the supervisor.
    let (code, member) = patch(
        &app,
        "m-irica",
        ADMIN_TOKEN,
        None,
        r#"{"roles": ["member"], "supervisor_id": null}"#,
    )
    .await;
    assert_eq!(code, 200, "{member}");
    assert_eq!(member["locale"], "en");
    assert_eq!(member["supervisor_id"], Value::Null);
    assert_eq!(
        status(&app, "/v1/notifications", &token).await,
        403,
        "the role is taken away at once"
    );
    let read = app.get("/v1/members/m-irica", ADMIN_TOKEN).await;
    assert_eq!(read, member);

    let events = app
        .get("/v1/events?stream=member-m-irica", ADMIN_TOKEN)
        .await;
    let changed: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "MemberChanged")
        .collect();
    assert_eq!(changed.len(), 2);
    assert_eq!(changed[0]["metadata"]["actor"], "admin");
    assert_eq!(
        changed[0]["data"]["roles"],
        json!(["member", "secretariat"])
    );
}

async fn a_refused_change_appends_nothing(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    app.member("m-irica", "IRICA", &["member"]).await;
    app.member("boss", "IRICA", &["member"]).await;
    let (code, _) = patch(
        &app,
        "m-irica",
        ADMIN_TOKEN,
        None,
        r#"{"supervisor_id": "boss"}"#,
    )
    .await;
    assert_eq!(code, 200);
    let head = app.head_position().await;

    let refused = [
        (
            "m-irica",
            secretariat.as_str(),
            None,
            r#"{"locale": "en"}"#,
            403,
        ),
        ("nobody", ADMIN_TOKEN, None, r#"{"locale": "en"}"#, 404),
        (
            "m-irica",
            ADMIN_TOKEN,
            Some("\"1\""),
            r#"{"locale": "en"}"#,
            412,
        ),
        ("m-irica", ADMIN_TOKEN, None, r#"{"roles": []}"#, 422),
        ("m-irica", ADMIN_TOKEN, None, r#"{"roles": ["boss"]}"#, 422),
        ("m-irica", ADMIN_TOKEN, None, r#"{"locale": "de"}"#, 422),
        (
            "m-irica",
            ADMIN_TOKEN,
            None,
            r#"{"supervisor_id": "nobody"}"#,
            422,
        ),
        (
            "m-irica",
            ADMIN_TOKEN,
            None,
            r#"{"supervisor_id": "m-irica"}"#,
            422,
        ),
        // boss supervising m-irica, m-irica would supervise boss: a cycle.
        (
            "boss",
            ADMIN_TOKEN,
            None,
            r#"{"supervisor_id": "m-irica"}"#,
            422,
        ),
        ("admin", ADMIN_TOKEN, None, r#"{"roles": ["member"]}"#, 422),
        (
            "m-irica",
            ADMIN_TOKEN,
            None,
            r#"{"name": "someone else"}"#,
            400,
        ),
        ("m-irica", ADMIN_TOKEN, None, r#"{"roles": "member"}"#, 400),
        ("m-irica", ADMIN_TOKEN, None, "not json", 400),
    ];
    for (id, token, if_match, body, expected) in refused {
        let (code, problem) = patch(&app, id, token, if_match, body).await;
        assert_eq!(code, expected, "{id} {body}: {problem}");
        assert!(problem["detail"].is_string(), "a problem+json: {problem}");
    }
    // The same values again change nothing, and record nothing.
    let (code, member) = patch(
        &app,
        "m-irica",
        ADMIN_TOKEN,
        Some("\"2\""),
        r#"{"roles": ["member"], "locale": "fa"}"#,
    )
    .await;
    assert_eq!(code, 200, "{member}");
    assert_eq!(member["version"], 2);
    assert_eq!(app.head_position().await, head, "a refusal appends nothing");
}

async fn an_import_naming_a_code_twice_registers_nothing(db: TestDb) {
    let app = spawn_app(db).await;
    let before = app.get("/v1/agencies", ADMIN_TOKEN).await;
    let head = app.head_position().await;
    let twice = json!({"agencies": [
        {"code": "NEWA", "name_fa": "دستگاه نو"},
        {"code": "NEWB", "name_fa": "دستگاه دیگر"},
        {"code": "NEWA", "name_fa": "دستگاه نو دوباره"},
    ]});
    let problem = app
        .expect(
            Method::POST,
            "/v1/agencies:import",
            ADMIN_TOKEN,
            Some(twice),
            422,
        )
        .await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.starts_with("/agencies/2: code \"NEWA\""), "{detail}");
    let long = json!({"agencies": [{"code": "NEWC", "name_fa": "ن".repeat(301)}]});
    app.expect(
        Method::POST,
        "/v1/agencies:import",
        ADMIN_TOKEN,
        Some(long),
        422,
    )
    .await;
    assert_eq!(app.get("/v1/agencies", ADMIN_TOKEN).await, before);
    assert_eq!(app.head_position().await, head);
}

on_both_backends!(
    an_admin_changes_roles_locale_and_supervisor,
    a_refused_change_appends_nothing,
    an_import_naming_a_code_twice_registers_nothing,
);
