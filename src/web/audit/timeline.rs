//! `/cases/{id}/timeline`: a case's history as an auditor reads it — who (member, agency,
//! role), what, when (Jalali and UTC), under which workflow and form versions. The entries
//! come from [`crate::audit::timeline`], the API's own timeline.

use actix_web::web;
use maud::{Markup, html};

use super::{event_name, instant};
use crate::audit::timeline::{Timeline, TimelineEntry, timeline};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::web::error::PageError;
use crate::web::format::{bdi, number};
use crate::web::i18n::Locale;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// `GET /cases/{id}/timeline`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    let id = id.parse().map_err(|_| PageError::not_found())?;
    let timeline = timeline(&state.engine.store, id)
        .await
        .map_err(ApiError::from)?;
    let title = super::state::case_title(&state, id).await?;
    Ok(timeline_page(&viewer, &title, &timeline))
}

/// The timeline page: pure, from the timeline to markup.
pub fn timeline_page(viewer: &Viewer, case_title: &str, timeline: &Timeline) -> Markup {
    let locale = viewer.locale;
    let w = |fa, en| locale.pick(fa, en);
    let case = timeline.case_id;
    let body = html! {
        p.context {
            a href={ "/cases/" (case) } { (case_title) }
            " · " (w("گردش کار", "Workflow")) " " bdi { (timeline.workflow) " v" (timeline.workflow_version) }
        }
        (super::state::case_links(locale, case))
        div.table-wrap {
            table.cards.timeline {
                caption.visually-hidden { (w("رویدادهای پرونده", "The case's events")) }
                thead { tr {
                    th scope="col" { (w("جایگاه", "Position")) }
                    th scope="col" { (w("زمان", "When")) }
                    th scope="col" { (w("چه کسی", "Who")) }
                    th scope="col" { (w("چه", "What")) }
                    th scope="col" { (w("نسخه‌ها", "Versions")) }
                } }
                tbody {
                    @for entry in &timeline.items { (entry_row(locale, case, entry)) }
                }
            }
        }
    };
    page(
        viewer,
        &format!("{} — {}", w("گاه‌شمار", "Timeline"), case_title),
        body,
    )
}

fn entry_row(locale: Locale, case: uuid::Uuid, entry: &TimelineEntry) -> Markup {
    let w = |fa, en| locale.pick(fa, en);
    let dash = || "—".to_string();
    html! {
        tr {
            td data-label=(w("جایگاه", "Position")) {
                a href={ "/cases/" (case) "/state?at=" (entry.position) } title=(w("پرونده در این لحظه", "The case at this moment")) {
                    (number(locale, entry.position))
                }
            }
            td data-label=(w("زمان", "When")) { (instant(locale, entry.recorded_at.unwrap_or(entry.decided_at))) }
            td data-label=(w("چه کسی", "Who")) {
                (bdi(&entry.actor.clone().unwrap_or_else(dash)))
                " · " (bdi(&entry.agency.clone().unwrap_or_else(dash)))
                " · " (super::role_name(locale, &entry.role.clone().unwrap_or_else(dash)))
            }
            td data-label=(w("چه", "What")) {
                strong { (event_name(locale, &entry.event_type)) }
                @if let Some(Some(agency)) = &entry.task_agency { " — " (bdi(agency)) }
                @if let Some(step) = &entry.step { " · " (w("گام", "step")) " " (bdi(step)) }
                @if locale == Locale::En { br; span.muted { (entry.summary) } }
                @if let Some(note) = &entry.note { br; q { (note) } }
            }
            td data-label=(w("نسخه‌ها", "Versions")) {
                (w("گردش کار", "workflow")) " " bdi { (entry.workflow) " v" (entry.workflow_version) }
                @if let (Some(form), Some(version)) = (&entry.form, entry.form_version) {
                    br; (w("فرم", "form")) " " bdi { (form) " v" (version) }
                }
            }
        }
    }
}
