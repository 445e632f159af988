//! Signing in and out: by a one-time link sent by e-mail (members) or by pasting an API
//! token (administrators, scripts, and anyone when mail is down). Every failure is counted
//! against the client like a bad token ([`crate::http::rate_limit`]); asking for a link
//! answers the same whether or not the address belongs to a member.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::error::PageError;
use super::i18n::{Locale, Text};
use super::layout::{bare_page, notice_text};
use super::session::{
    Posted, PublicForm, WebState, close_session, local_path, new_secret, open_session,
};
use crate::engine::token_hash;
use crate::http::AppState;
use crate::http::rate_limit::client_address;

/// How long a sign-in link works.
const LINK_MINUTES: i64 = 15;

#[derive(Debug, Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    notice: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

fn locale_of(lang: Option<&str>) -> Locale {
    lang.map(Locale::parse).unwrap_or_default()
}

fn sign_in_page(locale: Locale, next: &str, message: Option<Markup>) -> Markup {
    let next = local_path(next);
    let body = html! {
        div.sign-in {
            @if let Some(message) = message { (message) }
            section.panel aria-labelledby="by-mail" {
                h2 #by-mail { (locale.pick("ورود با پیوند ایمیلی", "Sign in with an e-mail link")) }
                form method="post" action="/sign-in/link" {
                    input type="hidden" name="next" value=(next);
                    input type="hidden" name="lang" value=(locale.lang());
                    div.field {
                        label for="email" { (locale.pick("نشانی ایمیل", "E-mail address")) }
                        p.help #email-help { (locale.pick("پیوندی یک‌بارمصرف که ۱۵ دقیقه معتبر است برایتان فرستاده می‌شود.", "A one-time link, valid for 15 minutes, is sent to you.")) }
                        input #email type="email" name="email" required autocomplete="email" dir="ltr" aria-describedby="email-help";
                    }
                    button type="submit" { (locale.pick("فرستادن پیوند ورود", "Send me a sign-in link")) }
                }
            }
            section.panel aria-labelledby="by-token" {
                h2 #by-token { (locale.pick("ورود با توکن", "Sign in with a token")) }
                form method="post" action="/sign-in/token" {
                    input type="hidden" name="next" value=(next);
                    input type="hidden" name="lang" value=(locale.lang());
                    div.field {
                        label for="token" { (locale.pick("توکن دسترسی", "Access token")) }
                        p.help #token-help { (locale.pick("توکنی که مدیر سامانه برایتان صادر کرده است.", "The token an administrator issued to you.")) }
                        input #token type="password" name="token" required autocomplete="off" dir="ltr" aria-describedby="token-help";
                    }
                    button type="submit" { (locale.text(Text::SignIn)) }
                }
            }
            p {
                @match locale {
                    Locale::Fa => a href={"/sign-in?lang=en&next=" (encode(next))} lang="en" { "English" },
                    Locale::En => a href={"/sign-in?lang=fa&next=" (encode(next))} lang="fa" { "فارسی" },
                }
            }
        }
    };
    bare_page(
        locale,
        locale.pick("ورود به دفتر", "Sign in to daftar"),
        body,
    )
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn notice(kind: &str, text: &str) -> Markup {
    html! { div class={"notice " (kind)} role="alert" { p { (text) } } }
}

fn page_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// `GET /sign-in`
pub async fn form(query: web::Query<SignInQuery>) -> HttpResponse {
    let locale = locale_of(query.lang.as_deref());
    let message = query
        .notice
        .as_deref()
        .and_then(|key| notice_text(locale, key))
        .map(|text| notice("ok", text));
    let next = query.next.as_deref().unwrap_or("/");
    page_response(StatusCode::OK, sign_in_page(locale, next, message))
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    token: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /sign-in/token`
pub async fn with_token(
    request: HttpRequest,
    state: web::Data<AppState>,
    web: web::Data<WebState>,
    posted: PublicForm<TokenForm>,
) -> Result<HttpResponse, PageError> {
    let form = posted.form;
    let locale = locale_of(form.lang.as_deref());
    let next = form.next.as_deref().unwrap_or("/");
    let client = client_address(&request, &state.protection.trusted_proxies);
    if let Err(wait) = state.auth_failures.check(client) {
        return Err(PageError::too_many_requests(wait.as_secs()).in_locale(locale));
    }
    let token = form.token.trim();
    match state.engine.authenticate(token).await? {
        Some(member) => open_session(&state, &web, &member.id, Some(token_hash(token)), next).await,
        None => {
            state.auth_failures.record_failure(client);
            tracing::warn!(client = %client, "a sign-in with an unknown or revoked token");
            let message = notice(
                "error",
                locale.pick(
                    "این توکن شناخته نشد یا باطل شده است.",
                    "This token is unknown or revoked.",
                ),
            );
            Ok(page_response(
                StatusCode::UNAUTHORIZED,
                sign_in_page(locale, next, Some(message)),
            ))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkRequestForm {
    email: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /sign-in/link`: queues a link if the address is a member's; the answer is the same
/// either way, and comes before the work is done, so its timing does not tell either.
pub async fn send_link(
    request: HttpRequest,
    state: web::Data<AppState>,
    web: web::Data<WebState>,
    posted: PublicForm<LinkRequestForm>,
) -> Result<HttpResponse, PageError> {
    let form = posted.form;
    let locale = locale_of(form.lang.as_deref());
    let client = client_address(&request, &state.protection.trusted_proxies);
    if let Err(wait) = state.auth_failures.check(client) {
        return Err(PageError::too_many_requests(wait.as_secs()).in_locale(locale));
    }
    // Every request counts, found or not: otherwise the allowance would tell which
    // addresses exist, and it also bounds how much mail one client can cause.
    state.auth_failures.record_failure(client);
    let base = match &web.settings.public_url {
        Some(url) => url.join(""),
        None => {
            let info = request.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    let email = form.email.trim().to_string();
    let (state, web) = (state.into_inner(), web.into_inner());
    tokio::spawn(async move {
        if let Err(error) = queue_link(&state, &web, &email, &base).await {
            tracing::warn!(error = %error, "a sign-in link could not be queued");
        }
    });
    let message = notice(
        "ok",
        locale.pick(
            "اگر این نشانی از آنِ یکی از اعضا باشد، پیوند ورود تا چند لحظهٔ دیگر به آن می‌رسد. پیوند ۱۵ دقیقه و فقط یک بار معتبر است.",
            "If this address belongs to a member, a sign-in link is on its way. It works once, within 15 minutes.",
        ),
    );
    let next = form.next.as_deref().unwrap_or("/");
    Ok(page_response(
        StatusCode::OK,
        sign_in_page(locale, next, Some(message)),
    ))
}

async fn queue_link(
    state: &AppState,
    web: &WebState,
    email: &str,
    base: &str,
) -> Result<(), PageError> {
    let directory = state.engine.directory().await?;
    let Some(member) = directory
        .iter()
        .find(|m| m.email.eq_ignore_ascii_case(email))
    else {
        return Ok(());
    };
    let token = new_secret()?;
    let now = state.engine.clock.now();
    let expires = now + chrono::Duration::minutes(LINK_MINUTES);
    web.store
        .insert_link(
            &token_hash(&token),
            &member.id,
            now.timestamp_micros(),
            expires.timestamp_micros(),
        )
        .await?;
    let url = format!("{base}/sign-in/link?token={token}");
    state
        .engine
        .send_sign_in_link(member, uuid::Uuid::now_v7(), &url, expires)
        .await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    token: String,
}

/// `GET /sign-in/link?token=…`: a button that spends the link. Following the e-mail's link
/// changes nothing by itself, so a mail scanner that fetches links cannot use it up.
pub async fn confirm_link(query: web::Query<LinkQuery>) -> HttpResponse {
    let locale = Locale::Fa;
    let body = html! {
        div.sign-in.panel {
            p { (locale.pick("برای ورود به دفتر دکمهٔ زیر را بزنید.", "Press the button to sign in.")) }
            form method="post" action="/sign-in/link/use" {
                input type="hidden" name="token" value=(query.token);
                button type="submit" { (locale.text(Text::SignIn)) }
            }
        }
    };
    page_response(
        StatusCode::OK,
        bare_page(
            locale,
            locale.pick("ورود به دفتر", "Sign in to daftar"),
            body,
        ),
    )
}

#[derive(Debug, Deserialize)]
pub struct LinkUseForm {
    token: String,
}

/// `POST /sign-in/link/use`: spends the link and opens a session.
pub async fn use_link(
    request: HttpRequest,
    state: web::Data<AppState>,
    web: web::Data<WebState>,
    posted: PublicForm<LinkUseForm>,
) -> Result<HttpResponse, PageError> {
    use super::store::LinkUse;
    let locale = Locale::Fa;
    let client = client_address(&request, &state.protection.trusted_proxies);
    if let Err(wait) = state.auth_failures.check(client) {
        return Err(PageError::too_many_requests(wait.as_secs()));
    }
    let now_us = state.engine.clock.now().timestamp_micros();
    let found = web
        .store
        .use_link(&token_hash(posted.form.token.trim()), now_us)
        .await?;
    let problem = match found {
        LinkUse::SignedIn { member_id } => {
            return open_session(&state, &web, &member_id, None, "/").await;
        }
        LinkUse::Expired => locale.pick(
            "این پیوند ورود منقضی شده است (پیوندها ۱۵ دقیقه معتبرند). پیوند تازه‌ای بخواهید.",
            "This sign-in link has expired (links last 15 minutes). Ask for a new one.",
        ),
        LinkUse::AlreadyUsed => locale.pick(
            "این پیوند ورود پیش‌تر به کار رفته است؛ هر پیوند فقط یک بار کار می‌کند. پیوند تازه‌ای بخواهید.",
            "This sign-in link was used already; each link works once. Ask for a new one.",
        ),
        LinkUse::Unknown => {
            state.auth_failures.record_failure(client);
            locale.pick(
                "این پیوند ورود معتبر نیست. پیوند تازه‌ای بخواهید.",
                "This sign-in link is not valid. Ask for a new one.",
            )
        }
    };
    Ok(page_response(
        StatusCode::BAD_REQUEST,
        sign_in_page(locale, "/", Some(notice("error", problem))),
    ))
}

/// `POST /sign-out`
pub async fn sign_out(
    web: web::Data<WebState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    close_session(&web, &posted.viewer).await
}
