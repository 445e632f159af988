//! `spawn_app()`: the real server on port 0 over a fresh database, and a client that knows
//! the admin's bootstrap token.

use std::path::Path;
use std::sync::LazyLock;

use daftar::config::Settings;
use daftar::engine::EngineConfig;
use daftar::http::{ROUTES, openapi_path};
use daftar::startup::Application;
use reqwest::{Client, Method, Response};
use serde_json::{Value, json};

use crate::support::TestDb;

pub const ADMIN_TOKEN: &str = "bootstrap-token-for-tests-0123456789";

pub struct TestApp {
    pub address: String,
    pub client: Client,
    /// Keeps the database (a temporary SQLite file) alive as long as the app.
    _db: TestDb,
    /// Where the file transport writes `.eml` files.
    pub mail_dir: tempfile::TempDir,
}

pub async fn spawn_app(db: TestDb) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// `spawn_app`, with settings changed by `adjust` first.
pub async fn spawn_app_with(db: TestDb, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut settings = Settings::for_database(db.url.clone());
    settings.engine = EngineConfig {
        schemas_dir: root.join("schemas"),
        workflows_dir: root.join("workflows"),
        calendar_dir: None,
    };
    settings.bootstrap_token = Some(ADMIN_TOKEN.into());
    let mail_dir = tempfile::tempdir().expect("a mail directory");
    settings.mail.mail_dir = mail_dir.path().to_path_buf();
    adjust(&mut settings);
    let app = Application::build(settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: Client::new(),
        _db: db,
        mail_dir,
    }
}

impl TestApp {
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("the request is sent")
    }

    /// Sends and decodes; panics with the body if the status is not `expected`.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        expected: u16,
    ) -> Value {
        let response = self.call(method.clone(), path, Some(token), body).await;
        let status = response.status().as_u16();
        let json = response
            .headers()
            .get("content-type")
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, expected, "{method} {path}: {text}");
        let value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if json && (200..300).contains(&status) {
            assert_conforms(&method, path, status, &value);
        }
        value
    }

    pub async fn get(&self, path: &str, token: &str) -> Value {
        self.expect(Method::GET, path, token, None, 200).await
    }

    /// The log's head once every queued e-mail is delivered and recorded (the dispatcher
    /// appends its outcomes in the background, so an unsettled head moves on its own).
    pub async fn head_position(&self) -> i64 {
        for _ in 0..400 {
            let queued = self
                .get("/v1/notifications?status=queued&limit=1", ADMIN_TOKEN)
                .await;
            if queued["items"].as_array().is_some_and(Vec::is_empty) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        self.get("/v1/audit/verify", ADMIN_TOKEN).await["head_position"]
            .as_i64()
            .unwrap()
    }

    /// A member with a token.
    pub async fn member(&self, id: &str, agency: &str, roles: &[&str]) -> String {
        let body = json!({"id": id, "name": format!("عضو {id}"), "email": format!("{id}@{}.example", agency.to_lowercase()), "agency": agency, "roles": roles});
        self.expect(Method::POST, "/v1/members", ADMIN_TOKEN, Some(body), 201)
            .await;
        let token = self
            .expect(
                Method::POST,
                &format!("/v1/members/{id}/tokens"),
                ADMIN_TOKEN,
                None,
                201,
            )
            .await;
        token["token"].as_str().unwrap().to_string()
    }

    pub async fn import_agencies(&self) {
        let fixture: Value = serde_json::from_str(
            &std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agencies.json"),
            )
            .unwrap(),
        )
        .unwrap();
        self.expect(
            Method::POST,
            "/v1/agencies:import",
            ADMIN_TOKEN,
            Some(fixture),
            201,
        )
        .await;
    }
}

/// Whether `path` (no query) fits the OpenAPI template, `{name}` standing for `[^/:]+`.
fn fits(template: &str, path: &str) -> bool {
    let Some((literal, rest)) = template.split_once('{') else {
        return template == path;
    };
    let Some(after) = path.strip_prefix(literal) else {
        return false;
    };
    let rest = rest.split_once('}').map_or("", |(_, r)| r);
    let end = after.find(['/', ':']).unwrap_or(after.len());
    end > 0 && fits(rest, &after[end..])
}

/// A success answer against the schema `/openapi.json` gives it: the contract holds for
/// every answer the tests see, not only for the fields they assert.
pub fn assert_conforms(method: &Method, path: &str, status: u16, body: &Value) {
    static SPEC: LazyLock<Value> = LazyLock::new(daftar::http::openapi_document);
    let path = path.split('?').next().unwrap_or_default();
    let route = ROUTES
        .iter()
        .find(|r| {
            r.method.eq_ignore_ascii_case(method.as_str()) && fits(&openapi_path(r.path), path)
        })
        .unwrap_or_else(|| panic!("{method} {path} is in no route"));
    let template = openapi_path(route.path);
    let schema = &SPEC["paths"][&template][route.method]["responses"][status.to_string()]["content"]
        ["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {template} answered {status}, which /openapi.json does not document"
    );
    let root = json!({"components": SPEC["components"], "allOf": [schema]});
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{method} {template}: the schema does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{e} (at {})", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {status} does not match /openapi.json: {errors:#?}\n{body}"
    );
}

pub fn inventory() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/forms/data-exchange-inventory/valid/01-irica-needs-and-offers.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
