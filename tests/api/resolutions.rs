//! Resolutions as practised (design.md §7) over HTTP, on both backends: one vote per agency
//! (a second, or a simultaneous one, is a 409; quorum counts agencies), a resolution adopted
//! in a meeting opening its cases without a vote and with the deadline it sets, its bad
//! inputs refused without a trace, and agencies outside the cluster.

use chrono::Utc;
use daftar::calendar::{JalaliDate, tehran_date};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, inventory, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

fn resolution(on_approval: Value) -> Value {
    json!({"workflow": "resolution-approval", "title": "مصوبه جلسه کارگروه", "params": {"text": "ارسال اطلاعات تا پایان ماه", "on_approval": on_approval}})
}

fn today() -> JalaliDate {
    tehran_date(Utc::now()).unwrap()
}

/// A meeting held today, its resolution ordering an inventory of IRICA and CBI.
fn meeting_resolution(meeting: Value, due: Option<Value>) -> Value {
    let mut order =
        json!({"workflow": "data-exchange-inventory", "participants": ["IRICA", "CBI"]});
    if let Some(due) = due {
        order["params"] = json!({"due": due});
    }
    json!({"workflow": "resolution-approval", "title": "مصوبه جلسه دوازدهم", "params": {"text": "دستگاه‌ها فهرست را تا پایان ماه بفرستند.", "adopted_in_meeting": meeting, "on_approval": order}})
}

fn meeting() -> Value {
    json!({"meeting_no": 12, "meeting_date_jalali": today().to_string(), "resolution_no": "۱۴۰۵/۳/۲", "minutes": "دستگاه‌ها فهرست اطلاعات را تا پایان ماه بفرستند."})
}

async fn open(app: &TestApp, token: &str, body: Value, status: u16) -> Value {
    app.expect(Method::POST, "/v1/cases", token, Some(body), status)
        .await
}

async fn vote(app: &TestApp, task: &str, token: &str, status: u16) -> Value {
    let path = format!("/v1/tasks/{task}/vote");
    let body = json!({"choice": "approve"});
    app.expect(Method::POST, &path, token, Some(body), status)
        .await
}

/// The case's vote task of `agency`.
fn vote_task(case: &Value, agency: &str) -> String {
    case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == agency && t["type"] == "vote")
        .unwrap_or_else(|| panic!("no vote task for {agency}: {case}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn case(app: &TestApp, id: &Value) -> Value {
    app.get(&format!("/v1/cases/{}", id.as_str().unwrap()), ADMIN_TOKEN)
        .await
}

async fn one_vote_per_agency_and_quorum_counts_agencies(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let irica: Vec<String> = [
        app.member("irica-1", "IRICA", &["member"]).await,
        app.member("irica-2", "IRICA", &["member"]).await,
        app.member("irica-3", "IRICA", &["member"]).await,
    ]
    .into();
    let cbi = app.member("cbi-1", "CBI", &["member"]).await;
    let cppo = app.member("cppo-1", "CPPO", &["member"]).await;
    app.member("inso-1", "INSO", &["member"]).await;
    let opened = open(
        &app,
        ADMIN_TOKEN,
        resolution(json!({"workflow": "data-exchange-inventory", "participants": ["IRICA"]})),
        201,
    )
    .await;
    let tasks = opened["tasks"].as_array().unwrap();
    assert_eq!(
        tasks.len(),
        4,
        "one vote task per agency, not per member: {opened}"
    );
    assert!(tasks.iter().all(|t| t["assignee"].is_null()));

    let irica_vote = vote_task(&opened, "IRICA");
    // Any of IRICA's members may see and cast it; the agency votes once.
    let seen = app.get(&format!("/v1/tasks/{irica_vote}"), &irica[2]).await;
    assert_eq!(seen["status"], "open");
    vote(&app, &irica_vote, &irica[1], 200).await;
    let second = vote(&app, &irica_vote, &irica[0], 409).await;
    assert!(
        second["detail"].as_str().unwrap().contains("IRICA"),
        "{second}"
    );
    let cast = app.get(&format!("/v1/tasks/{irica_vote}"), &irica[0]).await;
    assert_eq!(cast["voted_by"], "irica-2");
    // Another agency's member does not see it.
    vote(&app, &irica_vote, &cbi, 404).await;

    // Two of four agencies could still be tied; a third settles it, though six people vote.
    vote(&app, &vote_task(&opened, "CBI"), &cbi, 200).await;
    assert_eq!(case(&app, &opened["id"]).await["status"], "open");
    vote(&app, &vote_task(&opened, "CPPO"), &cppo, 200).await;
    let decided = case(&app, &opened["id"]).await;
    assert_eq!(decided["status"], "completed");
    assert_eq!(decided["outcome"], "approved");
    assert_eq!(decided["vote"]["voters"], 4);
}

async fn simultaneous_votes_of_one_agency_one_wins(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let mut tokens = Vec::new();
    for n in 0..4 {
        tokens.push(
            app.member(&format!("irica-{n}"), "IRICA", &["member"])
                .await,
        );
    }
    for code in ["CBI", "CPPO", "INSO", "TPO"] {
        app.member(&format!("m-{}", code.to_lowercase()), code, &["member"])
            .await;
    }
    let opened = open(
        &app,
        ADMIN_TOKEN,
        resolution(json!({"workflow": "data-exchange-inventory", "participants": ["IRICA"]})),
        201,
    )
    .await;
    let task = vote_task(&opened, "IRICA");
    let path = format!("/v1/tasks/{task}/vote");
    let cast = |n: usize| {
        let body = json!({"choice": "reject"});
        app.call(Method::POST, &path, Some(&tokens[n]), Some(body))
    };
    let (a, b, c, d) = tokio::join!(cast(0), cast(1), cast(2), cast(3));
    let mut statuses: Vec<u16> = [a, b, c, d].iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409]);
    let history = app
        .get(
            &format!("/v1/cases/{}/history", opened["id"].as_str().unwrap()),
            ADMIN_TOKEN,
        )
        .await;
    let casts = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "VoteCast")
        .count();
    assert_eq!(casts, 1);
}

