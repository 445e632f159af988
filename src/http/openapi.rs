//! `/openapi.json`, generated from [`super::ROUTES`]: a route cannot be served without
//! appearing here.

use actix_web::HttpResponse;
use serde_json::{Map, Value, json};

use super::ROUTES;

/// `{id:[^/:]+}` (actix, with a pattern) → `{id}` (OpenAPI).
pub fn openapi_path(actix_path: &str) -> String {
    let mut out = String::new();
    let mut rest = actix_path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .unwrap_or(rest.len() - 1);
        let name = rest[open + 1..close].split(':').next().unwrap_or_default();
        out.push_str(&format!("{{{name}}}"));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn operation(method: &str, path: &str, summary: &str, authenticated: bool) -> Value {
    let parameters: Vec<Value> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split('}').next())
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let success = match method {
        "post"
            if !path.contains(':')
                && !path.ends_with("/review")
                && !path.ends_with("/vote")
                && !path.ends_with("/reassign") =>
        {
            "201"
        }
        "delete" => "204",
        _ => "200",
    };
    let problem = json!({"description": "A problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
    let mut responses = Map::new();
    responses.insert(
        success.into(),
        json!({"description": "Success", "content": {"application/json": {"schema": {}}}}),
    );
    responses.insert("4XX".into(), problem.clone());
    responses.insert("5XX".into(), problem);
    let mut op = json!({
        "summary": summary,
        "operationId": format!("{method}{}", path.replace(['/', '{', '}', ':', '.', '-'], "_")),
        "parameters": parameters,
        "responses": responses,
    });
    if authenticated {
        op["security"] = json!([{"bearer": []}]);
    }
    if matches!(method, "post" | "put") {
        op["requestBody"] = json!({"required": false, "content": {"application/json": {"schema": {"type": "object"}}}});
    }
    op
}

pub fn openapi_document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let path = openapi_path(route.path);
        let entry = paths.entry(path.clone()).or_insert_with(|| json!({}));
        entry[route.method] = operation(route.method, &path, route.summary, route.authenticated);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "daftar", "version": env!("CARGO_PKG_VERSION"), "description": "An event-sourced workflow engine for e-government working groups"},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object", "properties": {"instance_path": {"type": "string"}, "schema_path": {"type": "string"}, "message": {"type": "string"}}}}
            }}}
        }
    })
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(openapi_document())
}
