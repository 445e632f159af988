//! Reports over HTTP: the matrix and the board as JSON and as CSV with a BOM, who may read
//! them, and the bad inputs of the issue.

use daftar::calendar::{JalaliDate, format_fa};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;
use crate::support::seed::fixture;

pub struct World {
    pub app: TestApp,
    pub secretariat: String,
    pub irica: String,
    pub cppo: String,
    pub case: String,
    pub irica_task: String,
}

fn task_of(case: &Value, code: &str) -> String {
    let tasks = case["tasks"].as_array().unwrap();
    let task = tasks.iter().find(|t| t["agency"] == code).unwrap();
    task["id"].as_str().unwrap().to_string()
}

/// An inventory case of IRICA and MIMT; MIMT's inventory is submitted and accepted.
pub async fn world(db: TestDb) -> World {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let cppo = app.member("m-cppo", "CPPO", &["member"]).await;
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["IRICA", "MIMT"]});
    let case = app
        .expect(Method::POST, "/v1/cases", &secretariat, Some(body), 201)
        .await;
    let mimt_task = task_of(&case, "MIMT");
    let data = json!({"data": fixture("tests/fixtures/inventories/MIMT.json")});
    let path = format!("/v1/tasks/{mimt_task}/submissions");
    app.expect(Method::POST, &path, &mimt, Some(data), 201)
        .await;
    let review = json!({"decision": "accept"});
    let path = format!("/v1/tasks/{mimt_task}/review");
    app.expect(Method::POST, &path, &secretariat, Some(review), 200)
        .await;
    World {
        irica_task: task_of(&case, "IRICA"),
        case: case["id"].as_str().unwrap().to_string(),
        app,
        secretariat,
        irica,
        cppo,
    }
}

