//! The seed story over HTTP: bootstrap → agencies → members → resolution → vote → tasks
//! appear → submit (one agency has nothing to declare) → review → return → extension → the
//! fix with a signed letter → a second resolution adopted in a meeting → audit.

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
    let cards = a_meeting_adopts_the_service_cards(&app, &secretariat, &members[0].1).await;

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
        // TPO holds no data the others need and needs none: it says so, with its reason.
        let data = if *code == "TPO" {
            json!({"nothing_to_declare": {"reason": "این سازمان داده‌ای برای تبادل در این خوشه ندارد"}})
        } else {
            inventory()
        };
        let ok = app
            .expect(
                Method::POST,
                &format!("/v1/tasks/{id}/submissions"),
                token,
                Some(json!({"data": data})),
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
    // The secretariat returns one of the inventories (not TPO's nil return).
    let first = waiting.iter().find(|t| t["agency"] != "TPO").unwrap()["id"]
        .as_str()
        .unwrap();
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
    let board = app
        .get(&format!("/v1/cases/{child}/board"), &secretariat)
        .await;
    let tpo = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["agency"] == "TPO")
        .unwrap();
    assert_eq!(tpo["status"], "nothing_to_declare", "{board}");

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
    assert_eq!(verify["files"], json!({"ok": true, "checked": 2}));
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
    // The voted resolution, its inventory, and the resolution the meeting adopted.
    assert_eq!(events["items"].as_array().unwrap().len(), 3);
    let adopted = app
        .get("/v1/events?type=ResolutionAdopted&limit=10", &auditor)
        .await;
    assert_eq!(
        adopted["items"][0]["data"]["meeting"]["resolution_no"],
        "۱۴۰۵/۹/۱"
    );
    let cards_case = app.get(&format!("/v1/cases/{cards}"), &auditor).await;
    assert_eq!(cards_case["status"], "open");
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

/// The working group's meeting today adopts a resolution: IRICA sends its service identity
/// cards by the end of this month. It is recorded with its minutes (a scanned PDF) and opens
/// its case at once, without a vote. Returns the cards case.
async fn a_meeting_adopts_the_service_cards(
    app: &TestApp,
    secretariat: &str,
    irica: &str,
) -> String {
    let today = daftar::calendar::tehran_date(chrono::Utc::now()).unwrap();
    let mut scan = crate::files::PDF.to_vec();
    scan.extend_from_slice(b"% minutes of the meeting\n");
    let minutes = crate::files::upload_pdf(app, secretariat, scan, "صورتجلسه.pdf").await;
    let meeting = json!({
        "meeting_no": 9,
        "meeting_date_jalali": today.to_string(),
        "resolution_no": "۱۴۰۵/۹/۱",
        "minutes": "دستگاه‌ها شناسنامه خدمات الکترونیکی خود را تا پایان ماه ارسال کنند.",
        "attachments": [{"sha256": minutes, "filename": "صورتجلسه.pdf"}],
    });
    let order = json!({"workflow": "service-identity-cards", "participants": ["IRICA"], "params": {"due": {"end_of": "jalali_month"}}});
    let body = json!({"workflow": "resolution-approval", "title": "مصوبه جلسه نهم", "params": {"text": "ارسال شناسنامه خدمات تا پایان ماه", "adopted_in_meeting": meeting, "on_approval": order}});
    let adopted = app
        .expect(Method::POST, "/v1/cases", secretariat, Some(body), 201)
        .await;
    assert_eq!(adopted["status"], "completed");
    assert_eq!(adopted["outcome"], "approved");
    assert_eq!(adopted["tasks"], json!([]), "no vote: the meeting decided");
    let cards = adopted["children"][0].as_str().unwrap().to_string();
    let tasks = app.get(&format!("/v1/tasks?case={cards}"), irica).await;
    let task = &tasks["items"][0];
    assert_eq!(task["agency"], "IRICA");
    // Due at the end of the meeting's month, or the working day after it.
    let end = today.end_of_month().to_string();
    let view = app
        .get(
            &format!("/v1/tasks/{}", task["id"].as_str().unwrap()),
            irica,
        )
        .await;
    let nominal = view["due_nominal_jalali"]
        .as_str()
        .unwrap_or(view["due_jalali"].as_str().unwrap());
    assert_eq!(nominal, end, "{view}");
    cards
}

on_both_backends!(the_seed_story_runs_over_http);
