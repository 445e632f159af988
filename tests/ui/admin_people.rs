//! The administrator's pages for people in the browser: agencies added (a duplicate code
//! refused with what was typed kept) and imported (a file naming a code twice refused,
//! nothing added); a member added, its roles changed, a token issued and shown once, used
//! and revoked; every page checked by axe and at a phone's width. Refusals over plain HTTP
//! are in `admin_refusals.rs`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui, root};

/// Waits (at most 15 s) until the page's source holds `text`.
async fn wait_text(driver: &WebDriver, text: &str) {
    let started = Instant::now();
    loop {
        let source = driver.source().await.unwrap_or_default();
        if source.contains(text) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{text:?} did not appear; the page is:\n{source}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(driver: &WebDriver, id: &str, text: &str) {
    let field = driver.find(By::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn submit(driver: &WebDriver, form_action: &str) {
    let css = format!("form[method=post][action='{form_action}'] button[type=submit]");
    driver
        .find(By::Css(&css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn value_of(driver: &WebDriver, id: &str) -> String {
    let field = driver.find(By::Id(id)).await.unwrap();
    field.value().await.unwrap().unwrap_or_default()
}

pub async fn agency_codes(ui: &Ui) -> Vec<String> {
    let page = ui
        .api(
            Method::GET,
            "/v1/agencies?limit=500",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}

/// Chooses `path` in the import form and sends it.
async fn import(driver: &WebDriver, path: &std::path::Path) {
    let input = driver.find(By::Id("file")).await.unwrap();
    input.send_keys(path.display().to_string()).await.unwrap();
    submit(driver, "/admin/agencies/import").await;
}

async fn agencies_are_added_and_imported(ui: &Ui, driver: &WebDriver) {
    driver
        .goto(format!("{}/admin/agencies", ui.base))
        .await
        .unwrap();
    ui.assert_accessible(driver, "the agencies page").await;
    type_into(driver, "code", "PEOPLE_ORG").await;
    type_into(driver, "name_fa", "سازمان آزمایشی مردم").await;
    type_into(driver, "name_en", "People Test Organisation").await;
    driver
        .find(By::Css("input[name=in_cluster]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(driver, "/admin/agencies").await;
    wait_text(driver, "دستگاه ثبت شد.").await;
    let listed = ui
        .api(
            Method::GET,
            "/v1/agencies?limit=500",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let added = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "PEOPLE_ORG")
        .cloned();
    assert_eq!(
        added.as_ref().map(|a| a["in_cluster"].clone()),
        Some(json!(false)),
        "{listed}"
    );

    // The same code again: refused at the field, everything typed kept.
    type_into(driver, "code", "PEOPLE_ORG").await;
    type_into(driver, "name_fa", "نام دوم").await;
    submit(driver, "/admin/agencies").await;
    wait_text(driver, "دستگاهی با این کد پیش‌تر ثبت شده است").await;
    assert_eq!(value_of(driver, "code").await, "PEOPLE_ORG");
    assert_eq!(value_of(driver, "name_fa").await, "نام دوم");
    let code = driver.find(By::Id("code")).await.unwrap();
    assert_eq!(
        code.attr("aria-describedby").await.unwrap().as_deref(),
        Some("code-error")
    );
    ui.assert_accessible(driver, "the agencies page with an error")
        .await;
    ui.screenshot(driver, "admin-agencies-errors").await;

    // The fixture file: every agency in it is registered afterwards.
    import(driver, &root().join("tests/fixtures/agencies.json")).await;
    wait_text(driver, "پرونده خوانده شد").await;
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/agencies.json")).unwrap(),
    )
    .unwrap();
    let codes = agency_codes(ui).await;
    for agency in fixture["agencies"].as_array().unwrap() {
        assert!(codes.contains(&agency["code"].as_str().unwrap().to_string()));
    }
    ui.screenshot(driver, "admin-agencies").await;

    // A file naming a code twice: the entry is named, and nothing is registered.
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.json");
    let body = json!({"agencies": [
        {"code": "PEOPLE_NEW", "name_fa": "دستگاه نو"},
        {"code": "PEOPLE_NEW", "name_fa": "دستگاه نو دوباره"},
    ]});
    std::fs::write(&twice, body.to_string()).unwrap();
    import(driver, &twice).await;
    wait_text(driver, "در ردیف ۲ دوباره آمده است").await;
    assert!(!agency_codes(ui).await.contains(&"PEOPLE_NEW".to_string()));
    ui.assert_accessible(driver, "the agencies page after a bad import")
        .await;
}

/// Adds a member through the page and changes its roles; returns its id.
async fn a_member_is_added_and_changed(ui: &Ui, driver: &WebDriver) -> String {
    driver
        .goto(format!("{}/admin/members", ui.base))
        .await
        .unwrap();
    ui.assert_accessible(driver, "the members page").await;
    type_into(driver, "name", "مریم رضایی").await;
    type_into(driver, "email", "m.rezaei@irica.example").await;
    let agency = driver.find(By::Id("agency")).await.unwrap();
    agency
        .find(By::Css("option[value=IRICA]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(driver, "id", "people-rezaei").await;
    submit(driver, "/admin/members").await;
    wait_text(driver, "عضو ثبت شد.").await;
    let id = "people-rezaei";
    ui.assert_accessible(driver, "a member's page").await;
    ui.screenshot(driver, "admin-member").await;

    driver
        .find(By::Css("input[name=roles][value=secretariat]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(driver, &format!("/admin/members/{id}")).await;
    wait_text(driver, "تغییرها ثبت شد.").await;
    let member = ui
        .api(
            Method::GET,
            &format!("/v1/members/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(
        member["roles"],
        json!(["secretariat", "member"]),
        "{member}"
    );

    driver
        .goto(format!(
            "{}/admin/members?agency=IRICA&role=secretariat",
            ui.base
        ))
        .await
        .unwrap();
    let listed = driver
        .find(By::Css("table"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listed.contains("مریم رضایی"), "{listed}");
    ui.screenshot(driver, "admin-members").await;
    id.to_string()
}

/// Issues a token (shown once), uses it, revokes it.
async fn a_token_is_shown_once_and_revoked(ui: &Ui, driver: &WebDriver, id: &str) {
    let page = format!("{}/admin/members/{id}", ui.base);
    driver.goto(&page).await.unwrap();
    submit(driver, &format!("/admin/members/{id}/tokens")).await;
    let shown = ui.wait_for(driver, By::Id("new-token")).await;
    let token = shown.text().await.unwrap();
    assert!(token.starts_with("dft_"), "{token}");
    let copy = driver
        .find(By::Css("button[data-copy=new-token]"))
        .await
        .unwrap();
    assert!(
        copy.is_displayed().await.unwrap(),
        "our script shows the copy button"
    );
    ui.assert_accessible(driver, "a token shown once").await;
    ui.screenshot(driver, "admin-member-token").await;
    driver.goto(&page).await.unwrap();
    wait_text(driver, "توکن‌ها").await;
    assert!(
        !driver.source().await.unwrap().contains(&token),
        "shown once only"
    );

    ui.api(Method::GET, "/v1/tasks", &token, None, 200).await;
    let tokens = ui
        .api(
            Method::GET,
            &format!("/v1/members/{id}/tokens"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let token_id = tokens["items"][0]["token_id"].as_str().unwrap().to_string();
    submit(
        driver,
        &format!("/admin/members/{id}/tokens/{token_id}/revoke"),
    )
    .await;
    wait_text(driver, "توکن باطل شد").await;
    ui.api(Method::GET, "/v1/tasks", &token, None, 401).await;
    let tokens = driver.find(By::Id("tokens")).await.unwrap();
    assert!(tokens.text().await.unwrap().contains("باطل شده"));
    tokens.scroll_into_view().await.unwrap();
    ui.screenshot(driver, "admin-member-revoked").await;
}

/// At 360 px wide, no page scrolls sideways.
async fn the_pages_fit_a_phone(ui: &Ui, driver: &WebDriver, id: &str) {
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    let pages = [
        ("agencies", "/admin/agencies".to_string()),
        ("members", "/admin/members".to_string()),
        ("member", format!("/admin/members/{id}")),
    ];
    for (name, path) in pages {
        driver.goto(format!("{}{path}", ui.base)).await.unwrap();
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
            "{path} scrolls sideways: {scroll} > {inner}"
        );
        ui.screenshot(driver, &format!("admin-{name}-360")).await;
    }
}

pub async fn the_admin_manages_agencies_members_and_tokens(ui: &'static Ui) {
    let admin = ui.member("people-admin", "MIMT", &["admin"]).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &admin).await;
    let nav = driver
        .find(By::Css("header nav"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(nav.contains("مدیریت"), "{nav}");
    // The administration page leads to agencies and members.
    driver.goto(format!("{}/admin", ui.base)).await.unwrap();
    for path in ["/admin/agencies", "/admin/members"] {
        let link = format!("main a[href='{path}']");
        driver.find(By::Css(link.as_str())).await.unwrap();
    }
    agencies_are_added_and_imported(ui, &driver).await;
    let id = a_member_is_added_and_changed(ui, &driver).await;
    a_token_is_shown_once_and_revoked(ui, &driver, &id).await;
    the_pages_fit_a_phone(ui, &driver, &id).await;
    driver.quit().await.unwrap();
}
