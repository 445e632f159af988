//! Attachments on the task page, in the browser: a member fills the form, attaches a file
//! whose bytes are not what its name says (a readable refusal, nothing typed lost), then the
//! signed letter as PDF with its number and Jalali date, sees it listed, and submits; the
//! task page lists the submission's file with a link that downloads it.

use std::path::Path;

use reqwest::Method;
use thirtyfour::{By, WebDriver};

use crate::harness::{ADMIN_TOKEN, Ui, root};

const LETTER: &[u8] = b"%PDF-1.4\n% the signed letter\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

async fn open_task(ui: &Ui, agency: &str) -> String {
    let case = ui.open_inventory("احصا با نامه پیوست", &[agency]).await;
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

/// Fills the form from the agency's inventory fixture, through the page's JSON box.
async fn fill_from_fixture(driver: &WebDriver, agency: &str) {
    let path = root().join(format!("tests/fixtures/inventories/{agency}.json"));
    let text = std::fs::read_to_string(path).unwrap();
    driver
        .execute(
            "document.querySelector('details.upload').open = true; \
             document.getElementById('upload-json').value = arguments[0];",
            vec![serde_json::json!(text)],
        )
        .await
        .unwrap();
    driver
        .find(By::Css("details.upload button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn choose(driver: &WebDriver, file: &Path, letter_no: &str, letter_date: &str) {
    let input = driver.find(By::Id("attach-files")).await.unwrap();
    input.send_keys(file.display().to_string()).await.unwrap();
    for (id, text) in [("letter-no", letter_no), ("letter-date", letter_date)] {
        let field = driver.find(By::Id(id)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }
    let attach = driver.find(By::Css("button[name='attach']")).await.unwrap();
    attach.scroll_into_view().await.unwrap();
    attach.click().await.unwrap();
}

/// The value of the first text input of the form, to see that what was typed is kept.
async fn first_title(driver: &WebDriver) -> String {
    let field = driver
        .find(By::Css("#task-form input[id$='-title']"))
        .await
        .unwrap();
    field.value().await.unwrap().unwrap_or_default()
}

pub async fn a_member_attaches_a_signed_letter_and_submits(ui: &'static Ui) {
    let agency = "DOE";
    let login = ui.member("attach-doe", agency, &["member"]).await;
    let task = open_task(ui, agency).await;
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("نامه.pdf");
    std::fs::write(&letter, LETTER).unwrap();
    let disguised = dir.path().join("scan.pdf");
    std::fs::write(&disguised, PNG).unwrap();

    let driver = ui.browser().await;
    ui.sign_in(&driver, &login).await;
    driver
        .goto(format!("{}/tasks/{task}", ui.base))
        .await
        .unwrap();
    ui.wait_for(&driver, By::Id("task-form")).await;
    fill_from_fixture(&driver, agency).await;
    ui.wait_for(&driver, By::Css("#task-form input[id$='-title']"))
        .await;
    let typed = first_title(&driver).await;
    assert!(!typed.is_empty());

    // A PNG named .pdf: refused, readably, with the form as it was.
    choose(&driver, &disguised, "۱۲۳/ص", "۱۴۰۵/۰۹/۳۰").await;
    let problem = ui.wait_for(&driver, By::Css(".notice.problem")).await;
    let text = problem.text().await.unwrap();
    assert!(text.contains("scan.pdf") && text.contains("PDF"), "{text}");
    assert_eq!(first_title(&driver).await, typed, "what was typed is kept");
    assert!(
        driver.find(By::Css("ul.pending li")).await.is_err(),
        "nothing attached"
    );

    choose(&driver, &letter, "۱۲۳/ص", "۱۴۰۵/۰۹/۳۰").await;
    let listed = ui.wait_for(&driver, By::Css("ul.pending li")).await;
    assert!(listed.text().await.unwrap().contains("نامه.pdf"));
    assert_eq!(first_title(&driver).await, typed);
    listed.scroll_into_view().await.unwrap();
    ui.screenshot(&driver, "task-attachment-chosen").await;
    ui.assert_accessible(&driver, "the task form with an attachment")
        .await;

    // A saved draft keeps the chosen files.
    let save = driver
        .find(By::Css("div.actions button[value='save']"))
        .await
        .unwrap();
    save.scroll_into_view().await.unwrap();
    save.click().await.unwrap();
    ui.wait_for(&driver, By::Css("span.saved")).await;
    let kept = ui.wait_for(&driver, By::Css("ul.pending li")).await;
    assert!(kept.text().await.unwrap().contains("نامه.pdf"));

    let submit = driver
        .find(By::Css("button[value='submit']"))
        .await
        .unwrap();
    submit.scroll_into_view().await.unwrap();
    submit.click().await.unwrap();
    let link = ui
        .wait_for(&driver, By::Css("section.attachments a[href^='/files/']"))
        .await;
    assert!(link.text().await.unwrap().contains("نامه.pdf"));
    let view = ui
        .api(
            Method::GET,
            &format!("/v1/tasks/{task}"),
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    let attached = &view["submissions"][0]["attachments"][0];
    assert_eq!(attached["filename"], "نامه.pdf");
    assert_eq!(attached["letter_no"], "۱۲۳/ص");
    assert_eq!(attached["letter_date_jalali"], "1405-09-30");
    assert_eq!(attached["size"], LETTER.len());
    let href = link.attr("href").await.unwrap().unwrap();
    let cookie = driver.get_named_cookie("daftar_session").await.unwrap();
    let download = ui
        .page(&href, &format!("daftar_session={}", cookie.value))
        .await;
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), LETTER);
    link.scroll_into_view().await.unwrap();
    ui.screenshot(&driver, "task-attachment-submitted").await;
    driver.quit().await.unwrap();
}
