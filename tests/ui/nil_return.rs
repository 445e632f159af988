//! «Nothing to declare» on the task page: chosen at the top of the form, which then shows
//! the reason and hides the lists; an empty reason is asked for at its field; the nil return
//! is submitted, accepted and read on the case's board.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui};

const REASON: &str = "f-nothing_to_declare-reason";

async fn shown(driver: &WebDriver, css: &str) -> bool {
    let element = driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"));
    element.is_displayed().await.unwrap()
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

async fn the_task(ui: &Ui, case: &str) -> String {
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    tasks["items"][0]["id"].as_str().unwrap().to_owned()
}

pub async fn a_member_answers_nothing_to_declare_with_its_reason(ui: &'static Ui) {
    let login = ui.member("nil-member", "GDPO", &["member"]).await;
    let staff = ui.member("nil-sec", "MIMT", &["secretariat"]).await;
    let case = ui
        .open_inventory("احصای اطلاعات پست‌های گمرکی", &["GDPO"])
        .await;
    let task = the_task(ui, &case).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &login).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Id("task-form")).await;
    // The lists are the answer at first; the reason waits out of sight.
    assert!(shown(&driver, "button[value='add:/needs']").await);
    assert!(!shown(&driver, &format!("#{REASON}")).await);
    click(&driver, "#answer-nothing").await;
    assert!(
        shown(&driver, &format!("#{REASON}")).await,
        "the reason appears"
    );
    assert!(
        !shown(&driver, "button[value='add:/needs']").await,
        "the lists go"
    );
    ui.screenshot(&driver, "nil-return-chosen").await;
    ui.assert_accessible(&driver, "the form with nothing to declare chosen")
        .await;
    // Submitted without a reason: asked for at its field, the choice kept.
    click(&driver, "button[value='submit']").await;
    let summary = ui.wait_for(&driver, By::Id("error-summary")).await;
    let link = summary.find(By::Css("a")).await.unwrap();
    assert_eq!(link.attr("href").await.unwrap(), Some(format!("#{REASON}")));
    let message = driver
        .find(By::Id(format!("{REASON}-error")))
        .await
        .unwrap();
    assert!(message.text().await.unwrap().contains("الزامی"));
    let chosen = driver.find(By::Id("answer-nothing")).await.unwrap();
    assert!(chosen.is_selected().await.unwrap(), "the choice is kept");
    ui.screenshot(&driver, "nil-return-no-reason").await;
    let reason = "این سازمان در این دوره سامانه‌ای برای تبادل اطلاعات ندارد.";
    let field = driver.find(By::Id(REASON)).await.unwrap();
    field.send_keys(reason).await.unwrap();
    click(&driver, "button[value='submit']").await;
    wait_for_url(&driver, "notice=submitted").await;
    let view = ui
        .api(
            Method::GET,
            &format!("/v1/tasks/{task}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(view["status"], "submitted");
    assert_eq!(
        view["submissions"][0]["data"],
        json!({"nothing_to_declare": {"reason": reason}})
    );
    driver.quit().await.unwrap();
    // Accepted, it is its own status on the case's board.
    let review = json!({"decision": "accept"});
    let path = format!("/v1/tasks/{task}/review");
    ui.api(Method::POST, &path, &staff.token, Some(review), 200)
        .await;
    let cookie = ui.session(&staff).await;
    let page = ui.page(&format!("/cases/{case}"), &cookie).await;
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<span class=\"chip ok\">موردی برای اعلام ندارد</span>"),
        "{html}"
    );
}
