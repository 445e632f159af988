//! The task page in the browser: fill the inventory form, see a deliberate mistake at its
//! field, fix it, submit; the keyboard alone; a draft; the JSON download; a vote.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use thirtyfour::{By, Key, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui};

/// The open task of `agency` in `case`.
async fn task_of(ui: &Ui, case: &str, agency: &str) -> String {
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == agency)
        .expect("the agency's task")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn type_into(driver: &WebDriver, id: &str, text: &str) {
    let field = driver
        .find(By::Id(id))
        .await
        .unwrap_or_else(|_| panic!("no #{id}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(driver: &WebDriver, css: &str) {
    let element = driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"));
    element.scroll_into_view().await.unwrap();
    element.click().await.unwrap();
}

/// Waits for the page's URL to contain `part`.
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

async fn task_view(ui: &Ui, task: &str) -> Value {
    ui.api(
        Method::GET,
        &format!("/v1/tasks/{task}"),
        ADMIN_TOKEN,
        None,
        200,
    )
    .await
}

pub async fn a_member_fills_the_form_sees_an_error_at_its_field_and_submits(ui: &'static Ui) {
    let login = ui.member("form-fill", "NOCR", &["member"]).await;
    let case = ui.open_inventory("سیاهه ثبت احوال", &["NOCR"]).await;
    let task = task_of(ui, &case, "NOCR").await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &login).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Id("task-form")).await;
    ui.screenshot(&driver, "task-empty").await;
    ui.assert_accessible(&driver, "the empty task form").await;
    // "Add" swaps in a need (htmx), with its first data item and legal basis.
    click(&driver, "button[value='add:/needs']").await;
    ui.wait_for(&driver, By::Id("f-needs-0-title")).await;
    // Only the list was swapped, and the live region says what happened.
    let live = driver.find(By::Id("live")).await.unwrap();
    assert!(live.text().await.unwrap().contains("افزوده شد"));
    assert_eq!(driver.find_all(By::Id("live")).await.unwrap().len(), 1);
    type_into(&driver, "f-needs-0-title", "استعلام نشانی").await;
    type_into(&driver, "f-needs-0-data_items-0-name", "کد پستی").await;
    click(&driver, "#f-needs-0-lookup_keys-o2").await;
    type_into(&driver, "f-needs-0-provider_agency", "POST").await;
    type_into(
        &driver,
        "f-needs-0-legal_basis-0-law_title",
        "قانون مدیریت داده‌ها و اطلاعات ملی",
    )
    .await;
    type_into(&driver, "f-needs-0-purpose", "تطبیق نشانی").await;
    click(&driver, "#f-needs-0-frequency option[value='daily']").await;
    click(&driver, "#f-needs-0-latency").await;
    type_into(&driver, "f-needs-0-contact-name", "مریم احمدی").await;
    // The deliberate mistake, and a number in Persian digits.
    type_into(&driver, "f-needs-0-contact-email", "maryam-at-nocr").await;
    type_into(&driver, "f-needs-0-expected_volume-calls_per_day", "۱۲۰").await;
    click(&driver, "button[value='submit']").await;
    let summary = ui.wait_for(&driver, By::Id("error-summary")).await;
    let link = summary.find(By::Css("a")).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("#f-needs-0-contact-email")
    );
    let message = driver
        .find(By::Id("f-needs-0-contact-email-error"))
        .await
        .unwrap();
    assert!(message.text().await.unwrap().contains("پست الکترونیکی"));
    let field = driver
        .find(By::Id("f-needs-0-contact-email"))
        .await
        .unwrap();
    assert_eq!(
        field.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        field.value().await.unwrap().as_deref(),
        Some("maryam-at-nocr"),
        "kept as typed"
    );
    assert_eq!(
        driver
            .find(By::Id("f-needs-0-title"))
            .await
            .unwrap()
            .value()
            .await
            .unwrap()
            .as_deref(),
        Some("استعلام نشانی"),
        "nothing typed is lost"
    );
    ui.screenshot(&driver, "task-error").await;
    ui.assert_accessible(&driver, "the task form with an error")
        .await;
    // The summary's link takes the reader to the field.
    link.click().await.unwrap();
    assert_eq!(
        driver
            .active_element()
            .await
            .unwrap()
            .id()
            .await
            .unwrap()
            .as_deref(),
        Some("f-needs-0-contact-email")
    );
    type_into(&driver, "f-needs-0-contact-email", "m.ahmadi@nocr.example").await;
    click(&driver, "button[value='submit']").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    if let Ok(summary) = driver.find(By::Id("error-summary")).await {
        ui.screenshot(&driver, "task-error-still").await;
        panic!("still refused: {}", summary.text().await.unwrap());
    }
    wait_for_url(&driver, "notice=submitted").await;
    ui.screenshot(&driver, "task-submitted").await;
    let view = task_view(ui, &task).await;
    assert_eq!(view["status"], "submitted");
    let need = &view["submissions"][0]["data"]["needs"][0];
    assert_eq!(need["contact"]["email"], "m.ahmadi@nocr.example");
    assert_eq!(need["expected_volume"]["calls_per_day"], 120);
    assert_eq!(need["lookup_keys"], json!(["postal_code"]));
    // The JSON download is the submission.
    let cookie = driver.get_named_cookie("daftar_session").await.unwrap();
    let download = ui
        .client()
        .get(format!("{}/tasks/{task}/submission.json", ui.base))
        .header("cookie", format!("daftar_session={}", cookie.value))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    let downloaded: Value = download.json().await.unwrap();
    assert_eq!(downloaded, view["submissions"][0]["data"]);
    driver.quit().await.unwrap();
}

