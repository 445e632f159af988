//! `GET /v1/cases` for members and staff: a member lists exactly the cases its agency takes
//! part in (as a participant or through a task), filtered and paged in SQL.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

/// Every id of a list, following `next` page by page.
async fn all_ids(app: &TestApp, query: &str, token: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after = String::new();
    loop {
        let page = app
            .get(&format!("/v1/cases?limit=1{query}{after}"), token)
            .await;
        for case in page["items"].as_array().unwrap() {
            ids.push(case["id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => return ids,
        }
    }
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// The cases whose document names `agency` as a participant or on a task.
fn involving(cases: &[Value], agency: &str) -> BTreeSet<String> {
    let names = |list: &Value, pick: fn(&Value) -> &Value| {
        list.as_array()
            .is_some_and(|items| items.iter().any(|i| pick(i) == agency))
    };
    cases
        .iter()
        .filter(|c| names(&c["participants"], |p| p) || names(&c["tasks"], |t| &t["agency"]))
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

async fn a_member_lists_the_cases_of_its_agency(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let sec = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let cppo = app.member("m-cppo", "CPPO", &["member"]).await;
    let open = |body: Value| {
        let (app, sec) = (&app, &sec);
        async move {
            let case = app
                .expect(Method::POST, "/v1/cases", sec, Some(body), 201)
                .await;
            case["id"].as_str().unwrap().to_string()
        }
    };
    let inventory = |participants: &[&str]| json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": participants});
    let both = open(inventory(&["IRICA", "MIMT"])).await;
    let cppo_only = open(inventory(&["CPPO"])).await;
    // No participants: the members' agencies take part through their vote tasks.
    let resolution = open(json!({"workflow": "resolution-approval", "title": "مصوبه", "params": {"text": "متن", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["TPO"]}}})).await;
    let tpo = app.member("m-tpo", "TPO", &["member"]).await;

    let everything: Vec<Value> = app.get("/v1/cases?limit=500", &sec).await["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(everything.len(), 3);
    for (token, agency, expected) in [
        (&irica, "IRICA", set(&[&both, &resolution])),
        (&cppo, "CPPO", set(&[&cppo_only, &resolution])),
        (&tpo, "TPO", set(&[])),
    ] {
        let listed = all_ids(&app, "", token).await;
        assert_eq!(
            listed.iter().cloned().collect::<BTreeSet<_>>(),
            expected,
            "{agency}"
        );
        assert_eq!(involving(&everything, agency), expected, "{agency}");
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(
            listed, sorted,
            "{agency}: pages in id order, each case once"
        );
    }

    // The status follows the case; the workflow filters too.
    app.expect(
        Method::POST,
        &format!("/v1/cases/{both}:cancel"),
        &sec,
        Some(json!({"reason": "تکراری"})),
        200,
    )
    .await;
    let cancelled = all_ids(&app, "&status=cancelled", &irica).await;
    assert_eq!(cancelled, vec![both.clone()]);
    let open_now = all_ids(&app, "&status=open", &irica).await;
    assert_eq!(open_now, vec![resolution.clone()]);
    let resolutions = all_ids(&app, "&workflow=resolution-approval", &irica).await;
    assert_eq!(resolutions, vec![resolution.clone()]);
    let query = "&status=open&workflow=data-exchange-inventory";
    assert_eq!(all_ids(&app, query, &sec).await, vec![cppo_only]);
}

on_both_backends!(a_member_lists_the_cases_of_its_agency);
