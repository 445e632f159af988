//! The secretariat's actions on a running case besides reviewing: extend every open task's
//! deadline (a Jalali date and a reason) and remind every agency that has not answered,
//! now (an optional message). The extension form is shared with the task page. A refusal
//! comes back as the form with the error beside it and what was typed kept.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::case::{case_document, parse_case_id};
use crate::domain::{MAX_MESSAGE_CHARS, MAX_REASON_CHARS, NewDue, OnDay};
use crate::engine::EngineError;
use crate::http::AppState;
use crate::reports::Board;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::format::bdi;
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

/// A new deadline as typed: a Jalali date (Persian or ASCII digits, `/` or `-`) and why.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct RemindForm {
    #[serde(default)]
    pub message: String,
}

/// `۱۴۰۵/۱۰/۵` → `1405-10-05`; `None` when it is not three numbers.
pub fn jalali_input(typed: &str) -> Option<String> {
    let ascii: String = typed
        .trim()
        .chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (u32::from(c) - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (u32::from(c) - 0x0660) as u8),
            '/' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<u32> = ascii
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [year, month, day] if year >= 1000 => Some(format!("{year}-{month:02}-{day:02}")),
        _ => None,
    }
}

/// The new deadline the engine is asked for, or the error to show beside the date.
pub fn new_due(locale: Locale, typed: &ExtendForm) -> Result<NewDue, String> {
    match jalali_input(&typed.due) {
        Some(on) => Ok(NewDue::On(OnDay { on })),
        None => Err(locale
            .pick(
                "تاریخ درست نیست؛ مانند ۱۴۰۵/۱۰/۱۵ بنویسید.",
                "Not a valid date; write it like 1405/10/15.",
            )
            .to_owned()),
    }
}

/// What a refusal of the engine says to the person, or the error page for anything else.
pub fn refusal(locale: Locale, error: EngineError) -> Result<(StatusCode, String), PageError> {
    let api = crate::http::error::ApiError::from(error);
    if !api.status.is_client_error() {
        return Err(PageError::from(api).in_locale(locale));
    }
    let why = match api.status {
        StatusCode::UNPROCESSABLE_ENTITY => locale.pick("پذیرفته نشد:", "Not accepted:"),
        StatusCode::CONFLICT => locale.pick("اکنون ممکن نیست:", "Not possible now:"),
        _ => locale.pick("انجام نشد:", "Not done:"),
    };
    Ok((api.status, format!("{why} {}", api.detail)))
}

/// The date and reason fields and the button, posting to `action`.
pub fn extend_form(
    viewer: &Viewer,
    action: &str,
    version: i64,
    typed: &ExtendForm,
    error: Option<&str>,
) -> Markup {
    let locale = viewer.locale;
    html! {
        form.panel.extend method="post" action=(action) {
            (csrf_field(viewer))
            input type="hidden" name="version" value=(version);
            @if let Some(error) = error { p #extend-error .field-error role="alert" { (error) } }
            div.field {
                label for="extend-due" { (locale.pick("مهلت تازه (تاریخ شمسی)", "New deadline (Jalali date)")) }
                input #extend-due name="due" type="text" inputmode="numeric" required
                    placeholder=(locale.pick("۱۴۰۵/۱۰/۱۵", "1405/10/15")) value=(typed.due)
                    aria-describedby=[error.map(|_| "extend-error")]
                    aria-invalid=[error.map(|_| "true")];
            }
            div.field {
                label for="extend-reason" { (locale.pick("دلیل تمدید", "Why it is extended")) }
                textarea #extend-reason name="reason" rows="2" required maxlength=(MAX_REASON_CHARS) { (typed.reason) }
            }
            div.actions {
                button.primary type="submit" { (locale.pick("تمدید مهلت", "Extend the deadline")) }
            }
        }
    }
}

fn remind_form(viewer: &Viewer, id: &str, typed: &str, error: Option<&str>) -> Markup {
    let locale = viewer.locale;
    html! {
        form.panel.remind method="post" action={ "/cases/" (id) "/remind" } {
            (csrf_field(viewer))
            @if let Some(error) = error { p #remind-error .field-error role="alert" { (error) } }
            div.field {
                label for="remind-message" { (locale.pick("پیام (اختیاری)", "Message (optional)")) }
                textarea #remind-message name="message" rows="2" maxlength=(MAX_MESSAGE_CHARS)
                    aria-describedby=[error.map(|_| "remind-error")] { (typed) }
            }
            div.actions {
                button.secondary type="submit" { (locale.pick("یادآوری به دستگاه‌هایی که پاسخ نداده‌اند", "Remind the agencies that have not answered")) }
            }
        }
    }
}

/// After "remind now": whom the reminders went to, by name and code.
pub fn reminded_notice(viewer: &Viewer, board: &Board, reminded: &[String]) -> Markup {
    let locale = viewer.locale;
    let name = |code: &str| {
        board
            .rows
            .iter()
            .find(|r| r.agency.as_deref() == Some(code))
            .and_then(|r| r.agency_name.clone())
    };
    html! {
        @if !reminded.is_empty() {
            div.notice.ok #reminded role="status" {
                (locale.pick("یادآوری فرستاده شد به: ", "Reminded: "))
                @for (n, code) in reminded.iter().enumerate() {
                    @if n > 0 { (locale.pick("، ", ", ")) }
                    @match name(code) { Some(name) => { (name) " (" (bdi(code)) ")" }, None => { (bdi(code)) } }
                }
            }
        }
    }
}

/// The case page's section with the two forms.
pub fn panel(viewer: &Viewer, board: &Board) -> Markup {
    let locale = viewer.locale;
    let id = board.case.to_string();
    html! {
        section.practice aria-labelledby="practice-title" {
            h2 #practice-title { (locale.pick("تمدید مهلت و یادآوری", "Extend and remind")) }
            details {
                summary { (locale.pick("تمدید مهلت همهٔ کارهای باز…", "Extend every open task…")) }
                (extend_form(viewer, &format!("/cases/{id}/extend"), board.version, &ExtendForm::default(), None))
            }
            (remind_form(viewer, &id, "", None))
        }
    }
}

fn see_case(id: uuid::Uuid, query: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("location", format!("/cases/{id}?{query}")))
        .finish()
}

