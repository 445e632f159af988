//! The exchange matrix page: the cell of an accepted need and offer with its count, opened
//! to show the data items they share; a member's part only; the lists on a phone; a clean
//! printed page; 404 for another agency's case and a readable 422 for a case without
//! inventories.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Login, Ui};

fn inventory(code: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inventories/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An inventory case of IRICA, MIMT and PMO where IRICA's and MIMT's inventories are
/// accepted and PMO's is still open; returns the case and the secretariat's login.
async fn seed(ui: &Ui, tag: &str) -> (String, Login) {
    let staff = ui
        .member(&format!("{tag}-sec"), "MIMT", &["secretariat"])
        .await;
    let case = ui
        .open_inventory(&format!("جدول تبادل {tag}"), &["IRICA", "MIMT", "PMO"])
        .await;
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    for agency in ["IRICA", "MIMT"] {
        let member = ui
            .member(
                &format!("{tag}-{}", agency.to_lowercase()),
                agency,
                &["member"],
            )
            .await;
        let task = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == agency)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let body = json!({ "data": inventory(agency) });
        let path = format!("/v1/tasks/{task}/submissions");
        ui.api(Method::POST, &path, &member.token, Some(body), 201)
            .await;
        let review = json!({"decision": "accept"});
        let path = format!("/v1/tasks/{task}/review");
        ui.api(Method::POST, &path, &staff.token, Some(review), 200)
            .await;
    }
    (case, staff)
}

/// Whether the element matched by `css` is laid out on the page.
async fn shown(driver: &WebDriver, css: &str) -> bool {
    let script = format!(
        "const e = document.querySelector({css:?}); return !!e && e.getClientRects().length > 0;"
    );
    driver.execute(&script, Vec::new()).await.unwrap().json() == &Value::Bool(true)
}

pub async fn the_matrix_shows_the_accepted_need_and_offer(ui: &'static Ui) {
    let (case, staff) = seed(ui, "matrix").await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    driver
        .find(By::Css(format!("a[href='/cases/{case}/matrix']")))
        .await
        .expect("the case page links to its matrix")
        .click()
        .await
        .unwrap();
    let cell = ui
        .wait_for(
            &driver,
            By::Css("td.m-full a[href*='consumer=IRICA&provider=MIMT']"),
        )
        .await;
    let text = cell.text().await.unwrap();
    assert!(
        text.starts_with("✓ ۲/۲"),
        "both of IRICA's needs of MIMT met: {text}"
    );
    let label = cell.attr("title").await.unwrap().unwrap_or_default();
    assert!(label.contains("گمرک جمهوری اسلامی ایران"), "{label}");
    ui.screenshot(&driver, "matrix").await;
    ui.assert_accessible(&driver, "the matrix page").await;
    cell.click().await.unwrap();
    let detail = ui.wait_for(&driver, By::Id("cell")).await;
    let marked = detail
        .find(By::Css("mark"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Shown as the agency typed it (Arabic ي and ك), though compared folded.
    assert!(
        marked.contains("وضعيت كارت بازرگاني"),
        "a shared data item is marked, as submitted: {marked}"
    );
    assert!(detail.text().await.unwrap().contains("برآورده با"));
    ui.screenshot(&driver, "matrix-cell").await;
    ui.assert_accessible(&driver, "an opened cell").await;
    // Printed: no navigation, buttons or forms; the grid whole.
    driver
        .cdp()
        .send_raw("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await
        .expect("print media");
    for hidden in ["header nav", "header form", ".actions", "a.skip-link"] {
        assert!(!shown(&driver, hidden).await, "{hidden} is printed");
    }
    assert!(shown(&driver, "table.matrix").await, "the grid is printed");
    ui.screenshot(&driver, "matrix-print").await;
    driver
        .cdp()
        .send_raw("Emulation.setEmulatedMedia", json!({"media": ""}))
        .await
        .unwrap();
    // On a phone: the lists, not the grid.
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    driver
        .goto(format!("{}/cases/{case}/matrix", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Id("unmatched")).await;
    assert!(!shown(&driver, ".matrix-grid").await, "no grid on a phone");
    assert!(shown(&driver, "#unmatched").await && shown(&driver, "#unused").await);
    ui.screenshot(&driver, "matrix-phone").await;
    ui.assert_accessible(&driver, "the matrix on a phone").await;
    driver.quit().await.unwrap();
}

pub async fn a_member_reads_its_part_of_the_matrix_and_no_other_case(ui: &'static Ui) {
    let (case, staff) = seed(ui, "matrix-part").await;
    let pmo = ui.member("matrix-part-pmo", "PMO", &["member"]).await;
    let cookie = ui.session(&pmo).await;
    let path = format!("/cases/{case}/matrix");
    let response = ui.page(&path, &cookie).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("consumer=IRICA&amp;provider=PMO"),
        "IRICA's need of PMO"
    );
    assert!(
        !html.contains("provider=MIMT"),
        "IRICA's needs of MIMT are not PMO's: {html}"
    );
    // The API answers the member the same part.
    let matrix = ui
        .api(
            Method::GET,
            &format!("/v1/exchange-matrix?case={case}"),
            &pmo.token,
            None,
            200,
        )
        .await;
    let cells = matrix["cells"].as_array().unwrap();
    assert!(
        cells
            .iter()
            .all(|c| c["consumer"] == "PMO" || c["provider"] == "PMO")
    );
    assert!(!cells.is_empty());
    // PMO's own task links to the matrix.
    let tasks = ui
        .api(
            Method::GET,
            &format!("/v1/tasks?case={case}"),
            &pmo.token,
            None,
            200,
        )
        .await;
    let task = tasks["items"][0]["id"].as_str().unwrap();
    let html = ui
        .page(&format!("/tasks/{task}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("href=\"{path}\"")), "{html}");
    let csv = ui.page(&format!("{path}.csv"), &cookie).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        !csv.text().await.unwrap().contains("IRICA/needs/0"),
        "the CSV is PMO's part"
    );
    // An agency outside the case: the same 404 page as no case at all.
    let cppo = ui.member("matrix-part-cppo", "CPPO", &["member"]).await;
    let outsider = ui.page(&path, &ui.session(&cppo).await).await;
    assert_eq!(outsider.status(), StatusCode::NOT_FOUND);
    let unknown = format!("/cases/{}/matrix", uuid::Uuid::nil());
    let staff_cookie = ui.session(&staff).await;
    assert_eq!(
        ui.page(&unknown, &staff_cookie).await.status(),
        StatusCode::NOT_FOUND
    );
    let no_cell = format!("{path}?consumer=PMO&provider=CPPO");
    assert_eq!(
        ui.page(&no_cell, &staff_cookie).await.status(),
        StatusCode::NOT_FOUND
    );
    // A resolution collects no inventories: a page that says so, as the API's 422.
    let resolution = json!({"workflow": "resolution-approval", "title": "مصوبهٔ بی‌جدول", "params": {"text": "متن"}});
    let vote = ui
        .api(
            Method::POST,
            "/v1/cases",
            &staff.token,
            Some(resolution),
            201,
        )
        .await;
    let vote = vote["id"].as_str().unwrap();
    let response = ui
        .page(&format!("/cases/{vote}/matrix"), &staff_cookie)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("فهرست اطلاعات مورد نیاز و قابل عرضه گردآوری نمی‌کند"),
        "{html}"
    );
}
