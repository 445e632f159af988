//! Who is looking at a page. A signed-in browser holds a random session id in an
//! `HttpOnly; SameSite=Lax` cookie (`Secure` under an https `DAFTAR_PUBLIC_URL`); the
//! database keeps its hash, the member, the token it was opened with (if any) and a CSRF
//! token. Every request re-authenticates: the session's timeouts, the token (revoked →
//! signed out) and the member are read again, and the page's roles (from the page table in
//! [`super`]) are checked here, so no page can forget them.
//!
//! Extractors: [`Viewer`] for GET pages; [`Posted<T>`] for every state-changing form — it
//! checks the `Origin` (or `Referer`) is this server and the form's `csrf` field (or the
//! `X-CSRF-Token` header, which htmx sends) is the session's, before `T` is parsed;
//! [`PublicForm<T>`] for the sign-in forms, which have no session yet (origin only).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, dev::Payload, web};
use chrono::{DateTime, Utc};
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;

use super::error::PageError;
use super::i18n::Locale;
use super::store::{SessionRow, WebStore};
use super::{Access, page_access};
use crate::config::WebSettings;
use crate::domain::{Actor, Role};
use crate::engine::{Member, token_hash};
use crate::http::AppState;
use crate::http::rate_limit::client_address;

/// The session cookie's name.
pub const COOKIE: &str = "daftar_session";
/// The hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header carrying the CSRF token on htmx requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Activity is written back at most this often (µs), not on every request.
const TOUCH_EVERY_US: i64 = 60_000_000;

/// What the pages need besides the API's state.
#[derive(Clone)]
pub struct WebState {
    pub store: WebStore,
    pub settings: WebSettings,
}

/// The signed-in member looking at a page.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub member: Member,
    pub actor: Actor,
    /// The session's CSRF token, for [`super::layout::csrf_field`].
    pub csrf: String,
    pub locale: Locale,
    /// The request's path, for the navigation's `aria-current`.
    pub path: String,
    /// A `?notice=` key, shown by the layout if it knows it.
    pub notice: Option<String>,
    pub now: DateTime<Utc>,
    session: String,
}

impl Viewer {
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.actor.has(*r))
    }
}

/// A state-changing form from a signed-in viewer, CSRF and origin checked.
pub struct Posted<T> {
    pub viewer: Viewer,
    pub form: T,
}

/// A sign-in form: no session yet, so the origin is what is checked.
pub struct PublicForm<T> {
    pub form: T,
}

fn states(request: &HttpRequest) -> Result<(web::Data<AppState>, web::Data<WebState>), PageError> {
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let web = request.app_data::<web::Data<WebState>>().cloned();
    state
        .zip(web)
        .ok_or_else(|| PageError::new(StatusCode::INTERNAL_SERVER_ERROR, ""))
}

/// The path and query to come back to after signing in.
fn here(request: &HttpRequest) -> String {
    match request.uri().query() {
        Some(query) => format!("{}?{query}", request.path()),
        None => request.path().to_string(),
    }
}

/// `next` if it is a path on this server, `/` otherwise (no open redirect).
pub fn local_path(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    if local { next } else { "/" }
}

fn is_htmx(request: &HttpRequest) -> bool {
    request.headers().contains_key("hx-request")
}

/// The answer to an unauthenticated request: to the sign-in page, and back afterwards.
pub fn to_sign_in(next: &str, notice: Option<&str>, htmx: bool) -> HttpResponse {
    let mut location = format!(
        "/sign-in?next={}",
        url::form_urlencoded::byte_serialize(local_path(next).as_bytes()).collect::<String>()
    );
    if let Some(notice) = notice {
        location.push_str("&notice=");
        location.push_str(notice);
    }
    if htmx {
        // An XHR would follow a redirect and swap the sign-in page into a fragment.
        HttpResponse::Ok()
            .insert_header(("hx-redirect", location))
            .finish()
    } else {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish()
    }
}