fn form_page(viewer: &Viewer, id: uuid::Uuid, status: StatusCode, form: Markup) -> HttpResponse {
    let locale = viewer.locale;
    let body = html! {
        p.context { a href={ "/cases/" (id) } { (locale.pick("بازگشت به پرونده", "Back to the case")) } }
        (form)
    };
    let title = locale.pick("تمدید و یادآوری", "Extend and remind");
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page(viewer, title, body).into_string())
}

/// `POST /cases/{id}/extend`
pub async fn extend(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<ExtendForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let id = parse_case_id(&id)?;
    let case = case_document(&state, id).await?;
    let version = case["version"].as_i64().unwrap_or_default();
    let action = format!("/cases/{id}/extend");
    let shown = |status, error: &str| {
        let markup = extend_form(&viewer, &action, version, &form, Some(error));
        Ok(form_page(&viewer, id, status, markup))
    };
    if !super::version_matches(&case["version"], &form.version) {
        let changed = viewer.locale.pick(
            "پرونده پس از باز شدن این صفحه تغییر کرده است؛ کاری انجام نشد. دوباره بفرستید.",
            "The case changed after this page was opened; nothing was done. Send it again.",
        );
        return shown(StatusCode::CONFLICT, changed);
    }
    let due = match new_due(viewer.locale, &form) {
        Ok(due) => due,
        Err(error) => return shown(StatusCode::UNPROCESSABLE_ENTITY, &error),
    };
    let reason = form.reason.trim().to_string();
    match state
        .engine
        .extend_case(&viewer.actor, id, due, reason)
        .await
    {
        Ok(_) => Ok(see_case(id, "notice=deadlines-extended")),
        Err(error) => {
            let (status, text) = refusal(viewer.locale, error)?;
            shown(status, &text)
        }
    }
}

/// `POST /cases/{id}/remind`
pub async fn remind(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<RemindForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let id = parse_case_id(&id)?;
    case_document(&state, id).await?;
    let message = Some(form.message.trim().to_string()).filter(|m| !m.is_empty());
    match state.engine.remind_now(&viewer.actor, id, message).await {
        Ok(reminded) if reminded.is_empty() => Ok(see_case(id, "notice=nothing-to-remind")),
        Ok(reminded) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("reminded", &reminded.join(","))
                .finish();
            Ok(see_case(id, &query))
        }
        Err(error) => {
            let (status, text) = refusal(viewer.locale, error)?;
            let markup = remind_form(&viewer, &id.to_string(), &form.message, Some(&text));
            Ok(form_page(&viewer, id, status, markup))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::jalali_input;

    #[test]
    fn a_jalali_date_is_read_in_persian_or_ascii_digits_with_slashes_or_dashes() {
        assert_eq!(jalali_input("۱۴۰۵/۱۰/۵").as_deref(), Some("1405-10-05"));
        assert_eq!(jalali_input(" 1405-10-15 ").as_deref(), Some("1405-10-15"));
        assert_eq!(jalali_input("1405/12/30").as_deref(), Some("1405-12-30"));
        assert_eq!(jalali_input("فردا"), None);
        assert_eq!(jalali_input("10/15"), None);
        assert_eq!(jalali_input(""), None);
    }
}
