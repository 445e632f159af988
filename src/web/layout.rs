//! The frame of every page: `<html lang dir>` from the viewer's locale, the header (the
//! member's name, agency and roles, the navigation their roles open, sign-out), a notice
//! area, an `aria-live` region for htmx updates, and the error pages. Markup only: no rule
//! and no data access here.

use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use super::assets::ASSETS;
use super::format::{bdi, number};
use super::i18n::{Locale, Text};
use super::session::Viewer;
use crate::domain::Role;

/// htmx settings (a meta tag, since the Content-Security-Policy allows no inline script):
/// no injected indicator styles (no inline styles either), no `eval`, and error responses
/// swapped in like others, so a 409 or 422 page fragment reaches the reader.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"[45]..","swap":true,"error":true}]}"#;

/// The `<head>` and the skeleton around `main`.
fn document(locale: Locale, title: &str, header: Markup, main: Markup) -> Markup {
    let assets = &*ASSETS;
    html! {
        (DOCTYPE)
        html lang=(locale.lang()) dir=(locale.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="htmx-config" content=(HTMX_CONFIG);
                title { (title) " — " (locale.text(Text::AppName)) }
                link rel="preload" href=(assets.font_regular.url) as="font" type="font/woff2" crossorigin;
                link rel="stylesheet" href=(assets.css.url);
                script src=(assets.htmx.url) defer {}
                script src=(assets.script.url) defer {}
            }
            body {
                a.skip-link href="#main" { (locale.text(Text::SkipToContent)) }
                (header)
                main #main tabindex="-1" {
                    div #live role="status" aria-live="polite" {}
                    (main)
                }
            }
        }
    }
}

/// A page for a signed-in viewer: `title` is the `<title>` and the `<h1>`.
pub fn page(viewer: &Viewer, title: &str, body: Markup) -> Markup {
    titled_page(viewer, title, title, body)
}

/// [`page`] with a `<title>` (e.g. with a count that htmx refreshes) other than the `<h1>`.
pub fn titled_page(viewer: &Viewer, title: &str, heading: &str, body: Markup) -> Markup {
    let locale = viewer.locale;
    let main = html! {
        @if let Some(text) = viewer.notice.as_deref().and_then(|key| notice_text(locale, key)) {
            div.notice.ok role="status" { (text) }
        }
        h1 { (heading) }
        (body)
    };
    document(locale, title, header(viewer), main)
}

/// A page without a signed-in member (sign-in, and errors before sign-in).
pub fn bare_page(locale: Locale, title: &str, body: Markup) -> Markup {
    let header = html! {
        header.site-header {
            a.app-name href="/" { (locale.text(Text::AppName)) }
        }
    };
    let main = html! { h1 { (title) } (body) };
    document(locale, title, header, main)
}