/// Reads the session, its member and the page's roles.
async fn authenticate(request: &HttpRequest) -> Result<Viewer, PageError> {
    let (state, web) = states(request)?;
    let sign_in = |notice| PageError::SignIn {
        next: here(request),
        notice,
        htmx: is_htmx(request),
    };
    let client = client_address(request, &state.protection.trusted_proxies);
    if let Err(wait) = state.auth_failures.check(client) {
        return Err(PageError::too_many_requests(wait.as_secs()));
    }
    let Some(cookie) = request.cookie(COOKIE) else {
        return Err(sign_in(None));
    };
    let id_hash = token_hash(cookie.value());
    let Some(row) = web.store.session(&id_hash).await? else {
        state.auth_failures.record_failure(client);
        return Err(sign_in(Some("session-ended")));
    };
    let now = state.engine.clock.now();
    let now_us = now.timestamp_micros();
    let idle_us = web.settings.session_idle().as_micros() as i64;
    let member = if row.expires_at_us <= now_us || row.last_seen_at_us + idle_us <= now_us {
        None
    } else {
        match &row.token_hash {
            Some(hash) => state.engine.authenticate_hash(hash.clone()).await?,
            None => state.engine.member(&row.member_id).await?,
        }
    };
    let Some(member) = member.filter(|m| m.id == row.member_id) else {
        web.store.delete_session(&id_hash).await?;
        return Err(sign_in(Some("session-ended")));
    };
    if now_us - row.last_seen_at_us >= TOUCH_EVERY_US {
        web.store.touch_session(&id_hash, now_us).await?;
    }
    let locale = Locale::parse(&member.locale);
    request.extensions_mut().insert(locale);
    let viewer = Viewer {
        actor: member.actor(),
        member,
        csrf: row.csrf_token,
        locale,
        path: request.path().to_string(),
        notice: notice_key(request),
        now,
        session: id_hash,
    };
    let pattern = request.match_pattern().unwrap_or_default();
    if let Some(Access::Roles(roles)) = page_access(request.method(), &pattern)
        && !viewer.has_any(roles)
    {
        return Err(PageError::forbidden().in_locale(locale));
    }
    Ok(viewer)
}

fn notice_key(request: &HttpRequest) -> Option<String> {
    url::form_urlencoded::parse(request.query_string().as_bytes())
        .find(|(k, _)| k == "notice")
        .map(|(_, v)| v.into_owned())
}

impl FromRequest for Viewer {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            if !matches!(*request.method(), Method::GET | Method::HEAD) {
                // A form must come through `Posted`, which checks its CSRF token.
                tracing::error!(path = %request.path(), "a page taking a state-changing request uses Viewer, not Posted");
                return Err(PageError::new(StatusCode::INTERNAL_SERVER_ERROR, ""));
            }
            authenticate(&request).await
        })
    }
}

/// `Origin` (or, without it, `Referer`) names this server: the `Host` the request was sent
/// to, or `DAFTAR_PUBLIC_URL`.
pub fn same_origin(request: &HttpRequest, settings: &WebSettings) -> bool {
    let headers = request.headers();
    let Some(claimed) = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
    else {
        return false;
    };
    let Some(host) = claimed.host_str() else {
        return false;
    };
    let authority = match claimed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    let requested = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    requested.as_deref() == Some(authority.as_str())
        || settings
            .public_url
            .as_ref()
            .is_some_and(|url| url.authority() == authority)
}

fn foreign_origin(locale: Locale) -> PageError {
    PageError::new(
        StatusCode::FORBIDDEN,
        locale.pick(
            "این فرم از صفحه‌ای بیرون از این سامانه فرستاده شده است؛ چیزی ثبت نشد.",
            "This form was sent from a page outside this server; nothing was changed.",
        ),
    )
    .in_locale(locale)
}

async fn read_body(mut payload: Payload, limit: usize) -> Result<web::BytesMut, PageError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| PageError::bad_request(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(PageError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the limit is {limit} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn equal_in_constant_time(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The form's fields without the CSRF token, parsed into `T`.
fn parse_form<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Result<T, PageError> {
    let rest: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != CSRF_FIELD).collect();
    let encoded =
        serde_urlencoded::to_string(&rest).map_err(|e| PageError::bad_request(e.to_string()))?;
    serde_urlencoded::from_str(&encoded).map_err(|e| PageError::bad_request(e.to_string()))
}

impl<T: DeserializeOwned + 'static> FromRequest for Posted<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (state, web) = states(&request)?;
            let origin_ok = same_origin(&request, &web.settings);
            let viewer = authenticate(&request).await?;
            if !origin_ok {
                return Err(foreign_origin(viewer.locale));
            }
            let body = read_body(payload, state.body_limit).await?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| PageError::bad_request(e.to_string()))?;
            let header = request
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok());
            let sent = pairs
                .iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v.as_str())
                .or(header);
            if !sent.is_some_and(|token| equal_in_constant_time(token, &viewer.csrf)) {
                let locale = viewer.locale;
                return Err(PageError::new(
                    StatusCode::FORBIDDEN,
                    locale.pick(
                        "این فرم کهنه است یا از نشست دیگری آمده است؛ چیزی ثبت نشد. صفحه را دوباره باز کنید.",
                        "This form is stale or belongs to another session; nothing was changed. Open the page again.",
                    ),
                )
                .in_locale(locale));
            }
            let form = parse_form(pairs).map_err(|e| e.in_locale(viewer.locale))?;
            Ok(Posted { viewer, form })
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for PublicForm<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (state, web) = states(&request)?;
            if !same_origin(&request, &web.settings) {
                return Err(foreign_origin(Locale::Fa));
            }
            let body = read_body(payload, state.body_limit.min(64 * 1024)).await?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| PageError::bad_request(e.to_string()))?;
            Ok(PublicForm {
                form: parse_form(pairs)?,
            })
        })
    }
}

