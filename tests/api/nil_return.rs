//! A nil return over HTTP: «nothing to declare» with its reason is submitted, reviewed like
//! any submission, counted on the board as its own status, and an answer on the matrix.

use reqwest::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::reports::{World, world};
use crate::support::TestDb;
use crate::support::seed::fixture;

async fn refused(w: &World, data: Value) -> Vec<String> {
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    let body = json!({"data": data});
    let problem = w
        .app
        .expect(Method::POST, &path, &w.irica, Some(body), 422)
        .await;
    let errors = problem["errors"].as_array().unwrap();
    errors
        .iter()
        .map(|e| e["instance_path"].as_str().unwrap().to_string())
        .collect()
}

fn irica_row(board: &Value) -> &Value {
    let rows = board["rows"].as_array().unwrap();
    rows.iter().find(|r| r["agency"] == "IRICA").unwrap()
}

async fn a_blank_reason_or_lists_beside_it_are_refused_and_change_nothing(db: TestDb) {
    let w = world(db).await;
    let head = w.app.head_position().await;
    let reason = "/nothing_to_declare/reason";
    assert!(
        refused(&w, json!({"nothing_to_declare": {"reason": ""}}))
            .await
            .iter()
            .all(|p| p == reason)
    );
    let blank = json!({"nothing_to_declare": {"reason": " \t\u{a0} "}});
    assert_eq!(refused(&w, blank).await, [reason]);
    assert_eq!(
        refused(&w, json!({"nothing_to_declare": {}})).await,
        ["/nothing_to_declare"]
    );
    let mut both = fixture("tests/fixtures/inventories/IRICA.json");
    both["nothing_to_declare"] = json!({"reason": "موردی نداریم"});
    assert_eq!(refused(&w, both).await, [""]);
    assert_eq!(w.app.head_position().await, head, "nothing is appended");
}

async fn a_nil_return_is_reviewed_and_counted_on_the_board(db: TestDb) {
    let w = world(db).await;
    let (app, case) = (&w.app, &w.case);
    let path = format!("/v1/tasks/{}/submissions", w.irica_task);
    let nil = json!({"data": {"nothing_to_declare": {"reason": "گمرک در این دوره نیازی ندارد"}}});
    app.expect(Method::POST, &path, &w.irica, Some(nil), 201)
        .await;
    let board = app
        .get(&format!("/v1/cases/{case}/board"), &w.secretariat)
        .await;
    let row = irica_row(&board);
    assert_eq!(
        (&row["status"], &row["nothing_to_declare"]),
        (&json!("submitted"), &json!(true))
    );
    let review = json!({"decision": "accept"});
    let path = format!("/v1/tasks/{}/review", w.irica_task);
    app.expect(Method::POST, &path, &w.secretariat, Some(review), 200)
        .await;
    let board = app
        .get(&format!("/v1/cases/{case}/board"), &w.secretariat)
        .await;
    assert_eq!(irica_row(&board)["status"], "nothing_to_declare");
    let totals = &board["totals"]["by_status"];
    assert_eq!(
        (&totals["nothing_to_declare"], &totals["accepted"]),
        (&json!(1), &json!(1))
    );
    assert_eq!(board["totals"]["overdue"], 0);
    let task = app
        .get(&format!("/v1/tasks/{}", w.irica_task), &w.irica)
        .await;
    assert_eq!(task["status"], "accepted", "the task itself is accepted");
    let matrix = app
        .get(&format!("/v1/exchange-matrix?case={case}"), &w.secretariat)
        .await;
    let agencies = matrix["agencies"].as_array().unwrap();
    let irica = agencies.iter().find(|a| a["code"] == "IRICA").unwrap();
    assert_eq!(irica["inventory_accepted"], true);
    assert_eq!(irica["nothing_to_declare"], true);
    assert_eq!((&irica["needs"], &irica["offers"]), (&json!(0), &json!(0)));
    let cells = matrix["cells"].as_array().unwrap();
    assert!(cells.iter().all(|c| c["consumer"] != "IRICA"), "{matrix}");
}

on_both_backends!(
    a_blank_reason_or_lists_beside_it_are_refused_and_change_nothing,
    a_nil_return_is_reviewed_and_counted_on_the_board,
);