/// Status, content type and raw body bytes.
async fn fetch(app: &TestApp, path: &str, token: &str) -> (u16, String, Vec<u8>) {
    let response = app.call(Method::GET, path, Some(token), None).await;
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

fn csv_text(kind: &str, bytes: &[u8]) -> String {
    assert_eq!(kind, "text/csv; charset=utf-8");
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte-order mark comes first"
    );
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

async fn the_matrix_comes_as_json_and_as_csv(db: TestDb) {
    let w = world(db).await;
    let (app, case) = (&w.app, &w.case);
    let matrix = app
        .get(&format!("/v1/exchange-matrix?case={case}"), &w.secretariat)
        .await;
    for key in [
        "agencies",
        "cells",
        "unmatched_needs",
        "unused_offers",
        "duplicates",
    ] {
        assert!(matrix[key].is_array(), "{key} in {matrix}");
    }
    assert_eq!(matrix["case"], case.as_str());
    assert_eq!(matrix["unused_offers"].as_array().unwrap().len(), 3);
    let (status, kind, bytes) = fetch(
        app,
        &format!("/v1/exchange-matrix?case={case}&format=csv"),
        &w.irica,
    )
    .await;
    assert_eq!(status, 200);
    let text = csv_text(&kind, &bytes);
    assert!(
        text.starts_with("section,group,consumer,provider,"),
        "{text}"
    );
    assert!(
        text.contains("unused_offer,,IRICA | CBI | INTA | CPPO"),
        "{text}"
    );
    assert!(
        text.contains("اطلاعات کارت بازرگانی"),
        "Persian survives: {text}"
    );
    assert!(text.contains("MIMT,IRICA,MIMT/needs/0"), "{text}");
}

async fn the_board_shows_due_days_in_the_readers_language(db: TestDb) {
    let w = world(db).await;
    let (app, case) = (&w.app, &w.case);
    let board = app.get(&format!("/v1/cases/{case}/board"), &w.irica).await;
    let rows = board["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["agency"], "IRICA");
    // The server runs on the real clock: the due day is the end of the current Jalali month.
    let due: JalaliDate = rows[0]["due_jalali"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        rows[0]["due_display"],
        format_fa(due),
        "members default to fa"
    );
    assert!(
        rows[0]["due_display"]
            .as_str()
            .unwrap()
            .contains(due.month_name_fa())
    );
    assert_eq!(rows[0]["agency_name"], "گمرک جمهوری اسلامی ایران");
    assert_eq!(rows[1]["status"], "accepted");
    assert_eq!(board["totals"]["by_status"]["accepted"], 1);
    assert_eq!(board["totals"]["by_status"]["open"], 1);
    let english = app
        .get(&format!("/v1/cases/{case}/board?locale=en"), &w.irica)
        .await;
    let in_english = format!("{} {} {}", due.day(), due.month_name_en(), due.year());
    assert_eq!(english["rows"][0]["due_display"], in_english);
    assert_eq!(
        english["rows"][0]["agency_name"],
        "Islamic Republic of Iran Customs Administration"
    );
    let response = app
        .client
        .get(format!("{}/v1/cases/{case}/board", app.address))
        .bearer_auth(&w.secretariat)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    let text = csv_text(&kind, &response.bytes().await.unwrap());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("IRICA,گمرک جمهوری اسلامی ایران,submit,submission,open,"),
        "{text}"
    );
    assert!(
        lines[1].contains(&format!(",{},{due},", format_fa(due))),
        "{text}"
    );
}

/// Each refused request answers problem+json with the status and a reason.
async fn assert_refused(w: &World, path: &str, token: &str, expected: u16) -> Value {
    let (status, kind, body) = fetch(&w.app, path, token).await;
    let problem: Value = serde_json::from_slice(&body).unwrap();
    let got = (status, kind.as_str());
    assert_eq!(
        got,
        (expected, "application/problem+json"),
        "{path}: {problem}"
    );
    assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
    problem
}

async fn reports_refuse_bad_input(db: TestDb) {
    let w = world(db).await;
    let (case, sec) = (&w.case, &w.secretariat);
    let missing = "00000000-0000-7000-8000-000000000000";
    let refusals = [
        ("/v1/exchange-matrix".to_string(), 400),
        ("/v1/exchange-matrix?case=nope".to_string(), 400),
        (format!("/v1/exchange-matrix?case={case}&format=xml"), 400),
        (format!("/v1/exchange-matrix?case={case}&color=red"), 400),
        (format!("/v1/exchange-matrix?case={missing}"), 404),
        (format!("/v1/cases/{missing}/board"), 404),
        (format!("/v1/cases/{case}/board?locale=de"), 400),
    ];
    for (path, expected) in refusals {
        assert_refused(&w, &path, sec, expected).await;
    }
    let resolution =
        json!({"workflow": "resolution-approval", "title": "مصوبه", "params": {"text": "متن"}});
    let vote = w
        .app
        .expect(Method::POST, "/v1/cases", sec, Some(resolution), 201);
    let vote = vote.await["id"].as_str().unwrap().to_string();
    let path = format!("/v1/exchange-matrix?case={vote}");
    let problem = assert_refused(&w, &path, sec, 422).await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("resolution-approval"),
        "names the case's workflow: {detail}"
    );
}

async fn reports_are_for_staff_and_the_cases_participants(db: TestDb) {
    let w = world(db).await;
    let (app, case) = (&w.app, &w.case);
    let board = format!("/v1/cases/{case}/board");
    let matrix = format!("/v1/exchange-matrix?case={case}");
    // CPPO takes no part in the case: for its member the case does not exist.
    assert_refused(&w, &board, &w.cppo, 404).await;
    assert_refused(&w, &matrix, &w.cppo, 404).await;
    let unauthenticated = app.call(Method::GET, &board, None, None).await;
    assert_eq!(unauthenticated.status().as_u16(), 401);
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;
    for token in [w.irica.as_str(), &auditor, ADMIN_TOKEN, &w.secretariat] {
        for path in [&board, &matrix] {
            assert_eq!(fetch(app, path, token).await.0, 200, "{path}");
        }
    }
    // A member reads its agency's part: MIMT's needs of other agencies are not IRICA's.
    let whole = app.get(&matrix, &w.secretariat).await;
    let part = app.get(&matrix, &w.irica).await;
    let cells = |m: &Value| m["cells"].as_array().unwrap().clone();
    assert!(cells(&part).len() < cells(&whole).len(), "{part}");
    assert!(
        cells(&part)
            .iter()
            .all(|c| c["consumer"] == "IRICA" || c["provider"] == "IRICA")
    );
}

