//! `/cases/{id}/state?at=POSITION|TIME`: the case and its board as they were at a moment,
//! replayed by [`crate::audit::replay`] (the engine's own fold) and drawn by the live
//! board's renderer. The reader steps through the case's positions (previous / next) or
//! picks one, or a time; a moment outside the log or before the case opened is said in
//! words with the status the API gives it (422, 404), and the picker stays.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::events::html_response;
use super::{event_name, instant};
use crate::audit::AuditError;
use crate::audit::replay::{At, CaseAt, case_at};
use crate::engine::agency_names;
use crate::engine::case_stream;
use crate::http::AppState;
use crate::reports::board::build_board;
use crate::web::board::{BoardOptions, board_table, report_locale};
use crate::web::error::PageError;
use crate::web::format::number;
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

#[derive(Debug, Default, Deserialize)]
pub struct AtQuery {
    #[serde(default)]
    pub at: Option<String>,
}

/// One event of the case, as the picker lists it.
#[derive(Debug, Clone)]
pub struct Moment {
    pub position: i64,
    pub event_type: String,
    pub at: DateTime<Utc>,
}

/// The case's events before and after the one shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    pub previous: Option<i64>,
    pub next: Option<i64>,
}

impl Steps {
    /// Around `shown`, the newest case event included (the case did not exist before its
    /// first event, so there is nothing before that).
    pub fn around(moments: &[Moment], shown: i64) -> Self {
        Steps {
            previous: moments
                .iter()
                .rev()
                .map(|m| m.position)
                .find(|p| *p < shown),
            next: moments.iter().map(|m| m.position).find(|p| *p > shown),
        }
    }
}

/// The case's title (its read model's), or a 404 page.
pub async fn case_title(state: &AppState, id: Uuid) -> Result<String, PageError> {
    let doc = state.engine.documents.get("case", &id.to_string()).await?;
    doc.and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
        .and_then(|case| case["title"].as_str().map(str::to_string))
        .ok_or_else(PageError::not_found)
}

/// `GET /cases/{id}/state`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    query: web::Query<AtQuery>,
) -> Result<HttpResponse, PageError> {
    let id: Uuid = id.parse().map_err(|_| PageError::not_found())?;
    let moments: Vec<Moment> = state
        .engine
        .store
        .read_stream_raw(&case_stream(id), 1)
        .await?
        .into_iter()
        .map(|e| Moment {
            position: e.position,
            event_type: e.event_type,
            at: DateTime::from_timestamp_micros(e.recorded_at_us).unwrap_or_default(),
        })
        .collect();
    if moments.is_empty() {
        return Err(PageError::not_found());
    }
    let title = case_title(&state, id).await?;
    let typed = query.at.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let replayed = match typed.map(At::parse).transpose() {
        Ok(at) => case_at(&state.engine.store, id, at, viewer.now).await,
        Err(e) => Err(e),
    };
    let view = StateView {
        id,
        title: &title,
        moments: &moments,
        typed,
    };
    match replayed {
        Ok(case) => {
            let locale = report_locale(viewer.locale);
            let mut board = build_board(&case.state);
            board.localise(
                locale,
                &agency_names(&state.engine.documents, locale).await?,
            );
            let members = crate::web::cases::case::names(&state, &board.workflow, viewer.locale)
                .await?
                .members;
            let options = BoardOptions {
                actions: false,
                members: &members,
                agency: None,
            };
            let shown = board_table(&board, viewer.locale, options);
            Ok(html_response(
                StatusCode::OK,
                state_page(&viewer, &view, Ok((&case, shown))),
            ))
        }
        Err(error) => {
            let status = match &error {
                AuditError::BadInput(_) => StatusCode::BAD_REQUEST,
                AuditError::OutOfRange(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AuditError::NotFound(_) => StatusCode::NOT_FOUND,
                _ => return Err(crate::http::error::ApiError::from(error).into()),
            };
            let problem = problem_text(viewer.locale, &error, &moments);
            Ok(html_response(
                status,
                state_page(&viewer, &view, Err(problem)),
            ))
        }
    }
}

/// What the page says when the moment cannot be shown.
fn problem_text(locale: Locale, error: &AuditError, moments: &[Moment]) -> String {
    let first = moments.first().map_or(0, |m| m.position);
    let said = match error {
        AuditError::BadInput(_) => locale.pick(
            "این لحظه خوانا نیست: شمارهٔ یک جایگاه یا زمانی مانند 2026-11-26T08:00:00Z بنویسید.",
            "This moment cannot be read: write a log position or a time such as 2026-11-26T08:00:00Z.",
        ),
        AuditError::OutOfRange(_) => locale.pick(
            "این لحظه بیرون از دفتر است (پس از آخرین رویداد، یا در آینده).",
            "This moment is outside the log (beyond its newest event, or in the future).",
        ),
        _ => locale.pick(
            "پرونده در این لحظه هنوز گشوده نشده بود.",
            "The case was not open yet at this moment.",
        ),
    };
    match locale {
        Locale::Fa => format!(
            "{said} پرونده در جایگاه {} گشوده شد.",
            number(locale, first)
        ),
        Locale::En => format!("{said} The case opened at position {first}."),
    }
}

/// What the page is about, besides the replayed case.
pub struct StateView<'a> {
    pub id: Uuid,
    pub title: &'a str,
    pub moments: &'a [Moment],
    pub typed: Option<&'a str>,
}

