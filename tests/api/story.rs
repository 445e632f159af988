//! The seed story over HTTP: bootstrap → agencies → members → resolution → vote → tasks
//! appear → submit → review → audit.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, inventory, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

async fn the_seed_story_runs_over_http(db: TestDb) {
    let app: TestApp = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;
    let mut members = Vec::new();
    for code in ["IRICA", "MIMT", "CPPO", "INSO", "TPO"] {
        members.push((
            code,
            app.member(&format!("m-{}", code.to_lowercase()), code, &["member"])
                .await,
        ));
    }
    let resolution = json!({"workflow": "resolution-approval", "title": "مصوبه جلسه اول", "params": {"text": "ارسال اطلاعات تا پایان ماه", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA", "MIMT", "CPPO", "INSO", "TPO"]}}});
    let case = app
        .expect(
            Method::POST,
            "/v1/cases",
            &secretariat,
            Some(resolution),
            201,
        )
        .await;
    assert_eq!(case["status"], "open");
    assert_eq!(case["tasks"].as_array().unwrap().len(), 5);
    // Each member votes on its own vote task; three approvals settle it.
    for (_, token) in members.iter().take(3) {
        let tasks = app.get("/v1/tasks?status=open", token).await;
        let vote = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "vote")
            .unwrap()
            .clone();
        let id = vote["id"].as_str().unwrap();
        app.expect(
            Method::POST,
            &format!("/v1/tasks/{id}/vote"),
            token,
            Some(json!({"choice": "approve"})),
            200,
        )
        .await;
    }
    let approved = app
        .get(
            &format!("/v1/cases/{}", case["id"].as_str().unwrap()),
            &secretariat,
        )
        .await;
    assert_eq!(approved["status"], "completed");
    assert_eq!(approved["outcome"], "approved");
    let child = approved["children"][0].as_str().unwrap().to_string();

    // The inventory tasks appear for each agency.
    for (code, token) in &members {
        let tasks = app.get(&format!("/v1/tasks?case={child}"), token).await;
        let items = tasks["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{code} sees exactly its own task");
        assert_eq!(items[0]["agency"], *code);
        assert_eq!(items[0]["due_jalali"], "1405-09-30");
        let id = items[0]["id"].as_str().unwrap();
        let bad = app
            .expect(
                Method::POST,
                &format!("/v1/tasks/{id}/submissions"),
                token,
                Some(json!({"data": {"needs": [{"title": ""}], "offers": []}})),
                422,
            )
            .await;
        assert!(
            bad["errors"].as_array().unwrap().len() > 1,
            "all schema errors are reported: {bad}"
        );
        assert!(bad["errors"][0]["instance_path"].is_string());
        let ok = app
            .expect(
                Method::POST,
                &format!("/v1/tasks/{id}/submissions"),
                token,
                Some(json!({"data": inventory()})),
                201,
            )
            .await;
        assert_eq!(ok["task"]["status"], "submitted");
        assert!(ok["submission_id"].is_string());
    }
    let waiting = app
        .get(
            &format!("/v1/tasks?status=submitted&case={child}"),
            &secretariat,
        )
        .await;
    let waiting: Vec<Value> = waiting["items"].as_array().unwrap().clone();
    assert_eq!(waiting.len(), 5);
    let first = waiting[0]["id"].as_str().unwrap();
    let returned = app
        .expect(
            Method::POST,
            &format!("/v1/tasks/{first}/review"),
            &secretariat,
            Some(json!({"decision": "return", "comment": "دستگاه مبدا را مشخص کنید"})),
            200,
        )
        .await;
    assert_eq!(returned["status"], "returned");
    // The agency asks for time to correct it; the secretariat extends its deadline.
    let extension = json!({"due": {"on": "1405-10-15"}, "reason": "درخواست دستگاه برای اصلاح"});
    let extended = app
        .expect(
            Method::POST,
            &format!("/v1/tasks/{first}/extend"),
            &secretariat,
            Some(extension),
            200,
        )
        .await;
    assert_eq!(extended["due_jalali"], "1405-10-15");
    let agency = returned["agency"].as_str().unwrap();
    let token = &members.iter().find(|(c, _)| c == &agency).unwrap().1;
    // The fix comes with the agency's signed letter.
    let letter =
        crate::files::upload_pdf(&app, token, crate::files::PDF.to_vec(), "نامه.pdf").await;
    let attachments = json!([{"sha256": letter, "filename": "نامه.pdf", "letter_no": "۱۲۳/ص", "letter_date_jalali": "1405-09-25"}]);
    let fixed = app
        .expect(
            Method::POST,
            &format!("/v1/tasks/{first}/submissions"),
            token,
            Some(json!({"data": inventory(), "attachments": attachments})),
            201,
        )
        .await;
    assert_eq!(
        fixed["task"]["submissions"][1]["attachments"][0]["sha256"],
        json!(letter)
    );
    for task in &waiting {
        let id = task["id"].as_str().unwrap();
        app.expect(
            Method::POST,
            &format!("/v1/tasks/{id}/review"),
            &secretariat,
            Some(json!({"decision": "accept"})),
            200,
        )
        .await;
    }
    let done = app.get(&format!("/v1/cases/{child}"), &secretariat).await;
    assert_eq!(done["status"], "completed");

    // The auditor verifies the chain and replays the case.
    let head = app.head_position().await;
    // With no SMTP server configured, mail goes to .eml files.
    let eml: Vec<_> = std::fs::read_dir(app.mail_dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert!(eml.len() >= 15, "{} e-mails written", eml.len());
    let sample = std::fs::read_to_string(eml[0].path()).unwrap();
    assert!(
        sample.contains("Message-ID: <") && sample.contains("@daftar>"),
        "{sample}"
    );
    let sent = app
        .get("/v1/notifications?status=sent&limit=500", &auditor)
        .await;
    assert_eq!(sent["items"].as_array().unwrap().len(), eml.len());
    let verify = app.get("/v1/audit/verify", &auditor).await;
    assert_eq!(verify["ok"], true);
    assert_eq!(verify["head_position"], head);
    assert_eq!(verify["files"], json!({"ok": true, "checked": 1}));
    let history = app
        .get(&format!("/v1/cases/{child}/history"), &auditor)
        .await;
    assert!(history["items"].as_array().unwrap().len() >= 12);
    let opened_at = history["items"][0]["position"].as_i64().unwrap();
    let then = app
        .get(&format!("/v1/cases/{child}/state?at={opened_at}"), &auditor)
        .await;
    assert_eq!(then["case"]["status"], "open");
    let events = app
        .get("/v1/events?type=CaseCompleted&limit=10", &auditor)
        .await;
    assert_eq!(events["items"].as_array().unwrap().len(), 2);
    let ndjson = app
        .client
        .get(format!("{}/v1/events", app.address))
        .bearer_auth(&auditor)
        .header("accept", "application/x-ndjson")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        ndjson.lines().count() as i64,
        verify["head_position"].as_i64().unwrap()
    );
    let _ = ADMIN_TOKEN;
}

on_both_backends!(the_seed_story_runs_over_http);
