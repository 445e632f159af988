//! The audit API: the timeline, bad moments and cursors, verify against a checkpoint, and
//! the NDJSON log being byte for byte the CLI's export.

use reqwest::Method;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::support::TestDb;
use crate::{daftar, story, succeeds};

async fn the_audit_api_answers_an_auditor(db: TestDb) {
    let story = story::run(&db).await;
    let export = succeeds(&daftar(&db, &["audit", "export"]));
    let (head, head_hash) = story.engine.store.head().await.unwrap();
    let app = spawn_app(db).await;
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;
    timeline_says_who_did_what_under_which_versions(&app, &auditor, story.inventory).await;
    bad_moments_and_cursors_are_refused(&app, &auditor, story.inventory, head).await;
    verify_checks_a_checkpoint(&app, &auditor, &format!("{head}:{head_hash}"), head).await;
    let ndjson = app
        .client
        .get(format!("{}/v1/events", app.address))
        .bearer_auth(ADMIN_TOKEN)
        .header("accept", "application/x-ndjson")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Byte for byte, up to the export's head (the app has appended since).
    assert!(
        ndjson.starts_with(&export),
        "the NDJSON log starts with the export"
    );
}

async fn timeline_says_who_did_what_under_which_versions(app: &TestApp, auditor: &str, case: Uuid) {
    let timeline = app
        .get(&format!("/v1/cases/{case}/timeline"), auditor)
        .await;
    let history = app.get(&format!("/v1/cases/{case}/history"), auditor).await;
    let items = timeline["items"].as_array().unwrap();
    assert_eq!(items.len(), history["items"].as_array().unwrap().len());
    assert_eq!(timeline["workflow"], "data-exchange-inventory");
    for (entry, event) in items.iter().zip(history["items"].as_array().unwrap()) {
        assert_eq!(entry["position"], event["position"]);
        assert_eq!(entry["recorded_at"], event["recorded_at"]);
        assert_eq!(entry["workflow_version"], timeline["workflow_version"]);
        assert!(entry["summary"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let submitted = items
        .iter()
        .find(|e| e["event_type"] == "SubmissionReceived")
        .unwrap();
    assert_eq!(submitted["form"], "data-exchange-inventory");
    assert!(submitted["form_version"].as_u64().unwrap() >= 1);
    assert_eq!(submitted["role"], "member");
    let agency = submitted["agency"].as_str().unwrap();
    assert_eq!(submitted["task_agency"], agency);
    let returned = items
        .iter()
        .find(|e| e["event_type"] == "SubmissionReturned")
        .unwrap();
    let who = [&returned["actor"], &returned["agency"], &returned["role"]];
    assert_eq!(
        who,
        [&Value::from("sec-1"), &"MIMT".into(), &"secretariat".into()]
    );
    let summary = returned["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("sec-1 returned the submission of") && summary.contains(agency),
        "{summary}"
    );
}

async fn status(app: &TestApp, path: &str, token: &str) -> u16 {
    app.call(Method::GET, path, Some(token), None)
        .await
        .status()
        .as_u16()
}

async fn bad_moments_and_cursors_are_refused(app: &TestApp, auditor: &str, case: Uuid, head: i64) {
    let cases = [
        ("2999-01-01T00:00:00Z".to_string(), 422),
        ("2001-01-01T00:00:00Z".into(), 404),
        ("1".into(), 404),
        ("not-a-time".into(), 400),
        ("2026-11-26".into(), 400),
        ((head + 1000).to_string(), 422),
        ("-1".into(), 422),
        (head.to_string(), 200),
    ];
    for (at, expected) in cases {
        let path = format!("/v1/cases/{case}/state?at={at}");
        assert_eq!(status(app, &path, auditor).await, expected, "{path}");
    }
    for (path, expected) in [
        ("/v1/events?after=-1".to_string(), 400),
        ("/v1/events?after=x".into(), 400),
        (format!("/v1/cases/{}/timeline", Uuid::now_v7()), 404),
        ("/v1/cases/nope/timeline".into(), 400),
    ] {
        assert_eq!(status(app, &path, auditor).await, expected, "{path}");
    }
    let member = app.member("m-aud", "IRICA", &["member"]).await;
    assert_eq!(
        status(app, &format!("/v1/cases/{case}/timeline"), &member).await,
        403
    );
}

async fn verify_checks_a_checkpoint(app: &TestApp, auditor: &str, checkpoint: &str, head: i64) {
    let verify = |expect: &str| format!("/v1/audit/verify?expect_head={expect}");
    let ok = app.get(&verify(checkpoint), auditor).await;
    assert_eq!(
        (&ok["ok"], &ok["checkpoint"]["ok"]),
        (&Value::Bool(true), &Value::Bool(true))
    );
    let hash = checkpoint.split_once(':').unwrap().1;
    let ahead = app
        .get(&verify(&format!("{}:{hash}", head + 1000)), auditor)
        .await;
    assert_eq!(ahead["ok"], false);
    assert!(
        ahead["checkpoint"]["detail"]
            .as_str()
            .unwrap()
            .contains("missing")
    );
    assert_eq!(status(app, &verify("garbage"), auditor).await, 400);
}

crate::on_both_backends!(the_audit_api_answers_an_auditor);
