//! The browser-test harness: ONE real `daftar serve` (the built binary, over a SQLite file
//! in a temporary directory) and ONE Debian `chromedriver` for the whole test binary; each
//! test opens its own browser session (a fresh headless Chromium profile, so no cookie
//! leaks between tests) and quits it.
//!
//! A test is `async fn name(ui: &'static Ui)`, listed in `main.rs` with [`crate::browser`]
//! or [`crate::http`]. In it:
//! - `ui.base` is the server's URL; `ui.member(id, agency, roles)` registers a member (and
//!   its agency's fixture entry, once) and gives its [`Login`] (token, token id, e-mail);
//!   `ui.api(method, path, token, body, status)` calls the API; `ui.open_inventory(agencies)`
//!   opens a data-exchange inventory case and returns its id;
//! - `ui.browser().await` a WebDriver session ([`thirtyfour::WebDriver`]; call `.quit()`),
//!   `ui.sign_in(&driver, &login)` signs in through the page by token;
//!   `ui.screenshot(&driver, "name")` writes `target/ui-screens/name.png`;
//! - over plain HTTP: `ui.session(&login)` signs in and gives the `Cookie:` value,
//!   `ui.page(path, &cookie)` GETs a page, `ui.post_form(from, path, &cookie, fields)` posts
//!   as the page `from` would (its CSRF token, this origin); `ui.client()` is a client that
//!   follows no redirect; `ui.sign_in_link(email)` the newest link mailed to `email`;
//! - `ui.assert_accessible(&driver, "what")` runs axe-core on the current page.
//!
//! Members, agencies and cases are shared by all tests of the run: give each test its own
//! member ids and case titles.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::{Client, Method, redirect};
use serde_json::{Value, json};
use thirtyfour::{ChromiumLikeCapabilities, DesiredCapabilities, WebDriver};

pub const ADMIN_TOKEN: &str = "bootstrap-token-for-ui-tests-0123456789";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// axe-core, for the tests only.
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// A member who can sign in.
#[derive(Debug, Clone)]
pub struct Login {
    pub id: String,
    pub email: String,
    pub token: String,
    pub token_id: String,
}

/// The running server and browser driver, shared by every test of the binary.
pub struct Ui {
    pub base: String,
    pub mail_dir: PathBuf,
    pub database: PathBuf,
    /// The server's log (stdout and stderr).
    pub log: PathBuf,
    driver_url: Option<String>,
    profiles: PathBuf,
    sessions: Mutex<u32>,
    agencies_imported: tokio::sync::OnceCell<()>,
    http: Client,
}

/// The processes the harness started; killed when this is dropped (also on a panic).
pub struct Processes {
    children: Vec<Child>,
    _dir: tempfile::TempDir,
}

