//! The process as practised on the pages: the secretariat extends every open task of a case
//! (a mistyped date comes back with the error and what was typed), extends one task, and
//! reminds the agencies now; a member withdraws a submission not yet reviewed.

use reqwest::Method;
use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui};

async fn task(ui: &Ui, case: &str, agency: &str) -> Value {
    let path = format!("/v1/tasks?case={case}&agency={agency}");
    let tasks = ui.api(Method::GET, &path, ADMIN_TOKEN, None, 200).await;
    tasks["items"][0].clone()
}

/// The first working day at least `days` from now (a deadline on it stays where it is
/// put), as stored and as a person types it: `1405-11-15`, `۱۴۰۵/۱۱/۱۵`.
fn jalali_in(days: i64) -> (String, String) {
    let calendar = daftar::calendar::BusinessCalendar::builtin();
    let day_before =
        daftar::calendar::tehran_date(chrono::Utc::now() + chrono::Duration::days(days - 1))
            .unwrap();
    let day = calendar
        .add_working_days(day_before, 1)
        .unwrap()
        .to_string();
    let typed = daftar::calendar::to_persian_digits(&day.replace('-', "/"));
    (day, typed)
}

async fn type_into(driver: &WebDriver, css: &str, text: &str) {
    let field = driver.find(By::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(driver: &WebDriver, css: &str) {
    driver
        .find(By::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

pub async fn the_secretariat_extends_and_reminds_and_a_member_withdraws(ui: &'static Ui) {
    let member = ui.member("practice-ivo", "IVO", &["member"]).await;
    let staff = ui.member("practice-sec", "MIMT", &["secretariat"]).await;
    let case = ui.open_inventory("تمدید و یادآوری", &["IVO", "DOE"]).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    click(&driver, "section.practice details summary").await;
    type_into(&driver, "section.practice #extend-due", "1405/12/30").await;
    type_into(
        &driver,
        "section.practice #extend-reason",
        "درخواست دستگاه‌ها",
    )
    .await;
    ui.screenshot(&driver, "case-extend").await;
    click(&driver, "section.practice form.extend button[type=submit]").await;
    let error = ui.wait_for(&driver, By::Css("#extend-error")).await;
    assert!(!error.text().await.unwrap().is_empty());
    let due = driver.find(By::Id("extend-due")).await.unwrap();
    assert_eq!(
        due.value().await.unwrap().as_deref(),
        Some("1405/12/30"),
        "what was typed is kept"
    );
    let reason = driver.find(By::Id("extend-reason")).await.unwrap();
    assert_eq!(reason.text().await.unwrap(), "درخواست دستگاه‌ها");
    let (day, typed) = jalali_in(60);
    type_into(&driver, "#extend-due", &typed).await;
    click(&driver, "form.extend button[type=submit]").await;
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    for agency in ["IVO", "DOE"] {
        assert_eq!(task(ui, &case, agency).await["due_jalali"], day.as_str());
    }
    type_into(&driver, "#remind-message", "لطفاً تا پایان هفته پاسخ دهید").await;
    click(&driver, "form.remind button[type=submit]").await;
    let reminded = ui.wait_for(&driver, By::Id("reminded")).await;
    let text = reminded.text().await.unwrap();
    assert!(text.contains("IVO") && text.contains("DOE"), "{text}");
    ui.assert_accessible(&driver, "case page with extend and remind")
        .await;
    ui.screenshot(&driver, "case-reminded").await;
    let doe = task(ui, &case, "DOE").await;
    let doe_id = doe["id"].as_str().unwrap();
    driver
        .goto(format!("{}/tasks/{doe_id}", ui.base))
        .await
        .unwrap();
    click(&driver, "details.practice summary").await;
    let (later, typed) = jalali_in(70);
    type_into(&driver, "#extend-due", &typed).await;
    type_into(&driver, "#extend-reason", "تعطیلی اداره").await;
    click(&driver, "form.extend button[type=submit]").await;
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    ui.wait_for(&driver, By::Css("li.event-DeadlineMoved"))
        .await;
    assert_eq!(task(ui, &case, "DOE").await["due_jalali"], later.as_str());
    driver.quit().await.unwrap();

    let ivo = task(ui, &case, "IVO").await;
    let ivo_id = ivo["id"].as_str().unwrap().to_string();
    let path = format!("/v1/tasks/{ivo_id}/submissions");
    let data = serde_json::from_str::<Value>(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/forms/data-exchange-inventory/valid/05-minimal-need.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    ui.api(
        Method::POST,
        &path,
        &member.token,
        Some(json!({ "data": data })),
        201,
    )
    .await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &member).await;
    driver
        .goto(format!("{}/tasks/{ivo_id}", ui.base))
        .await
        .unwrap();
    ui.screenshot(&driver, "task-withdraw").await;
    click(&driver, "form.withdraw button[type=submit]").await;
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    ui.wait_for(&driver, By::Css("li.event-SubmissionWithdrawn"))
        .await;
    assert_eq!(task(ui, &case, "IVO").await["status"], "open");
    driver.quit().await.unwrap();
}
