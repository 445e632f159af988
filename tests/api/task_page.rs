//! The task page `/tasks/{id}` over plain HTTP, as a browser without JavaScript uses it:
//! sign in, open the form, submit it with a mistake, see the mistake at its field, fix it,
//! submit; drafts, a double click, a stale page, another agency's task, download, vote.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{Client, Response, redirect::Policy};
use serde_json::{Value, json};

use crate::helpers::{TestApp, inventory, spawn_app};
use crate::on_both_backends;
use crate::support::TestDb;

const FORM: &str = "application/x-www-form-urlencoded";

/// A signed-in browser: its session cookie, and the CSRF token of the last page read.
struct Browser<'a> {
    app: &'a TestApp,
    client: Client,
    cookie: String,
}

fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

impl<'a> Browser<'a> {
    async fn sign_in(app: &'a TestApp, token: &str) -> Browser<'a> {
        let client = Client::builder().redirect(Policy::none()).build().unwrap();
        let response = client
            .post(format!("{}/sign-in/token", app.address))
            .header(ORIGIN, &app.address)
            .header(CONTENT_TYPE, FORM)
            .body(serde_urlencoded::to_string([("token", token)]).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303, "signing in");
        let cookie = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("daftar_session="))
            .expect("a session cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        Browser {
            app,
            client,
            cookie,
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.app.address))
            .header(COOKIE, &self.cookie)
            .send()
            .await
            .unwrap();
        read(response).await
    }

    async fn post(&self, path: &str, csrf: &str, fields: &[(String, String)]) -> (u16, String) {
        let mut all = fields.to_vec();
        all.push(("csrf".into(), csrf.into()));
        let response = self
            .client
            .post(format!("{}{path}", self.app.address))
            .header(COOKIE, &self.cookie)
            .header(ORIGIN, &self.app.address)
            .header(CONTENT_TYPE, FORM)
            .body(serde_urlencoded::to_string(&all).unwrap())
            .send()
            .await
            .unwrap();
        read(response).await
    }
}

/// The status and the body, or for a redirect its `Location`.
async fn read(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_owned());
    let body = response.text().await.unwrap();
    (status, location.unwrap_or(body))
}

/// The fields a browser posts for the task form on `page` (inputs, selects, textareas).
fn form_fields(page: &str) -> Vec<(String, String)> {
    let start = page.find("id=\"task-form\"").expect("the task form");
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    let mut fields = Vec::new();
    let attr = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        Some(unescape(&tag[at..at + tag[at..].find('"')?]))
    };
    let mut rest = form;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let tag = &rest[..rest.find('>').unwrap()];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        if tag.starts_with("input ") {
            let checkable = tag.contains("type=\"checkbox\"") || tag.contains("type=\"radio\"");
            if !checkable || tag.contains(" checked") {
                fields.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("select ") {
            let select = &rest[..rest.find("</select>").unwrap()];
            let chosen = select
                .split("<option")
                .skip(1)
                .find(|o| o[..o.find('>').unwrap()].contains(" selected"));
            let value = chosen
                .and_then(|o| attr(&o[..o.find('>').unwrap()], "value"))
                .unwrap_or_default();
            fields.push((name, value));
        } else if tag.starts_with("textarea ") {
            let body = &rest[rest.find('>').unwrap() + 1..rest.find("</textarea>").unwrap()];
            fields.push((name, unescape(body)));
        }
    }
    fields
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.into(), value.into()));
}

