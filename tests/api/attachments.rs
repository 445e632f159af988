//! Attachments named by commands: a submission's files (at most five, each uploaded and
//! readable by the submitter, a real Jalali letter date) are recorded with their size and
//! type and read by whoever may see the task; a case's files (its resolution's, its
//! meeting's) by whoever may see the case. A refused command appends nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::files::{PDF, download, status_of_download, upload_pdf};
use crate::helpers::ADMIN_TOKEN;
use crate::on_both_backends;
use crate::reports::world;
use crate::support::TestDb;

/// A PDF whose bytes differ by `n`.
fn pdf(n: u32) -> Vec<u8> {
    let mut bytes = PDF.to_vec();
    bytes.extend(format!("% {n}\n").bytes());
    bytes
}

fn attachment(sha256: &str) -> Value {
    json!({"sha256": sha256, "filename": "نامه.pdf", "letter_no": "۱۲۳۴/ص/۱۴۰۵", "letter_date_jalali": "1405-09-30"})
}

async fn a_submission_names_files_that_exist(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let mut files = Vec::new();
    for n in 0..6 {
        files.push(upload_pdf(app, &w.irica, pdf(n), &format!("letter-{n}.pdf")).await);
    }
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    let data = crate::support::seed::fixture("tests/fixtures/inventories/IRICA.json");
    let head = app.head_position().await;
    let submit = |attachments: Value| json!({"data": data, "attachments": attachments});
    let six: Vec<Value> = files.iter().map(|s| attachment(s)).collect();
    let mut late = attachment(&files[0]);
    late["letter_date_jalali"] = json!("1405-12-30");
    let mut unsafe_name = attachment(&files[0]);
    unsafe_name["filename"] = json!("../x.pdf");
    let refused = [
        (submit(json!(six)), "at most 5"),
        (
            submit(json!([attachment(&files[0]), attachment(&"e".repeat(64))])),
            "attachments/1",
        ),
        (submit(json!([late])), "1405 is not a leap year"),
        (submit(json!([unsafe_name])), "attachments/0"),
        (
            submit(json!([attachment(&files[0]), attachment(&files[0])])),
            "twice",
        ),
        (
            submit(json!([{"sha256": files[0], "filename": "a.pdf", "size": 3}])),
            "",
        ),
    ];
    for (body, says) in refused {
        let status = if says.is_empty() { 400 } else { 422 };
        let problem = app
            .expect(Method::POST, &path, &w.irica, Some(body), status)
            .await;
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{problem}"
        );
    }
    assert_eq!(
        app.head_position().await,
        head,
        "a refused submission appends nothing"
    );

    let named: Vec<Value> = files[..5].iter().map(|s| attachment(s)).collect();
    let answer = app
        .expect(
            Method::POST,
            &path,
            &w.irica,
            Some(submit(json!(named))),
            201,
        )
        .await;
    let recorded = &answer["task"]["submissions"][0]["attachments"];
    assert_eq!(recorded.as_array().unwrap().len(), 5);
    assert_eq!(recorded[0]["size"], pdf(0).len());
    assert_eq!(recorded[0]["content_type"], "application/pdf");
    assert_eq!(recorded[0]["letter_no"], "۱۲۳۴/ص/۱۴۰۵");
    let task = app
        .get(&format!("/v1/tasks/{}", w.irica_task), &w.secretariat)
        .await;
    assert_eq!(&task["submissions"][0]["attachments"], recorded);
    let events = app
        .get("/v1/events?type=SubmissionReceived", ADMIN_TOKEN)
        .await;
    let event = events["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        event["data"]["attachments"][4]["sha256"],
        json!(files[4]),
        "the chain covers it"
    );

    // The task's readers read its files; another agency's member and the sixth file's
    // uploader aside, nobody else.
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;
    for token in [&w.irica, &w.secretariat, &auditor, &ADMIN_TOKEN.to_string()] {
        assert_eq!(status_of_download(app, &files[0], token).await, 200);
    }
    assert_eq!(status_of_download(app, &files[0], &w.cppo).await, 404);
    assert_eq!(
        status_of_download(app, &files[5], &w.secretariat).await,
        404
    );
    // Knowing a hash is not enough to attach, and so to read, someone else's file.
    let cppo_case =
        json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["CPPO"]});
    let cppo_case = app
        .expect(
            Method::POST,
            "/v1/cases",
            &w.secretariat,
            Some(cppo_case),
            201,
        )
        .await;
    let cppo_task = cppo_case["tasks"][0]["id"].as_str().unwrap();
    let cppo_data = crate::support::seed::fixture("tests/fixtures/inventories/CPPO.json");
    for sha in [&files[0], &files[5]] {
        let body = json!({"data": cppo_data, "attachments": [attachment(sha)]});
        let path = format!("/v1/tasks/{cppo_task}/submissions");
        let problem = app
            .expect(Method::POST, &path, &w.cppo, Some(body), 422)
            .await;
        assert!(
            problem["detail"].as_str().unwrap().contains("was uploaded"),
            "{problem}"
        );
    }
    let (_, headers, _) = download(app, &files[0], &w.secretariat).await;
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("%D9%86%D8%A7%D9%85%D9%87.pdf"),
        "the name the submission gave: {disposition}"
    );
}

