//! The seed story through the browser only: the secretariat opens a resolution, the two
//! agencies vote, the inventory tasks it opens reach their inboxes, a member fills the form
//! (a deliberate error shown at its field, then fixed), the secretariat returns it with a
//! comment, the member sees the comment and resubmits, the secretariat sees what changed and
//! accepts, and the board shows it. (The matrix and the auditor's timeline are pages of
//! the next part.) Screenshots: `target/ui-screens/story-*.png`.
//!
//! The resolution's vote goes to every agency with a member holding the `member` role (one
//! vote each), so this test runs first, before other tests register members of more
//! agencies on the shared server.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thirtyfour::{By, WebDriver};

use crate::harness::{Login, Ui};

const AGENCIES: [&str; 2] = ["CBI", "IRICA"];

fn inventory(code: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/inventories/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn click(driver: &WebDriver, css: &str) {
    driver
        .find(By::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits (at most 15 s, reloading) for a link matching `css`, and follows it.
async fn follow(driver: &WebDriver, css: &str) {
    let started = Instant::now();
    loop {
        if let Ok(link) = driver.find(By::Css(css)).await {
            link.click().await.unwrap();
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no link {css}; the page is:\n{}",
            driver.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        driver.refresh().await.unwrap();
    }
}

async fn signed_in(ui: &Ui, login: &Login) -> WebDriver {
    let driver = ui.browser().await;
    ui.sign_in(&driver, login).await;
    driver
}

/// The id in the current URL after `/{kind}/`.
async fn id_in_url(driver: &WebDriver, kind: &str) -> String {
    let url = driver.current_url().await.unwrap().to_string();
    let rest = url
        .split(&format!("/{kind}/"))
        .nth(1)
        .expect("an id in the URL");
    rest.split(['/', '?']).next().unwrap().to_string()
}

/// The secretariat opens a resolution for the two agencies; returns its case id.
async fn open_resolution(ui: &Ui, secretariat: &WebDriver) -> String {
    secretariat
        .goto(format!("{}/cases/new", ui.base))
        .await
        .unwrap();
    let title = secretariat.find(By::Id("title")).await.unwrap();
    title
        .send_keys("احصای اطلاعات مورد نیاز و قابل عرضه")
        .await
        .unwrap();
    let text = secretariat.find(By::Id("text")).await.unwrap();
    text.send_keys("دستگاه‌های عضو فهرست اطلاعات مورد نیاز و قابل عرضهٔ خود را تا پایان ماه بفرستند.")
        .await
        .unwrap();
    click(secretariat, "input[name=participants][value=chosen]").await;
    for code in AGENCIES {
        click(secretariat, &format!("input[name=agency][value={code}]")).await;
    }
    click(
        secretariat,
        "#workflow option[value='data-exchange-inventory']",
    )
    .await;
    ui.screenshot(secretariat, "story-01-new-resolution").await;
    click(secretariat, "form.panel button[type=submit]").await;
    ui.wait_for(secretariat, By::Css(".notice.ok")).await;
    ui.screenshot(secretariat, "story-02-resolution").await;
    id_in_url(secretariat, "cases").await
}

/// A member approves the resolution from their inbox.
async fn vote(ui: &Ui, member: &WebDriver, n: usize) {
    member.goto(format!("{}/", ui.base)).await.unwrap();
    follow(member, "#inbox-list a[href^='/tasks/']").await;
    click(member, "#vote-approve").await;
    if n == 0 {
        ui.screenshot(member, "story-03-vote").await;
    }
    click(member, "section.vote button[type=submit]").await;
    ui.wait_for(member, By::Css(".notice.ok")).await;
}

/// Pastes `data` into the task page's JSON box, fills the form with it, and submits.
async fn fill_and_submit(member: &WebDriver, data: &Value) {
    click(member, "details.upload summary").await;
    let area = member.find(By::Id("upload-json")).await.unwrap();
    member
        .execute(
            "arguments[0].value = arguments[1];",
            vec![area.to_json().unwrap(), json!(data.to_string())],
        )
        .await
        .unwrap();
    click(member, "details.upload button[type=submit]").await;
    let started = Instant::now();
    while member
        .find(By::Id("f-needs-0-contact-phone"))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the form was not filled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(member, "button.primary[value=submit]").await;
}

async fn retype(driver: &WebDriver, id: &str, text: &str) {
    let field = driver.find(By::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub async fn the_seed_story_through_the_browser(ui: &'static Ui) {
    let staff = ui.member("story-sec", "MIMT", &["secretariat"]).await;
    let cbi = ui.member("story-cbi", "CBI", &["member"]).await;
    let irica = ui.member("story-irica", "IRICA", &["member"]).await;
    let secretariat = signed_in(ui, &staff).await;
    let resolution = open_resolution(ui, &secretariat).await;

    for (n, login) in [&cbi, &irica].into_iter().enumerate() {
        let member = signed_in(ui, login).await;
        vote(ui, &member, n).await;
        member.quit().await.unwrap();
    }

    // The approval opened the inventory: its task is in CBI's inbox.
    let member = signed_in(ui, &cbi).await;
    ui.screenshot(&member, "story-04-inbox").await;
    follow(&member, "#inbox-list a[href^='/tasks/']").await;
    let task = id_in_url(&member, "tasks").await;
    let mut data = inventory("CBI");
    data["needs"][0]["contact"]["phone"] = json!("تلفن ندارد");
    fill_and_submit(&member, &data).await;
    let error = ui
        .wait_for(&member, By::Id("f-needs-0-contact-phone-error"))
        .await;
    assert!(!error.text().await.unwrap().is_empty());
    ui.screenshot(&member, "story-05-error-at-the-field").await;
    retype(&member, "f-needs-0-contact-phone", "021-88023307").await;
    click(&member, "button.primary[value=submit]").await;
    ui.wait_for(&member, By::Css(".notice.ok")).await;

    // The secretariat finds it on the inventory's board and returns it with a comment.
    secretariat
        .goto(format!("{}/cases/{resolution}", ui.base))
        .await
        .unwrap();
    follow(&secretariat, "a.child-case").await;
    ui.wait_for(&secretariat, By::Css("#board table")).await;
    ui.screenshot(&secretariat, "story-06-board").await;
    click(&secretariat, &format!("a[href='/tasks/{task}/review']")).await;
    let comment = secretariat.find(By::Id("comment")).await.unwrap();
    comment
        .send_keys("روش فعلی دریافت نیاز نخست را دقیق‌تر بنویسید.")
        .await
        .unwrap();
    click(&secretariat, "button[value=return]").await;
    ui.wait_for(&secretariat, By::Css(".notice.ok")).await;

    // The member sees the comment, fixes, resubmits.
    member
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    let history = ui.wait_for(&member, By::Css("section.history")).await;
    assert!(history.text().await.unwrap().contains("دقیق‌تر بنویسید"));
    ui.screenshot(&member, "story-07-returned").await;
    retype(
        &member,
        "f-needs-0-current_method",
        "استعلام برخط از سامانهٔ جامع گمرکی",
    )
    .await;
    click(&member, "button.primary[value=submit]").await;
    ui.wait_for(&member, By::Css(".notice.ok")).await;
    member.quit().await.unwrap();

    // The secretariat sees what changed, accepts, and the board shows it.
    secretariat
        .goto(format!("{}/tasks/{task}/review", ui.base))
        .await
        .unwrap();
    let summary = ui.wait_for(&secretariat, By::Css(".diff-summary")).await;
    assert!(summary.text().await.unwrap().contains("۱ تغییر کرده"));
    let ins = secretariat
        .find(By::Css("ins"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ins, "استعلام برخط از سامانهٔ جامع گمرکی");
    ui.screenshot(&secretariat, "story-08-review").await;
    click(&secretariat, "button[value=accept]").await;
    ui.wait_for(&secretariat, By::Css(".notice.ok")).await;
    let board = secretariat
        .find(By::Css("#board"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(board.contains("پذیرفته"), "{board}");
    ui.screenshot(&secretariat, "story-09-accepted").await;
    secretariat.quit().await.unwrap();
}
