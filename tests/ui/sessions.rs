//! Sessions after sign-in: CSRF and origin checks on every form, a revoked token, idle and
//! absolute timeouts, the member's language, and the security headers of every page.

use reqwest::{Method, StatusCode};

use crate::harness::{ADMIN_TOKEN, Login, Ui, csrf_of, session_cookie};
use crate::signin::{get, post, sign_in_by_token};

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
    let done = ui.post_form("/", "/sign-out", &cookie, &[]).await;
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
    // htmx sends the token in a header instead of a field.
    let by_header = ui
        .client()
        .post(format!("{}/sign-out", ui.base))
        .header("cookie", &other_cookie)
        .header("origin", &ui.base)
        .header("x-csrf-token", &other_csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(by_header.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get(ui, "/", &other_cookie).await.status(),
        StatusCode::SEE_OTHER
    );
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

pub async fn disabling_a_member_ends_its_link_session(ui: &'static Ui) {
    let login = ui.member("disabled-link", "TPO", &["member"]).await;
    post(ui, "/sign-in/link", "10.5.1.1")
        .form(&[("email", login.email.as_str())])
        .send()
        .await
        .unwrap();
    let link = ui.sign_in_link(&login.email).await;
    let token = crate::signin::token_of(&link);
    let used = post(ui, "/sign-in/link/use", "10.5.1.1")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let cookie = session_cookie(&used).expect("a session");
    assert_eq!(get(ui, "/", &cookie).await.status(), StatusCode::OK);
    ui.api(
        Method::POST,
        &format!("/v1/members/{}:disable", login.id),
        ADMIN_TOKEN,
        None,
        200,
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
}

pub async fn pages_are_gzipped_for_browsers_that_ask(ui: &'static Ui) {
    let fetch = |encoding: Option<&'static str>| {
        let mut request = ui.client().get(format!("{}/sign-in", ui.base));
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        request.send()
    };
    let plain = fetch(None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_size = plain.bytes().await.unwrap().len();
    let zipped = fetch(Some("gzip")).await.unwrap();
    assert_eq!(zipped.status(), StatusCode::OK);
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let zipped_size = zipped.bytes().await.unwrap().len();
    assert!(
        zipped_size * 2 < plain_size,
        "gzip {zipped_size} bytes against {plain_size}"
    );
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

/// A session row written straight into the server's database, and its cookie.
async fn stored_session(
    ui: &Ui,
    member: &str,
    last_seen_ago_us: i64,
    expires_in_us: i64,
) -> String {
    let database =
        daftar::db::Database::connect(&daftar::db::DatabaseUrl::Sqlite(ui.database.clone()))
            .await
            .unwrap();
    let store = daftar::web::store::WebStore::new(database);
    let id = format!(
        "{:032x}{:032x}",
        uuid::Uuid::now_v7().as_u128(),
        uuid::Uuid::new_v4().as_u128()
    );
    let now = chrono::Utc::now().timestamp_micros();
    let row = daftar::web::store::SessionRow {
        member_id: member.into(),
        token_hash: None,
        csrf_token: "c".repeat(64),
        created_at_us: now - last_seen_ago_us,
        last_seen_at_us: now - last_seen_ago_us,
        expires_at_us: now + expires_in_us,
    };
    store
        .insert_session(&daftar::engine::token_hash(&id), &row)
        .await
        .unwrap();
    format!("daftar_session={id}")
}

pub async fn sessions_end_when_idle_and_at_their_lifetime(ui: &'static Ui) {
    let login = ui.member("timeouts", "GTC", &["member"]).await;
    let hour = 3_600_000_000i64;
    let fresh = stored_session(ui, &login.id, 0, hour).await;
    assert_eq!(get(ui, "/", &fresh).await.status(), StatusCode::OK);
    // Idle past the default 8 hours, though its lifetime is not over.
    let idle = stored_session(ui, &login.id, 9 * hour, 100 * hour).await;
    let after = get(ui, "/", &idle).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        after.headers()["location"]
            .to_str()
            .unwrap()
            .contains("session-ended")
    );
    // Active a minute ago, but past its absolute lifetime.
    let old = stored_session(ui, &login.id, 60_000_000, -1).await;
    assert_eq!(get(ui, "/", &old).await.status(), StatusCode::SEE_OTHER);
    // An ended session stays ended.
    assert_eq!(get(ui, "/", &idle).await.status(), StatusCode::SEE_OTHER);
}

pub async fn an_english_member_gets_english_left_to_right_pages(ui: &'static Ui) {
    ui.member("english-agency", "GTC", &["member"]).await;
    let body = serde_json::json!({"id": "english", "name": "Sara Hosseini", "email": "sara@gtc.example", "agency": "GTC", "roles": ["member"], "locale": "en"});
    ui.api(Method::POST, "/v1/members", ADMIN_TOKEN, Some(body), 201)
        .await;
    let issued = ui
        .api(
            Method::POST,
            "/v1/members/english/tokens",
            ADMIN_TOKEN,
            None,
            201,
        )
        .await;
    let login = Login {
        id: "english".into(),
        email: "sara@gtc.example".into(),
        token: issued["token"].as_str().unwrap().into(),
        token_id: issued["token_id"].as_str().unwrap().into(),
    };
    let cookie = sign_in_by_token(ui, &login, "10.7.0.1").await;
    let page = get(ui, "/", &cookie).await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en" dir="ltr">"#), "{page}");
    assert!(page.contains("<title>Inbox (0) — daftar</title>"), "{page}");
    assert!(page.contains("Sign out"));
    // Its error pages are English too.
    let refused = ui
        .client()
        .post(format!("{}/sign-out", ui.base))
        .header("cookie", &cookie)
        .header("origin", &ui.base)
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = refused.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en" dir="ltr">"#), "{page}");
    assert!(page.contains("nothing was changed"), "{page}");
}