/// IRICA's inventory accepted too: the qualities, names as submitted, conflicts and totals
/// of the two, worked out by reading IRICA.json and MIMT.json.
async fn the_matrix_says_how_well_each_need_is_met(db: TestDb) {
    let w = world(db).await;
    let (app, case) = (&w.app, &w.case);
    let data = json!({"data": fixture("tests/fixtures/inventories/IRICA.json")});
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    app.expect(Method::POST, &path, &w.irica, Some(data), 201)
        .await;
    let path = format!("/v1/tasks/{}/review", w.irica_task);
    let accept = json!({"decision": "accept"});
    app.expect(Method::POST, &path, &w.secretariat, Some(accept), 200)
        .await;
    let matrix = app
        .get(&format!("/v1/exchange-matrix?case={case}"), &w.secretariat)
        .await;
    let cell = matrix["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["consumer"] == "IRICA" && c["provider"] == "MIMT")
        .unwrap();
    let first = &cell["matched"][0];
    assert_eq!(
        (
            &first["need"],
            &first["offer"],
            &first["on"],
            &first["quality"]
        ),
        (
            &json!("IRICA/needs/0"),
            &json!("MIMT/offers/0"),
            &json!("data_items"),
            &json!("full")
        )
    );
    assert_eq!(first["missing_items"], json!([]));
    // IRICA typed Arabic ي/ك: it reads its own spelling back.
    assert!(
        first["data_items"]
            .as_array()
            .unwrap()
            .contains(&json!("وضعيت كارت بازرگاني")),
        "{first}"
    );
    assert_eq!(
        cell["counts"],
        json!({"full": 2, "partial": 0, "lookup_key_only": 0, "none": 0})
    );
    // IRICA/needs/0 and /6 and MIMT/needs/0 are met; the 10 others name agencies without
    // an accepted inventory, and IRICA/needs/7 names no provider.
    assert_eq!(
        matrix["totals"],
        json!({"full": 3, "partial": 0, "lookup_key_only": 0, "none": 11})
    );
    let conflict = json!([{"item": "کد تعرفه کالا", "providers": ["IRICA", "MIMT"], "offers": ["IRICA/offers/0", "MIMT/offers/2"]}]);
    assert_eq!(matrix["conflicts"], conflict);
    // IRICA's member reads the conflict it is part of, and the totals of its part.
    let part = app
        .get(&format!("/v1/exchange-matrix?case={case}"), &w.irica)
        .await;
    assert_eq!(part["conflicts"], conflict);
    let (status, kind, bytes) = fetch(
        app,
        &format!("/v1/exchange-matrix?case={case}&format=csv"),
        &w.secretariat,
    )
    .await;
    assert_eq!(status, 200);
    let text = csv_text(&kind, &bytes);
    assert!(
        text.contains("\r\ntotal,,,,,,,,,,,,,3,0,0,11,,\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\r\ncell,,IRICA,MIMT,,,,,,,,,,2,0,0,0,,\r\n"),
        "{text}"
    );
    assert!(
        text.contains("conflict,,,IRICA | MIMT,,,IRICA/offers/0 | MIMT/offers/2,,,کد تعرفه کالا,"),
        "{text}"
    );
}

on_both_backends!(
    the_matrix_comes_as_json_and_as_csv,
    the_matrix_says_how_well_each_need_is_met,
    the_board_shows_due_days_in_the_readers_language,
    reports_refuse_bad_input,
    reports_are_for_staff_and_the_cases_participants,
);
