//! A provider confirmation round in the browser: the secretariat opens it from the
//! inventory case's page (after a confirm step), the provider sees the needs addressed to it
//! and answers in its task's form, and once the answer is accepted the secretariat sees the
//! badge in the matrix and the round's progress on the case page.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui};

fn inventory(code: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inventories/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn task_of(ui: &Ui, case: &str, agency: &str) -> String {
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}&limit=100"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let items = tasks["items"].as_array().unwrap();
    let task = items
        .iter()
        .find(|t| t["agency"] == agency)
        .expect("the agency's task");
    task["id"].as_str().unwrap().to_string()
}

async fn click(driver: &WebDriver, css: &str) {
    let element = driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"));
    element.scroll_into_view().await.unwrap();
    element.click().await.unwrap();
}

async fn wait_for_url(driver: &WebDriver, part: &str) {
    let started = Instant::now();
    while !driver.current_url().await.unwrap().as_str().contains(part) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never reached {part}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn a_provider_answers_and_the_matrix_shows_its_confirmation(ui: &'static Ui) {
    let staff = ui.member("conf-sec", "MIMT", &["secretariat"]).await;
    let irica = ui.member("conf-irica", "IRICA", &["member"]).await;
    let mimt = ui.member("conf-mimt", "MIMT", &["member"]).await;
    let case = ui.open_inventory("احصای تأیید", &["IRICA", "MIMT"]).await;
    for (agency, login) in [("IRICA", &irica), ("MIMT", &mimt)] {
        let task = task_of(ui, &case, agency).await;
        let body = json!({ "data": inventory(agency) });
        let path = format!("/v1/tasks/{task}/submissions");
        ui.api(Method::POST, &path, &login.token, Some(body), 201)
            .await;
        let path = format!("/v1/tasks/{task}/review");
        ui.api(
            Method::POST,
            &path,
            &staff.token,
            Some(json!({"decision": "accept"})),
            200,
        )
        .await;
    }

    // The secretariat opens the round from the case page, confirming first.
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    click(
        &driver,
        &format!("a[href='/cases/{case}/confirmation-round']"),
    )
    .await;
    ui.wait_for(&driver, By::Css("form.panel button[type='submit']"))
        .await;
    ui.screenshot(&driver, "confirmation-open").await;
    click(&driver, "form.panel button[type='submit']").await;
    let started = Instant::now();
    let round = loop {
        let url = driver.current_url().await.unwrap().to_string();
        let id = url.rsplit('/').next().unwrap_or_default().to_string();
        if id != case && id.len() == 36 {
            break id;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the round never opened: {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    // The provider sees what is asked, and by whom, and answers.
    let task = task_of(ui, &round, "IRICA").await;
    let provider = ui.browser().await;
    ui.sign_in(&provider, &irica).await;
    provider
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let asked = ui
        .wait_for(&provider, By::Css("section.addressed-needs"))
        .await;
    let text = asked.text().await.unwrap();
    assert!(
        text.contains("MIMT/needs/0") && text.contains("IRICA/offers/0"),
        "{text}"
    );
    // Three answers: radios, the first («موافق») carrying the field's id.
    click(
        &provider,
        "input[type='radio'][name='/answers/0/decision'][value='agree']",
    )
    .await;
    click(
        &provider,
        "#f-answers-0-interface-type option[value='nix_gsb']",
    )
    .await;
    let date = provider
        .find(By::Id("f-answers-0-available_from"))
        .await
        .unwrap();
    date.send_keys("1405/10/01").await.unwrap();
    ui.screenshot(&provider, "confirmation-answer").await;
    ui.assert_accessible(&provider, "the confirmation task")
        .await;
    click(&provider, "button[value='submit']").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    if let Ok(summary) = provider.find(By::Id("error-summary")).await {
        ui.screenshot(&provider, "confirmation-refused").await;
        panic!("refused: {}", summary.text().await.unwrap());
    }
    wait_for_url(&provider, "notice=submitted").await;
    let path = format!("/v1/tasks/{task}/review");
    ui.api(
        Method::POST,
        &path,
        &staff.token,
        Some(json!({"decision": "accept"})),
        200,
    )
    .await;

    // The secretariat sees the badge in the matrix, and the round's progress.
    driver
        .goto(format!(
            "{}/cases/{case}/matrix?consumer=MIMT&provider=IRICA",
            ui.base
        ))
        .await
        .unwrap();
    let badge = ui
        .wait_for(&driver, By::Css("#cell .badge.confirmation"))
        .await;
    assert!(badge.text().await.unwrap().contains("تأییدشده"));
    let legend = driver.find(By::Css(".confirmation-legend")).await.unwrap();
    assert!(legend.text().await.unwrap().contains("۱"));
    ui.screenshot(&driver, "confirmation-matrix").await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    let progress = ui.wait_for(&driver, By::Css(".round-progress")).await;
    assert!(
        progress.text().await.unwrap().contains("۱ / ۱۲"),
        "{}",
        progress.text().await.unwrap()
    );
    ui.screenshot(&driver, "confirmation-case").await;
}