/// Links between a case's auditor pages.
pub fn case_links(locale: Locale, id: Uuid) -> Markup {
    html! {
        p.actions {
            a.button.secondary href={ "/cases/" (id) "/timeline" } { (locale.pick("گاه‌شمار پرونده", "The case's timeline")) }
            a.button.secondary href={ "/cases/" (id) "/state" } { (locale.pick("پرونده در گذر زمان", "The case over time")) }
            a.button.secondary href={ "/audit/events?case=" (id) } { (locale.pick("رویدادهای پرونده", "The case's events")) }
        }
    }
}

/// The state-at page: pure, from the replayed case (or what went wrong) to markup.
pub fn state_page(
    viewer: &Viewer,
    view: &StateView<'_>,
    shown: Result<(&CaseAt, Markup), String>,
) -> Markup {
    let locale = viewer.locale;
    let w = |fa, en| locale.pick(fa, en);
    let current = shown
        .as_ref()
        .ok()
        .map(|(case, _)| case.last_event_position);
    let body = html! {
        p.context { a href={ "/cases/" (view.id) } { (view.title) } }
        (case_links(locale, view.id))
        @match shown {
            Ok((case, board)) => {
                (picker(locale, view, current))
                (as_of(locale, view, case))
                h2 { (w("جدول وضعیت در آن لحظه", "The board at that moment")) }
                (board)
            }
            Err(problem) => {
                div.notice.error role="alert" {
                    p #at-problem { (problem) }
                    p {
                        @if let Some(first) = view.moments.first() {
                            a href={ "/cases/" (view.id) "/state?at=" (first.position) } { (w("نخستین رویداد پرونده", "The case's first event")) }
                        }
                        " · "
                        a href={ "/cases/" (view.id) "/state" } { (w("پرونده اکنون", "The case now")) }
                    }
                }
                (picker(locale, view, current))
            }
        }
    };
    page(
        viewer,
        &format!(
            "{} — {}",
            w("پرونده در گذر زمان", "The case over time"),
            view.title
        ),
        body,
    )
}

fn as_of(locale: Locale, view: &StateView<'_>, case: &CaseAt) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let last = view
        .moments
        .iter()
        .find(|m| m.position == case.last_event_position);
    html! {
        p.notice {
            (w("پرونده همان‌گونه که در جایگاه", "The case as it was at position")) " "
            strong { (number(locale, case.at_position)) } " "
            (w("بود؛ آخرین رویداد:", "; its newest event:")) " "
            @if let Some(last) = last {
                strong { (event_name(locale, &last.event_type)) } " " (instant(locale, last.at))
            }
            " (" (number(locale, case.events)) " " (w("رویداد", "events")) ")"
        }
    }
}

fn picker(locale: Locale, view: &StateView<'_>, current: Option<i64>) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let steps = current.map(|c| Steps::around(view.moments, c));
    let link = |position: i64| format!("/cases/{}/state?at={position}", view.id);
    html! {
        nav.pager aria-label=(w("جابه‌جایی در زمان", "Step through time")) {
            @if let Some(previous) = steps.and_then(|s| s.previous) {
                a rel="prev" href=(link(previous)) { (w("رویداد پیش", "Previous event")) }
            }
            @if let Some(next) = steps.and_then(|s| s.next) {
                a rel="next" href=(link(next)) { (w("رویداد بعد", "Next event")) }
            }
        }
        form.filters.panel method="get" action={ "/cases/" (view.id) "/state" } {
            div.field {
                label for="at-position" { (w("رویداد", "Event")) }
                select #at-position name="at" {
                    @for moment in view.moments {
                        option value=(moment.position) selected[current == Some(moment.position)] {
                            (number(locale, moment.position)) " — " (event_name(locale, &moment.event_type))
                        }
                    }
                }
            }
            button type="submit" { (w("نمایش", "Show")) }
        }
        form.filters.panel method="get" action={ "/cases/" (view.id) "/state" } {
            div.field {
                label for="at-typed" { (w("جایگاه یا زمان (UTC)", "Position or time (UTC)")) }
                input #at-typed name="at" type="text" dir="ltr" value=(view.typed.unwrap_or_default())
                    placeholder="2026-11-26T08:00:00Z" aria-describedby=[current.is_none().then_some("at-problem")];
            }
            button type="submit" { (w("نمایش", "Show")) }
        }
    }
}
