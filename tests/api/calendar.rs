//! The business calendar over HTTP: the calendar in force, and an administrator's unplanned
//! closure, which moves the deadline of an open task due that day.

use daftar::calendar::{JalaliDate, tehran_date};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

const CLOSURES: &str = "/v1/calendar/closures";

async fn refused(app: &TestApp, body: Value, status: u16) -> Value {
    app.expect(Method::POST, CLOSURES, ADMIN_TOKEN, Some(body), status)
        .await
}

async fn the_calendar_says_what_is_in_force(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let member = app.member("m-irica", "IRICA", &["member"]).await;
    let calendar = app.get("/v1/calendar", &member).await;
    assert_eq!(calendar["version"], "1404.1+1405.1+1406.1+1407.1");
    let years = calendar["years"].as_array().unwrap();
    assert_eq!(years.len(), 4);
    let one = app.get("/v1/calendar?year=1407", &member).await;
    let year = &one["years"][0];
    assert_eq!(year["year"], 1407);
    assert_eq!(
        year["working_weekdays"],
        json!(["saturday", "sunday", "monday", "tuesday", "wednesday"])
    );
    assert_eq!(year["weekend"], json!(["thursday", "friday"]));
    assert_eq!(
        year["office_hours"],
        json!({"opens": "08:00", "closes": "14:00"})
    );
    assert_eq!(year["no_escalation"][0]["to"], "1407-01-13");
    let eid = year["holidays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name_en"] == "Eid al-Fitr (1 Shawwal 1450)")
        .unwrap();
    assert_eq!(eid["forecast"], true);
    assert_eq!(calendar["closures"], json!([]));
    app.expect(Method::GET, "/v1/calendar?year=1420", &member, None, 404)
        .await;
}

async fn a_closure_moves_an_open_tasks_deadline(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let member = app.member("m-irica", "IRICA", &["member"]).await;
    let body =
        json!({"workflow": "data-exchange-inventory", "title": "t", "participants": ["IRICA"]});
    let case = app
        .expect(Method::POST, "/v1/cases", &secretariat, Some(body), 201)
        .await;
    let task_id = case["tasks"][0]["id"].as_str().unwrap().to_string();
    let task = app.get(&format!("/v1/tasks/{task_id}"), &member).await;
    // The task is due at the end of the month, or of the next working day: a working day,
    // today or later, which an administrator may close.
    let due_day = task["due_jalali"].as_str().unwrap().to_string();
    let closure = json!({"date_jalali": due_day, "reason": "آلودگی هوا"});
    app.expect(Method::POST, CLOSURES, &member, Some(closure.clone()), 403)
        .await;
    let closed = refused(&app, closure.clone(), 201).await;
    assert_eq!(closed["date_jalali"], due_day);
    assert_eq!(closed["reason"], "آلودگی هوا");
    assert_eq!(closed["by"], "admin");
    assert_eq!(closed["moved_tasks"], json!([task_id]));
    let moved = app.get(&format!("/v1/tasks/{task_id}"), &member).await;
    let new_day: JalaliDate = moved["due_jalali"].as_str().unwrap().parse().unwrap();
    assert!(new_day > due_day.parse().unwrap(), "{moved}");
    assert_ne!(moved["due_at"], task["due_at"]);
    assert_eq!(moved["due_moved"]["cause"], "closure");
    assert_eq!(moved["due_moved"]["reason"], "آلودگی هوا");
    assert_eq!(moved["due_moved"]["previous_due_at"], task["due_at"]);
    assert!(
        moved["calendar_version"]
            .as_str()
            .unwrap()
            .ends_with("+closures.1")
    );
    // The same day again: it is off already.
    let again = refused(&app, closure, 409).await;
    assert!(again["detail"].as_str().unwrap().contains("already closed"));
    let calendar = app.get("/v1/calendar", &member).await;
    assert_eq!(calendar["closures"][0]["date_jalali"], due_day);
    // The closure is in the log, for audit.
    let events = app.get("/v1/events?type=ClosureAdded", ADMIN_TOKEN).await;
    assert_eq!(events["items"][0]["stream_id"], "calendar");
    assert_eq!(events["items"][0]["data"]["by"], "admin");
}

async fn a_closure_with_a_bad_date_or_reason_is_refused(db: TestDb) {
    let app = spawn_app(db).await;
    let today = tehran_date(chrono::Utc::now()).unwrap();
    let tomorrow = today.next_day().unwrap().to_string();
    for (body, status, says) in [
        (
            json!({"date_jalali": "1405-12-30", "reason": "x"}),
            422,
            "not a valid Jalali date",
        ),
        (
            json!({"date_jalali": "1404-01-20", "reason": "x"}),
            422,
            "already past",
        ),
        (
            json!({"date_jalali": "1420-01-20", "reason": "x"}),
            422,
            "no table",
        ),
        (
            json!({"date_jalali": tomorrow, "reason": "  "}),
            422,
            "reason",
        ),
        (
            json!({"date_jalali": "1407-01-01", "reason": "x"}),
            409,
            "already a holiday",
        ),
        (
            json!({"date_jalali": "30 Azar", "reason": "x"}),
            422,
            "YYYY-MM-DD",
        ),
    ] {
        let problem = refused(&app, body.clone(), status).await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{body}: {detail}");
    }
    refused(&app, json!({"date_jalali": tomorrow}), 400).await;
    refused(
        &app,
        json!({"date_jalali": tomorrow, "reason": "x", "by": "me"}),
        400,
    )
    .await;
    let events = app.get("/v1/events?type=ClosureAdded", ADMIN_TOKEN).await;
    assert_eq!(events["items"], json!([]), "a refusal appends nothing");
}

on_both_backends!(
    the_calendar_says_what_is_in_force,
    a_closure_moves_an_open_tasks_deadline,
    a_closure_with_a_bad_date_or_reason_is_refused,
);
