//! The auditor's pages: the event log filtered and opened, a case's timeline, the case
//! stepped back to before an acceptance, verify green and then red on an altered copy of
//! the database (served by a second server). Screenshots: `target/ui-screens/audit-*.png`.

use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Login, Ui, serve_copy};

fn inventory(code: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inventories/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A case of `agency` whose one submission was accepted; its id and the acceptance's
/// position in the log.
async fn accepted_case(
    ui: &Ui,
    title: &str,
    agency: &str,
    member: &Login,
    staff: &Login,
) -> (String, i64) {
    let case = ui.open_inventory(title, &[agency]).await;
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let task = tasks["items"][0]["id"].as_str().unwrap().to_string();
    let body = json!({ "data": inventory(agency) });
    ui.api(
        Method::POST,
        &format!("/v1/tasks/{task}/submissions"),
        &member.token,
        Some(body),
        201,
    )
    .await;
    let review = json!({"decision": "accept"});
    ui.api(
        Method::POST,
        &format!("/v1/tasks/{task}/review"),
        &staff.token,
        Some(review),
        200,
    )
    .await;
    let events = ui
        .api(
            Method::GET,
            &format!("/v1/events?case={case}&type=SubmissionAccepted"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let position = events["items"][0]["position"]
        .as_i64()
        .expect("the acceptance");
    (case, position)
}

async fn text_of(driver: &WebDriver, css: &str) -> String {
    driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

pub async fn goto(ui: &Ui, driver: &WebDriver, path: &str) {
    driver.goto(format!("{}{path}", ui.base)).await.unwrap();
    ui.wait_for(driver, By::Css("main h1")).await;
}

pub async fn the_auditor_reads_the_log_steps_back_and_verifies(ui: &'static Ui) {
    let member = ui.member("audit-focal", "FZSEC", &["member"]).await;
    let staff = ui.member("audit-sec", "MIMT", &["secretariat"]).await;
    let auditor = ui.member("audit-auditor", "MIMT", &["auditor"]).await;
    let (case, accepted) = accepted_case(ui, "سیاههٔ حسابرسی", "FZSEC", &member, &staff).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &auditor).await;
    driver
        .find(By::Css("nav a[href='/audit/events']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("form[role=search]")).await;
    ui.assert_accessible(&driver, "the event log").await;
    ui.screenshot(&driver, "audit-events").await;
    // Filter by type and case, then open the acceptance.
    driver
        .find(By::Id("type"))
        .await
        .unwrap()
        .send_keys("SubmissionAccepted")
        .await
        .unwrap();
    driver
        .find(By::Id("case"))
        .await
        .unwrap()
        .send_keys(&case)
        .await
        .unwrap();
    driver
        .find(By::Css("form[role=search] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let row = ui
        .wait_for(&driver, By::Id(format!("event-{accepted}")))
        .await;
    let rows = driver
        .find_all(By::Css(".event-log details"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one acceptance in this case");
    let url = driver.current_url().await.unwrap().to_string();
    assert!(
        url.contains("type=SubmissionAccepted") && url.contains(&case),
        "{url}"
    );
    row.find(By::Tag("summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(row.attr("open").await.unwrap().is_some(), "the event opens");
    let facts = row.text().await.unwrap();
    assert!(
        facts.contains("audit-sec") && facts.contains("secretariat"),
        "{facts}"
    );
    let hash = text_of(&driver, &format!("#event-{accepted} code.hash")).await;
    assert_eq!(hash.len(), 64, "{hash}");
    ui.assert_accessible(&driver, "an opened event").await;
    ui.screenshot(&driver, "audit-events-open").await;
    // The timeline names who accepted, with the workflow's version.
    goto(ui, &driver, &format!("/cases/{case}/timeline")).await;
    let timeline = text_of(&driver, "table.timeline").await;
    assert!(
        timeline.contains("پذیرش ارسال") && timeline.contains("audit-sec"),
        "{timeline}"
    );
    assert!(timeline.contains("data-exchange-inventory v"), "{timeline}");
    ui.assert_accessible(&driver, "the timeline").await;
    ui.screenshot(&driver, "audit-timeline").await;
    // The case at the acceptance, then one step back: before it, the task was submitted.
    goto(ui, &driver, &format!("/cases/{case}/state")).await;
    assert!(text_of(&driver, "table.board").await.contains("پذیرفته"));
    goto(ui, &driver, &format!("/cases/{case}/state?at={accepted}")).await;
    assert!(text_of(&driver, "table.board").await.contains("پذیرفته"));
    driver
        .find(By::Css("a[rel=prev]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("table.board")).await;
    let url = driver.current_url().await.unwrap().to_string();
    let before: i64 = url.rsplit("at=").next().unwrap().parse().unwrap();
    assert!(before < accepted, "{url}");
    assert!(
        text_of(&driver, "table.board")
            .await
            .contains("در انتظار بررسی")
    );
    ui.assert_accessible(&driver, "the case at a moment").await;
    ui.screenshot(&driver, "audit-state").await;
    beyond_the_log(ui, &driver, &case).await;
    let checkpoint = verify_is_green(ui, &driver).await;
    driver.quit().await.unwrap();
    verify_is_red_on_an_altered_copy(ui, &auditor, accepted, &checkpoint).await;
}

/// A moment beyond the head, and one before the case opened: said, not a crash.
async fn beyond_the_log(ui: &Ui, driver: &WebDriver, case: &str) {
    goto(ui, driver, &format!("/cases/{case}/state?at=999999999")).await;
    let problem = text_of(driver, "#at-problem").await;
    assert!(problem.contains("بیرون از دفتر"), "{problem}");
    assert_eq!(
        driver
            .find(By::Id("at-typed"))
            .await
            .unwrap()
            .value()
            .await
            .unwrap()
            .as_deref(),
        Some("999999999"),
        "what was typed is kept"
    );
    goto(ui, driver, &format!("/cases/{case}/state?at=1")).await;
    let problem = text_of(driver, "#at-problem").await;
    assert!(problem.contains("هنوز گشوده نشده"), "{problem}");
    ui.screenshot(driver, "audit-state-before").await;
}

/// Verify is green; the checkpoint it shows checks out when pasted back; a malformed one
/// is said and kept. Returns the checkpoint.
async fn verify_is_green(ui: &Ui, driver: &WebDriver) -> String {
    driver
        .find(By::Css("nav a[href='/audit/verify']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let verdict = ui.wait_for(driver, By::Id("verdict")).await;
    assert!(
        verdict
            .class_name()
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("ok")
    );
    let checkpoint = text_of(driver, "#checkpoint").await;
    assert!(
        checkpoint
            .split_once(':')
            .is_some_and(|(_, h)| h.len() == 64),
        "{checkpoint}"
    );
    let copy = driver
        .find(By::Css("button[data-copy=checkpoint]"))
        .await
        .unwrap();
    assert!(
        copy.is_displayed().await.unwrap(),
        "with script, the copy button shows"
    );
    ui.assert_accessible(driver, "verify").await;
    ui.screenshot(driver, "audit-verify").await;
    let field = driver.find(By::Id("expect_head")).await.unwrap();
    field.send_keys(&checkpoint).await.unwrap();
    field.send_keys(thirtyfour::Key::Enter).await.unwrap();
    let result = ui.wait_for(driver, By::Id("checkpoint-result")).await;
    assert!(
        result
            .class_name()
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("ok")
    );
    goto(ui, driver, "/audit/verify?expect_head=12%3Axyz").await;
    assert!(
        text_of(driver, "#expect-head-problem")
            .await
            .contains("خوانا نیست")
    );
    let kept = driver
        .find(By::Id("expect_head"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("12:xyz"));
    ui.assert_accessible(driver, "verify with a malformed checkpoint")
        .await;
    checkpoint
}

/// A copy of the database with the acceptance's metadata altered, behind the triggers, as
/// someone with access to the file would.
async fn altered_copy(live: &Path, copy: &Path, position: i64) {
    use sqlx::{AssertSqlSafe, Connection, SqliteConnection};
    let mut source = SqliteConnection::connect(&format!("sqlite://{}", live.display()))
        .await
        .unwrap();
    let into = format!("vacuum into '{}'", copy.display());
    sqlx::query(AssertSqlSafe(into))
        .execute(&mut source)
        .await
        .unwrap();
    let mut target = SqliteConnection::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    for statement in [
        "drop trigger events_refuse_update".to_string(),
        format!(
            "update events set metadata = '{{\"actor\":\"intruder\"}}' where position = {position}"
        ),
    ] {
        sqlx::query(AssertSqlSafe(statement))
            .execute(&mut target)
            .await
            .unwrap();
    }
}

async fn verify_is_red_on_an_altered_copy(
    ui: &Ui,
    auditor: &Login,
    position: i64,
    checkpoint: &str,
) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("altered.db");
    altered_copy(&ui.database, &copy, position).await;
    let (base, _server) = serve_copy(&copy).await;
    let driver = ui.browser().await;
    driver.goto(format!("{base}/sign-in")).await.unwrap();
    let field = driver.find(By::Id("token")).await.unwrap();
    field.send_keys(&auditor.token).await.unwrap();
    field.send_keys(thirtyfour::Key::Enter).await.unwrap();
    ui.wait_for(&driver, By::Css("header .who")).await;
    let query: String = url::form_urlencoded::byte_serialize(checkpoint.as_bytes()).collect();
    driver
        .goto(format!("{base}/audit/verify?expect_head={query}"))
        .await
        .unwrap();
    let verdict = ui.wait_for(&driver, By::Id("verdict")).await;
    assert!(
        verdict
            .class_name()
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("error")
    );
    let bad = text_of(&driver, ".bad-position").await;
    assert_eq!(
        bad,
        daftar::calendar::to_persian_digits(&position.to_string()),
        "red at the altered position"
    );
    ui.assert_accessible(&driver, "verify, red").await;
    ui.screenshot(&driver, "audit-verify-red").await;
    driver.quit().await.unwrap();
}
