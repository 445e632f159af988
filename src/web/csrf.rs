//! State-changing requests from the pages. [`Posted<T>`] takes every form of a signed-in
//! viewer: the `Origin` (or `Referer`) must be this server and the form's `csrf` field (or
//! the `X-CSRF-Token` header) the session's, before `T` is parsed — otherwise a 403 page and
//! nothing changes. [`PublicForm<T>`] takes the sign-in forms, which have no session yet
//! (origin only). `Viewer` refuses non-GET requests, so a form handler cannot skip this.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;

use super::error::PageError;
use super::i18n::Locale;
use super::session::{Viewer, authenticate, states};
use crate::config::WebSettings;

/// The hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header carrying the CSRF token on htmx requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A state-changing form from a signed-in viewer, CSRF and origin checked.
pub struct Posted<T> {
    pub viewer: Viewer,
    pub form: T,
}

/// A sign-in form: no session yet, so the origin is what is checked.
pub struct PublicForm<T> {
    pub form: T,
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

pub(super) fn foreign_origin(locale: Locale) -> PageError {
    PageError::new(
        StatusCode::FORBIDDEN,
        locale.pick(
            "این فرم از صفحه‌ای بیرون از این سامانه فرستاده شده است؛ چیزی ثبت نشد.",
            "This form was sent from a page outside this server; nothing was changed.",
        ),
    )
    .in_locale(locale)
}

pub(super) async fn read_body(
    mut payload: Payload,
    limit: usize,
) -> Result<web::BytesMut, PageError> {
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

/// A form whose CSRF token is not the session's.
pub(super) fn stale_form(locale: Locale) -> PageError {
    PageError::new(
        StatusCode::FORBIDDEN,
        locale.pick(
            "این فرم کهنه است یا از نشست دیگری آمده است؛ چیزی ثبت نشد. صفحه را دوباره باز کنید.",
            "This form is stale or belongs to another session; nothing was changed. Open the page again.",
        ),
    )
    .in_locale(locale)
}

pub(super) fn equal_in_constant_time(a: &str, b: &str) -> bool {
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
                return Err(stale_form(viewer.locale));
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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

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
