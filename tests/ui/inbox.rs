//! The inbox: an agency's tasks, sorted by due date, filtered by URL, on a phone too.

use reqwest::{Method, StatusCode};
use serde_json::json;
use thirtyfour::By;

use crate::harness::{ADMIN_TOKEN, Ui, session_cookie};

pub async fn another_agencys_task_stays_out_of_the_inbox(ui: &'static Ui) {
    let login = ui.member("inbox-isolation", "GSI", &["member"]).await;
    let case = ui.open_inventory("سیاهه جداسازی", &["GSI", "ICC"]).await;
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let id_of = |agency: &str| {
        tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == agency)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let response = ui
        .client()
        .post(format!("{}/sign-in/token", ui.base))
        .header("origin", &ui.base)
        .form(&[("token", login.token.as_str())])
        .send()
        .await
        .unwrap();
    let cookie = session_cookie(&response).unwrap();
    let inbox = ui
        .client()
        .get(format!("{}/", ui.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), StatusCode::OK);
    let html = inbox.text().await.unwrap();
    assert!(html.contains(&format!("/tasks/{}", id_of("GSI"))), "{html}");
    assert!(
        !html.contains(&id_of("ICC")),
        "another agency's task leaked"
    );
    assert!(html.contains("<title>کارتابل (۱) — دفتر</title>"), "{html}");
}

/// Opens a resolution whose vote falls due before the inventory the same agency has.
async fn two_tasks_for(ui: &Ui, agency: &str, title: &str) -> String {
    let inventory = ui
        .open_inventory(&format!("{title} — سیاهه"), &[agency])
        .await;
    let resolution = json!({"workflow": "resolution-approval", "title": format!("{title} — مصوبه"), "params": {"text": "متن مصوبه", "on_approval": {"workflow": "data-exchange-inventory", "participants": [agency]}}});
    ui.api(
        Method::POST,
        "/v1/cases",
        ADMIN_TOKEN,
        Some(resolution),
        201,
    )
    .await;
    inventory
}

pub async fn the_inbox_lists_tasks_by_due_date_with_filters(ui: &'static Ui) {
    let login = ui.member("inbox-sorted", "IDRO", &["member"]).await;
    let inventory = two_tasks_for(ui, "IDRO", "مرتب").await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &login).await;
    let rows = driver
        .find_all(By::Css("#inbox-list tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let mut dues = Vec::new();
    for time in driver
        .find_all(By::Css("#inbox-list tbody time"))
        .await
        .unwrap()
    {
        dues.push(time.attr("datetime").await.unwrap().unwrap());
    }
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted, "sorted by due date");
    let title = driver.title().await.unwrap();
    assert!(title.starts_with("کارتابل (۲)"), "{title}");
    let badge = driver
        .find(By::Css("#inbox-list .badge"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        badge.contains("روز مانده") || badge.contains("روز گذشته") || badge.contains("امروز"),
        "{badge}"
    );
    ui.screenshot(&driver, "inbox").await;
    // Filter by case: htmx swaps the list and the URL follows.
    let select = driver.find(By::Id("case")).await.unwrap();
    select
        .find(By::Css(format!("option[value='{inventory}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let rows = driver
            .find_all(By::Css("#inbox-list tbody tr"))
            .await
            .unwrap();
        if rows.len() == 1 {
            break;
        }
        assert!(started.elapsed().as_secs() < 10, "the filter did not apply");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = driver.current_url().await.unwrap();
    assert!(url.as_str().contains(&format!("case={inventory}")), "{url}");
    // The filtered URL opens the same list on its own.
    driver.goto(url.as_str()).await.unwrap();
    assert_eq!(
        driver
            .find_all(By::Css("#inbox-list tbody tr"))
            .await
            .unwrap()
            .len(),
        1
    );
    ui.screenshot(&driver, "inbox-filtered").await;
    driver.quit().await.unwrap();
}

pub async fn the_inbox_fits_a_360_pixel_phone(ui: &'static Ui) {
    let login = ui.member("inbox-phone", "IMIDRO", &["member"]).await;
    two_tasks_for(ui, "IMIDRO", "گوشی").await;
    let driver = ui.browser().await;
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    ui.sign_in(&driver, &login).await;
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
    assert!(inner <= 360, "the window is {inner} px wide");
    assert!(
        scroll <= inner,
        "the page scrolls sideways: {scroll} > {inner}"
    );
    ui.screenshot(&driver, "inbox-360").await;
    driver.quit().await.unwrap();
}