async fn a_meeting_resolution_opens_its_cases_without_a_vote(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let body = meeting_resolution(meeting(), Some(json!({"end_of": "jalali_month"})));
    let opened = open(&app, &secretariat, body, 201).await;
    assert_eq!(opened["status"], "completed");
    assert_eq!(opened["outcome"], "approved");
    assert_eq!(opened["tasks"], json!([]), "no vote tasks");
    assert_eq!(opened["meeting"]["resolution_no"], "۱۴۰۵/۳/۲");
    assert_eq!(
        opened["meeting"]["meeting_date_jalali"],
        today().to_string()
    );
    let child = &opened["children"][0];
    let ordered = case(&app, child).await;
    assert_eq!(ordered["participants"], json!(["IRICA", "CBI"]));
    let end_of_month = today().end_of_month().to_string();
    assert_eq!(ordered["params"]["due"], json!({"on": end_of_month}));
    // The agency's task carries the resolution's deadline, its rule recorded.
    let tasks = app
        .get(
            &format!("/v1/tasks?case={}", child.as_str().unwrap()),
            &irica,
        )
        .await;
    let task = &tasks["items"][0];
    let view = app
        .get(
            &format!("/v1/tasks/{}", task["id"].as_str().unwrap()),
            &irica,
        )
        .await;
    assert_eq!(view["due_rule"], json!({"on": end_of_month}));
    let history = app
        .get(
            &format!("/v1/cases/{}/history", opened["id"].as_str().unwrap()),
            ADMIN_TOKEN,
        )
        .await;
    let types: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "CaseOpened",
            "ResolutionAdopted",
            "ChildCaseOrdered",
            "CaseCompleted"
        ]
    );
}

