//! `/admin/calendar`: the business calendar in force — its version, each year's working
//! weekdays, office hours and holidays (this year and next, forecasts marked) and the
//! closures announced — and the form that announces a closure, through the same engine call
//! as `POST /v1/calendar/closures`. A refusal is shown at its field, with what was typed.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Weekday;
use maud::{Markup, html};
use serde::Deserialize;

use crate::calendar::{BusinessCalendar, Closure, Holiday, JalaliDate, tehran_date};
use crate::domain::DomainError;
use crate::engine::EngineError;
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::format::{digits, english_weekday, jalali_text};
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

const WEEK: [Weekday; 7] = [
    Weekday::Sat,
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// One year's table, as shown.
#[derive(Debug, Clone)]
pub struct YearPart {
    pub year: i32,
    pub version: String,
    pub working: Vec<Weekday>,
    pub hours: (String, String),
    pub holidays: Vec<Holiday>,
}

/// What the page shows of the calendar.
#[derive(Debug, Clone)]
pub struct CalendarView {
    pub version: String,
    pub years: Vec<YearPart>,
    pub closures: Vec<Closure>,
}

/// The calendar's version, the tables of `year` and the next (those loaded), and every
/// closure.
pub fn calendar_view(calendar: &BusinessCalendar, year: i32) -> CalendarView {
    let years = [year, year + 1]
        .into_iter()
        .filter_map(|y| calendar.table(y))
        .map(|table| {
            let rules = table.rules();
            YearPart {
                year: table.year(),
                version: table.calendar_version(),
                working: WEEK.into_iter().filter(|d| !rules.is_weekend(*d)).collect(),
                hours: (
                    rules.office_hours.opens.format("%H:%M").to_string(),
                    rules.office_hours.closes.format("%H:%M").to_string(),
                ),
                holidays: table.holidays().to_vec(),
            }
        })
        .collect();
    CalendarView {
        version: calendar.version(),
        years,
        closures: calendar.closures().cloned().collect(),
    }
}

/// The closure form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClosureForm {
    #[serde(default)]
    pub date_jalali: String,
    #[serde(default)]
    pub reason: String,
}

/// A refused closure: the field it concerns (`date_jalali` or `reason`), why in the
/// reader's words, and the engine's own wording (kept left to right beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureError {
    pub field: &'static str,
    pub message: String,
    pub detail: String,
}

/// The engine's reason, at its field, explained in the reader's language.
pub fn closure_error(locale: Locale, reason: &str) -> ClosureError {
    let detail = reason.strip_prefix("date_jalali: ").unwrap_or(reason);
    let (field, fa, en) = if reason.starts_with("reason") {
        (
            "reason",
            "دلیل تعطیلی را بنویسید (تا ۵۰۰ نویسه).",
            "Give the reason for the closure (up to 500 characters).",
        )
    } else if detail.contains("already past") {
        (
            "date_jalali",
            "این روز گذشته است؛ تعطیلی را برای امروز یا روزهای آینده اعلام کنید.",
            "That day has passed; announce a closure for today or later.",
        )
    } else if detail.contains("already closed") {
        (
            "date_jalali",
            "این روز پیش‌تر تعطیل اعلام شده است.",
            "That day is already closed.",
        )
    } else if detail.contains("already a holiday") || detail.contains("weekend") {
        (
            "date_jalali",
            "این روز خود تعطیل است (تعطیل رسمی یا آخر هفته).",
            "That day is already off (a holiday or the weekend).",
        )
    } else if detail.contains("no table") {
        (
            "date_jalali",
            "تقویم برای سال این روز جدولی ندارد.",
            "The calendar has no table for that day's year.",
        )
    } else {
        (
            "date_jalali",
            "تاریخ خوانا نیست؛ آن را مانند ۱۴۰۵/۰۹/۲۰ بنویسید.",
            "The date cannot be read; write it like 1405/09/20.",
        )
    };
    ClosureError {
        field,
        message: locale.pick(fa, en).to_string(),
        detail: detail.to_string(),
    }
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    typed: &ClosureForm,
    error: Option<&ClosureError>,
) -> Result<Markup, PageError> {
    let calendar = state.engine.calendar().await?;
    let year = tehran_date(viewer.now)
        .map(JalaliDate::year)
        .unwrap_or(1405);
    Ok(calendar_page(
        viewer,
        &calendar_view(&calendar, year),
        typed,
        error,
    ))
}

/// `GET /admin/calendar`
pub async fn show(state: web::Data<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    show_page(&state, &viewer, &ClosureForm::default(), None).await
}

