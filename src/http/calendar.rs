//! `/v1/calendar`: the business calendar in force (tables, rules, closures) and the
//! administrator's unplanned closures.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::auth::Caller;
use super::error::ApiError;
use super::{AppState, body};
use crate::calendar::{BusinessCalendar, Closure, HolidayTable};

/// `POST /v1/calendar/closures`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureBody {
    /// The closed day, e.g. `1405-09-20`: today (Tehran) or later.
    pub date_jalali: String,
    pub reason: String,
}

pub async fn add_closure(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = body::read(payload, &state).await?;
    let input: ClosureBody = body::json(&request, &bytes)?;
    body::idempotent(&state, &caller, &request, &bytes, || async {
        let closure = state
            .engine
            .add_closure(&caller.actor, &input.date_jalali, &input.reason)
            .await?;
        Ok((StatusCode::CREATED, json!(closure)))
    })
    .await
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// Only this Jalali year's table (all loaded years when absent).
    pub year: Option<i32>,
}

/// The calendar in force.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CalendarView {
    /// Recorded with every deadline resolved now.
    pub version: String,
    pub years: Vec<YearView>,
    pub closures: Vec<Closure>,
}

/// One year's table and rules.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct YearView {
    pub year: i32,
    pub version: String,
    /// Weekdays offices work, lowercase English names from Saturday.
    pub working_weekdays: Vec<String>,
    pub weekend: Vec<String>,
    /// Tehran time, HH:MM.
    pub office_hours: HoursView,
    /// Periods without escalations (Nowruz).
    pub no_escalation: Vec<PeriodView>,
    pub holidays: Vec<HolidayView>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct HoursView {
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PeriodView {
    pub from: String,
    pub to: String,
    pub name_fa: String,
    pub name_en: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct HolidayView {
    pub date_jalali: String,
    /// `solar` or `lunar`.
    pub kind: String,
    pub name_fa: String,
    pub name_en: String,
    /// A date not yet officially announced.
    pub forecast: bool,
}

pub async fn get(
    state: web::Data<AppState>,
    query: web::Query<CalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    let calendar = state.engine.calendar().await?;
    let years: Vec<YearView> = calendar
        .years()
        .filter(|year| query.year.is_none_or(|wanted| wanted == *year))
        .filter_map(|year| calendar.table(year))
        .map(year_view)
        .collect();
    if let Some(year) = query.year.filter(|_| years.is_empty()) {
        return Err(ApiError::not_found(format!(
            "the calendar has no table for {year}"
        )));
    }
    Ok(HttpResponse::Ok().json(view(&calendar, years, query.year)))
}

fn view(calendar: &BusinessCalendar, years: Vec<YearView>, year: Option<i32>) -> CalendarView {
    CalendarView {
        version: calendar.version(),
        years,
        closures: calendar
            .closures()
            .filter(|c| year.is_none_or(|y| c.date_jalali.year() == y))
            .cloned()
            .collect(),
    }
}

fn year_view(table: &HolidayTable) -> YearView {
    let rules = table.rules();
    let week = [
        chrono::Weekday::Sat,
        chrono::Weekday::Sun,
        chrono::Weekday::Mon,
        chrono::Weekday::Tue,
        chrono::Weekday::Wed,
        chrono::Weekday::Thu,
        chrono::Weekday::Fri,
    ];
    YearView {
        year: table.year(),
        version: table.calendar_version(),
        working_weekdays: week
            .iter()
            .filter(|d| !rules.is_weekend(**d))
            .map(full_name)
            .collect(),
        weekend: rules.weekend.iter().map(full_name).collect(),
        office_hours: HoursView {
            opens: rules.office_hours.opens.format("%H:%M").to_string(),
            closes: rules.office_hours.closes.format("%H:%M").to_string(),
        },
        no_escalation: rules
            .no_escalation
            .iter()
            .map(|p| PeriodView {
                from: p.from.to_string(),
                to: p.to.to_string(),
                name_fa: p.name_fa.clone(),
                name_en: p.name_en.clone(),
            })
            .collect(),
        holidays: table
            .holidays()
            .iter()
            .map(|h| HolidayView {
                date_jalali: h.date.to_string(),
                kind: h.kind.as_str().to_owned(),
                name_fa: h.name_fa.clone(),
                name_en: h.name_en.clone(),
                forecast: h.forecast,
            })
            .collect(),
    }
}

/// `saturday`, `sunday`, …
fn full_name(day: &chrono::Weekday) -> String {
    let names = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    names[day.num_days_from_monday() as usize].to_owned()
}
