//! Reports across rounds in the browser: the secretariat goes from a round's matrix to the
//! comparison with an earlier round, picks it, and reads what changed; the services-at-risk
//! page asks for its two cases.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use thirtyfour::By;

use crate::harness::{ADMIN_TOKEN, Login, Ui};

fn inventory(code: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inventories/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An inventory case of IRICA and MIMT where the inventories of `accepted` are accepted.
async fn round(ui: &Ui, title: &str, staff: &Login, accepted: &[(&str, &Login)]) -> String {
    let case = ui.open_inventory(title, &["IRICA", "MIMT"]).await;
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    for (agency, member) in accepted {
        let task = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == *agency)
            .unwrap();
        let task = task["id"].as_str().unwrap();
        let body = json!({ "data": inventory(agency) });
        ui.api(
            Method::POST,
            &format!("/v1/tasks/{task}/submissions"),
            &member.token,
            Some(body),
            201,
        )
        .await;
        let review = json!({"decision": "accept"});
        ui.api(
            Method::POST,
            &format!("/v1/tasks/{task}/review"),
            &staff.token,
            Some(review),
            200,
        )
        .await;
    }
    case
}

pub async fn the_secretariat_compares_two_rounds(ui: &'static Ui) {
    let staff = ui.member("rounds-sec", "MIMT", &["secretariat"]).await;
    let irica = ui.member("rounds-irica", "IRICA", &["member"]).await;
    let mimt = ui.member("rounds-mimt", "MIMT", &["member"]).await;
    // In the first round only MIMT's inventory was accepted; in the second IRICA's too.
    let first = round(ui, "احصای دور نخست", &staff, &[("MIMT", &mimt)]).await;
    let second = round(
        ui,
        "احصای دور دوم",
        &staff,
        &[("IRICA", &irica), ("MIMT", &mimt)],
    )
    .await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{second}/matrix", ui.base))
        .await
        .unwrap();
    driver
        .find(By::Css(format!(
            "a[href='/exchange-matrix/diff?to={second}']"
        )))
        .await
        .expect("the matrix page links to the comparison")
        .click()
        .await
        .unwrap();
    let from = ui.wait_for(&driver, By::Id("from")).await;
    from.find(By::Css(format!("option[value='{first}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    driver
        .find(By::Css("form.filters button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = ui.wait_for(&driver, By::Css("main section h2")).await;
    let text = heading.text().await.unwrap();
    assert!(text.starts_with("نیازهای برآورده‌شده از آن پس"), "{text}");
    let page = driver
        .find(By::Tag("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("IRICA/needs/0"),
        "IRICA's needs are new in the second round: {page}"
    );
    assert!(page.contains("IRICA/offers/0"), "and its offers: {page}");
    ui.screenshot(&driver, "matrix-diff").await;
    ui.assert_accessible(&driver, "the comparison of two rounds")
        .await;
    // On a phone the tables scroll inside their frame; the page does not scroll sideways.
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    driver.refresh().await.unwrap();
    ui.wait_for(&driver, By::Css("main section h2")).await;
    let script = "return [document.documentElement.scrollWidth, window.innerWidth];";
    let widths = driver
        .execute(script, Vec::new())
        .await
        .unwrap()
        .json()
        .clone();
    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "sideways at 360 px: {widths}"
    );
    ui.screenshot(&driver, "matrix-diff-phone").await;
    driver.set_window_rect(0, 0, 1280, 800).await.unwrap();
    driver
        .goto(format!(
            "{}/reports/services-at-risk?inventory={second}",
            ui.base
        ))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Id("cards")).await;
    ui.screenshot(&driver, "services-at-risk").await;
    ui.assert_accessible(&driver, "the services-at-risk page")
        .await;
    driver.quit().await.unwrap();
    // The same round twice: the pickers stay, with the reason.
    let cookie = ui.session(&staff).await;
    // The CSV of a report that cannot be made is the page that says why.
    let path = format!("/reports/services-at-risk.csv?cards=nonsense&inventory={second}");
    let response = ui.page(&path, &cookie).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("role=\"alert\"") && body.contains("nonsense"),
        "{body}"
    );
    let path = format!("/exchange-matrix/diff?from={first}&to={first}");
    let response = ui.page(&path, &cookie).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("role=\"alert\""));
}
