//! The process as practised, over HTTP on both backends: the secretariat extends deadlines
//! (reminders now and withdrawals are in `remind_withdraw`). Every refusal is a
//! problem+json and appends nothing.

use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, inventory, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

pub(crate) struct World {
    pub app: TestApp,
    pub secretariat: String,
    pub irica: String,
    pub mimt: String,
    pub case: String,
    pub irica_task: String,
    pub mimt_task: String,
}

pub(crate) async fn world(db: TestDb) -> World {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["IRICA", "MIMT"]});
    let case = app
        .expect(Method::POST, "/v1/cases", &secretariat, Some(body), 201)
        .await;
    let task_of = |code: &str| {
        let tasks = case["tasks"].as_array().unwrap();
        let task = tasks.iter().find(|t| t["agency"] == code).unwrap();
        task["id"].as_str().unwrap().to_string()
    };
    World {
        irica_task: task_of("IRICA"),
        mimt_task: task_of("MIMT"),
        case: case["id"].as_str().unwrap().to_string(),
        app,
        secretariat,
        irica,
        mimt,
    }
}

fn due_of(task: &Value) -> DateTime<Utc> {
    task["due_at"].as_str().unwrap().parse().unwrap()
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The first working day (`YYYY-MM-DD`, Tehran) at least `days` after `at`: a deadline on
/// it stays where it is put.
fn jalali_after(at: DateTime<Utc>, days: i64) -> String {
    let calendar = daftar::calendar::BusinessCalendar::builtin();
    let day_before = daftar::calendar::tehran_date(at + Duration::days(days - 1)).unwrap();
    calendar
        .add_working_days(day_before, 1)
        .unwrap()
        .to_string()
}

/// Asserts a refusal with `status`, in problem+json.
pub(crate) async fn refused(
    app: &TestApp,
    path: &str,
    token: &str,
    body: Option<Value>,
    status: u16,
) {
    let response = app.call(Method::POST, path, Some(token), body).await;
    assert_eq!(response.status().as_u16(), status, "POST {path}");
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("application/problem+json"), "{kind}");
}

pub(crate) async fn templates_sent(app: &TestApp, case: &str) -> Vec<String> {
    let page = app
        .get(
            &format!("/v1/notifications?case={case}&limit=200"),
            ADMIN_TOKEN,
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["template"].as_str().unwrap().to_string())
        .collect()
}

async fn the_secretariat_extends_a_task_and_the_agency_is_told(db: TestDb) {
    let w = world(db).await;
    let path = format!("/v1/tasks/{}", w.irica_task);
    let before = w.app.get(&path, &w.irica).await;
    let later = due_of(&before) + Duration::days(10);
    let body = json!({"due": rfc3339(later), "reason": "درخواست دستگاه"});
    let task = w
        .app
        .expect(
            Method::POST,
            &format!("{path}/extend"),
            &w.secretariat,
            Some(body),
            200,
        )
        .await;
    assert_eq!(due_of(&task), later);
    let day = jalali_after(later, 5);
    let body = json!({"due": {"on": day}, "reason": "باز هم"});
    let task = w
        .app
        .expect(
            Method::POST,
            &format!("{path}/extend"),
            &w.secretariat,
            Some(body),
            200,
        )
        .await;
    assert_eq!(task["due_jalali"], day.as_str());
    assert_eq!(task["due_rule"], json!({"on": day}));
    let other = w
        .app
        .get(&format!("/v1/tasks/{}", w.mimt_task), &w.mimt)
        .await;
    assert_eq!(
        due_of(&other),
        due_of(&before),
        "only the chosen task moves"
    );
    let _ = w.app.head_position().await;
    let sent = templates_sent(&w.app, &w.case).await;
    assert_eq!(sent.iter().filter(|t| *t == "deadline_extended").count(), 2);
    let timeline = w
        .app
        .get(&format!("/v1/cases/{}/timeline", w.case), ADMIN_TOKEN)
        .await;
    let moved: Vec<&Value> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "DeadlineMoved")
        .collect();
    assert_eq!(moved.len(), 2);
    assert_eq!(moved[0]["cause"], "extension");
    assert_eq!(moved[0]["actor"], "sec");
    assert_eq!(moved[1]["note"], "باز هم");
}

