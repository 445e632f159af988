//! `/openapi.json`, generated from [`super::ROUTES`]: a route cannot be served without
//! appearing here. Request bodies and query parameters are the JSON Schemas of the serde
//! types the handlers parse (derived with schemars, so they cannot drift from the code);
//! the workflow definition body is `schemas/workflow.schema.json`, the one the loader checks.

use actix_web::HttpResponse;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use super::{ROUTES, RouteSpec};

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

/// A required JSON body of type `T`.
pub fn json_body<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let schema = generator.subschema_for::<T>();
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// A JSON body of type `T` that may be left out.
pub fn optional_json_body<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    let mut body = json_body::<T>(generator);
    body["required"] = json!(false);
    body
}

/// A workflow definition, as YAML or JSON: `schemas/workflow.schema.json`.
pub fn definition_body(_: &mut SchemaGenerator) -> Value {
    let schema = json!({"$ref": "#/components/schemas/WorkflowDefinition"});
    json!({"required": true, "content": {
        "application/json": {"schema": schema},
        "application/yaml": {"schema": schema},
    }})
}

/// A form: a JSON Schema document (draft 2020-12).
pub fn form_body(_: &mut SchemaGenerator) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}})
}

/// The JSON Schema of a success answer: the type the handler serializes.
pub fn response_schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    generator.subschema_for::<T>().to_value()
}

/// The fields of `T` as optional query parameters (`null` dropped: a query has no null).
pub fn query_parameters<T: JsonSchema>(generator: &mut SchemaGenerator) -> Vec<Value> {
    let schema = generator.root_schema_for::<T>();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    properties
        .into_iter()
        .map(|(name, mut schema)| {
            if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    schema["type"] = types[0].clone();
                }
            }
            json!({"name": name, "in": "query", "required": false, "schema": schema})
        })
        .collect()
}

/// 200 as JSON, or as `other` (with `?format=` or `Accept:`); `also_json: false` for
/// routes that only answer `other`.
pub fn json_or(other: &str, also_json: bool) -> Value {
    let mut content = Map::new();
    if also_json {
        content.insert("application/json".into(), json!({"schema": {}}));
    }
    content.insert(other.into(), json!({"schema": {"type": "string"}}));
    json!({"200": {"description": "Success", "content": content}})
}

/// PUT of a versioned document: 201 for a new version, 200 when unchanged.
pub fn created_or_ok() -> Value {
    let body = json!({"content": {"application/json": {"schema": {}}}});
    let mut created = body.clone();
    created["description"] = json!("A new version was registered");
    let mut unchanged = body;
    unchanged["description"] = json!("The content equals the latest version: nothing new");
    json!({"201": created, "200": unchanged})
}

fn default_success(method: &str, path: &str) -> Value {
    let code = match method {
        "post" if !path.contains(':') && !path.ends_with("/review") => match path {
            p if ["/vote", "/reassign", "/extend", "/withdraw"]
                .iter()
                .any(|action| p.ends_with(action)) =>
            {
                "200"
            }
            _ => "201",
        },
        "delete" => "204",
        _ => "200",
    };
    if code == "204" {
        return json!({"204": {"description": "Done"}});
    }
    if path.ends_with(":import") {
        // 201 when anything was created, 200 when everything already existed.
        let body = json!({"content": {"application/json": {"schema": {}}}});
        let (mut created, mut existing) = (body.clone(), body);
        created["description"] = json!("Imported; some entries were new");
        existing["description"] = json!("Every entry already existed");
        return json!({"201": created, "200": existing});
    }
    json!({code: {"description": "Success", "content": {"application/json": {"schema": {}}}}})
}

/// The problem statuses a route can answer, from what it takes.
fn problem_statuses(route: &RouteSpec, has_path_parameters: bool) -> Vec<u16> {
    let mut statuses = vec![500, 503];
    if route.access.needs_token() {
        statuses.extend([400, 401, 403, 404, 422, 429]);
    } else if route.query.is_some() || has_path_parameters {
        statuses.extend([400, 404]);
    }
    if route.method != "get" {
        statuses.extend([408, 409, 412, 413, 415]);
    }
    statuses.sort_unstable();
    statuses.dedup();
    statuses
}

fn operation(route: &RouteSpec, path: &str, generator: &mut SchemaGenerator) -> Value {
    let mut parameters: Vec<Value> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split('}').next())
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let has_path_parameters = !parameters.is_empty();
    if let Some(query) = route.query {
        parameters.extend(query(generator));
    }
    let mut responses = match route.success {
        Some(success) => success(),
        None => default_success(route.method, path),
    };
    if let Some(returns) = route.returns {
        let schema = returns(generator);
        for (_, response) in responses.as_object_mut().into_iter().flatten() {
            if let Some(json) = response.pointer_mut("/content/application~1json/schema") {
                *json = schema.clone();
            }
        }
    }
    for status in problem_statuses(route, has_path_parameters) {
        responses[status.to_string()] = json!({"description": "A problem (RFC 9457)", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
    }
    let mut op = json!({
        "summary": route.summary,
        "description": route.access.describe(),
        "operationId": format!("{}{}", route.method, path.replace(['/', '{', '}', ':', '.', '-'], "_")),
        "parameters": parameters,
        "responses": responses,
    });
    if route.access.needs_token() {
        op["security"] = json!([{"bearer": []}]);
        let roles: Vec<&str> = route.access.roles().iter().map(|r| r.as_str()).collect();
        op["x-roles"] = json!(roles);
    }
    if let Some(body) = route.body {
        op["requestBody"] = body(generator);
    }
    op
}

/// `schemas/workflow.schema.json` as a component: its `#/$defs/…` references re-rooted.
fn workflow_definition_schema() -> Value {
    let text = crate::workflow::WORKFLOW_SCHEMA.replace(
        "\"#/$defs/",
        "\"#/components/schemas/WorkflowDefinition/$defs/",
    );
    let mut schema: Value = serde_json::from_str(&text).expect("the shipped workflow schema");
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        object.remove("$id");
    }
    schema
}

fn fixed_schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    schemas.insert("Problem".into(), json!({"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {"instance_path": {"type": "string"}, "schema_path": {"type": "string"}, "message": {"type": "string"}}}}
    }}));
    schemas.insert("WorkflowDefinition".into(), workflow_definition_schema());
    schemas
}

pub fn openapi_document() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator();
    let mut paths = Map::new();
    for route in ROUTES {
        let path = openapi_path(route.path);
        let operation = operation(route, &path, &mut generator);
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[route.method] = operation;
    }
    let mut schemas = fixed_schemas();
    schemas.extend(generator.take_definitions(true));
    json!({
        "openapi": "3.1.0",
        "info": {"title": "daftar", "version": env!("CARGO_PKG_VERSION"), "description": "An event-sourced workflow engine for e-government working groups"},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        }
    })
}

pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().json(openapi_document())
}
