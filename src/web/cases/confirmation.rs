//! A provider confirmation round from the inventory case's page: the rounds opened so far
//! with how many providers answered (each links to the round's own case page and board),
//! and for the secretariat a button that opens the next round after a page that asks to
//! confirm (`/cases/{id}/confirmation-round`). The engine decides whether it may open.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::case::{case_document, parse_case_id};
use crate::domain::Role;
use crate::http::AppState;
use crate::reports::confirmations::RoundProgress;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::format::number;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

/// The progress of each round opened from the case, oldest first.
pub async fn rounds(state: &AppState, id: uuid::Uuid) -> Result<Vec<RoundProgress>, PageError> {
    let mut found = Vec::new();
    for round in state.engine.confirmation_rounds(id).await? {
        found.extend(
            state
                .engine
                .with_case(round, crate::reports::confirmations::round_progress)
                .await?,
        );
    }
    Ok(found)
}

/// The case page's section: the rounds and, for the secretariat, the button to open one.
pub fn rounds_section(viewer: &Viewer, case: uuid::Uuid, rounds: &[RoundProgress]) -> Markup {
    let locale = viewer.locale;
    let may_open = viewer.has_any(&[Role::Secretariat])
        && rounds
            .last()
            .is_none_or(|r| r.status != crate::domain::CaseStatus::Open);
    html! {
        section.panel.confirmation-rounds {
            h2 { (locale.pick("تأیید دستگاه‌های ارائه‌دهنده", "Provider confirmation")) }
            @if rounds.is_empty() {
                p.muted { (locale.pick(
                    "هنوز از دستگاه‌های ارائه‌دهنده خواسته نشده است که نیازهای پذیرفته‌شده را تأیید کنند.",
                    "The providers have not yet been asked to confirm the accepted needs.",
                )) }
            }
            ul {
                @for (n, round) in rounds.iter().enumerate() {
                    li {
                        a.round-link href={ "/cases/" (round.round) } {
                            (locale.pick("دور ", "Round ")) (number(locale, n + 1))
                        }
                        ": "
                        span.round-progress {
                            (number(locale, round.accepted)) " / " (number(locale, round.providers))
                            (locale.pick(" پاسخ پذیرفته شد", " answers accepted"))
                            @if round.submitted > 0 {
                                "، " (number(locale, round.submitted))
                                (locale.pick(" در انتظار بررسی", " awaiting review"))
                            }
                        }
                    }
                }
            }
            @if may_open {
                a.button.secondary href={ "/cases/" (case) "/confirmation-round" } {
                    (locale.pick("گشایش دور تأیید…", "Open a confirmation round…"))
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct OpenRoundForm {
    pub version: String,
}

/// `GET /cases/{id}/confirmation-round`: are you sure?
pub async fn confirm(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<Markup, PageError> {
    let id = parse_case_id(&id)?;
    let case = case_document(&state, id).await?;
    let locale = viewer.locale;
    let title = case["title"].as_str().unwrap_or_default();
    let body = html! {
        form.panel method="post" action={ "/cases/" (id) "/confirmation-round" } {
            (csrf_field(&viewer))
            input type="hidden" name="version" value=(case["version"]);
            p { (locale.pick(
                "به هر دستگاه ارائه‌دهنده‌ای که در نیازهای پذیرفته‌شده نام برده شده یک کار داده می‌شود: برای هر نیاز موافقت، موافقت مشروط یا عدم موافقت (با مستند قانونی) را اعلام کند. پاسخ‌های پذیرفته‌شده در جدول تبادل اطلاعات نشان داده می‌شوند.",
                "Each provider named by an accepted need gets one task: to agree, agree with conditions, or decline (with the legal reason) each need addressed to it. Accepted answers show in the exchange matrix.",
            )) }
            div.actions {
                button type="submit" { (locale.pick("بله، دور تأیید گشوده شود", "Yes, open the round")) }
                a.button.secondary href={ "/cases/" (id) } { (locale.pick("نه، بازگشت به پرونده", "No, back to the case")) }
            }
        }
    };
    Ok(page(
        &viewer,
        &format!(
            "{} — {title}",
            locale.pick("گشایش دور تأیید", "Open a confirmation round")
        ),
        body,
    ))
}

/// `POST /cases/{id}/confirmation-round`: opens the round and shows its case.
pub async fn open(
    state: web::Data<AppState>,
    id: web::Path<String>,
    posted: Posted<OpenRoundForm>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let id = parse_case_id(&id)?;
    let case = case_document(&state, id).await?;
    if !super::version_matches(&case["version"], &form.version) {
        return Ok(HttpResponse::SeeOther()
            .insert_header(("location", format!("/cases/{id}")))
            .finish());
    }
    let round = state
        .engine
        .open_confirmation_round(&viewer.actor, id)
        .await
        .map_err(|e| PageError::from(e).in_locale(viewer.locale))?;
    Ok(HttpResponse::SeeOther()
        .insert_header(("location", format!("/cases/{}", round.id)))
        .finish())
}
