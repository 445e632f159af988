//! The catalogue of data items over HTTP: the secretariat curates it (add, merge, rename,
//! split, synonyms, edit, seed from a case), everyone signed in reads and searches it, every
//! change is an event, and a refused change appends nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, inventory};
use crate::on_both_backends;
use crate::reports::world;
use crate::support::TestDb;

async fn catalogue_events(app: &TestApp) -> usize {
    let events = app
        .get("/v1/events?stream=catalogue&limit=500", ADMIN_TOKEN)
        .await;
    events["items"].as_array().unwrap().len()
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value, status: u16) -> Value {
    app.expect(Method::POST, path, token, Some(body), status)
        .await
}

async fn the_secretariat_curates_and_every_change_is_an_event(db: TestDb) {
    let w = world(db).await;
    let (app, sec) = (&w.app, w.secretariat.as_str());
    let national = post(
        app,
        "/v1/catalogue",
        sec,
        json!({"name": "کد ملی", "synonyms": ["کدملی شخص"], "lookup_key": "national_id"}),
        201,
    )
    .await;
    assert_eq!(national["id"], "DI-1");
    assert_eq!(national["lookup_key"], "national_id");
    let number = post(
        app,
        "/v1/catalogue",
        sec,
        json!({"name": "شماره ملی", "name_en": "National number"}),
        201,
    )
    .await;
    assert_eq!(number["id"], "DI-2");
    // A member reads but does not write.
    post(app, "/v1/catalogue", &w.irica, json!({"name": "نام"}), 403).await;
    let listed = app.get("/v1/catalogue", &w.irica).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    let merged = post(
        app,
        "/v1/catalogue/DI-2:merge",
        sec,
        json!({"into": "DI-1"}),
        200,
    )
    .await;
    assert_eq!(merged["id"], "DI-1");
    assert_eq!(merged["synonyms"], json!(["کدملی شخص", "شماره ملی"]));
    assert_eq!(merged["former_ids"], json!(["DI-2"]));
    let kinds: Vec<&str> = merged["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["event"]
                .as_object()
                .unwrap()
                .keys()
                .next()
                .unwrap()
                .as_str()
        })
        .collect();
    assert_eq!(kinds, vec!["ItemAdded", "ItemAdded", "ItemsMerged"]);
    // The id merged away reads as the survivor.
    assert_eq!(app.get("/v1/catalogue/DI-2", &w.irica).await["id"], "DI-1");

    let renamed = post(
        app,
        "/v1/catalogue/DI-1:rename",
        sec,
        json!({"name": "شماره ملی"}),
        200,
    )
    .await;
    assert_eq!(renamed["name"], "شماره ملی");
    assert_eq!(renamed["synonyms"], json!(["کدملی شخص", "کد ملی"]));
    let split = post(
        app,
        "/v1/catalogue/DI-1:split",
        sec,
        json!({"synonym": "کدملی شخص"}),
        200,
    )
    .await;
    assert_eq!(
        (split["id"].as_str(), split["name"].as_str()),
        (Some("DI-3"), Some("کدملی شخص"))
    );
    let edited = app
        .expect(
            Method::PATCH,
            "/v1/catalogue/DI-3",
            sec,
            Some(json!({"description": "ده رقم"})),
            200,
        )
        .await;
    assert_eq!(edited["description"], "ده رقم");
    post(
        app,
        "/v1/catalogue/DI-3:add-synonym",
        sec,
        json!({"synonym": "کد ملي فرد"}),
        200,
    )
    .await;
    let removed = post(
        app,
        "/v1/catalogue/DI-3:remove-synonym",
        sec,
        json!({"synonym": "کد ملي فرد"}),
        200,
    )
    .await;
    assert_eq!(removed["synonyms"], json!([]));

    // Arabic kaf typed: folded, it starts «کد ملی» (a synonym of DI-1) first.
    let found = app
        .get("/v1/catalogue/search?q=%D9%83%D8%AF", &w.irica)
        .await;
    let ids: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["DI-1", "DI-3"]);
    assert_eq!(found["items"][0]["matched"], "کد ملی");
    // Two added, merged, renamed, split, edited, a synonym added and removed.
    assert_eq!(catalogue_events(app).await, 8);
    let stored = app
        .get("/v1/events?stream=catalogue&type=ItemsMerged", ADMIN_TOKEN)
        .await;
    assert_eq!(stored["items"][0]["metadata"]["actor"], "sec");
}