fn random_hex() -> Result<String, PageError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "")
    })?;
    Ok(hex::encode(bytes))
}

/// 256 random bits, hex: session ids, CSRF tokens and sign-in links.
pub fn new_secret() -> Result<String, PageError> {
    random_hex()
}

/// Opens a session for `member_id` and answers with its cookie and a redirect to `next`.
pub async fn open_session(
    state: &AppState,
    web: &WebState,
    member_id: &str,
    token_hash: Option<String>,
    next: &str,
) -> Result<HttpResponse, PageError> {
    let id = random_hex()?;
    let now_us = state.engine.clock.now().timestamp_micros();
    let lifetime_us = web.settings.session_lifetime().as_micros() as i64;
    let idle_us = web.settings.session_idle().as_micros() as i64;
    // Housekeeping rides on sign-ins: they are rare, and this keeps the table small.
    web.store.delete_stale(now_us, now_us - idle_us).await?;
    let row = SessionRow {
        member_id: member_id.to_string(),
        token_hash,
        csrf_token: random_hex()?,
        created_at_us: now_us,
        last_seen_at_us: now_us,
        expires_at_us: now_us + lifetime_us,
    };
    web.store
        .insert_session(&crate::engine::token_hash(&id), &row)
        .await?;
    let https = web
        .settings
        .public_url
        .as_ref()
        .is_some_and(|u| u.is_https());
    let cookie = Cookie::build(COOKIE, id)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(https)
        .max_age(actix_web::cookie::time::Duration::seconds(
            web.settings.session_lifetime().as_secs() as i64,
        ))
        .finish();
    let separator = if next.contains('?') { '&' } else { '?' };
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((
            header::LOCATION,
            format!("{}{separator}notice=signed-in", local_path(next)),
        ))
        .finish())
}

/// Ends the viewer's session and clears its cookie.
pub async fn close_session(web: &WebState, viewer: &Viewer) -> Result<HttpResponse, PageError> {
    web.store.delete_session(&viewer.session).await?;
    let mut gone = Cookie::build(COOKIE, "").path("/").finish();
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .cookie(gone)
        .insert_header((header::LOCATION, "/sign-in?notice=signed-out"))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path("/tasks/1?x=2"), "/tasks/1?x=2");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example/"), "/");
        assert_eq!(local_path(""), "/");
    }

    #[test]
    fn the_origin_must_be_this_server() {
        let settings = WebSettings::default();
        let request = |origin: &str| {
            TestRequest::post()
                .insert_header((header::HOST, "127.0.0.1:8080"))
                .insert_header((header::ORIGIN, origin))
                .to_http_request()
        };
        assert!(same_origin(&request("http://127.0.0.1:8080"), &settings));
        assert!(!same_origin(&request("http://evil.example"), &settings));
        assert!(!same_origin(&request("http://127.0.0.1:9999"), &settings));
        assert!(!same_origin(&request("null"), &settings));
        let bare = TestRequest::post()
            .insert_header((header::HOST, "127.0.0.1:8080"))
            .to_http_request();
        assert!(!same_origin(&bare, &settings), "no Origin and no Referer");
        let referred = TestRequest::post()
            .insert_header((header::HOST, "127.0.0.1:8080"))
            .insert_header((header::REFERER, "http://127.0.0.1:8080/tasks/1"))
            .to_http_request();
        assert!(same_origin(&referred, &settings));
        let proxied = WebSettings {
            public_url: Some(
                crate::config::PublicUrl::parse("https://daftar.example.org").unwrap(),
            ),
            ..WebSettings::default()
        };
        assert!(same_origin(
            &request("https://daftar.example.org"),
            &proxied
        ));
    }

    #[test]
    fn csrf_tokens_compare_whole() {
        assert!(equal_in_constant_time("abc", "abc"));
        assert!(!equal_in_constant_time("abc", "abd"));
        assert!(!equal_in_constant_time("abc", "ab"));
        assert!(!equal_in_constant_time("", "a"));
    }

    #[test]
    fn the_csrf_field_is_checked_and_not_passed_on() {
        #[derive(serde::Deserialize)]
        struct Form {
            comment: String,
        }
        let pairs = vec![
            (CSRF_FIELD.to_string(), "t".to_string()),
            ("comment".to_string(), "خوب".to_string()),
        ];
        let form: Form = parse_form(pairs.clone()).unwrap();
        assert_eq!(form.comment, "خوب");
        let all: Vec<(String, String)> = parse_form(pairs).unwrap();
        assert_eq!(all, vec![("comment".to_string(), "خوب".to_string())]);
    }
}
