//! The administrator's people pages refusing: a member gets a 403 page on each and changes
//! nothing; an admin's refused form comes back with the reason at its field and what was
//! typed kept; a page drawn before someone else's change is a 409.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::admin_people::agency_codes;
use crate::harness::{ADMIN_TOKEN, Ui};

pub async fn a_member_gets_403_on_the_admin_pages_and_changes_nothing(ui: &'static Ui) {
    let member = ui.member("people-403", "IRICA", &["member"]).await;
    let cookie = ui.session(&member).await;
    let before = agency_codes(ui).await;
    for path in [
        "/admin/agencies",
        "/admin/members",
        "/admin/members/people-403",
    ] {
        let response = ui.page(path, &cookie).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("اجازه دسترسی ندارید"), "{path}: {html}");
        assert!(
            !html.contains("href=\"/admin/members\""),
            "no admin entry in its navigation"
        );
    }
    let response = ui
        .post_form(
            "/",
            "/admin/agencies",
            &cookie,
            &[("code", "PEOPLE_NO"), ("name_fa", "نه")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = ui
        .post_form(
            "/",
            "/admin/members/people-403",
            &cookie,
            &[("version", "1"), ("roles", "admin"), ("locale", "fa")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(agency_codes(ui).await, before);
    let read = ui
        .api(
            Method::GET,
            "/v1/members/people-403",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(read["roles"], json!(["member"]), "nothing changed");
}

pub async fn refused_admin_forms_keep_what_was_typed(ui: &'static Ui) {
    let admin = ui.member("people-admin-2", "MIMT", &["admin"]).await;
    ui.member("people-typed", "IRICA", &["member"]).await;
    let cookie = ui.session(&admin).await;
    let fields = [
        ("name", "مریم کاظمی"),
        ("email", "not-an-address"),
        ("agency", "IRICA"),
        ("roles", "member"),
        ("locale", "fa"),
    ];
    let response = ui
        .post_form("/admin/members", "/admin/members", &cookie, &fields)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("نشانی رایانامه درست نیست"), "{html}");
    assert!(html.contains(r#"aria-describedby="email-error""#), "{html}");
    assert!(
        html.contains(r#"value="مریم کاظمی""#),
        "what was typed is kept"
    );
    assert!(html.contains(r#"value="not-an-address""#));

    // A page drawn before someone else's change is refused, and theirs stands.
    let page = "/admin/members/people-typed";
    let change = [
        ("version", "1"),
        ("roles", "member"),
        ("roles", "auditor"),
        ("locale", "en"),
    ];
    let response = ui.post_form(page, page, &cookie, &change).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stale = [("version", "1"), ("roles", "admin"), ("locale", "fa")];
    let response = ui.post_form(page, page, &cookie, &stale).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let read = ui
        .api(
            Method::GET,
            "/v1/members/people-typed",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(read["roles"], json!(["member", "auditor"]));

    // An admin cannot take its own admin role; a day that is not a day issues no token.
    let own = "/admin/members/people-admin-2";
    let response = ui
        .post_form(
            own,
            own,
            &cookie,
            &[("version", "1"), ("roles", "member"), ("locale", "fa")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("نقش مدیر سامانه را از خودتان نمی‌توانید بگیرید")
    );
    let tokens = format!("{page}/tokens");
    let response = ui
        .post_form(page, &tokens, &cookie, &[("expires_on", "۱۴۰۵/۱۳/۴۰")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("این روز در تقویم هجری شمسی نیست"), "{html}");
    assert!(html.contains(r#"value="۱۴۰۵/۱۳/۴۰""#), "{html}");
    let listed = ui
        .api(
            Method::GET,
            "/v1/members/people-typed/tokens",
            ADMIN_TOKEN,
            None,
            200,
        )
        .await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        1,
        "only the harness's token"
    );
}
