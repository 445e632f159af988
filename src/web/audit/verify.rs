//! `/audit/verify`: verifies the hash chain and the files events name, and shows the
//! result — green, or the first bad position with what is wrong there — with the head as a
//! checkpoint `POSITION:HASH` to keep, and a form to check the log against a checkpoint
//! kept earlier (`?expect_head=`). Reading only: a GET, so a link repeats the check.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::events::html_response;
use crate::audit::checkpoint::{self, Checkpoint, Verification};
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::format::number;
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

#[derive(Debug, Default, Deserialize)]
pub struct VerifyQuery {
    #[serde(default)]
    pub expect_head: Option<String>,
}

/// `GET /audit/verify`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, PageError> {
    let typed = query
        .expect_head
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let parsed = typed.map(str::parse::<Checkpoint>).transpose();
    let expected = parsed.as_ref().ok().cloned().flatten();
    let verification = checkpoint::verify(
        &state.engine.store,
        &state.engine.files(),
        expected.as_ref(),
    )
    .await?;
    let problem = parsed.err().map(|_| malformed(viewer.locale));
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = verify_page(&viewer, &verification, typed, problem.as_deref());
    Ok(html_response(status, body))
}

fn malformed(locale: Locale) -> String {
    locale
        .pick(
            "این نقطهٔ بازرسی خوانا نیست: به شکل «جایگاه:هش» بنویسید، هش ۶۴ رقم شانزده‌شانزدهی است.",
            "This checkpoint cannot be read: write POSITION:HASH, the hash being 64 hex digits.",
        )
        .to_string()
}

/// The verify page: pure, from the verification to markup.
pub fn verify_page(
    viewer: &Viewer,
    verification: &Verification,
    typed: Option<&str>,
    problem: Option<&str>,
) -> Markup {
    let locale = viewer.locale;
    let w = |fa, en| locale.pick(fa, en);
    let report = &verification.report;
    let head = format!("{}:{}", report.head_position, report.head_hash);
    let body = html! {
        (verdict(locale, verification))
        @if report.first_bad_position.is_none() {
            section.panel {
                h2 { (w("نقطهٔ بازرسی برای نگه‌داشتن", "The checkpoint to keep")) }
                p { (w("این را جایی بیرون از سامانه نگه دارید؛ بعدها می‌توانید دفتر را با آن بسنجید.",
                       "Keep this outside the system; later you can check the log against it.")) }
                p.checkpoint {
                    code #checkpoint dir="ltr" { (head) }
                    " "
                    button.secondary type="button" data-copy="checkpoint" hidden {
                        (w("رونوشت", "Copy"))
                    }
                }
            }
        }
        form.panel method="get" action="/audit/verify" {
            div.field {
                label for="expect_head" { (w("سنجش با نقطهٔ بازرسی پیشین", "Check against an earlier checkpoint")) }
                input #expect_head name="expect_head" type="text" dir="ltr" value=(typed.unwrap_or_default())
                    placeholder="1234:3f5a…" aria-invalid=[problem.map(|_| "true")]
                    aria-describedby=[problem.map(|_| "expect-head-problem")];
                @if let Some(problem) = problem {
                    p.field-error #expect-head-problem { (problem) }
                }
            }
            button type="submit" { (w("بسنج", "Check")) }
        }
    };
    page(viewer, w("درستی دفتر", "Verify the log"), body)
}

fn verdict(locale: Locale, verification: &Verification) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let report = &verification.report;
    let files = &verification.files;
    html! {
        @if verification.ok() {
            div.notice.ok #verdict role="status" {
                h2 { (w("دفتر درست است", "The log verifies")) }
                p { (number(locale, report.checked)) " " (w("رویداد زنجیرهٔ هش را نگه داشته‌اند", "events keep the hash chain")) "؛ "
                    (number(locale, files.checked)) " " (w("پیوست سالم است", "attached files are intact")) "." }
            }
        } @else {
            div.notice.error #verdict role="alert" {
                h2 { (w("دفتر درست نیست", "The log does not verify")) }
                @if let Some(position) = report.first_bad_position {
                    p {
                        (w("نخستین جایگاه نادرست:", "First bad position:")) " "
                        a href={ "/audit/events?after=" ((position - 1).max(0)) } { strong.bad-position { (number(locale, position)) } }
                    }
                    p { (w("این رویداد، یا پیوندش با رویداد پیش از آن، پس از ثبت دگرگون شده است؛ رویدادهای پس از آن را نمی‌توان درست دانست.",
                           "This event, or its link to the one before, changed after it was recorded; the events after it cannot be trusted.")) }
                    @if let Some(detail) = &report.detail { p { bdi lang="en" { (detail) } } }
                }
                @if let (Some(position), Some(detail)) = (files.first_bad_position, &files.detail) {
                    p { (w("پیوستِ رویداد جایگاه", "The file named at position")) " " (number(locale, position)) ": " bdi lang="en" { (detail) } }
                }
            }
        }
        @if let Some(checkpoint) = &verification.checkpoint {
            @if checkpoint.ok {
                p.notice.ok #checkpoint-result role="status" {
                    (w("دفتر با نقطهٔ بازرسی جایگاه", "The log matches the checkpoint at position")) " "
                    (number(locale, checkpoint.position)) (w(" می‌خواند.", "."))
                }
            } @else {
                div.notice.error #checkpoint-result role="alert" {
                    p { (w("دفتر با این نقطهٔ بازرسی نمی‌خواند.", "The log does not match this checkpoint.")) }
                    @if let Some(detail) = &checkpoint.detail { p { bdi lang="en" { (detail) } } }
                }
            }
        }
    }
}