impl Drop for Processes {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Whether this machine has the Debian browser and driver.
pub fn browser_installed() -> bool {
    Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl Ui {
    /// Starts the server (and the driver when `with_browser`) and waits for both.
    pub async fn start(with_browser: bool) -> (Ui, Processes) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mail_dir = dir.path().join("mail");
        std::fs::create_dir_all(&mail_dir).expect("mail dir");
        let database = dir.path().join("daftar.db");
        let log = dir.path().join("server.log");
        let server = spawn_server(&database, &mail_dir, &log);
        let mut children = vec![server];
        let base = wait_for_server(&log, &mut children[0]).await;
        let mut driver_url = None;
        if with_browser {
            let port = free_port();
            let driver = Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts");
            children.push(driver);
            let url = format!("http://127.0.0.1:{port}");
            wait_until_up(&format!("{url}/status")).await;
            driver_url = Some(url);
        }
        let ui = Ui {
            base,
            mail_dir,
            database,
            log,
            driver_url,
            profiles: dir.path().join("profiles"),
            sessions: Mutex::new(0),
            agencies_imported: tokio::sync::OnceCell::new(),
            http: Client::new(),
        };
        (
            ui,
            Processes {
                children,
                _dir: dir,
            },
        )
    }

    /// A client that follows no redirect, for checking what the server answers.
    pub fn client(&self) -> Client {
        Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .expect("a client")
    }

    /// Signs `login` in over HTTP (by token) and returns the session's `Cookie:` value.
    pub async fn session(&self, login: &Login) -> String {
        let response = self
            .client()
            .post(format!("{}/sign-in/token", self.base))
            .header("origin", &self.base)
            .form(&[("token", login.token.as_str())])
            .send()
            .await
            .expect("the sign-in answers");
        assert_eq!(response.status(), 303, "signing {} in", login.id);
        session_cookie(&response).expect("a session cookie")
    }

    /// `GET path` as a browser asks for a page, with a session cookie (redirects are not
    /// followed).
    pub async fn page(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.client()
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .header("accept", "text/html")
            .send()
            .await
            .expect("the page answers")
    }

    /// Posts a form as this server's own page would: with the session's cookie, its CSRF
    /// token (read from the page at `from`) and this server's `Origin`.
    pub async fn post_form(
        &self,
        from: &str,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let csrf = csrf_of(
            &self
                .page(from, cookie)
                .await
                .text()
                .await
                .unwrap_or_default(),
        );
        let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        self.client()
            .post(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .header("origin", &self.base)
            .form(&form)
            .send()
            .await
            .expect("the form is answered")
    }

    /// Calls the API; panics with the body unless the status is `expected`.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
        expected: u16,
    ) -> Value {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the API answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        assert_eq!(status, expected, "{method} {path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn import_agencies(&self) {
        self.agencies_imported
            .get_or_init(|| async {
                let fixture: Value = serde_json::from_str(
                    &std::fs::read_to_string(root().join("tests/fixtures/agencies.json"))
                        .expect("the agencies fixture"),
                )
                .expect("JSON");
                self.api(
                    Method::POST,
                    "/v1/agencies:import",
                    ADMIN_TOKEN,
                    Some(fixture),
                    201,
                )
                .await;
            })
            .await;
    }

    /// Registers a member of a fixture agency (e.g. `IRICA`), named «کارشناس ID», and
    /// issues a token.
    pub async fn member(&self, id: &str, agency: &str, roles: &[&str]) -> Login {
        self.named_member(id, &format!("کارشناس {id}"), agency, roles)
            .await
    }

    /// [`Ui::member`] with a name of one's choosing.
    pub async fn named_member(&self, id: &str, name: &str, agency: &str, roles: &[&str]) -> Login {
        self.import_agencies().await;
        let email = format!("{id}@{}.example", agency.to_lowercase());
        let body =
            json!({"id": id, "name": name, "email": email, "agency": agency, "roles": roles});
        self.api(Method::POST, "/v1/members", ADMIN_TOKEN, Some(body), 201)
            .await;
        let issued = self
            .api(
                Method::POST,
                &format!("/v1/members/{id}/tokens"),
                ADMIN_TOKEN,
                None,
                201,
            )
            .await;
        Login {
            id: id.into(),
            email,
            token: issued["token"].as_str().expect("a token").into(),
            token_id: issued["token_id"].as_str().expect("a token id").into(),
        }
    }

    /// Opens a data-exchange inventory case for `agencies` (as the administrator) and
    /// returns its id; each agency gets an open task.
    pub async fn open_inventory(&self, title: &str, agencies: &[&str]) -> String {
        self.import_agencies().await;
        let body = json!({"workflow": "data-exchange-inventory", "title": title, "participants": agencies});
        let case = self
            .api(Method::POST, "/v1/cases", ADMIN_TOKEN, Some(body), 201)
            .await;
        case["id"].as_str().expect("a case id").to_string()
    }

    /// A new browser session with a fresh profile, 1280 × 900.
    pub async fn browser(&self) -> WebDriver {
        let url = self
            .driver_url
            .as_deref()
            .expect("this test was listed as a browser test");
        let profile = {
            let mut n = self.sessions.lock().expect("sessions");
            *n += 1;
            self.profiles.join(format!("p{n}"))
        };
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(CHROMIUM).expect("binary");
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,900",
        ] {
            caps.add_arg(arg).expect("argument");
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.display()))
            .expect("argument");
        WebDriver::new(url, caps).await.expect("a browser session")
    }

    /// Signs `login` in through the sign-in page, by token, and waits for the inbox.
    pub async fn sign_in(&self, driver: &WebDriver, login: &Login) {
        use thirtyfour::By;
        driver
            .goto(format!("{}/sign-in", self.base))
            .await
            .expect("the sign-in page");
        let field = driver.find(By::Id("token")).await.expect("the token field");
        field.send_keys(&login.token).await.expect("typing");
        field
            .send_keys(thirtyfour::Key::Enter)
            .await
            .expect("enter");
        self.wait_for(driver, By::Css("header .who")).await;
    }

