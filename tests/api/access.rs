//! The route table against the served app: every route is in /openapi.json with its roles
//! and answers (no route-table 404); a caller without a route's roles is refused before
//! anything else is looked at; an auditor is refused on every write route.

use daftar::domain::Role;
use daftar::http::{Access, ROUTES, route_roles};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::support;

fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).unwrap();
        out.push_str("00000000-0000-7000-8000-000000000000");
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn every_route_is_served_and_documented_and_auditors_change_nothing() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let auditor = app.member("aud", "MIMT", &["auditor"]).await;
    let spec = app.get("/openapi.json", &auditor).await;
    assert_eq!(spec["openapi"], "3.1.0");
    let head = app.head_position().await;
    for route in ROUTES {
        let documented = daftar::http::openapi_path(route.path);
        assert!(
            spec["paths"][&documented][route.method].is_object(),
            "{} {} is not in /openapi.json",
            route.method,
            documented
        );
        let method = Method::from_bytes(route.method.to_uppercase().as_bytes()).unwrap();
        let response = app
            .call(
                method.clone(),
                &concrete(route.path),
                Some(&auditor),
                Some(serde_json::json!({})),
            )
            .await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("no such resource"),
            "{} {} is not served",
            route.method,
            route.path
        );
        if method != Method::GET {
            assert_eq!(
                status, 403,
                "auditor on {} {}: {body}",
                route.method, route.path
            );
        }
    }
    assert_eq!(app.head_position().await, head);
}

/// The roles a route does not allow (the caller the route must refuse).
fn roles_refused(access: Access) -> Vec<&'static str> {
    Role::ALL
        .iter()
        .filter(|r| !access.roles().contains(r))
        .map(|r| r.as_str())
        .collect()
}

#[tokio::test]
async fn a_caller_without_a_routes_roles_is_refused_before_anything_is_read() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let spec = app.get("/openapi.json", crate::helpers::ADMIN_TOKEN).await;
    let mut callers: Vec<(Vec<&str>, String)> = Vec::new();
    for route in ROUTES {
        let roles = roles_refused(route.access);
        if matches!(route.access, Access::Roles(_)) && !callers.iter().any(|(r, _)| *r == roles) {
            let id = format!("without-{}", callers.len());
            let token = app.member(&id, "MIMT", &roles).await;
            callers.push((roles, token));
        }
    }
    let head = app.head_position().await;
    for route in ROUTES {
        let Access::Roles(_) = route.access else {
            continue;
        };
        let roles = roles_refused(route.access);
        let (_, token) = callers.iter().find(|(r, _)| *r == roles).unwrap();
        let method = Method::from_bytes(route.method.to_uppercase().as_bytes()).unwrap();
        // A body no handler accepts: a 400 or 422 would mean it was read before the refusal.
        let response = app
            .call(
                method,
                &concrete(route.path),
                Some(token),
                Some(json!({"unknown-field": [1, 2, 3]})),
            )
            .await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(
            status, 403,
            "{} {} by {roles:?}: {body}",
            route.method, route.path
        );
        let documented = &spec["paths"][daftar::http::openapi_path(route.path)][route.method];
        let allowed: Vec<&str> = route.access.roles().iter().map(|r| r.as_str()).collect();
        assert_eq!(documented["x-roles"], json!(allowed), "{}", route.path);
        for role in &allowed {
            assert!(
                documented["description"].as_str().unwrap().contains(role),
                "{} {}: the description names {role}",
                route.method,
                route.path
            );
        }
    }
    assert_eq!(app.head_position().await, head);
}

#[test]
fn the_roles_of_a_route_can_be_asked_by_its_template() {
    assert_eq!(
        route_roles("post", "/v1/tasks/{id}/review"),
        Some(&[Role::Secretariat][..])
    );
    assert_eq!(
        route_roles("POST", "/v1/cases/{id}:cancel"),
        route_roles("post", "/v1/cases/{id:[^/:]+}:cancel")
    );
    assert_eq!(route_roles("get", "/v1/cases"), Some(&Role::ALL[..]));
    assert_eq!(route_roles("get", "/v1/no-such-route"), None);
}

/// A case of the inventory workflow for IRICA and MIMT, and IRICA's task.
async fn inventory_case(app: &TestApp, secretariat: &str) -> (String, String) {
    let body = json!({"workflow": "data-exchange-inventory", "title": "احصا", "participants": ["IRICA", "MIMT"]});
    let case = app
        .expect(Method::POST, "/v1/cases", secretariat, Some(body), 201)
        .await;
    let task = case["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agency"] == "IRICA")
        .unwrap();
    (
        case["id"].as_str().unwrap().to_string(),
        task["id"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_member_reviewing_its_own_open_task_is_refused_by_role_not_by_state() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let irica = app.member("irica", "IRICA", &["member"]).await;
    let (_, task) = inventory_case(&app, &secretariat).await;
    let review = format!("/v1/tasks/{task}/review");
    let body = json!({"decision": "accept"});
    app.expect(Method::POST, &review, &irica, Some(body.clone()), 403)
        .await;
    // The secretariat, who may review, is told the state.
    app.expect(Method::POST, &review, &secretariat, Some(body), 409)
        .await;
}

#[tokio::test]
async fn a_member_opening_a_case_is_refused_whatever_the_body() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let member = app.member("irica", "IRICA", &["member"]).await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let bad = json!({"workflow": "no-such-workflow", "title": "", "participants": ["NOPE"]});
    app.expect(Method::POST, "/v1/cases", &member, Some(bad.clone()), 403)
        .await;
    app.expect(Method::POST, "/v1/cases", &secretariat, Some(bad), 422)
        .await;
}

#[tokio::test]
async fn reassigning_tells_nothing_about_who_the_member_is() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    app.member("irica-auditor", "IRICA", &["auditor"]).await;
    app.member("mimt-focal", "MIMT", &["member"]).await;
    let (_, task) = inventory_case(&app, &secretariat).await;
    let mut details = Vec::new();
    for candidate in ["no-such-member", "irica-auditor", "mimt-focal"] {
        let answer = app
            .expect(
                Method::POST,
                &format!("/v1/tasks/{task}/reassign"),
                &secretariat,
                Some(json!({"member_id": candidate})),
                422,
            )
            .await;
        details.push(answer["detail"].as_str().unwrap().replace(candidate, "…"));
    }
    assert_eq!(details[0], details[1]);
    assert_eq!(details[1], details[2]);
}

#[tokio::test]
async fn a_task_reassigned_to_a_colleague_is_refused_before_its_data_is_read() {
    let app = spawn_app(support::sqlite()).await;
    app.import_agencies().await;
    let secretariat = app.member("sec", "MIMT", &["secretariat"]).await;
    let focal = app.member("irica-focal", "IRICA", &["member"]).await;
    app.member("irica-deputy", "IRICA", &["member"]).await;
    let (_, task) = inventory_case(&app, &secretariat).await;
    let reassign = json!({"member_id": "irica-deputy"});
    app.expect(
        Method::POST,
        &format!("/v1/tasks/{task}/reassign"),
        &secretariat,
        Some(reassign),
        200,
    )
    .await;
    let not_the_form = json!({"data": {"needs": "none"}});
    app.expect(
        Method::POST,
        &format!("/v1/tasks/{task}/submissions"),
        &focal,
        Some(not_the_form),
        403,
    )
    .await;
}
