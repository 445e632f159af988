//! The secretariat's pages: opening a resolution, the case page with its live board, the
//! review page with the changes marked, a stale review refused, reassigning and cancelling.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Login, Ui, csrf_of, session_cookie};

fn inventory(code: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inventories/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The task of `agency` in `case`.
async fn task_of(ui: &Ui, case: &str, agency: &str) -> Value {
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
        .cloned()
        .unwrap()
}

async fn submit(ui: &Ui, login: &Login, task: &str, data: &Value) {
    let body = json!({ "data": data });
    let path = format!("/v1/tasks/{task}/submissions");
    ui.api(Method::POST, &path, &login.token, Some(body), 201)
        .await;
}

/// A session cookie for `login`, signed in by token over plain HTTP.
async fn cookie(ui: &Ui, login: &Login) -> String {
    let response = ui
        .client()
        .post(format!("{}/sign-in/token", ui.base))
        .header("origin", &ui.base)
        .form(&[("token", login.token.as_str())])
        .send()
        .await
        .unwrap();
    session_cookie(&response).expect("signed in")
}

async fn get(ui: &Ui, cookie: &str, path: &str) -> (StatusCode, String) {
    let response = ui
        .client()
        .get(format!("{}{path}", ui.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn post(ui: &Ui, cookie: &str, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let response = ui
        .client()
        .post(format!("{}{path}", ui.base))
        .header("cookie", cookie)
        .header("origin", &ui.base)
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

fn hidden_version(html: &str) -> String {
    html.split(r#"name="version" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries its version")
        .to_string()
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

pub async fn a_member_opening_the_review_page_gets_403(ui: &'static Ui) {
    let member = ui.member("review-403", "PMO", &["member"]).await;
    let staff = ui.member("review-403-sec", "MIMT", &["secretariat"]).await;
    let case = ui.open_inventory("بررسی ممنوع", &["PMO"]).await;
    let task = task_of(ui, &case, "PMO").await;
    let id = task["id"].as_str().unwrap();
    submit(ui, &member, id, &inventory("PMO")).await;
    let path = format!("/tasks/{id}/review");
    let (status, html) = get(ui, &cookie(ui, &member).await, &path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        html.contains("<html lang=\"fa\" dir=\"rtl\">"),
        "a page, in Persian"
    );
    let (status, _) = get(ui, &cookie(ui, &staff).await, &path).await;
    assert_eq!(status, StatusCode::OK);
    let unknown = format!("/tasks/{}/review", uuid::Uuid::nil());
    let (status, _) = get(ui, &cookie(ui, &staff).await, &unknown).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

pub async fn a_review_from_a_stale_page_is_a_409_and_changes_nothing(ui: &'static Ui) {
    let member = ui.member("stale-member", "PPO", &["member"]).await;
    let first = ui.member("stale-sec-1", "MIMT", &["secretariat"]).await;
    let second = ui.member("stale-sec-2", "MIMT", &["secretariat"]).await;
    let case = ui.open_inventory("بررسی هم‌زمان", &["PPO"]).await;
    let id = task_of(ui, &case, "PPO").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    submit(ui, &member, &id, &inventory("PPO")).await;
    let path = format!("/tasks/{id}/review");
    // Both open the page; the first returns the submission, then the second accepts.
    let (cookie1, cookie2) = (cookie(ui, &first).await, cookie(ui, &second).await);
    let (_, page1) = get(ui, &cookie1, &path).await;
    let (_, page2) = get(ui, &cookie2, &path).await;
    let comment = "نشانی رابط را کامل کنید";
    let (status, _) = post(
        ui,
        &cookie1,
        &path,
        &[
            ("csrf", &csrf_of(&page1)),
            ("version", &hidden_version(&page1)),
            ("decision", "return"),
            ("comment", comment),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html) = post(
        ui,
        &cookie2,
        &path,
        &[
            ("csrf", &csrf_of(&page2)),
            ("version", &hidden_version(&page2)),
            ("decision", "accept"),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("تصمیم شما ثبت نشد"), "{html}");
    let task = ui
        .api(
            Method::GET,
            &format!("/v1/tasks/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(task["status"], "returned", "the return stands");
    assert_eq!(task["comments"].as_array().unwrap().len(), 1);
}

pub async fn the_board_fragment_is_204_until_the_case_changes(ui: &'static Ui) {
    let member = ui.member("fragment-member", "SSAA", &["member"]).await;
    let staff = ui.member("fragment-sec", "MIMT", &["secretariat"]).await;
    let case = ui.open_inventory("جدول زنده", &["SSAA"]).await;
    let cookie = cookie(ui, &staff).await;
    let (status, page) = get(ui, &cookie, &format!("/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK);
    let poll = page
        .split("hx-get=\"")
        .find(|s| s.starts_with(&format!("/cases/{case}/board?version=")))
        .and_then(|s| s.split('"').next())
        .expect("the board polls")
        .to_string();
    let (status, _) = get(ui, &cookie, &poll).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "nothing changed");
    let id = task_of(ui, &case, "SSAA").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    submit(ui, &member, &id, &inventory("SSAA")).await;
    let (status, fragment) = get(ui, &cookie, &poll).await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.contains("در انتظار بررسی"), "{fragment}");
    assert!(fragment.contains("hx-swap-oob"), "the change is announced");
    let (status, csv) = get(ui, &cookie, &format!("/cases/{case}/board.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("SSAA"), "{csv}");
}

pub async fn a_member_reads_the_board_of_its_cases_and_no_other(ui: &'static Ui) {
    let own = ui.member("board-own", "PMO", &["member"]).await;
    let peer = ui
        .named_member("board-peer", "همکار دستگاه دیگر", "SSAA", &["member"])
        .await;
    let case = ui.open_inventory("جدول برای اعضا", &["PMO", "SSAA"]).await;
    let other = ui.open_inventory("پرونده دیگران", &["SSAA"]).await;
    // The peer's task is given to the peer, so the board knows who holds it.
    let peer_task = task_of(ui, &case, "SSAA").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let reassign = json!({"member_id": "board-peer"});
    let path = format!("/v1/tasks/{peer_task}/reassign");
    ui.api(Method::POST, &path, &peer.token, Some(reassign), 200)
        .await;
    let own_task = task_of(ui, &case, "PMO").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let session = cookie(ui, &own).await;
    let (status, page) = get(ui, &session, &format!("/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(">SSAA</bdi>"), "a peer's row: {page}");
    assert!(
        page.contains(&format!("href=\"/tasks/{own_task}\"")),
        "{page}"
    );
    assert!(
        !page.contains(&format!("href=\"/tasks/{peer_task}\"")),
        "no link into a peer's task"
    );
    assert!(!page.contains("/cancel\""), "no staff actions");
    let staff = ui.member("board-staff", "MIMT", &["secretariat"]).await;
    let (_, staff_page) = get(ui, &cookie(ui, &staff).await, &format!("/cases/{case}")).await;
    assert!(staff_page.contains("/cancel\""), "the secretariat cancels");
    let staff_csv = format!("/cases/{case}/board.csv");
    let (_, staff_csv) = get(ui, &cookie(ui, &staff).await, &staff_csv).await;
    assert!(
        staff_csv.contains("board-peer"),
        "the secretariat sees who holds a task"
    );
    let (status, csv) = get(ui, &session, &format!("/cases/{case}/board.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("SSAA") && !csv.contains("board-peer"), "{csv}");
    for path in [
        format!("/cases/{other}"),
        format!("/cases/{other}/board"),
        format!("/cases/{other}/board.csv"),
    ] {
        let (status, html) = get(ui, &session, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {html}");
    }
    // The task page leads to the case's board.
    let (_, task_page) = get(ui, &session, &format!("/tasks/{own_task}")).await;
    assert!(
        task_page.contains(&format!("href=\"/cases/{case}\"")),
        "{task_page}"
    );
}

pub async fn a_member_goes_from_its_task_to_the_case_board(ui: &'static Ui) {
    let member = ui.member("board-walk", "ICC", &["member"]).await;
    let case = ui
        .open_inventory("جدول وضعیت برای دستگاه", &["ICC", "ICG", "GTC"])
        .await;
    let task = task_of(ui, &case, "ICC").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let driver = ui.browser().await;
    ui.sign_in(&driver, &member).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let link = format!("a[href='/cases/{case}']");
    ui.wait_for(&driver, By::Css(&link)).await;
    driver
        .find(By::Css(&link))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("#board table")).await;
    let rows = driver.find_all(By::Css("#board tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 3, "every agency's row");
    let links = driver
        .find_all(By::Css("#board tbody a[href^='/tasks/']"))
        .await
        .unwrap();
    assert_eq!(links.len(), 1, "only its own task is a link");
    ui.screenshot(&driver, "case-board-member").await;
    driver.quit().await.unwrap();
}

pub async fn the_secretariat_opens_a_resolution(ui: &'static Ui) {
    let staff = ui.member("open-sec", "MIMT", &["secretariat"]).await;
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver.goto(format!("{}/cases/new", ui.base)).await.unwrap();
    // Sent empty: every missing answer is said at its field, in a summary linking to each.
    driver
        .find(By::Css("form.panel button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Typing waits for the answer: into the page that left, it would be lost.
    let summary = ui.wait_for(&driver, By::Css(".error-summary")).await;
    assert!(summary.text().await.unwrap().contains("عنوان را بنویسید"));
    let title = driver.find(By::Id("title")).await.unwrap();
    title.send_keys("مصوبهٔ آزمایشی احصا").await.unwrap();
    driver
        .find(By::Id("text"))
        .await
        .unwrap()
        .send_keys("دستگاه‌ها فهرست خود را بفرستند.")
        .await
        .unwrap();
    driver
        .find(By::Css("input[name=participants][value=chosen]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    driver
        .find(By::Css("form.panel button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The first answer had a summary too: wait for the second one's words.
    wait_until(&driver, "the second answer", |html| {
        html.contains("دست‌کم یک دستگاه")
    })
    .await;
    let summary = ui.wait_for(&driver, By::Css(".error-summary")).await;
    let text = summary.text().await.unwrap();
    assert!(!text.contains("عنوان را بنویسید"), "{text}");
    assert!(text.contains("کاری را که آغاز می‌شود"), "{text}");
    let kept = driver
        .find(By::Id("title"))
        .await
        .unwrap()
        .value()
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("مصوبهٔ آزمایشی احصا"),
        "nothing typed is lost"
    );
    ui.screenshot(&driver, "cases-new-errors").await;
    // Find the customs administration by name and tick it.
    let filter = driver.find(By::Id("agency-filter")).await.unwrap();
    filter.send_keys("گمرک").await.unwrap();
    wait_until(&driver, "the agency filter", |html| {
        let list = html.split("id=\"agency-list\"").nth(1).unwrap_or_default();
        list.contains("IRICA") && !list.contains("CPPO")
    })
    .await;
    driver
        .find(By::Css("input[name=agency][value=IRICA]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let workflow = driver.find(By::Id("workflow")).await.unwrap();
    workflow
        .find(By::Css("option[value='data-exchange-inventory']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.screenshot(&driver, "cases-new").await;
    driver
        .find(By::Css("form.panel button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notice = ui.wait_for(&driver, By::Css(".notice.ok")).await;
    assert!(notice.text().await.unwrap().contains("پرونده باز شد"));
    let url = driver.current_url().await.unwrap().to_string();
    let id = url
        .split("/cases/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let case = ui
        .api(
            Method::GET,
            &format!("/v1/cases/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(case["workflow"], "resolution-approval");
    assert_eq!(
        case["params"]["on_approval"]["participants"],
        json!(["IRICA"])
    );
    assert_eq!(case["params"]["text"], "دستگاه‌ها فهرست خود را بفرستند.");
    ui.screenshot(&driver, "case-resolution").await;
    driver.goto(format!("{}/cases", ui.base)).await.unwrap();
    ui.wait_for(&driver, By::Css("table.cards")).await;
    ui.screenshot(&driver, "cases").await;
    driver.quit().await.unwrap();
}

pub async fn the_secretariat_reviews_with_the_changes_marked(ui: &'static Ui) {
    let member = ui.member("review-member", "CBI", &["member"]).await;
    let staff = ui.member("review-sec", "MIMT", &["secretariat"]).await;
    let case = ui
        .open_inventory("بررسی با تغییرات", &["CBI", "EGFI"])
        .await;
    let id = task_of(ui, &case, "CBI").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let first = inventory("CBI");
    submit(ui, &member, &id, &first).await;
    let back = json!({"decision": "return", "comment": "تلفن رابط نادرست است"});
    ui.api(
        Method::POST,
        &format!("/v1/tasks/{id}/review"),
        &staff.token,
        Some(back),
        200,
    )
    .await;
    let mut second = first.clone();
    second["needs"][0]["contact"]["phone"] = json!("021-88023300");
    second["offers"].as_array_mut().unwrap().pop();
    submit(ui, &member, &id, &second).await;

    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("#board table")).await;
    ui.screenshot(&driver, "case-board").await;
    driver
        .find(By::Css(format!("a[href='/tasks/{id}/review']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let summary = ui.wait_for(&driver, By::Css(".diff-summary")).await;
    let text = summary.text().await.unwrap();
    assert!(
        text.contains("۱ تغییر کرده") && text.contains("۱ حذف‌شده"),
        "{text}"
    );
    let del = driver
        .find(By::Css("del"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ins = driver
        .find(By::Css("ins"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        (del.as_str(), ins.as_str()),
        ("021-88023307", "021-88023300")
    );
    ui.screenshot(&driver, "review").await;
    // Returning needs a comment: the page says so at the field.
    driver
        .find(By::Css("button[value=return]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = ui.wait_for(&driver, By::Id("comment-error")).await;
    assert!(error.text().await.unwrap().contains("بنویسید"));
    let described = driver
        .find(By::Id("comment"))
        .await
        .unwrap()
        .attr("aria-describedby")
        .await
        .unwrap();
    assert_eq!(described.as_deref(), Some("comment-error"));
    ui.screenshot(&driver, "review-return-needs-comment").await;
    driver
        .find(By::Css("button[value=accept]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    let task = ui
        .api(
            Method::GET,
            &format!("/v1/tasks/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(task["status"], "accepted");
    driver.quit().await.unwrap();
}

pub async fn the_board_updates_itself_and_fits_a_phone(ui: &'static Ui) {
    let member = ui.member("live-member", "GTC", &["member"]).await;
    let staff = ui.member("live-sec", "MIMT", &["secretariat"]).await;
    let case = ui
        .open_inventory("جدول خودکار", &["GTC", "ICC", "ICG"])
        .await;
    let driver = ui.browser().await;
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("#board table")).await;
    let width = driver
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    assert!(
        width[0].as_i64() <= width[1].as_i64(),
        "the page scrolls sideways: {width}"
    );
    ui.screenshot(&driver, "case-board-360").await;
    let id = task_of(ui, &case, "GTC").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    submit(ui, &member, &id, &inventory("GTC")).await;
    // No reload: the polled fragment brings the change and the live region says so.
    wait_until(&driver, "the live update", |html| {
        html.contains(&format!("/tasks/{id}/review")) && html.contains("جدول وضعیت به‌روز شد")
    })
    .await;
    driver.quit().await.unwrap();
}

pub async fn the_secretariat_reassigns_and_cancels(ui: &'static Ui) {
    let first = ui.member("reassign-a", "NOCR", &["member"]).await;
    ui.member("reassign-b", "NOCR", &["member"]).await;
    let staff = ui.member("reassign-sec", "MIMT", &["secretariat"]).await;
    let case = ui.open_inventory("واگذاری و لغو", &["NOCR"]).await;
    let task = task_of(ui, &case, "NOCR").await;
    let id = task["id"].as_str().unwrap().to_string();
    let driver = ui.browser().await;
    ui.sign_in(&driver, &staff).await;
    driver
        .goto(format!("{}/cases/{case}", ui.base))
        .await
        .unwrap();
    driver
        .find(By::Css(format!("a[href='/tasks/{id}/reassign']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let select = ui.wait_for(&driver, By::Id("member")).await;
    let other = if task["assignee"] == first.id.as_str() {
        "reassign-b"
    } else {
        "reassign-a"
    };
    select
        .find(By::Css(format!("option[value='{other}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.screenshot(&driver, "reassign").await;
    driver
        .find(By::Css("form.panel button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    let task = ui
        .api(
            Method::GET,
            &format!("/v1/tasks/{id}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(task["assignee"], other);
    driver
        .goto(format!("{}/cases/{case}/cancel", ui.base))
        .await
        .unwrap();
    driver
        .find(By::Id("reason"))
        .await
        .unwrap()
        .send_keys("تکراری")
        .await
        .unwrap();
    ui.screenshot(&driver, "case-cancel").await;
    driver
        .find(By::Css("button.danger"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css(".notice.ok")).await;
    let case = ui
        .api(
            Method::GET,
            &format!("/v1/cases/{case}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(case["status"], "cancelled");
    driver.quit().await.unwrap();
}