/// `POST /admin/calendar/closures`
pub async fn add_closure(
    state: web::Data<AppState>,
    posted: Posted<ClosureForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let date = crate::domain::typed_jalali(&form.date_jalali);
    let error = match state
        .engine
        .add_closure(&viewer.actor, &date, &form.reason)
        .await
    {
        Ok(_) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header(("location", "/admin/calendar?notice=closure-added"))
                .finish());
        }
        Err(
            EngineError::Invalid(reason)
            | EngineError::Conflict(reason)
            | EngineError::Domain(DomainError::Invalid(reason)),
        ) => closure_error(locale, &reason),
        Err(other) => return Err(PageError::from(other).in_locale(locale)),
    };
    let page = show_page(&state, &viewer, &form, Some(&error)).await?;
    Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string()))
}

fn weekday_name(locale: Locale, day: Weekday) -> &'static str {
    match locale {
        Locale::Fa => crate::calendar::weekday_name_fa(day),
        Locale::En => english_weekday(day),
    }
}

/// The page: pure, from the calendar's view, what was typed and the refusal.
pub fn calendar_page(
    viewer: &Viewer,
    view: &CalendarView,
    typed: &ClosureForm,
    error: Option<&ClosureError>,
) -> Markup {
    let locale = viewer.locale;
    let body = html! {
        p { (locale.pick("نسخهٔ تقویم: ", "Calendar version: ")) code dir="ltr" { (view.version) } }
        // Closures first: they are what an administrator comes here to change.
        section.panel aria-labelledby="closures-heading" {
            h2 #closures-heading { (locale.pick("تعطیلی‌های اعلام‌شده", "Closures announced")) }
            @if view.closures.is_empty() {
                p.muted { (locale.pick("هنوز تعطیلی‌ای اعلام نشده است.", "No closure announced yet.")) }
            } @else {
                ul.closures {
                    @for closure in &view.closures {
                        li { strong { (jalali_text(locale, closure.date_jalali)) } " — " (closure.reason) }
                    }
                }
            }
            (closure_form(viewer, typed, error))
        }
        @for year in &view.years { (year_section(locale, year)) }
    };
    page(viewer, locale.pick("تقویم کاری", "Business calendar"), body)
}

fn year_section(locale: Locale, year: &YearPart) -> Markup {
    let heading = format!("year-{}", year.year);
    let days: Vec<&str> = year
        .working
        .iter()
        .map(|d| weekday_name(locale, *d))
        .collect();
    html! {
        section.panel aria-labelledby=(heading) {
            h2 #(heading) { (locale.pick("سال ", "Year ")) (digits(locale, &year.year.to_string())) }
            dl.doc-fields {
                div { dt { (locale.pick("نسخه", "Version")) } dd { code dir="ltr" { (year.version) } } }
                div { dt { (locale.pick("روزهای کاری", "Working days")) } dd { (days.join(locale.pick("، ", ", "))) } }
                div { dt { (locale.pick("ساعت اداری", "Office hours")) } dd { (digits(locale, &format!("{} – {}", year.hours.0, year.hours.1))) } }
            }
            h3 { (locale.pick("تعطیلات", "Holidays")) }
            ul.holidays {
                @for holiday in &year.holidays {
                    li {
                        (jalali_text(locale, holiday.date)) " — " (locale.pick(&holiday.name_fa, &holiday.name_en))
                        @if holiday.forecast {
                            " " span.chip.warn { (locale.pick("پیش‌بینی", "forecast")) }
                        }
                    }
                }
            }
        }
    }
}

fn closure_form(viewer: &Viewer, typed: &ClosureForm, error: Option<&ClosureError>) -> Markup {
    let locale = viewer.locale;
    let at = |field: &str| error.filter(|e| e.field == field);
    html! {
        form method="post" action="/admin/calendar/closures" novalidate {
            (csrf_field(viewer))
            h3 { (locale.pick("اعلام تعطیلی", "Announce a closure")) }
            div.field {
                label for="date_jalali" { (locale.pick("تاریخ (خورشیدی)", "Date (Jalali)")) span.required-mark aria-hidden="true" { "*" } }
                p.help #date-help { (locale.pick("مانند ۱۴۰۵/۰۹/۲۰؛ امروز یا پس از آن.", "Like 1405/09/20; today or later.")) }
                @if let Some(e) = at("date_jalali") { p.field-error #date-error { (e.message) br; bdi.muted dir="ltr" { (e.detail) } } }
                input #date_jalali type="text" name="date_jalali" value=(typed.date_jalali) inputmode="numeric" required
                    aria-invalid=[at("date_jalali").map(|_| "true")]
                    aria-describedby={ "date-help" @if at("date_jalali").is_some() { " date-error" } };
            }
            div.field {
                label for="reason" { (locale.pick("دلیل", "Reason")) span.required-mark aria-hidden="true" { "*" } }
                @if let Some(e) = at("reason") { p.field-error #reason-error { (e.message) } }
                input #reason type="text" name="reason" value=(typed.reason) maxlength="500" required
                    aria-invalid=[at("reason").map(|_| "true")]
                    aria-describedby=[at("reason").map(|_| "reason-error")];
            }
            div.actions { button.primary type="submit" { (locale.pick("ثبت تعطیلی", "Record the closure")) } }
        }
    }
}
