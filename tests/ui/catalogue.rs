//! The secretariat curates the catalogue of data items in the browser: a merge into the
//! item itself is refused at its field with what was typed kept, then a merge into another
//! item makes it a synonym there; the inventory form's name field gets suggestions.

use reqwest::{Method, StatusCode};
use serde_json::json;
use thirtyfour::By;

use crate::harness::Ui;

pub async fn the_secretariat_merges_two_items_and_an_error_is_kept(ui: &'static Ui) {
    let secretariat = ui.member("catalogue-sec", "MIMT", &["secretariat"]).await;
    let add = |name: &'static str| {
        let token = secretariat.token.clone();
        async move {
            let body = json!({"name": name});
            ui.api(Method::POST, "/v1/catalogue", &token, Some(body), 201)
                .await["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let kept = add("وضعیت کارت بازرگانی").await;
    let merged = add("اعتبار کارت بازرگانی").await;

    let driver = ui.browser().await;
    ui.sign_in(&driver, &secretariat).await;
    driver.goto(format!("{}/catalogue", ui.base)).await.unwrap();
    ui.wait_for(&driver, By::Css("table.catalogue")).await;
    ui.screenshot(&driver, "catalogue-list").await;
    ui.assert_accessible(&driver, "/catalogue").await;

    // Into itself: refused at the field, the typed id kept, nothing recorded.
    driver
        .goto(format!("{}/catalogue/{merged}", ui.base))
        .await
        .unwrap();
    let into = ui.wait_for(&driver, By::Id("merge-into")).await;
    into.send_keys(&merged).await.unwrap();
    into.send_keys(thirtyfour::Key::Enter).await.unwrap();
    let error = ui.wait_for(&driver, By::Id("merge-into-error")).await;
    assert!(error.text().await.unwrap().contains("دور"), "says why");
    let value = driver
        .find(By::Id("merge-into"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(
        value.as_deref(),
        Some(merged.as_str()),
        "what was typed is kept"
    );
    ui.screenshot(&driver, "catalogue-merge-refused").await;
    ui.assert_accessible(&driver, "/catalogue/{id} refused")
        .await;

    // Into the other item: this one becomes its synonym.
    let into = driver.find(By::Id("merge-into")).await.unwrap();
    into.clear().await.unwrap();
    into.send_keys(&kept).await.unwrap();
    into.send_keys(thirtyfour::Key::Enter).await.unwrap();
    ui.wait_for(&driver, By::Css("div.notice.ok")).await;
    assert!(
        driver
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with(&format!("/catalogue/{kept}"))
    );
    let page = driver.source().await.unwrap();
    assert!(
        page.contains("اعتبار کارت بازرگانی"),
        "the merged name is a synonym"
    );
    ui.screenshot(&driver, "catalogue-merged").await;
    let item = ui
        .api(
            Method::GET,
            &format!("/v1/catalogue/{merged}"),
            &secretariat.token,
            None,
            200,
        )
        .await;
    assert_eq!(item["id"], kept.as_str());
    assert_eq!(item["synonyms"], json!(["اعتبار کارت بازرگانی"]));
    driver.quit().await.unwrap();

    // Suggestions while typing (Arabic kaf, folded).
    let cookie = ui.session(&secretariat).await;
    let response = ui
        .page("/catalogue/suggest?list=s1&%2Fneeds%2F0%2Fdata_items%2F0%2Fname=%D9%83%D8%A7%D8%B1%D8%AA", &cookie)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"<datalist id="s1">"#), "{html}");
    assert!(html.contains(r#"value="وضعیت کارت بازرگانی""#), "{html}");
}
