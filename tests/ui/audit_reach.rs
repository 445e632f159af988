//! Who may open the auditor's pages and what they offer: members and the secretariat get a
//! 403 page, an auditor sees nothing that writes, the log's download follows its filter,
//! and every page fits a 360 px phone. Screenshots: `target/ui-screens/audit-*-360.png`.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use thirtyfour::{By, WebDriver};

use crate::audit::goto;
use crate::harness::{ADMIN_TOKEN, Ui};

async fn status_of(ui: &Ui, cookie: &str, path: &str) -> (StatusCode, String) {
    let response = ui.page(path, cookie).await;
    (response.status(), response.text().await.unwrap())
}

pub async fn members_and_the_secretariat_get_403_on_the_audit_pages(ui: &'static Ui) {
    let member = ui.member("audit-403-member", "FZSEC", &["member"]).await;
    let staff = ui.member("audit-403-sec", "MIMT", &["secretariat"]).await;
    let case = ui.open_inventory("سیاههٔ بی‌دسترسی", &["FZSEC"]).await;
    for login in [&member, &staff] {
        let cookie = ui.session(login).await;
        for path in [
            "/audit/events".to_string(),
            "/audit/events.ndjson".to_string(),
            "/audit/verify".to_string(),
            format!("/cases/{case}/timeline"),
            format!("/cases/{case}/state"),
        ] {
            let (status, html) = status_of(ui, &cookie, &path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{} {path}", login.id);
            assert!(html.contains("اجازه دسترسی ندارید"), "a 403 page: {html}");
        }
    }
}

pub async fn an_auditor_sees_no_button_that_writes(ui: &'static Ui) {
    let auditor = ui.member("audit-readonly", "MIMT", &["auditor"]).await;
    let case = ui.open_inventory("سیاههٔ فقط‌خواندنی", &["FZSEC"]).await;
    let cookie = ui.session(&auditor).await;
    for path in [
        format!("/cases/{case}"),
        format!("/cases/{case}/timeline"),
        format!("/cases/{case}/state"),
        "/audit/events".to_string(),
        "/audit/verify".to_string(),
    ] {
        let (status, html) = status_of(ui, &cookie, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        // The one form that posts is signing out.
        assert_eq!(
            html.matches(r#"method="post""#).count(),
            1,
            "{path}: {html}"
        );
        assert!(
            !html.contains("/cancel") && !html.contains("/reassign"),
            "{path}"
        );
    }
    let (_, html) = status_of(ui, &cookie, &format!("/cases/{case}")).await;
    assert!(
        html.contains(&format!("/cases/{case}/timeline"))
            && html.contains(&format!("/cases/{case}/state"))
    );
    // Posting anyway changes nothing.
    let response = ui
        .post_form(
            &format!("/cases/{case}"),
            &format!("/cases/{case}/cancel"),
            &cookie,
            &[("reason", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let view = ui
        .api(
            Method::GET,
            &format!("/v1/cases/{case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(view["status"], "open");
}

/// The page's width and the window's, in CSS pixels.
async fn widths(driver: &WebDriver) -> (i64, i64) {
    let width = driver
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    (width[0].as_i64().unwrap(), width[1].as_i64().unwrap())
}

pub async fn the_audit_pages_fit_a_360_pixel_phone(ui: &'static Ui) {
    let auditor = ui.member("audit-phone", "MIMT", &["auditor"]).await;
    let case = ui.open_inventory("سیاههٔ حسابرسی در تلفن", &["FZSEC"]).await;
    let driver = ui.browser().await;
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    ui.sign_in(&driver, &auditor).await;
    for (path, name) in [
        (format!("/audit/events?case={case}"), "audit-events-360"),
        (format!("/cases/{case}/timeline"), "audit-timeline-360"),
        (format!("/cases/{case}/state"), "audit-state-360"),
        ("/audit/verify".to_string(), "audit-verify-360"),
    ] {
        goto(ui, &driver, &path).await;
        if let Ok(summary) = driver.find(By::Css(".event-log summary")).await {
            summary.click().await.unwrap();
        }
        let (scroll, inner) = widths(&driver).await;
        assert!(inner <= 360, "the window is {inner} px wide");
        assert!(
            scroll <= inner,
            "{path} scrolls sideways: {scroll} > {inner}"
        );
        ui.screenshot(&driver, name).await;
    }
    driver.quit().await.unwrap();
}

pub async fn the_log_downloads_as_ndjson_for_its_filter(ui: &'static Ui) {
    let auditor = ui.member("audit-ndjson", "MIMT", &["auditor"]).await;
    let case = ui
        .open_inventory("سیاههٔ دریافت دفتر", &["FZSEC", "GSI"])
        .await;
    let cookie = ui.session(&auditor).await;
    let (_, page) = status_of(ui, &cookie, &format!("/audit/events?case={case}")).await;
    let link = format!("/audit/events.ndjson?case={case}");
    assert!(page.contains(&link), "the page links its download");
    let response = ui.page(&link, &cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("application/x-ndjson"), "{kind}");
    let body = response.text().await.unwrap();
    let lines: Vec<Value> = body
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(lines.len() >= 3, "the case opened and two tasks: {body}");
    let stream = format!("case-{case}");
    assert!(lines.iter().all(|e| e["stream_id"] == stream.as_str()));
    let (status, html) = status_of(ui, &cookie, "/audit/events.ndjson?case=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
}