    /// Waits (at most 10 s) for an element to appear.
    pub async fn wait_for(&self, driver: &WebDriver, by: thirtyfour::By) -> thirtyfour::WebElement {
        let started = Instant::now();
        loop {
            if let Ok(element) = driver.find(by.clone()).await {
                return element;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{by:?} did not appear; the page is:\n{}",
                driver.source().await.unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Fails on any serious or critical accessibility violation of the current page.
    pub async fn assert_accessible(&self, driver: &WebDriver, page: &str) {
        let violations = self.accessibility_violations(driver).await;
        assert!(
            violations.is_empty(),
            "{page}: serious accessibility violations:\n{}",
            violations.join("\n")
        );
    }

    /// Runs axe-core (vendored under `tests/ui/vendor/`) on the current page: its serious
    /// and critical violations, each with the rule and the elements.
    pub async fn accessibility_violations(&self, driver: &WebDriver) -> Vec<String> {
        driver
            .execute(AXE, Vec::new())
            .await
            .expect("axe-core loads");
        let result = driver
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ["violations"]})
                  .then(r => done(r.violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => v.id + " (" + v.help + "): " + v.nodes.map(n => n.target.join(" ")).join(", "))))
                  .catch(e => done(["axe failed: " + e]));"#,
                Vec::new(),
            )
            .await
            .expect("axe-core runs");
        serde_json::from_value(result.json().clone()).expect("a list of violations")
    }

    /// Writes `target/ui-screens/<name>.png`.
    pub async fn screenshot(&self, driver: &WebDriver, name: &str) {
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target"))
            .join("ui-screens");
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        driver
            .screenshot(&dir.join(format!("{name}.png")))
            .await
            .expect("a screenshot");
    }

    /// The newest sign-in link mailed to `email` (waits up to 10 s for the dispatcher).
    pub async fn sign_in_link(&self, email: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(link) = newest_link(&self.mail_dir, email) {
                return link;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no sign-in link reached {email}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// How many sign-in e-mails went to `email`.
    pub fn sign_in_mails(&self, email: &str) -> usize {
        mails_to(&self.mail_dir, email).len()
    }
}

/// The `(modified, text)` of every sign-in e-mail to `email`.
fn mails_to(dir: &Path, email: &str) -> Vec<(std::time::SystemTime, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let raw = std::fs::read(entry.path()).ok()?;
            let mail = mailparse::parse_mail(&raw).ok()?;
            let to = mail
                .headers
                .iter()
                .find(|h| h.get_key_ref().eq_ignore_ascii_case("to"))?
                .get_value();
            if !to.contains(email) {
                return None;
            }
            let text = mail
                .subparts
                .iter()
                .find(|p| p.ctype.mimetype == "text/plain")
                .and_then(|p| p.get_body().ok())
                .unwrap_or_else(|| mail.get_body().unwrap_or_default());
            if !text.contains("/sign-in/link?token=") {
                return None;
            }
            Some((entry.metadata().ok()?.modified().ok()?, text))
        })
        .collect()
}

fn newest_link(dir: &Path, email: &str) -> Option<String> {
    let mut mails = mails_to(dir, email);
    mails.sort_by_key(|(at, _)| *at);
    let (_, text) = mails.pop()?;
    text.split_whitespace()
        .find(|w| w.contains("/sign-in/link?token="))
        .map(str::to_string)
}

/// The session cookie a response set, as a `Cookie:` header value.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("daftar_session=") && !v.starts_with("daftar_session=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// The CSRF token in a page's forms.
pub fn csrf_of(html: &str) -> String {
    html.split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page has a form with a CSRF token")
        .to_string()
}

/// `daftar serve` over the SQLite file `database`, on a free port, logging to `log`.
fn spawn_server(database: &Path, mail_dir: &Path, log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_daftar"))
        .arg("serve")
        .env(
            "DAFTAR_DATABASE_URL",
            format!("sqlite://{}", database.display()),
        )
        .env("DAFTAR_BIND", "127.0.0.1:0")
        .env("DAFTAR_BOOTSTRAP_TOKEN", ADMIN_TOKEN)
        .env("DAFTAR_MAIL_DIR", mail_dir)
        .env("DAFTAR_SCHEMAS_DIR", root().join("schemas"))
        .env("DAFTAR_WORKFLOWS_DIR", root().join("workflows"))
        // Tests that count failures name their own client in X-Forwarded-For, so
        // they throttle only themselves.
        .env("DAFTAR_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "info")
        .env_remove("DAFTAR_SMTP_URL")
        .env_remove("DAFTAR_PUBLIC_URL")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(log).expect("log"))
        .stderr(
            std::fs::File::options()
                .append(true)
                .open(log)
                .expect("log"),
        )
        .spawn()
        .expect("daftar starts")
}

/// A second server, over another SQLite file (e.g. an altered copy of the first's): its
/// URL, and the process, stopped when dropped.
pub async fn serve_copy(database: &Path) -> (String, Processes) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let log = dir.path().join("server.log");
    let mut server = spawn_server(database, dir.path(), &log);
    let base = wait_for_server(&log, &mut server).await;
    let processes = Processes {
        children: vec![server],
        _dir: dir,
    };
    (base, processes)
}

async fn wait_for_server(log: &Path, child: &mut Child) -> String {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "daftar exited early ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(line) = text.split("daftar is serving").nth(1) {
            let port: String = line
                .split("port=")
                .nth(1)
                .unwrap_or_default()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let base = format!("http://127.0.0.1:{port}");
            wait_until_up(&format!("{base}/ready")).await;
            return base;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "daftar did not start:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

async fn wait_until_up(url: &str) {
    let client = Client::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if client
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not answer within 30 s");
}