async fn bad_extensions_are_refused_and_append_nothing(db: TestDb) {
    let w = world(db).await;
    let path = format!("/v1/tasks/{}/extend", w.irica_task);
    let due = due_of(
        &w.app
            .get(&format!("/v1/tasks/{}", w.irica_task), &w.irica)
            .await,
    );
    let head = w.app.head_position().await;
    let later = rfc3339(due + Duration::days(3));
    let cases = [
        (
            json!({"due": "2020-01-01T00:00:00Z", "reason": "r"}),
            &w.secretariat,
            422,
        ),
        (
            json!({"due": rfc3339(due - Duration::hours(1)), "reason": "r"}),
            &w.secretariat,
            422,
        ),
        (
            json!({"due": rfc3339(due), "reason": "r"}),
            &w.secretariat,
            422,
        ),
        (
            json!({"due": {"on": "1405-12-30"}, "reason": "r"}),
            &w.secretariat,
            422,
        ),
        (json!({"due": later, "reason": "   "}), &w.secretariat, 422),
        (
            json!({"due": later, "reason": "x".repeat(1001)}),
            &w.secretariat,
            422,
        ),
        (
            json!({"due": "next week", "reason": "r"}),
            &w.secretariat,
            400,
        ),
        (json!({"due": later}), &w.secretariat, 400),
        (json!({"due": later, "reason": "r"}), &w.irica, 403),
    ];
    for (body, token, status) in cases {
        refused(&w.app, &path, token, Some(body), status).await;
    }
    let case_path = format!("/v1/cases/{}:extend", w.case);
    refused(
        &w.app,
        &case_path,
        &w.irica,
        Some(json!({"due": later, "reason": "r"})),
        403,
    )
    .await;
    let unknown = "/v1/tasks/00000000-0000-7000-8000-000000000000/extend";
    refused(
        &w.app,
        unknown,
        &w.secretariat,
        Some(json!({"due": later, "reason": "r"})),
        404,
    )
    .await;
    assert_eq!(
        w.app.head_position().await,
        head,
        "a refusal appends nothing"
    );
}

async fn finished_tasks_and_cases_are_not_extended_or_reminded(db: TestDb) {
    let w = world(db).await;
    let later = json!({"due": {"on": jalali_after(Utc::now(), 60)}, "reason": "r"});
    for (task, token) in [(&w.irica_task, &w.irica), (&w.mimt_task, &w.mimt)] {
        let path = format!("/v1/tasks/{task}/submissions");
        w.app
            .expect(
                Method::POST,
                &path,
                token,
                Some(json!({"data": inventory()})),
                201,
            )
            .await;
        let review = json!({"decision": "accept"});
        w.app
            .expect(
                Method::POST,
                &format!("/v1/tasks/{task}/review"),
                &w.secretariat,
                Some(review),
                200,
            )
            .await;
    }
    let case = w
        .app
        .get(&format!("/v1/cases/{}", w.case), &w.secretariat)
        .await;
    assert_eq!(case["status"], "completed");
    let head = w.app.head_position().await;
    let extend = format!("/v1/tasks/{}/extend", w.irica_task);
    refused(&w.app, &extend, &w.secretariat, Some(later.clone()), 409).await;
    let extend_case = format!("/v1/cases/{}:extend", w.case);
    refused(&w.app, &extend_case, &w.secretariat, Some(later), 409).await;
    let remind = format!("/v1/cases/{}:remind", w.case);
    refused(&w.app, &remind, &w.secretariat, None, 409).await;
    let withdraw = format!("/v1/tasks/{}/withdraw", w.irica_task);
    refused(&w.app, &withdraw, &w.irica, None, 409).await;
    assert_eq!(w.app.head_position().await, head);
}

async fn a_case_extension_moves_every_pending_task(db: TestDb) {
    let w = world(db).await;
    let day = jalali_after(Utc::now(), 60);
    let body = json!({"due": {"on": day}, "reason": "پایان سال"});
    let extended = w
        .app
        .expect(
            Method::POST,
            &format!("/v1/cases/{}:extend", w.case),
            &w.secretariat,
            Some(body),
            200,
        )
        .await;
    let tasks = extended["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert!(tasks.iter().all(|t| t["due_jalali"] == day.as_str()));
}

on_both_backends!(
    the_secretariat_extends_a_task_and_the_agency_is_told,
    bad_extensions_are_refused_and_append_nothing,
    finished_tasks_and_cases_are_not_extended_or_reminded,
    a_case_extension_moves_every_pending_task,
);