async fn a_bad_meeting_resolution_is_refused_and_changes_nothing(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let member = app.member("m-irica", "IRICA", &["member"]).await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let tomorrow = today().next_day().unwrap().to_string();
    let next_year = format!("{}-06-01", today().year() + 1);
    let with = |field: &str, value: Value| {
        let mut meeting = meeting();
        meeting[field] = value;
        meeting_resolution(meeting, None)
    };
    let before = app.head_position().await;
    let bad = [
        with("meeting_date_jalali", json!("1405-12-30")),
        with("meeting_date_jalali", json!(tomorrow)),
        with("resolution_no", json!("")),
        with("minutes", json!("   ")),
        with("minutes", json!("م".repeat(20_001))),
        with("meeting_no", json!(0)),
        with("meeting_no", json!(null)),
        meeting_resolution(meeting(), Some(json!({"on": next_year}))),
        meeting_resolution(meeting(), Some(json!({"on": "1400-01-01"}))),
        meeting_resolution(meeting(), Some(json!({"end_of": "week"}))),
    ];
    for body in bad {
        let refused = open(&app, &secretariat, body.clone(), 422).await;
        assert!(refused["detail"].is_string(), "{body}: {refused}");
    }
    let nonleap = open(
        &app,
        &secretariat,
        with("meeting_date_jalali", json!("1405-12-30")),
        422,
    )
    .await;
    assert!(
        nonleap["detail"]
            .as_str()
            .unwrap()
            .contains("meeting_date_jalali"),
        "{nonleap}"
    );
    // A resolution is the secretariat's (or an admin's) to record, not a member's.
    open(&app, &member, meeting_resolution(meeting(), None), 403).await;
    assert_eq!(
        app.head_position().await,
        before,
        "a refusal appends nothing"
    );
    let cases = app.get("/v1/cases", ADMIN_TOKEN).await;
    assert_eq!(cases["items"], json!([]));
}

async fn agencies_outside_the_cluster_provide_data_but_take_no_part(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let sso = json!({"code": "SSO", "name_fa": "سازمان تأمین اجتماعی", "name_en": "Social Security Organisation", "in_cluster": false});
    let created = app
        .expect(Method::POST, "/v1/agencies", ADMIN_TOKEN, Some(sso), 201)
        .await;
    assert_eq!(created["in_cluster"], false);
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/outside-agencies.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let imported = app
        .expect(
            Method::POST,
            "/v1/agencies:import",
            ADMIN_TOKEN,
            Some(file),
            201,
        )
        .await;
    assert_eq!(
        imported,
        json!({"created": ["JUDICIARY"], "existing": ["SSO"]})
    );
    let listed = app.get("/v1/agencies?limit=500", ADMIN_TOKEN).await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 33);
    let outside: Vec<&str> = items
        .iter()
        .filter(|a| a["in_cluster"] == false)
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(outside, ["JUDICIARY", "SSO"]);
    assert!(items.iter().all(|a| a["in_cluster"].is_boolean()));

    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let sso_member = app.member("m-sso", "SSO", &["member"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let inventory_of = |participants: Value| json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": participants});
    let refused = open(
        &app,
        &secretariat,
        inventory_of(json!(["IRICA", "SSO"])),
        422,
    )
    .await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains("SSO") && detail.contains("outside the cluster"),
        "{detail}"
    );
    let order = json!({"workflow": "data-exchange-inventory", "participants": ["JUDICIARY"]});
    open(&app, &secretariat, resolution(order), 422).await;

    // «all» is the cluster's 31 member agencies.
    let all = open(&app, &secretariat, inventory_of(json!("all")), 201).await;
    let agencies: Vec<&str> = all["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["agency"].as_str().unwrap())
        .collect();
    assert_eq!(agencies.len(), 31);
    assert!(!agencies.contains(&"SSO") && !agencies.contains(&"JUDICIARY"));
    // An outside agency's member gets no vote.
    let voted = open(
        &app,
        &secretariat,
        resolution(json!({"workflow": "data-exchange-inventory", "participants": ["IRICA"]})),
        201,
    )
    .await;
    assert_eq!(voted["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(voted["tasks"][0]["agency"], "IRICA");
    let none = app.get("/v1/tasks?status=open", &sso_member).await;
    assert_eq!(none["items"], json!([]));

    // A need may still name an outside provider.
    let task = all["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "IRICA")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut data = inventory();
    data["needs"][0]["provider_agency"] = json!("SSO");
    let path = format!("/v1/tasks/{task}/submissions");
    app.expect(
        Method::POST,
        &path,
        &irica,
        Some(json!({"data": data})),
        201,
    )
    .await;
}

on_both_backends!(
    one_vote_per_agency_and_quorum_counts_agencies,
    simultaneous_votes_of_one_agency_one_wins,
    a_meeting_resolution_opens_its_cases_without_a_vote,
    a_bad_meeting_resolution_is_refused_and_changes_nothing,
    agencies_outside_the_cluster_provide_data_but_take_no_part,
);