async fn a_case_names_files_in_its_params(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let minutes = upload_pdf(app, &w.secretariat, pdf(7), "minutes.pdf").await;
    let letter = upload_pdf(app, &w.secretariat, pdf(8), "letter.pdf").await;
    let params = |attachments: Value| json!({"attachments": attachments});
    let open = |params: Value| json!({"workflow": "data-exchange-inventory", "title": "احصا با پیوست", "participants": ["IRICA", "MIMT"], "params": params});
    let head = app.head_position().await;
    let unknown = open(params(json!([attachment(&"f".repeat(64))])));
    let problem = app
        .expect(
            Method::POST,
            "/v1/cases",
            &w.secretariat,
            Some(unknown),
            422,
        )
        .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("params/attachments/0"),
        "{problem}"
    );
    let six: Vec<Value> = (0..6).map(|_| attachment(&minutes)).collect();
    app.expect(
        Method::POST,
        "/v1/cases",
        &w.secretariat,
        Some(open(params(json!(six)))),
        422,
    )
    .await;
    let meeting = json!({"adopted_in_meeting": {"meeting_no": "۱۲", "attachments": [attachment(&"d".repeat(64))]}});
    let problem = app
        .expect(
            Method::POST,
            "/v1/cases",
            &w.secretariat,
            Some(open(meeting)),
            422,
        )
        .await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("params/adopted_in_meeting/attachments/0"),
        "{problem}"
    );
    let not_a_list = open(params(json!({"sha256": minutes})));
    app.expect(
        Method::POST,
        "/v1/cases",
        &w.secretariat,
        Some(not_a_list),
        422,
    )
    .await;
    assert_eq!(app.head_position().await, head, "nothing appended");

    let body = open(params(json!([attachment(&minutes), attachment(&letter)])));
    let case = app
        .expect(Method::POST, "/v1/cases", &w.secretariat, Some(body), 201)
        .await;
    let recorded = &case["params"]["attachments"];
    assert_eq!(recorded[1]["sha256"], json!(letter));
    assert_eq!(recorded[1]["size"], pdf(8).len());
    assert_eq!(recorded[1]["content_type"], "application/pdf");
    // Whoever may see the case: its participants; not an agency outside it.
    assert_eq!(status_of_download(app, &minutes, &w.irica).await, 200);
    assert_eq!(status_of_download(app, &minutes, &w.cppo).await, 404);
}

/// The agencies working on what a resolution ordered read the resolution's files, as they
/// read its text on their task pages, without seeing the resolution's case itself.
async fn the_cases_a_resolution_ordered_read_its_files(db: TestDb) {
    let w = world(db).await;
    let app = &w.app;
    let minutes = upload_pdf(app, &w.secretariat, pdf(9), "minutes.pdf").await;
    let params = json!({"text": "ارسال اطلاعات", "attachments": [attachment(&minutes)],
        "on_approval": {"workflow": "data-exchange-inventory", "participants": ["TPO"]}});
    let body = json!({"workflow": "resolution-approval", "title": "مصوبه", "params": params});
    let resolution = app
        .expect(Method::POST, "/v1/cases", &w.secretariat, Some(body), 201)
        .await;
    let id = resolution["id"].as_str().unwrap();
    // Registered after the vote was opened: no vote task, so no view of the resolution.
    let tpo = app.member("m-tpo", "TPO", &["member"]).await;
    let gtc = app.member("m-gtc", "GTC", &["member"]).await;
    for token in [&w.irica, &w.cppo] {
        let tasks = app.get("/v1/tasks?status=open", token).await;
        let vote = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["case"] == id)
            .unwrap()
            .clone();
        let path = format!("/v1/tasks/{}/vote", vote["id"].as_str().unwrap());
        app.expect(
            Method::POST,
            &path,
            token,
            Some(json!({"choice": "approve"})),
            200,
        )
        .await;
    }
    let approved = app.get(&format!("/v1/cases/{id}"), &w.secretariat).await;
    assert_eq!(approved["outcome"], "approved", "{approved}");
    let status = |token: String| async move {
        app.call(Method::GET, &format!("/v1/cases/{id}"), Some(&token), None)
            .await
            .status()
            .as_u16()
    };
    assert_eq!(
        status(tpo.clone()).await,
        404,
        "TPO does not see the resolution's case"
    );
    assert_eq!(
        status_of_download(app, &minutes, &tpo).await,
        200,
        "but reads its files"
    );
    assert_eq!(status_of_download(app, &minutes, &gtc).await, 404);
}

on_both_backends!(
    a_submission_names_files_that_exist,
    a_case_names_files_in_its_params,
    the_cases_a_resolution_ordered_read_its_files,
);
