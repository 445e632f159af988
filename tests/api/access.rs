//! The route table against the served app: every route is in /openapi.json and answers (no
//! route-table 404), and an auditor is refused on every write route.

use daftar::http::ROUTES;
use reqwest::Method;

use crate::helpers::spawn_app;
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