fn header(viewer: &Viewer) -> Markup {
    let locale = viewer.locale;
    let member = &viewer.member;
    html! {
        header.site-header {
            a.app-name href="/" { (locale.text(Text::AppName)) }
            nav aria-label=(locale.pick("بخش‌ها", "Sections")) {
                ul {
                    @for (href, label) in nav_links(viewer) {
                        li {
                            @if viewer.path == href {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                }
            }
            div.who {
                span { (member.name) }
                @if let Some(agency) = &member.agency { span { (bdi(agency)) } }
                span.roles { (roles_text(locale, &member.roles)) }
                form method="post" action="/sign-out" {
                    (csrf_field(viewer))
                    button.link type="submit" { (locale.text(Text::SignOut)) }
                }
            }
        }
    }
}

/// The sections the viewer's roles open.
fn nav_links(viewer: &Viewer) -> Vec<(&'static str, &'static str)> {
    let locale = viewer.locale;
    let mut links = vec![("/", locale.text(Text::Inbox))];
    if viewer.has_any(&[Role::Secretariat, Role::Admin, Role::Auditor]) {
        links.push(("/cases", locale.text(Text::Cases)));
    }
    if viewer.has_any(&[Role::Secretariat, Role::Admin, Role::Auditor]) {
        links.push(("/catalogue", locale.pick("فهرست اقلام", "Data items")));
    }
    if viewer.has_any(super::audit::AUDITORS) {
        links.push(("/audit/events", locale.pick("دفتر رویدادها", "Event log")));
        links.push(("/audit/verify", locale.pick("درستی دفتر", "Verify")));
    }
    // The administration page links to agencies, members, workflows, forms, the calendar.
    if viewer.has_any(super::admin::ADMINS) {
        links.push(("/admin", locale.pick("مدیریت", "Administration")));
    } else if viewer.has_any(super::admin::MAIL_READERS) {
        links.push((
            "/admin/notifications",
            locale.pick("اعلان‌ها", "Notifications"),
        ));
    }
    links
}

fn roles_text(locale: Locale, roles: &[Role]) -> String {
    let names: Vec<&str> = roles
        .iter()
        .map(|role| match role {
            Role::Admin => locale.pick("مدیر سامانه", "administrator"),
            Role::Secretariat => locale.pick("دبیرخانه", "secretariat"),
            Role::Member => locale.pick("عضو", "member"),
            Role::Auditor => locale.pick("حسابرس", "auditor"),
        })
        .collect();
    names.join(locale.pick("، ", ", "))
}

/// The hidden field every state-changing form carries (checked by `Posted`).
pub fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name=(super::csrf::CSRF_FIELD) value=(viewer.csrf); }
}

/// The texts of `?notice=` keys: a page after an action says what happened, from a fixed
/// list (nothing from the query string is echoed).
pub fn notice_text(locale: Locale, key: &str) -> Option<&'static str> {
    Some(match key {
        "signed-in" => locale.pick("وارد شدید.", "You are signed in."),
        "signed-out" => locale.pick("از دفتر خارج شدید.", "You are signed out."),
        "session-ended" => locale.pick(
            "نشست شما پایان یافت؛ دوباره وارد شوید.",
            "Your session ended; please sign in again.",
        ),
        "saved" => locale.pick("ذخیره شد.", "Saved."),
        "catalogue-changed" => locale.pick("فهرست اقلام به‌روز شد.", "The catalogue is updated."),
        "submitted" => locale.pick("ارسال شد.", "Submitted."),
        "reviewed" => locale.pick("بررسی ثبت شد.", "The review is recorded."),
        "voted" => locale.pick("رأی شما ثبت شد.", "Your vote is recorded."),
        "case-opened" => locale.pick("پرونده باز شد.", "The case is open."),
        "case-cancelled" => locale.pick("پرونده لغو شد.", "The case is cancelled."),
        "reassigned" => locale.pick("کار واگذار شد.", "The task is reassigned."),
        "deadline-extended" => locale.pick("مهلت تمدید شد.", "The deadline is extended."),
        "deadlines-extended" => locale.pick(
            "مهلت کارهای باز پرونده تمدید شد.",
            "The open tasks' deadlines are extended.",
        ),
        "nothing-to-remind" => locale.pick(
            "همهٔ دستگاه‌ها پاسخ داده‌اند؛ یادآوری لازم نبود.",
            "Every agency has answered; no reminder was needed.",
        ),
        "withdrawn" => locale.pick(
            "ارسال پس گرفته شد؛ فرم دوباره پذیرای ارسال است.",
            "The submission is withdrawn; the form takes a submission again.",
        ),
        "version-registered" => locale.pick("نسخهٔ تازه ثبت شد.", "A new version is registered."),
        "version-unchanged" => locale.pick(
            "بی‌تغییر بود؛ نسخهٔ تازه‌ای ساخته نشد.",
            "It was unchanged; no new version was made.",
        ),
        "closure-added" => locale.pick("تعطیلی ثبت شد.", "The closure is recorded."),
        "agency-added" => locale.pick("دستگاه ثبت شد.", "The agency is registered."),
        "member-added" => locale.pick(
            "عضو ثبت شد. برای ورودش با توکن، در پایین صفحه توکنی صادر کنید.",
            "The member is registered. To let them sign in by token, issue one below.",
        ),
        "member-changed" => locale.pick("تغییرها ثبت شد.", "The changes are saved."),
        "member-disabled" => locale.pick("عضو غیرفعال شد.", "The member is disabled."),
        "member-enabled" => locale.pick("عضو دوباره فعال شد.", "The member is enabled again."),
        "token-revoked" => locale.pick(
            "توکن باطل شد و دیگر پذیرفته نمی‌شود.",
            "The token is revoked and no longer accepted.",
        ),
        _ => return None,
    })
}

/// An error page: what happened, in the reader's language, and a way on.
pub fn error_page(locale: Locale, status: StatusCode, detail: &str) -> Markup {
    let (title, explanation) = error_texts(locale, status);
    let show_detail = !detail.is_empty()
        && matches!(
            status,
            StatusCode::BAD_REQUEST
                | StatusCode::FORBIDDEN
                | StatusCode::CONFLICT
                | StatusCode::PAYLOAD_TOO_LARGE
                | StatusCode::UNPROCESSABLE_ENTITY
        );
    let body = html! {
        div.panel.error-page {
            p.code aria-hidden="true" { (number(locale, status.as_u16())) }
            p { (explanation) }
            @if show_detail { p.muted { bdi { (detail) } } }
            p { a href="/" { (locale.pick("بازگشت به کارتابل", "Back to the inbox")) } }
        }
    };
    bare_page(locale, title, body)
}