/// A complete inventory saved as the agency's draft through the page's JSON box.
async fn with_a_draft(ui: &Ui, driver: &WebDriver, task: &str) {
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let path = format!(
        "{}/tests/fixtures/inventories/SSAA.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    click(driver, "details.upload summary").await;
    // The file is chosen as a person would; the page's script reads it into the text box.
    let file = ui.wait_for(driver, By::Id("upload-file")).await;
    file.send_keys(path.as_str()).await.unwrap();
    let area = driver.find(By::Id("upload-json")).await.unwrap();
    let started = Instant::now();
    while area.prop("value").await.unwrap().unwrap_or_default() != text {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the chosen file never reached the text box"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(driver, "details.upload button").await;
    ui.wait_for(driver, By::Id("f-offers-0-title")).await;
    click(driver, ".actions button[value='save']").await;
    wait_for_url(driver, "notice=saved").await;
    let saved = ui.wait_for(driver, By::Css(".actions .saved")).await;
    assert!(saved.text().await.unwrap().contains("ذخیره شد"));
}

pub async fn a_draft_is_kept_and_the_form_is_submitted_with_the_keyboard_alone(ui: &'static Ui) {
    let login = ui.member("form-keys", "SSAA", &["member"]).await;
    let case = ui.open_inventory("سیاهه ثبت اسناد", &["SSAA"]).await;
    let task = task_of(ui, &case, "SSAA").await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &login).await;
    with_a_draft(ui, &driver, &task).await;
    assert_eq!(
        task_view(ui, &task).await["status"],
        "open",
        "a draft is not a submission"
    );
    ui.screenshot(&driver, "task-draft").await;
    ui.assert_accessible(&driver, "a filled inventory form")
        .await;
    let keys = driver.find(By::Id("f-needs-0-lookup_keys")).await.unwrap();
    keys.scroll_into_view().await.unwrap();
    ui.screenshot(&driver, "task-draft-lists").await;
    // From the top of the page, Tab alone reaches "Submit" and Enter presses it.
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let mut steps = 0;
    loop {
        driver
            .action_chain()
            .send_keys(Key::Tab)
            .perform()
            .await
            .unwrap();
        let focused = driver.active_element().await.unwrap();
        if focused.attr("value").await.unwrap().as_deref() == Some("submit") {
            break;
        }
        steps += 1;
        assert!(steps < 400, "Tab never reached the submit button");
    }
    let outline = driver
        .active_element()
        .await
        .unwrap()
        .css_value("outline-style")
        .await
        .unwrap();
    assert_ne!(outline, "none", "the focus is visible");
    driver
        .action_chain()
        .send_keys(Key::Enter)
        .perform()
        .await
        .unwrap();
    wait_for_url(&driver, "notice=submitted").await;
    let view = task_view(ui, &task).await;
    assert_eq!(view["status"], "submitted");
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/inventories/SSAA.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        view["submissions"][0]["data"], fixture,
        "the draft went through unchanged"
    );
    driver.quit().await.unwrap();
}

pub async fn a_member_votes_in_the_browser(ui: &'static Ui) {
    let login = ui.member("form-vote", "POST", &["member"]).await;
    let resolution = json!({"workflow": "resolution-approval", "title": "مصوبه آزمون رأی", "params": {"text": "هر دستگاه فهرست خدمات خود را بفرستد.", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["POST"]}}});
    let case = ui
        .api(
            Method::POST,
            "/v1/cases",
            ADMIN_TOKEN,
            Some(resolution),
            201,
        )
        .await;
    let case_id = case["id"].as_str().unwrap();
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case_id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let task = tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "POST")
        .expect("the vote task of the member's agency")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let driver = ui.browser().await;
    ui.sign_in(&driver, &login).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let text = ui
        .wait_for(&driver, By::Css("section.resolution blockquote"))
        .await;
    assert!(text.text().await.unwrap().contains("فهرست خدمات"));
    click(&driver, "#vote-reject").await;
    type_into(&driver, "vote-comment", "مهلت کافی نیست").await;
    ui.screenshot(&driver, "vote").await;
    ui.assert_accessible(&driver, "the vote page").await;
    click(&driver, "section.vote button[type='submit']").await;
    wait_for_url(&driver, "notice=voted").await;
    assert_eq!(task_view(ui, &task).await["vote"], "reject");
    ui.screenshot(&driver, "vote-cast").await;
    driver.quit().await.unwrap();
}

pub async fn the_task_form_fits_a_360_pixel_phone(ui: &'static Ui) {
    let login = ui.member("form-phone", "ISIPO", &["member"]).await;
    let case = ui.open_inventory("سیاهه گوشی", &["ISIPO"]).await;
    let task = task_of(ui, &case, "ISIPO").await;
    let driver = ui.browser().await;
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    ui.sign_in(&driver, &login).await;
    with_a_draft(ui, &driver, &task).await;
    let width = driver
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    let (scroll, inner) = (width[0].as_i64().unwrap(), width[1].as_i64().unwrap());
    assert!(
        scroll <= inner,
        "the form scrolls sideways: {scroll} > {inner}"
    );
    let keys = driver.find(By::Id("f-needs-0-lookup_keys")).await.unwrap();
    keys.scroll_into_view().await.unwrap();
    ui.screenshot(&driver, "task-360").await;
    driver.quit().await.unwrap();
}