/// An inventory case for IRICA and MIMT; the IRICA task's id.
async fn inventory_task(app: &TestApp, secretariat: &str) -> (String, String) {
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصای اطلاعات", "participants": ["IRICA", "MIMT"], "params": {"text": "هر دستگاه فهرست را تا پایان ماه بفرستد"}});
    let case = app
        .expect(
            reqwest::Method::POST,
            "/v1/cases",
            secretariat,
            Some(body),
            201,
        )
        .await;
    let task_of = |code: &str| {
        case["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["agency"] == code)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    (task_of("IRICA"), task_of("MIMT"))
}

/// Fields that fill the form with `data`: the page rendered from it, as posted.
async fn filled(
    browser: &Browser<'_>,
    task: &str,
    data: &Value,
) -> (String, Vec<(String, String)>) {
    let (_, page) = browser.get(&format!("/tasks/{task}")).await;
    let csrf = csrf_of(&page);
    let (status, page) = browser
        .post(
            &format!("/tasks/{task}/upload"),
            &csrf,
            &[("json".into(), data.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    (csrf, form_fields(&page))
}

async fn a_member_fills_fixes_and_submits_the_form(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let (task, other) = inventory_task(&app, &secretariat).await;
    let browser = Browser::sign_in(&app, &irica).await;

    let (status, page) = browser.get(&format!("/tasks/{task}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("هر دستگاه فهرست را تا پایان ماه بفرستد"),
        "the resolution's text"
    );
    assert!(page.contains("name=\"len:/needs\""), "the form");
    // Another agency's task is a 404 page, like one that does not exist.
    assert_eq!(browser.get(&format!("/tasks/{other}")).await.0, 404);
    assert_eq!(
        browser
            .get("/tasks/00000000-0000-0000-0000-000000000000")
            .await
            .0,
        404
    );

    // A deliberate mistake: an e-mail address that is not one, and Persian digits.
    let mut data = inventory();
    data["needs"][0]["contact"]["email"] = json!("not-an-address");
    let (csrf, mut fields) = filled(&browser, &task, &data).await;
    set(
        &mut fields,
        "/needs/0/expected_volume/calls_per_day",
        "۴۵۰۰۰",
    );
    set(&mut fields, "action", "submit");
    let (status, page) = browser
        .post(&format!("/tasks/{task}"), &csrf, &fields)
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("href=\"#f-needs-0-contact-email\""),
        "the summary links to the field"
    );
    assert!(
        page.contains("id=\"f-needs-0-contact-email-error\""),
        "the error is at the field"
    );
    assert!(
        page.contains("value=\"not-an-address\""),
        "what was typed is kept"
    );
    assert!(page.contains("value=\"45000\""), "Persian digits are read");

    // Fixed, it is submitted once; the second click of the same page is told it went.
    let mut fields = form_fields(&page);
    set(
        &mut fields,
        "/needs/0/contact/email",
        "r.mohammadi@irica.example",
    );
    set(&mut fields, "action", "submit");
    let (status, location) = browser
        .post(&format!("/tasks/{task}"), &csrf, &fields)
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/tasks/{task}?notice=submitted").as_str())
    );
    let (status, location) = browser
        .post(&format!("/tasks/{task}"), &csrf, &fields)
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/tasks/{task}?notice=submitted").as_str())
    );
    let view = app.get(&format!("/v1/tasks/{task}"), &secretariat).await;
    assert_eq!(
        view["submissions"].as_array().unwrap().len(),
        1,
        "one submission"
    );
    assert_eq!(view["submissions"][0]["data"], inventory());

    // The page now shows the submission in the history, and downloads it.
    let (_, page) = browser.get(&format!("/tasks/{task}")).await;
    assert!(page.contains("event-SubmissionReceived"), "{page}");
    let (status, json) = browser.get(&format!("/tasks/{task}/submission.json")).await;
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), inventory());

    // Returned with a comment while an old page is open: the old page's submit is a 409
    // that keeps what was typed.
    app.expect(
        reqwest::Method::POST,
        &format!("/v1/tasks/{task}/review"),
        &secretariat,
        Some(json!({"decision": "return", "comment": "کد پستی را هم بیفزایید"})),
        200,
    )
    .await;
    let mut stale = fields.clone();
    set(&mut stale, "/needs/0/title", "عنوان تازه");
    let (status, page) = browser.post(&format!("/tasks/{task}"), &csrf, &stale).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("value=\"عنوان تازه\""));
    let (_, page) = browser.get(&format!("/tasks/{task}")).await;
    assert!(
        page.contains("کد پستی را هم بیفزایید"),
        "the return comment is in the history"
    );
}