fn error_texts(locale: Locale, status: StatusCode) -> (&'static str, &'static str) {
    let (fa, en) = match status.as_u16() {
        400 => (
            (
                "درخواست نادرست",
                "آنچه فرستاده شد خوانا نبود؛ چیزی ثبت نشد.",
            ),
            (
                "Bad request",
                "What was sent could not be read; nothing was changed.",
            ),
        ),
        401 | 403 => (
            (
                "اجازه دسترسی ندارید",
                "این کار یا این صفحه برای نقش شما نیست؛ چیزی ثبت نشد. اگر فکر می‌کنید باید دسترسی داشته باشید، با دبیرخانه تماس بگیرید.",
            ),
            (
                "Not allowed",
                "This page or action is not open to your role; nothing was changed. If you think it should be, contact the secretariat.",
            ),
        ),
        404 => (
            ("پیدا نشد", "این صفحه وجود ندارد یا برای شما نیست."),
            (
                "Not found",
                "This page does not exist or is not yours to see.",
            ),
        ),
        409 => (
            (
                "در این فاصله تغییر کرده است",
                "کس دیگری پیش از شما این مورد را تغییر داده است؛ چیزی از طرف شما ثبت نشد. صفحه را دوباره باز کنید و وضعیت تازه را ببینید.",
            ),
            (
                "Changed in the meantime",
                "Someone changed this before you; nothing of yours was recorded. Open the page again to see where it stands.",
            ),
        ),
        413 => (
            (
                "بیش از اندازه",
                "آنچه فرستادید بزرگ‌تر از حد مجاز است؛ چیزی ثبت نشد.",
            ),
            (
                "Too large",
                "What you sent is larger than allowed; nothing was changed.",
            ),
        ),
        422 => (
            ("پذیرفته نشد", "داده‌ها پذیرفته نشد؛ چیزی ثبت نشد."),
            (
                "Not accepted",
                "The data was not accepted; nothing was changed.",
            ),
        ),
        429 => (
            (
                "تلاش‌های بیش از حد",
                "از این نشانی تلاش‌های ناموفق زیادی شده است. چند دقیقه بعد دوباره تلاش کنید.",
            ),
            (
                "Too many attempts",
                "Too many failed attempts came from this address. Try again in a few minutes.",
            ),
        ),
        503 => (
            (
                "موقتاً در دسترس نیست",
                "سامانه موقتاً در دسترس نیست؛ کمی بعد دوباره تلاش کنید.",
            ),
            (
                "Temporarily unavailable",
                "The service is temporarily unavailable; try again shortly.",
            ),
        ),
        _ => (
            (
                "خطای سامانه",
                "مشکلی در سامانه پیش آمد و ثبت شد؛ کمی بعد دوباره تلاش کنید.",
            ),
            (
                "Something went wrong",
                "The error has been logged; try again shortly.",
            ),
        ),
    };
    match locale {
        Locale::Fa => fa,
        Locale::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_pages_speak_the_readers_language_and_hide_what_a_404_should() {
        let page = error_page(Locale::Fa, StatusCode::NOT_FOUND, "no task 42").into_string();
        assert!(page.contains(r#"<html lang="fa" dir="rtl">"#), "{page}");
        assert!(page.contains("پیدا نشد"));
        assert!(page.contains("۴۰۴"));
        assert!(
            !page.contains("no task 42"),
            "a 404 must not echo what was looked for"
        );
        let conflict =
            error_page(Locale::En, StatusCode::CONFLICT, "task version 3, not 2").into_string();
        assert!(conflict.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(conflict.contains("Changed in the meantime"));
        assert!(conflict.contains("task version 3, not 2"));
        for status in [400u16, 403, 409, 413, 422, 429, 500, 503] {
            let status = StatusCode::from_u16(status).unwrap();
            let fa = error_page(Locale::Fa, status, "").into_string();
            let en = error_page(Locale::En, status, "").into_string();
            assert_ne!(
                error_texts(Locale::Fa, status).0,
                error_texts(Locale::En, status).0
            );
            assert!(fa.contains(error_texts(Locale::Fa, status).1), "{status}");
            assert!(en.contains(error_texts(Locale::En, status).1), "{status}");
        }
    }

    #[test]
    fn pages_load_only_our_own_assets_and_no_inline_script() {
        let page = bare_page(Locale::Fa, "ورود", html! { p { "x" } }).into_string();
        assert!(page.contains(&ASSETS.css.url));
        assert!(page.contains(&ASSETS.htmx.url));
        assert!(page.contains(&ASSETS.script.url));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "{page}"
        );
        // htmx and our own script, each from its hashed URL; nothing inline.
        assert_eq!(page.matches("<script").count(), 2, "{page}");
        assert_eq!(page.matches("<script src=\"/assets/").count(), 2, "{page}");
        assert!(
            !page.contains(" style="),
            "the CSP forbids inline styles: {page}"
        );
    }
}
