//! Signing in and out: by an e-mailed one-time link and by token; what a forged, reused or
//! expired link, a missing or foreign CSRF token, a foreign origin and a revoked token
//! get; throttling; the page's security headers.

use reqwest::{Method, StatusCode};
use thirtyfour::{By, Key};

use crate::harness::{ADMIN_TOKEN, Login, Ui, csrf_of, session_cookie};

/// A POST from this server's own pages.
fn post(ui: &Ui, path: &str, client: &str) -> reqwest::RequestBuilder {
    ui.client()
        .post(format!("{}{path}", ui.base))
        .header("origin", &ui.base)
        .header("x-forwarded-for", client)
}

async fn sign_in_by_token(ui: &Ui, login: &Login, client: &str) -> String {
    let response = post(ui, "/sign-in/token", client)
        .form(&[("token", login.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    session_cookie(&response).expect("a session cookie")
}

async fn get(ui: &Ui, path: &str, cookie: &str) -> reqwest::Response {
    ui.client()
        .get(format!("{}{path}", ui.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_string()
}

pub async fn a_link_signs_in_once(ui: &'static Ui) {
    let login = ui.member("link-once", "IRICA", &["member"]).await;
    let asked = post(ui, "/sign-in/link", "10.1.0.1")
        .form(&[("email", login.email.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let link = ui.sign_in_link(&login.email).await;
    assert!(link.starts_with(&ui.base), "{link}");
    // Following the link only shows a button: a mail scanner fetching it spends nothing.
    let page = ui.client().get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let token = token_of(&link);
    let used = post(ui, "/sign-in/link/use", "10.1.0.1")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(used.status(), StatusCode::SEE_OTHER);
    let cookie_header = used
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie_header.contains("HttpOnly"), "{cookie_header}");
    assert!(cookie_header.contains("SameSite=Lax"), "{cookie_header}");
    assert!(cookie_header.contains("Path=/"), "{cookie_header}");
    assert!(
        !cookie_header.contains("Secure"),
        "plain http here: {cookie_header}"
    );
    let cookie = session_cookie(&used).unwrap();
    let inbox = get(ui, "/", &cookie).await;
    assert_eq!(inbox.status(), StatusCode::OK);
    assert!(inbox.text().await.unwrap().contains("کارشناس link-once"));
    let again = post(ui, "/sign-in/link/use", "10.1.0.1")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(session_cookie(&again).is_none());
    assert!(again.text().await.unwrap().contains("پیش‌تر به کار رفته"));
}

pub async fn an_expired_or_forged_link_is_refused_clearly(ui: &'static Ui) {
    let forged = post(ui, "/sign-in/link/use", "10.2.0.1")
        .form(&[("token", "0".repeat(64).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(session_cookie(&forged).is_none());
    assert!(forged.text().await.unwrap().contains("معتبر نیست"));
    // A link made 20 minutes ago, written straight into the server's database.
    let login = ui.member("link-expired", "IRICA", &["member"]).await;
    let database =
        daftar::db::Database::connect(&daftar::db::DatabaseUrl::Sqlite(ui.database.clone()))
            .await
            .unwrap();
    let store = daftar::web::store::WebStore::new(database);
    let token = "e".repeat(64);
    let now = chrono::Utc::now().timestamp_micros();
    store
        .insert_link(
            &daftar::engine::token_hash(&token),
            &login.id,
            now - 20 * 60_000_000,
            now - 5 * 60_000_000,
        )
        .await
        .unwrap();
    let expired = post(ui, "/sign-in/link/use", "10.2.0.1")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    assert!(session_cookie(&expired).is_none());
    assert!(expired.text().await.unwrap().contains("منقضی"));
}

pub async fn asking_for_a_link_answers_the_same_for_unknown_addresses(ui: &'static Ui) {
    let login = ui.member("link-same", "CPPO", &["member"]).await;
    let answer = |email: &'static str| async move {
        let response = post(ui, "/sign-in/link", "10.3.0.1")
            .form(&[("email", email)])
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    };
    let known = answer("link-same@cppo.example").await;
    let unknown = answer("nobody@cppo.example").await;
    assert_eq!(known, unknown);
    ui.sign_in_link(&login.email).await;
    assert_eq!(ui.sign_in_mails("nobody@cppo.example"), 0);
}

pub async fn forms_need_the_sessions_csrf_token_and_this_origin(ui: &'static Ui) {
    let login = ui.member("csrf-1", "INSO", &["member"]).await;
    let other = ui.member("csrf-2", "INSO", &["member"]).await;
    let cookie = sign_in_by_token(ui, &login, "10.4.0.1").await;
    let other_cookie = sign_in_by_token(ui, &other, "10.4.0.1").await;
    let csrf = csrf_of(&get(ui, "/", &cookie).await.text().await.unwrap());
    let other_csrf = csrf_of(&get(ui, "/", &other_cookie).await.text().await.unwrap());
    assert_ne!(csrf, other_csrf);
    let sign_out = |origin: Option<String>, token: Option<String>| {
        let mut request = ui
            .client()
            .post(format!("{}/sign-out", ui.base))
            .header("cookie", &cookie);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let form: Vec<(&str, String)> = token.into_iter().map(|t| ("csrf", t)).collect();
        request.form(&form).send()
    };
    let own = Some(ui.base.clone());
    for (origin, token, why) in [
        (own.clone(), None, "no token"),
        (
            own.clone(),
            Some(other_csrf.clone()),
            "another session's token",
        ),
        (
            Some("http://evil.example".to_string()),
            Some(csrf.clone()),
            "a foreign origin",
        ),
        (None, Some(csrf.clone()), "no origin at all"),
    ] {
        let refused = sign_out(origin, token).await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{why}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("چیزی ثبت نشد"), "{why}: {page}");
        assert_eq!(
            get(ui, "/", &cookie).await.status(),
            StatusCode::OK,
            "{why} changed nothing"
        );
    }
    let done = sign_out(own, Some(csrf)).await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let after = get(ui, "/", &cookie).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        after.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/sign-in")
    );
    assert_eq!(get(ui, "/", &other_cookie).await.status(), StatusCode::OK);
}

pub async fn a_revoked_token_ends_its_session(ui: &'static Ui) {
    let login = ui.member("revoked", "TPO", &["member"]).await;
    let cookie = sign_in_by_token(ui, &login, "10.5.0.1").await;
    assert_eq!(get(ui, "/", &cookie).await.status(), StatusCode::OK);
    ui.api(
        Method::DELETE,
        &format!("/v1/tokens/{}", login.token_id),
        ADMIN_TOKEN,
        None,
        204,
    )
    .await;
    let after = get(ui, "/", &cookie).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        after.headers()["location"]
            .to_str()
            .unwrap()
            .contains("notice=session-ended")
    );
    let again = post(ui, "/sign-in/token", "10.5.0.1")
        .form(&[("token", login.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert!(session_cookie(&again).is_none());
}

pub async fn failed_sign_ins_are_throttled(ui: &'static Ui) {
    let login = ui.member("throttled", "TPO", &["member"]).await;
    let mut throttled = false;
    for _ in 0..30 {
        let response = post(ui, "/sign-in/token", "10.6.0.1")
            .form(&[("token", "dft_not-a-token")])
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            assert!(response.text().await.unwrap().contains("تلاش‌های بیش از حد"));
            throttled = true;
            break;
        }
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert!(throttled, "30 wrong tokens in a row were never throttled");
    // Even the right token waits now; another client does not.
    let right = post(ui, "/sign-in/token", "10.6.0.1")
        .form(&[("token", login.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    sign_in_by_token(ui, &login, "10.6.0.2").await;
}

pub async fn pages_carry_a_content_security_policy_and_hashed_assets(ui: &'static Ui) {
    let page = ui
        .client()
        .get(format!("{}/sign-in", ui.base))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"fa\" dir=\"rtl\">"));
    let css = html
        .split("href=\"/assets/daftar.")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|rest| format!("/assets/daftar.{rest}"))
        .expect("the stylesheet link");
    let asset = ui
        .client()
        .get(format!("{}{css}", ui.base))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let stale = ui
        .client()
        .get(format!("{}/assets/daftar.0000000000.css", ui.base))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    let missing = ui
        .client()
        .get(format!("{}/no-such-page", ui.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("پیدا نشد"));
}

pub async fn a_member_signs_in_by_token_and_out_again(ui: &'static Ui) {
    let login = ui.member("browser-token", "MIMT", &["member"]).await;
    let driver = ui.browser().await;
    driver.goto(format!("{}/", ui.base)).await.unwrap();
    // Not signed in: to the sign-in page, which comes back to where one was going.
    assert!(
        driver
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("/sign-in?next=%2F")
    );
    ui.screenshot(&driver, "sign-in").await;
    ui.sign_in(&driver, &login).await;
    let who = driver
        .find(By::Css("header .who"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(who.contains("کارشناس browser-token"), "{who}");
    assert!(who.contains("MIMT"), "{who}");
    let notice = driver
        .find(By::Css(".notice.ok"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(notice, "وارد شدید.");
    ui.screenshot(&driver, "inbox-empty").await;
    driver
        .find(By::Css("header form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notice = ui.wait_for(&driver, By::Css(".sign-in .notice")).await;
    assert!(notice.text().await.unwrap().contains("خارج شدید"));
    driver.goto(format!("{}/", ui.base)).await.unwrap();
    assert!(
        driver
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("/sign-in")
    );
    driver.quit().await.unwrap();
}

pub async fn a_member_signs_in_by_an_emailed_link(ui: &'static Ui) {
    let login = ui.member("browser-link", "MIMT", &["member"]).await;
    let driver = ui.browser().await;
    driver.goto(format!("{}/sign-in", ui.base)).await.unwrap();
    let email = driver.find(By::Id("email")).await.unwrap();
    email.send_keys(&login.email).await.unwrap();
    email.send_keys(Key::Enter).await.unwrap();
    let sent = ui.wait_for(&driver, By::Css(".sign-in .notice.ok")).await;
    assert!(sent.text().await.unwrap().contains("۱۵ دقیقه"));
    ui.screenshot(&driver, "sign-in-link-sent").await;
    let link = ui.sign_in_link(&login.email).await;
    driver.goto(&link).await.unwrap();
    ui.screenshot(&driver, "sign-in-link-confirm").await;
    driver
        .find(By::Css("main form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let who = ui.wait_for(&driver, By::Css("header .who")).await;
    assert!(who.text().await.unwrap().contains("کارشناس browser-link"));
    driver.quit().await.unwrap();
}

pub async fn sign_in_works_with_the_keyboard_alone(ui: &'static Ui) {
    let login = ui.member("keyboard", "MIMT", &["member"]).await;
    let driver = ui.browser().await;
    driver.goto(format!("{}/sign-in", ui.base)).await.unwrap();
    let mut order = Vec::new();
    for _ in 0..12 {
        driver
            .action_chain()
            .send_keys(Key::Tab)
            .perform()
            .await
            .unwrap();
        let focused = driver.active_element().await.unwrap();
        let id = focused.id().await.unwrap().unwrap_or_default();
        let class = focused.class_name().await.unwrap().unwrap_or_default();
        order.push(if id.is_empty() { class } else { id.clone() });
        if id == "token" {
            break;
        }
    }
    assert_eq!(
        order.first().map(String::as_str),
        Some("skip-link"),
        "{order:?}"
    );
    assert!(order.contains(&"email".to_string()), "{order:?}");
    assert_eq!(order.last().map(String::as_str), Some("token"), "{order:?}");
    // Focus is visible: the focused field has an outline.
    let outline = driver
        .active_element()
        .await
        .unwrap()
        .css_value("outline-style")
        .await
        .unwrap();
    assert_ne!(outline, "none");
    driver
        .action_chain()
        .send_keys(login.token.clone())
        .perform()
        .await
        .unwrap();
    driver
        .action_chain()
        .send_keys(Key::Enter)
        .perform()
        .await
        .unwrap();
    ui.wait_for(&driver, By::Css("header .who")).await;
    // The skip link leads past the header into the page.
    driver
        .action_chain()
        .send_keys(Key::Tab)
        .perform()
        .await
        .unwrap();
    let skip = driver.active_element().await.unwrap();
    assert_eq!(
        skip.class_name().await.unwrap().as_deref(),
        Some("skip-link")
    );
    ui.screenshot(&driver, "skip-link-focused").await;
    driver
        .action_chain()
        .send_keys(Key::Enter)
        .perform()
        .await
        .unwrap();
    let main = driver.active_element().await.unwrap();
    assert_eq!(main.id().await.unwrap().as_deref(), Some("main"));
    driver.quit().await.unwrap();
}
