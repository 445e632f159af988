//! The administrator's configuration pages in the browser: workflows and forms uploaded
//! (refused with every problem at its file and JSON Pointer, nothing registered; then
//! registered, with the new version's hash), the mail queue filtered, a closure announced,
//! and a member kept out. Screenshots: `target/ui-screens/admin-config-*.png`.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui};

const GOOD_WORKFLOW: &str = "key: admin-config-approval
title: {fa: \"تصویب آزمایشی\", en: \"Trial approval\"}
participants: none
steps:
  - id: vote
    type: vote
    voters: {role: member}
    quorum: 0.5
    pass: 0.5
    due: {after: P7D}
    on_approved: end
    on_rejected: end
";

/// A submission and its review that only lead to each other: a cycle with no way out.
const CYCLE: &str = "key: admin-config-cycle
title: {fa: \"چرخه\", en: \"Cycle\"}
participants: agencies
steps:
  - id: submit
    type: submission
    assignee: {role: member, of: participant}
    form: data-exchange-inventory
    due: {after: P10D}
    next: review
  - id: review
    type: review
    assignee: {role: secretariat}
    on_accept: submit
    on_return: {step: submit}
";

async fn click(driver: &WebDriver, css: &str) {
    driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Uploads on the page at `path`: a file when given, else `text` pasted; `key` for forms.
async fn upload(
    driver: &WebDriver,
    ui: &Ui,
    path: &str,
    file: Option<&Path>,
    text: &str,
    key: &str,
) {
    driver.goto(format!("{}{path}", ui.base)).await.unwrap();
    if let Some(file) = file {
        let input = driver.find(By::Id("file")).await.unwrap();
        input.send_keys(file.display().to_string()).await.unwrap();
    }
    driver
        .execute(
            "document.getElementById('text').value = arguments[0]; \
             const key = document.getElementById('key'); if (key) key.value = arguments[1];",
            vec![text.into(), key.into()],
        )
        .await
        .unwrap();
    click(driver, "#upload button[type='submit']").await;
}

/// The problems listed after a refused upload.
async fn problems(ui: &Ui, driver: &WebDriver) -> String {
    ui.wait_for(driver, By::Css("#upload-errors li")).await;
    driver
        .find(By::Id("upload-errors"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn source(driver: &WebDriver) -> String {
    driver.source().await.unwrap()
}

pub async fn the_admin_uploads_workflows_and_forms_and_sees_every_problem(ui: &'static Ui) {
    let admin = ui.member("cfg-admin", "MIMT", &["admin"]).await;
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "key: admin-config-broken\ntitle: {fa: خراب, en: Broken}\nparticipants: none\nsteps:\n  - id: a\n    type: teleport\n",
    )
    .unwrap();
    let driver = ui.browser().await;
    ui.sign_in(&driver, &admin).await;

    // An unknown step type: the file and the step's pointer, nothing registered.
    upload(&driver, ui, "/admin/workflows", Some(&broken), "", "").await;
    let listed = problems(ui, &driver).await;
    assert!(
        listed.contains("broken.yaml") && listed.contains("/steps/0"),
        "{listed}"
    );
    ui.screenshot(&driver, "admin-config-workflow-refused")
        .await;
    ui.assert_accessible(&driver, "a refused workflow").await;
    ui.api(
        Method::GET,
        "/v1/workflows/admin-config-broken",
        ADMIN_TOKEN,
        None,
        404,
    )
    .await;

    // A YAML error and a cycle, pasted: each refused, the text kept.
    upload(
        &driver,
        ui,
        "/admin/workflows",
        None,
        "key: [unclosed\n",
        "",
    )
    .await;
    assert!(problems(ui, &driver).await.contains("syntax"));
    upload(&driver, ui, "/admin/workflows", None, CYCLE, "").await;
    let listed = problems(ui, &driver).await;
    assert!(listed.contains("no way out"), "{listed}");
    let kept = driver
        .find(By::Id("text"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(CYCLE), "what was pasted is kept");
    ui.api(
        Method::GET,
        "/v1/workflows/admin-config-cycle",
        ADMIN_TOKEN,
        None,
        404,
    )
    .await;

    // A 5 MB file: refused by its name, nothing read as a definition.
    let huge = dir.path().join("huge.yaml");
    std::fs::write(&huge, "#".repeat(5 * 1024 * 1024)).unwrap();
    upload(&driver, ui, "/admin/workflows", Some(&huge), "", "").await;
    assert!(problems(ui, &driver).await.contains("huge.yaml"));

    // A good one: its page with the hash the API gives.
    let good = dir.path().join("approval.yaml");
    std::fs::write(&good, GOOD_WORKFLOW).unwrap();
    upload(&driver, ui, "/admin/workflows", Some(&good), "", "").await;
    ui.wait_for(&driver, By::Css("pre.source")).await;
    let registered = ui
        .api(
            Method::GET,
            "/v1/workflows/admin-config-approval",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let hash = registered["hash"].as_str().unwrap();
    let page = source(&driver).await;
    assert!(
        page.contains(hash) && page.contains("admin-config-approval"),
        "{page}"
    );
    ui.screenshot(&driver, "admin-config-workflow-version")
        .await;
    driver
        .goto(format!("{}/admin/workflows", ui.base))
        .await
        .unwrap();
    let list = source(&driver).await;
    assert!(list.contains("href=\"/admin/workflows/admin-config-approval/1\""));
    assert!(list.contains(&hash[..12]));
    ui.screenshot(&driver, "admin-config-workflows").await;
    ui.assert_accessible(&driver, "the workflows").await;

    // Forms: not an object, a remote $ref — refused; a pathological pattern answers at once.
    upload(
        &driver,
        ui,
        "/admin/forms",
        None,
        "[1, 2]",
        "admin-config-list",
    )
    .await;
    assert!(problems(ui, &driver).await.contains("object"));
    let remote =
        r#"{"type": "object", "properties": {"a": {"$ref": "https://example.org/s.json"}}}"#;
    upload(
        &driver,
        ui,
        "/admin/forms",
        None,
        remote,
        "admin-config-remote",
    )
    .await;
    let listed = problems(ui, &driver).await;
    assert!(listed.contains("example.org"), "{listed}");
    let kept = driver
        .find(By::Id("key"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("admin-config-remote"));
    ui.screenshot(&driver, "admin-config-form-refused").await;
    ui.api(
        Method::GET,
        "/v1/forms/admin-config-remote",
        ADMIN_TOKEN,
        None,
        404,
    )
    .await;
    let started = Instant::now();
    let regex =
        r#"{"type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+\\1$"}}}"#;
    upload(
        &driver,
        ui,
        "/admin/forms",
        None,
        regex,
        "admin-config-regex",
    )
    .await;
    ui.wait_for(&driver, By::Css("pre.source, #upload-errors"))
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    driver.quit().await.unwrap();
}

/// A Jalali working day a week or more ahead, as stored and as typed in Persian digits.
fn working_day_ahead() -> (String, String) {
    let calendar = daftar::calendar::BusinessCalendar::builtin();
    let week_on =
        daftar::calendar::tehran_date(chrono::Utc::now() + chrono::Duration::days(9)).unwrap();
    let day = calendar.add_working_days(week_on, 1).unwrap().to_string();
    let typed = daftar::calendar::to_persian_digits(&day.replace('-', "/"));
    (day, typed)
}

pub async fn the_admin_reads_the_mail_queue_and_announces_a_closure(ui: &'static Ui) {
    let admin = ui.member("cfg-admin-2", "MIMT", &["admin"]).await;
    ui.member("cfg-focal", "CHQCS", &["member"]).await;
    let case = ui.open_inventory("سیاههٔ اعلان‌ها", &["CHQCS"]).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &admin).await;

    driver
        .goto(format!("{}/admin/notifications?case={case}", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("table.notifications tbody tr"))
        .await;
    let page = source(&driver).await;
    assert!(page.contains("cfg-focal@chqcs.example"), "{page}");
    assert!(!page.contains("inbox-"), "only this case's notifications");
    ui.screenshot(&driver, "admin-config-notifications").await;
    ui.assert_accessible(&driver, "the notifications").await;
    driver
        .goto(format!(
            "{}/admin/notifications?case={case}&status=failed",
            ui.base
        ))
        .await
        .unwrap();
    assert!(!source(&driver).await.contains("cfg-focal@chqcs.example"));
    driver
        .goto(format!("{}/admin/notifications?case=not-a-case", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Id("case-error")).await;
    let typed = driver
        .find(By::Id("case"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(typed.as_deref(), Some("not-a-case"));

    // A closure: a past day refused at its field with what was typed, then a day ahead.
    driver
        .goto(format!("{}/admin/calendar", ui.base))
        .await
        .unwrap();
    let type_into = |id: &'static str, text: String| {
        let driver = driver.clone();
        async move {
            let field = driver.find(By::Id(id)).await.unwrap();
            field.clear().await.unwrap();
            field.send_keys(text).await.unwrap();
        }
    };
    type_into("date_jalali", "۱۴۰۰/۰۱/۱۵".into()).await;
    type_into("reason", "آزمون".into()).await;
    click(&driver, "form[action='/admin/calendar/closures'] button").await;
    ui.wait_for(&driver, By::Id("date-error")).await;
    let kept = driver
        .find(By::Id("date_jalali"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("۱۴۰۰/۰۱/۱۵"));
    ui.screenshot(&driver, "admin-config-closure-refused").await;
    let (day, typed) = working_day_ahead();
    type_into("date_jalali", typed).await;
    type_into("reason", "برف سنگین".into()).await;
    click(&driver, "form[action='/admin/calendar/closures'] button").await;
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    assert!(source(&driver).await.contains("برف سنگین"));
    let calendar = ui
        .api(Method::GET, "/v1/calendar", ADMIN_TOKEN, None, 200)
        .await;
    assert!(
        calendar["closures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["date_jalali"] == day.as_str()),
        "{calendar}"
    );
    ui.screenshot(&driver, "admin-config-calendar").await;
    ui.assert_accessible(&driver, "the calendar").await;
    driver.quit().await.unwrap();
}

pub async fn a_member_opening_an_admin_page_gets_403(ui: &'static Ui) {
    let member = ui.member("cfg-member", "CHQCS", &["member"]).await;
    let cookie = ui.session(&member).await;
    for path in [
        "/admin",
        "/admin/workflows",
        "/admin/forms/x/1",
        "/admin/calendar",
        "/admin/notifications",
    ] {
        let response = ui.page(path, &cookie).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("اجازه دسترسی ندارید"), "{path}: {html}");
    }
    let posted = ui
        .post_form(
            "/",
            "/admin/calendar/closures",
            &cookie,
            &[("date_jalali", "1405-12-01"), ("reason", "x")],
        )
        .await;
    assert_eq!(posted.status(), StatusCode::FORBIDDEN);
}
