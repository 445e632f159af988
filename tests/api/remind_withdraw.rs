//! Reminders now and withdrawals over HTTP on both backends. Every refusal is a
//! problem+json and appends nothing.

use reqwest::Method;
use serde_json::json;

use crate::helpers::inventory;
use crate::on_both_backends;
use crate::practice::{refused, templates_sent, world};
use crate::support::TestDb;

async fn remind_now_names_the_agencies_still_to_answer(db: TestDb) {
    let w = world(db).await;
    let path = format!("/v1/cases/{}:remind", w.case);
    let body = json!({"message": "لطفاً تا پایان هفته پاسخ دهید"});
    let answer = w
        .app
        .expect(Method::POST, &path, &w.secretariat, Some(body), 200)
        .await;
    assert_eq!(answer["reminded"], json!(["IRICA", "MIMT"]));
    let _ = w.app.head_position().await;
    let sent = templates_sent(&w.app, &w.case).await;
    assert_eq!(sent.iter().filter(|t| *t == "reminded_now").count(), 2);
    let submission = json!({"data": inventory()});
    w.app
        .expect(
            Method::POST,
            &format!("/v1/tasks/{}/submissions", w.irica_task),
            &w.irica,
            Some(submission),
            201,
        )
        .await;
    let answer = w
        .app
        .expect(Method::POST, &path, &w.secretariat, None, 200)
        .await;
    assert_eq!(answer["reminded"], json!(["MIMT"]));
    let submission = json!({"data": inventory()});
    w.app
        .expect(
            Method::POST,
            &format!("/v1/tasks/{}/submissions", w.mimt_task),
            &w.mimt,
            Some(submission),
            201,
        )
        .await;
    let head = w.app.head_position().await;
    let answer = w
        .app
        .expect(Method::POST, &path, &w.secretariat, None, 200)
        .await;
    assert_eq!(answer["reminded"], json!([]));
    assert_eq!(
        w.app.head_position().await,
        head,
        "nothing to remind records nothing"
    );
    let long = json!({"message": "x".repeat(2001)});
    refused(&w.app, &path, &w.secretariat, Some(long), 422).await;
    refused(&w.app, &path, &w.irica, None, 403).await;
    assert_eq!(w.app.head_position().await, head);
}

async fn a_member_withdraws_a_submission_awaiting_review(db: TestDb) {
    let w = world(db).await;
    let task = format!("/v1/tasks/{}", w.irica_task);
    let head = w.app.head_position().await;
    refused(&w.app, &format!("{task}/withdraw"), &w.irica, None, 409).await;
    assert_eq!(
        w.app.head_position().await,
        head,
        "nothing submitted: nothing appended"
    );
    let submission = json!({"data": inventory()});
    w.app
        .expect(
            Method::POST,
            &format!("{task}/submissions"),
            &w.irica,
            Some(submission),
            201,
        )
        .await;
    let head = w.app.head_position().await;
    refused(&w.app, &format!("{task}/withdraw"), &w.mimt, None, 404).await;
    refused(
        &w.app,
        &format!("{task}/withdraw"),
        &w.secretariat,
        None,
        403,
    )
    .await;
    assert_eq!(w.app.head_position().await, head);
    let withdrawn = w
        .app
        .expect(
            Method::POST,
            &format!("{task}/withdraw"),
            &w.irica,
            Some(json!({})),
            200,
        )
        .await;
    assert_eq!(withdrawn["status"], "open");
    assert_eq!(withdrawn["step"], "submit");
    assert!(withdrawn["submissions"][0]["withdrawn_at"].is_string());
    let review = json!({"decision": "accept"});
    refused(
        &w.app,
        &format!("{task}/review"),
        &w.secretariat,
        Some(review),
        409,
    )
    .await;
}

async fn a_withdrawal_racing_a_review_one_wins(db: TestDb) {
    let w = world(db).await;
    let task = format!("/v1/tasks/{}", w.irica_task);
    for round in 0..4 {
        let submission = json!({"data": inventory()});
        w.app
            .expect(
                Method::POST,
                &format!("{task}/submissions"),
                &w.irica,
                Some(submission),
                201,
            )
            .await;
        let (withdraw_path, review_path) = (format!("{task}/withdraw"), format!("{task}/review"));
        let withdraw = w
            .app
            .call(Method::POST, &withdraw_path, Some(&w.irica), None);
        let body = json!({"decision": "return", "comment": format!("round {round}")});
        let review = w
            .app
            .call(Method::POST, &review_path, Some(&w.secretariat), Some(body));
        let (withdraw, review) = tokio::join!(withdraw, review);
        let statuses = [withdraw.status().as_u16(), review.status().as_u16()];
        assert!(
            statuses == [200, 409] || statuses == [409, 200],
            "withdraw and review: {statuses:?}"
        );
        let now = w.app.get(&task, &w.irica).await;
        let status = now["status"].as_str().unwrap();
        assert!(
            status == "open" || status == "returned",
            "either way the task is the agency's again, not {status}"
        );
    }
}

on_both_backends!(
    remind_now_names_the_agencies_still_to_answer,
    a_member_withdraws_a_submission_awaiting_review,
    a_withdrawal_racing_a_review_one_wins,
);
