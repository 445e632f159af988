//! The accessibility sweep: every page of the people's interface, opened by the kind of user
//! it is for, in a 360 px wide window — axe-core must find no serious or critical violation
//! and the page must not scroll sideways. Table-driven: a new page is one line of [`PAGES`].
//! Pages that another part of the interface adds are visited once they exist (a path that
//! answers 404 is skipped and named in the output). Runs last, over what earlier tests left.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use thirtyfour::WebDriver;

use crate::harness::{ADMIN_TOKEN, Login, Ui};

/// Who opens a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Member,
    Secretariat,
    Admin,
    Auditor,
}

/// Every page, with `{case}`, `{task}` (an open form), `{vote}` and `{review}` (a
/// submission awaiting review) filled in from the cases this test opens.
const PAGES: &[(Who, &str)] = &[
    (Who::Member, "/"),
    (Who::Member, "/tasks/{task}"),
    (Who::Member, "/tasks/{vote}"),
    (Who::Member, "/cases/{case}"),
    (Who::Member, "/cases/{case}/matrix"),
    (Who::Member, "/exchange-matrix/diff"),
    (Who::Secretariat, "/"),
    (Who::Secretariat, "/cases"),
    (Who::Secretariat, "/cases/new"),
    (Who::Secretariat, "/cases/{case}"),
    (Who::Secretariat, "/tasks/{review}/review"),
    (Who::Secretariat, "/tasks/{review}/reassign"),
    (Who::Secretariat, "/cases/{case}/cancel"),
    (Who::Secretariat, "/cases/{case}/confirmation-round"),
    (Who::Secretariat, "/cases/{case}/matrix"),
    (Who::Secretariat, "/exchange-matrix/diff?to={case}"),
    (
        Who::Secretariat,
        "/reports/services-at-risk?inventory={case}",
    ),
    (Who::Secretariat, "/admin/notifications"),
    (Who::Admin, "/admin"),
    (Who::Admin, "/admin/workflows"),
    (Who::Admin, "/admin/workflows/data-exchange-inventory/1"),
    (Who::Admin, "/admin/forms"),
    (Who::Admin, "/admin/forms/data-exchange-inventory/1"),
    (Who::Admin, "/admin/notifications"),
    (Who::Admin, "/admin/calendar"),
    (Who::Admin, "/admin/agencies"),
    (Who::Admin, "/admin/members"),
    (Who::Auditor, "/"),
    (Who::Auditor, "/cases"),
    (Who::Auditor, "/cases/{case}"),
    (Who::Auditor, "/admin/notifications"),
    (Who::Auditor, "/audit/events"),
    (Who::Auditor, "/cases/{case}/timeline"),
    (Who::Auditor, "/cases/{case}/state"),
    (Who::Auditor, "/audit/verify"),
];

/// The ids the paths name.
struct Places {
    case: String,
    task: String,
    vote: String,
    review: String,
}

impl Places {
    fn fill(&self, path: &str) -> String {
        path.replace("{case}", &self.case)
            .replace("{task}", &self.task)
            .replace("{vote}", &self.vote)
            .replace("{review}", &self.review)
    }
}

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
        .to_string()
}

/// An open inventory task, a vote, and a submission awaiting review, all of `agency`.
async fn places(ui: &Ui, member: &Login, agency: &str) -> Places {
    let case = ui.open_inventory("بررسی دسترس‌پذیری", &[agency]).await;
    let task = task_of(ui, &case, agency).await;
    let reviewed = ui.open_inventory("بررسی دسترس‌پذیری ۲", &[agency]).await;
    let review = task_of(ui, &reviewed, agency).await;
    let body = json!({ "data": inventory(agency) });
    ui.api(
        Method::POST,
        &format!("/v1/tasks/{review}/submissions"),
        &member.token,
        Some(body),
        201,
    )
    .await;
    let resolution = json!({"workflow": "resolution-approval", "title": "مصوبهٔ دسترس‌پذیری", "params": {"text": "متن مصوبه", "on_approval": {"workflow": "data-exchange-inventory", "participants": [agency]}}});
    let voting = ui
        .api(
            Method::POST,
            "/v1/cases",
            ADMIN_TOKEN,
            Some(resolution),
            201,
        )
        .await;
    let vote = task_of(ui, voting["id"].as_str().unwrap(), agency).await;
    Places {
        case,
        task,
        vote,
        review,
    }
}

/// What is wrong with the page the browser shows: axe-core's serious and critical
/// violations, and a body wider than the window.
async fn problems_of(ui: &Ui, driver: &WebDriver) -> Vec<String> {
    let mut problems = ui.accessibility_violations(driver).await;
    let widths = driver
        .execute(
            "return [Math.max(document.documentElement.scrollWidth, document.body.scrollWidth), window.innerWidth];",
            vec![],
        )
        .await
        .unwrap()
        .json()
        .clone();
    let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    if scroll > inner {
        problems.push(format!("scrolls sideways at 360 px: {scroll} > {inner}"));
    }
    problems
}

/// Visits `who`'s pages; returns the problems found, each with its page.
async fn sweep(ui: &Ui, who: Who, login: &Login, places: &Places) -> Vec<String> {
    let cookie = ui.session(login).await;
    let driver = ui.browser().await;
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    ui.sign_in(&driver, login).await;
    let mut found = Vec::new();
    for (_, template) in PAGES.iter().filter(|(w, _)| *w == who) {
        let path = places.fill(template);
        let status = ui.page(&path, &cookie).await.status();
        if status != StatusCode::OK {
            found.push(format!("{who:?} {template}: answered {status}"));
            continue;
        }
        driver.goto(format!("{}{path}", ui.base)).await.unwrap();
        for problem in problems_of(ui, &driver).await {
            found.push(format!("{who:?} {template}: {problem}"));
        }
        if who == Who::Admin {
            let name = template
                .trim_start_matches('/')
                .replace(['/', '{', '}'], "-");
            ui.screenshot(&driver, &format!("admin-config-360-{name}"))
                .await;
        }
    }
    driver.quit().await.unwrap();
    found
}

pub async fn every_page_passes_axe_and_fits_a_360_pixel_phone(ui: &'static Ui) {
    let member = ui.member("a11y-member", "IFDA", &["member"]).await;
    let users = [
        (Who::Member, member.clone()),
        (
            Who::Secretariat,
            ui.member("a11y-secretariat", "MIMT", &["secretariat"])
                .await,
        ),
        (
            Who::Admin,
            ui.member("a11y-admin", "MIMT", &["admin"]).await,
        ),
        (
            Who::Auditor,
            ui.member("a11y-auditor", "MIMT", &["auditor"]).await,
        ),
    ];
    let places = places(ui, &member, "IFDA").await;
    // The sign-in page, before anyone signs in.
    let driver = ui.browser().await;
    driver.set_window_rect(0, 0, 360, 780).await.unwrap();
    driver.goto(format!("{}/sign-in", ui.base)).await.unwrap();
    let mut found: Vec<String> = problems_of(ui, &driver)
        .await
        .into_iter()
        .map(|p| format!("/sign-in: {p}"))
        .collect();
    driver.quit().await.unwrap();
    for (who, login) in &users {
        found.extend(sweep(ui, *who, login, &places).await);
    }
    assert!(
        found.is_empty(),
        "pages with problems:\n{}",
        found.join("\n")
    );
}