async fn drafts_array_buttons_and_limits(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let (task, _) = inventory_task(&app, &secretariat).await;
    let browser = Browser::sign_in(&app, &irica).await;
    let (_, page) = browser.get(&format!("/tasks/{task}")).await;
    let csrf = csrf_of(&page);
    let mut fields = form_fields(&page);

    // "Add" without JavaScript: the page comes back with a new, empty need.
    set(&mut fields, "op", "add:/needs");
    let (status, page) = browser
        .post(&format!("/tasks/{task}"), &csrf, &fields)
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"f-needs-0-title\""));
    let mut fields = form_fields(&page);
    set(&mut fields, "/needs/0/title", "نیمه‌کاره");
    set(&mut fields, "action", "save");
    let (status, location) = browser
        .post(&format!("/tasks/{task}"), &csrf, &fields)
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/tasks/{task}?notice=saved").as_str())
    );
    let (_, page) = browser.get(&format!("/tasks/{task}")).await;
    assert!(page.contains("value=\"نیمه‌کاره\""), "the draft comes back");
    assert!(
        page.contains("class=\"saved\""),
        "and says when it was saved"
    );
    // The draft is not an event: the task is as it was.
    let view = app.get(&format!("/v1/tasks/{task}"), &secretariat).await;
    assert_eq!(view["status"], "open");

    // 2,000 items in a list that allows 200 are refused with a page that says which list.
    let mut huge = inventory();
    huge["needs"][0]["data_items"] = json!(vec![json!({"name": "x"}); 2000]);
    let (status, page) = browser
        .post(
            &format!("/tasks/{task}/upload"),
            &csrf,
            &[("json".into(), huge.to_string())],
        )
        .await;
    assert_eq!(status, 413);
    assert!(
        page.contains("/needs/0/data_items: 2000 &gt; 200"),
        "{page}"
    );
    // A 10 MB paste: a readable 413 page, nothing saved.
    let paste = "ا".repeat(5 << 20);
    let (status, page) = browser
        .post(
            &format!("/tasks/{task}/upload"),
            &csrf,
            &[("json".into(), paste)],
        )
        .await;
    assert_eq!(status, 413);
    assert!(page.contains("بزرگ‌تر از حد مجاز"), "{page}");
    // Not JSON: said so, the form unchanged.
    let (status, page) = browser
        .post(
            &format!("/tasks/{task}/upload"),
            &csrf,
            &[("json".into(), "{\"needs\": [".into())],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("value=\"نیمه‌کاره\""));
}

async fn a_member_votes_on_the_resolution(db: TestDb) {
    let app = spawn_app(db).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("m-irica", "IRICA", &["member"]).await;
    let _mimt = app.member("m-mimt", "MIMT", &["member"]).await;
    let resolution = json!({"workflow": "resolution-approval", "title": "مصوبه جلسه اول", "params": {"text": "ارسال اطلاعات تا پایان ماه", "on_approval": {"workflow": "data-exchange-inventory", "participants": ["IRICA", "MIMT"]}}});
    app.expect(
        reqwest::Method::POST,
        "/v1/cases",
        &secretariat,
        Some(resolution),
        201,
    )
    .await;
    let tasks = app.get("/v1/tasks?status=open", &irica).await;
    let vote = tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "vote")
        .unwrap();
    let id = vote["id"].as_str().unwrap();
    let browser = Browser::sign_in(&app, &irica).await;
    let (status, page) = browser.get(&format!("/tasks/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("ارسال اطلاعات تا پایان ماه"));
    let version = vote["version"].to_string();
    let fields = [
        ("choice".to_owned(), "approve".to_owned()),
        ("comment".into(), "موافقم".into()),
        ("version".into(), version),
    ];
    let (status, location) = browser
        .post(&format!("/tasks/{id}/vote"), &csrf_of(&page), &fields)
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/tasks/{id}?notice=voted").as_str())
    );
    let view = app.get(&format!("/v1/tasks/{id}"), &secretariat).await;
    assert_eq!(view["vote"], "approve");
    let (_, page) = browser.get(&format!("/tasks/{id}")).await;
    assert!(page.contains("موافقم"), "the comment is in the history");
}

on_both_backends!(
    a_member_fills_fixes_and_submits_the_form,
    drafts_array_buttons_and_limits,
    a_member_votes_on_the_resolution,
);
