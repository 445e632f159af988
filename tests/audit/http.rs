//! The audit API: the timeline, bad moments and cursors, verify against a checkpoint, and
//! the NDJSON log being byte for byte the CLI's export.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{ADMIN_TOKEN, spawn_app};
use crate::support::TestDb;
use crate::{daftar, story, succeeds, url_of};

async fn the_audit_api_answers_an_auditor(db: TestDb) {
    let story = story::run(&db).await;
    let export = succeeds(&daftar(&db, &["audit", "export"]));
    let (head, head_hash) = story.engine.store.head().await.unwrap();
    let inventory = story.inventory;
    let _url = url_of(&db);
    let app = spawn_app(db).await;
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;

    let timeline = app
        .get(&format!("/v1/cases/{inventory}/timeline"), &auditor)
        .await;
    let history = app
        .get(&format!("/v1/cases/{inventory}/history"), &auditor)
        .await;
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
    assert_eq!(
        (&returned["actor"], &returned["agency"], &returned["role"]),
        (&"sec-1".into(), &"MIMT".into(), &"secretariat".into())
    );
    let summary = returned["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("sec-1 returned the submission of") && summary.contains(agency),
        "{summary}"
    );

    let status = async |path: String, token: &str| {
        app.call(Method::GET, &path, Some(token), None)
            .await
            .status()
            .as_u16()
    };
    let state = |at: &str| format!("/v1/cases/{inventory}/state?at={at}");
    assert_eq!(status(state("2999-01-01T00:00:00Z"), &auditor).await, 422);
    assert_eq!(status(state("2001-01-01T00:00:00Z"), &auditor).await, 404);
    assert_eq!(status(state("1"), &auditor).await, 404);
    assert_eq!(status(state("not-a-time"), &auditor).await, 400);
    assert_eq!(
        status(state(&(head + 1000).to_string()), &auditor).await,
        422
    );
    assert_eq!(status(state("-1"), &auditor).await, 422);
    assert_eq!(status(state(&head.to_string()), &auditor).await, 200);
    assert_eq!(status("/v1/events?after=-1".into(), &auditor).await, 400);
    assert_eq!(status("/v1/events?after=x".into(), &auditor).await, 400);
    assert_eq!(
        status(
            format!("/v1/cases/{}/timeline", uuid::Uuid::now_v7()),
            &auditor
        )
        .await,
        404
    );
    assert_eq!(
        status("/v1/cases/nope/timeline".into(), &auditor).await,
        400
    );
    let member = app.member("m-aud", "IRICA", &["member"]).await;
    assert_eq!(
        status(format!("/v1/cases/{inventory}/timeline"), &member).await,
        403
    );

    let verify = |expect: &str| format!("/v1/audit/verify?expect_head={expect}");
    let ok = app
        .get(&verify(&format!("{head}:{head_hash}")), &auditor)
        .await;
    assert_eq!(
        (ok["ok"].as_bool(), ok["checkpoint"]["ok"].as_bool()),
        (Some(true), Some(true))
    );
    let ahead = app
        .get(&verify(&format!("{}:{head_hash}", head + 1000)), &auditor)
        .await;
    assert_eq!(ahead["ok"], false);
    assert!(
        ahead["checkpoint"]["detail"]
            .as_str()
            .unwrap()
            .contains("missing")
    );
    assert_eq!(status(verify("garbage"), &auditor).await, 400);

    // The NDJSON log is the export, byte for byte (up to the export's head).
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
    assert!(
        ndjson.starts_with(&export),
        "the NDJSON log starts with the export"
    );
    let first: Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    assert_eq!(first["position"], 1);
}

crate::on_both_backends!(the_audit_api_answers_an_auditor);