async fn bad_changes_are_refused_and_append_nothing(db: TestDb) {
    let w = world(db).await;
    let (app, sec) = (&w.app, w.secretariat.as_str());
    post(
        app,
        "/v1/catalogue",
        sec,
        json!({"name": "کد ملی", "synonyms": ["شماره ملی"]}),
        201,
    )
    .await;
    post(app, "/v1/catalogue", sec, json!({"name": "کد پستی"}), 201).await;
    post(
        app,
        "/v1/catalogue/DI-2:merge",
        sec,
        json!({"into": "DI-1"}),
        200,
    )
    .await;
    let before = catalogue_events(app).await;
    for (path, body, status, says) in [
        (
            "/v1/catalogue/DI-1:merge",
            json!({"into": "DI-1"}),
            422,
            "into itself",
        ),
        (
            "/v1/catalogue/DI-1:merge",
            json!({"into": "DI-2"}),
            422,
            "cycle",
        ),
        (
            "/v1/catalogue/DI-1:merge",
            json!({"into": "DI-9"}),
            404,
            "no item DI-9",
        ),
        ("/v1/catalogue", json!({"name": "شماره  ملي"}), 409, "DI-1"),
        (
            "/v1/catalogue/DI-1:rename",
            json!({"name": " "}),
            422,
            "empty",
        ),
        (
            "/v1/catalogue/DI-1:split",
            json!({"synonym": "کد ملی"}),
            422,
            "not a synonym",
        ),
        (
            "/v1/catalogue/DI-9:rename",
            json!({"name": "x"}),
            404,
            "no item",
        ),
        (
            "/v1/catalogue",
            json!({"name": "x", "lookup_key": "shoe_size"}),
            422,
            "lookup key",
        ),
        (
            "/v1/catalogue",
            json!({"name": "x", "colour": "red"}),
            400,
            "colour",
        ),
        (
            "/v1/catalogue:seed",
            json!({"case": uuid::Uuid::now_v7()}),
            404,
            "no case",
        ),
    ] {
        let problem = post(app, path, sec, body.clone(), status).await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{path} {body}: {detail}");
    }
    let other =
        json!({"workflow": "service-identity-cards", "title": "کارت", "participants": ["IRICA"]});
    let case = post(app, "/v1/cases", sec, other, 201).await;
    let problem = post(
        app,
        "/v1/catalogue:seed",
        sec,
        json!({"case": case["id"]}),
        422,
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("inventory"),
        "{problem}"
    );
    assert_eq!(
        catalogue_events(app).await,
        before,
        "a refusal appends nothing"
    );
}

async fn a_seed_takes_the_names_of_the_accepted_inventories_once(db: TestDb) {
    let w = world(db).await;
    let (app, sec) = (&w.app, w.secretariat.as_str());
    post(
        app,
        "/v1/catalogue",
        sec,
        json!({"name": "ارزش گمركي"}),
        201,
    )
    .await;
    let seeded = post(app, "/v1/catalogue:seed", sec, json!({"case": w.case}), 200).await;
    // MIMT's accepted inventory names 29 data items (14 in its needs, 15 in its offers), all
    // different; «ارزش گمرکی» is DI-1 already (typed with an Arabic kaf).
    let added = seeded["added"].as_array().unwrap();
    assert_eq!(added.len(), 28);
    assert_eq!(seeded["counts"]["DI-1"], 1);
    assert!(
        added
            .iter()
            .any(|i| i["name"] == "شماره کارت بازرگانی" && i["agencies"] == 1)
    );
    let again = post(app, "/v1/catalogue:seed", sec, json!({"case": w.case}), 200).await;
    assert_eq!(again["added"], json!([]));
    let listed = app.get("/v1/catalogue", ADMIN_TOKEN).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 29);
}

async fn a_submission_names_catalogue_ids_that_exist(db: TestDb) {
    let w = world(db).await;
    let (app, sec) = (&w.app, w.secretariat.as_str());
    post(
        app,
        "/v1/catalogue",
        sec,
        json!({"name": "شماره کارت بازرگانی"}),
        201,
    )
    .await;
    post(
        app,
        "/v1/catalogue",
        sec,
        json!({"name": "شماره کارت"}),
        201,
    )
    .await;
    post(
        app,
        "/v1/catalogue/DI-2:merge",
        sec,
        json!({"into": "DI-1"}),
        200,
    )
    .await;
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    let mut data = inventory();
    data["needs"][0]["data_items"][0]["catalogue_id"] = json!("DI-1");
    data["needs"][1]["data_items"][2]["catalogue_id"] = json!("DI-404");
    let head = app.head_position().await;
    let problem = post(app, &path, &w.irica, json!({"data": data}), 422).await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem}");
    assert_eq!(
        problem["errors"][0]["instance_path"],
        "/needs/1/data_items/2/catalogue_id"
    );
    assert_eq!(app.head_position().await, head, "a refusal appends nothing");
    // An id merged away still reads: it is the survivor.
    data["needs"][1]["data_items"][2]["catalogue_id"] = json!("DI-2");
    post(app, &path, &w.irica, json!({"data": data}), 201).await;
}

on_both_backends!(
    the_secretariat_curates_and_every_change_is_an_event,
    bad_changes_are_refused_and_append_nothing,
    a_seed_takes_the_names_of_the_accepted_inventories_once,
    a_submission_names_catalogue_ids_that_exist,
);
