//! A resolution adopted in a meeting, recorded through the new-resolution page: a date that
//! does not exist is said at its field with everything typed kept; fixed, the resolution is
//! recorded as approved without a vote, its case opens at once, and the case page shows the
//! meeting's record. And the agency's vote, cast by one focal point, closed for the other.

use std::time::{Duration, Instant};

use chrono::Utc;
use daftar::calendar::{tehran_date, to_persian_digits};
use reqwest::Method;
use serde_json::json;
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui};

async fn click(driver: &WebDriver, css: &str) {
    let element = driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"));
    element.scroll_into_view().await.unwrap();
    element.click().await.unwrap();
}

async fn type_into(driver: &WebDriver, id: &str, text: &str) {
    let field = driver.find(By::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn value_of(driver: &WebDriver, id: &str) -> String {
    let field = driver.find(By::Id(id)).await.unwrap();
    field.value().await.unwrap().unwrap_or_default()
}

/// Waits (at most 15 s) until `check` holds for the page's source.
async fn wait_until(driver: &WebDriver, what: &str, check: impl Fn(&str) -> bool) {
    let started = Instant::now();
    loop {
        let source = driver.source().await.unwrap_or_default();
        if check(&source) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{what} did not happen; the page is:\n{source}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub async fn the_secretariat_records_a_meeting_resolution(ui: &'static Ui) {
    let staff = ui.member("meeting-sec", "MIMT", &["secretariat"]).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver.goto(format!("{}/cases/new", ui.base)).await.unwrap();
    type_into(&driver, "title", "مصوبه جلسه دوازدهم کارگروه").await;
    type_into(
        &driver,
        "text",
        "دستگاه‌ها فهرست خود را تا پایان ماه بفرستند.",
    )
    .await;
    click(&driver, "input[name=participants][value=chosen]").await;
    click(&driver, "input[name=agency][value=MIMT]").await;
    click(
        &driver,
        "select#workflow option[value=data-exchange-inventory]",
    )
    .await;
    type_into(&driver, "meeting_no", "۱۲").await;
    type_into(&driver, "meeting_date", "۱۴۰۵/۱۲/۳۰").await;
    type_into(&driver, "resolution_no", "۱۴۰۵/۳/۲").await;
    type_into(&driver, "minutes", "تصویب شد که دستگاه‌ها فهرست را بفرستند.").await;
    click(&driver, "input[name=due][value=end_of_month]").await;
    click(&driver, "form.panel button[type=submit]").await;
    // 1405 is not a leap year: 30 Esfand does not exist. Said at the field; nothing lost.
    let error = ui.wait_for(&driver, By::Id("meeting_date-error")).await;
    assert!(error.text().await.unwrap().contains("تقویم هجری شمسی"));
    assert_eq!(value_of(&driver, "meeting_no").await, "۱۲");
    assert_eq!(value_of(&driver, "resolution_no").await, "۱۴۰۵/۳/۲");
    assert_eq!(
        value_of(&driver, "minutes").await,
        "تصویب شد که دستگاه‌ها فهرست را بفرستند."
    );
    ui.screenshot(&driver, "meeting-resolution-error").await;
    let today = to_persian_digits(
        &tehran_date(Utc::now())
            .unwrap()
            .to_string()
            .replace('-', "/"),
    );
    type_into(&driver, "meeting_date", &today).await;
    click(&driver, "form.panel button[type=submit]").await;
    wait_until(&driver, "the case page", |html| {
        html.contains("meeting-title")
    })
    .await;
    let record = driver.find(By::Css("section.meeting")).await.unwrap();
    let text = record.text().await.unwrap();
    assert!(text.contains("۱۴۰۵/۳/۲") && text.contains("۱۲"), "{text}");
    assert!(text.contains("به رأی گذاشته نشد"), "{text}");
    let context = driver.find(By::Css("p.context")).await.unwrap();
    assert!(context.text().await.unwrap().contains("مصوبه تصویب شد"));
    ui.screenshot(&driver, "meeting-resolution").await;
    ui.assert_accessible(&driver, "the meeting resolution's page")
        .await;
    // Its case opened at once, without a vote.
    click(&driver, "a.child-case").await;
    wait_until(&driver, "the ordered case", |html| {
        html.contains("مصوبه‌ای که این پرونده را گشود")
    })
    .await;
    driver.quit().await.unwrap();
}

pub async fn one_focal_point_casts_the_agencys_vote(ui: &'static Ui) {
    let first = ui
        .named_member("vote-first", "زهرا احمدی", "TPO", &["member"])
        .await;
    let second = ui.member("vote-second", "TPO", &["member"]).await;
    let body = json!({"workflow": "resolution-approval", "title": "مصوبه رأی دستگاه", "params": {"text": "هر دستگاه یک رأی دارد.", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["TPO"]}}});
    let case = ui
        .api(Method::POST, "/v1/cases", ADMIN_TOKEN, Some(body), 201)
        .await;
    let task = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "TPO")
        .expect("one vote task for the agency")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let driver = ui.browser().await;
    ui.sign_in(&driver, &first).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    click(&driver, "#vote-approve").await;
    click(&driver, "section.vote button[type='submit']").await;
    wait_until(&driver, "the vote", |html| html.contains("ثبت‌شده توسط")).await;
    driver.quit().await.unwrap();
    // The colleague sees who cast the agency's vote, and no form to cast another.
    let driver = ui.browser().await;
    ui.sign_in(&driver, &second).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let section = ui.wait_for(&driver, By::Css("section.vote")).await;
    let text = section.text().await.unwrap();
    assert!(text.contains("زهرا احمدی"), "{text}");
    assert!(driver.find(By::Css("section.vote form")).await.is_err());
    ui.screenshot(&driver, "vote-cast-by-a-colleague").await;
    driver.quit().await.unwrap();
}
