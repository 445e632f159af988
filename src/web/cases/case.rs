//! `/cases/{id}`: one case — its title, workflow and status, a resolution's text, the cases
//! it opened — and its status board, which htmx polls as a fragment (`/cases/{id}/board`)
//! every few seconds. The fragment carries the board's version: an unchanged board answers
//! 204 and nothing moves; a changed one replaces the table and says what changed in the
//! page's polite live region. Also the board as CSV (`/cases/{id}/board.csv`). A member reads
//! the cases its agency takes part in, as the API lets it: every agency's status, no staff
//! actions.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::engine::{agency_names, case_reports};
use crate::http::AppState;
use crate::reports::Board;
use crate::web::board::{BoardOptions, board_table, report_locale};
use crate::web::error::PageError;
use crate::web::format::{date, number};
use crate::web::i18n::Locale;
use crate::web::inbox::status_label;
use crate::web::layout::page;
use crate::web::session::Viewer;

/// Whether the viewer runs cases (and so sees the links to cancel and reassign).
fn staff(viewer: &Viewer) -> bool {
    viewer.has_any(super::STAFF)
}

fn options<'a>(viewer: &'a Viewer, names: &'a Names) -> BoardOptions<'a> {
    BoardOptions {
        actions: staff(viewer),
        members: &names.members,
        agency: member_agency(viewer),
    }
}

/// The agency whose member reads its part of a case; `None` for those who read every case
/// whole (the secretariat, admins, auditors).
fn member_agency(viewer: &Viewer) -> Option<&str> {
    let agency = viewer.member.agency.as_deref();
    agency.filter(|_| !viewer.has_any(super::READERS))
}

/// How often the board asks whether it changed.
const POLL: &str = "every 5s";

pub(super) fn parse_case_id(raw: &str) -> Result<Uuid, PageError> {
    raw.parse().map_err(|_| PageError::not_found())
}

/// The case's read model (the API's `GET /v1/cases/{id}`), or a 404 page.
pub(super) async fn case_document(state: &AppState, id: Uuid) -> Result<Value, PageError> {
    crate::engine::case_document(&state.engine.documents, &id.to_string())
        .await?
        .ok_or_else(PageError::not_found)
}

/// What the page shows beside the board: the workflow's title and the members' names.
pub struct Names {
    pub workflow: String,
    pub members: BTreeMap<String, String>,
    /// Whether the case has an exchange matrix (it collects inventories), to link to it.
    pub matrix: bool,
    /// The provider confirmation rounds opened from it (an inventory case's children).
    pub rounds: Vec<crate::reports::confirmations::RoundProgress>,
}

/// The workflow's title in the viewer's language (its key when unknown) and every member's
/// name by id.
pub async fn names(state: &AppState, workflow: &str, locale: Locale) -> Result<Names, PageError> {
    let members = state
        .engine
        .members()
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let workflow = super::workflow_titles(state, locale)
        .await?
        .remove(workflow)
        .unwrap_or_else(|| workflow.to_string());
    Ok(Names {
        workflow,
        members,
        matrix: false,
        rounds: Vec::new(),
    })
}

/// The case's read model, if the viewer may read it: the secretariat, admins and auditors
/// every case; a member the cases its agency takes part in — any other is not found, as in
/// the API.
pub(super) async fn readable_case(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Value, PageError> {
    let case = case_document(state, id).await?;
    if viewer.has_any(super::READERS) {
        return Ok(case);
    }
    match member_agency(viewer) {
        Some(agency) if crate::http::takes_part(&case, agency) => Ok(case),
        _ => Err(PageError::not_found()),
    }
}

/// The board as it stands now, as the viewer may see it (a member: every agency's status,
/// not other agencies' people), with agency names and days in the viewer's language.
pub async fn load_board(state: &AppState, viewer: &Viewer, id: Uuid) -> Result<Board, PageError> {
    let mut board = match case_reports(&state.engine, id).await {
        Ok(reports) => reports.board,
        Err(crate::engine::EngineError::NotFound(_)) => return Err(PageError::not_found()),
        Err(error) => return Err(error.into()),
    };
    if let Some(agency) = member_agency(viewer) {
        board = board.seen_by(agency);
    }
    let locale = report_locale(viewer.locale);
    board.localise(
        locale,
        &agency_names(&state.engine.documents, locale).await?,
    );
    Ok(board)
}

/// After "remind now": the agencies reminded, as `?reminded=IRICA,MIMT`.
#[derive(Debug, Default, Deserialize)]
pub struct AfterAction {
    #[serde(default)]
    pub reminded: Option<String>,
}

/// `GET /cases/{id}`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    after: web::Query<AfterAction>,
) -> Result<Markup, PageError> {
    let id = parse_case_id(&id)?;
    let case = readable_case(&state, &viewer, id).await?;
    let board = load_board(&state, &viewer, id).await?;
    let mut names = names(&state, &board.workflow, viewer.locale).await?;
    names.matrix = crate::web::matrix::has_matrix(&state, id).await?;
    if names.matrix {
        names.rounds = super::confirmation::rounds(&state, id).await?;
    }
    let reminded: Vec<String> = after
        .reminded
        .as_deref()
        .map(|list| list.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    Ok(case_page(&viewer, &case, &board, &names, &reminded))
}

#[derive(Debug, Deserialize)]
pub struct Since {
    pub version: Option<i64>,
}

/// `GET /cases/{id}/board`: the live board's fragment; 204 when `?version=` is current.
pub async fn board_fragment(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
    since: web::Query<Since>,
) -> Result<HttpResponse, PageError> {
    let id = parse_case_id(&id)?;
    // The case's read model is written with its events, so its version says whether the
    // board changed without building it.
    let case = readable_case(&state, &viewer, id).await?;
    if since.version.is_some() && case["version"].as_i64() == since.version {
        return Ok(HttpResponse::NoContent().finish());
    }
    let board = load_board(&state, &viewer, id).await?;
    let names = names(&state, &board.workflow, viewer.locale).await?;
    let body = html! {
        (board_region(&board, viewer.locale, options(&viewer, &names)))
        div #live hx-swap-oob="innerHTML" { (changed_text(&board, viewer.locale)) }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body.into_string()))
}

/// `GET /cases/{id}/board.csv`: the board as the API's CSV, for spreadsheet tools.
pub async fn board_csv(
    state: web::Data<AppState>,
    viewer: Viewer,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = parse_case_id(&id)?;
    readable_case(&state, &viewer, id).await?;
    let board = load_board(&state, &viewer, id).await?;
    Ok(HttpResponse::build(StatusCode::OK)
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"board-{id}.csv\""),
        ))
        .body(crate::reports::csv::board_csv(&board)))
}

/// The polled region: the table, and where to ask next.
pub fn board_region(board: &Board, locale: Locale, options: BoardOptions<'_>) -> Markup {
    let poll = format!("/cases/{}/board?version={}", board.case, board.version);
    html! {
        div #board hx-get=(poll) hx-trigger=(POLL) hx-swap="outerHTML" {
            (board_table(board, locale, options))
        }
    }
}

/// What the live region says when the board changed: the counts by status.
fn changed_text(board: &Board, locale: Locale) -> String {
    let counts: Vec<String> = board
        .totals
        .by_status
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(status, n)| format!("{} {}", number(locale, n), status_label(locale, status)))
        .collect();
    format!(
        "{} {}",
        locale.pick("جدول وضعیت به‌روز شد:", "The board was updated:"),
        counts.join(locale.pick("، ", ", "))
    )
}

/// How a resolution was decided, in words («تصویب شد»); `None` for a case without one.
fn outcome_text(locale: Locale, outcome: &str) -> Option<&'static str> {
    match outcome {
        "approved" => Some(locale.pick("مصوبه تصویب شد", "approved")),
        "rejected" => Some(locale.pick("پیش‌نویس مصوبه تصویب نشد", "not approved")),
        "expired" => Some(locale.pick("رأی‌گیری به حد نصاب نرسید", "the vote had no quorum")),
        _ => None,
    }
}

/// The case page: pure, from the case document and its board to markup.
pub fn case_page(
    viewer: &Viewer,
    case: &Value,
    board: &Board,
    names: &Names,
    reminded: &[String],
) -> Markup {
    let locale = viewer.locale;
    let id = board.case;
    let text = case["params"]["text"].as_str();
    let children = case["children"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let open = case["status"] == "open";
    let body = html! {
        (super::practice::reminded_notice(viewer, board, reminded))
        p.context {
            (locale.pick("گردش کار", "Workflow")) ": " (names.workflow)
            " · " (super::case_status(locale, case["status"].as_str().unwrap_or_default()))
            @if let Some(outcome) = case["outcome"].as_str().and_then(|o| outcome_text(locale, o)) {
                " · " strong.outcome { (outcome) }
            }
            @if let Some(at) = case["opened_at"].as_str().and_then(|t| t.parse().ok()) {
                " · " (locale.pick("گشایش", "opened")) " " (date(locale, at))
            }
        }
        @if let Some(text) = text {
            section.panel {
                h2 { (locale.pick("متن مصوبه", "The resolution")) }
                p.resolution-text { (text) }
            }
        }
        (super::meeting::meeting_section(locale, &case["meeting"]))
        @if let Some(parent) = case["parent_case"].as_str() {
            p { a href={ "/cases/" (parent) } { (locale.pick("مصوبه‌ای که این پرونده را گشود", "The resolution that opened this case")) } }
        }
        @if names.matrix {
            (super::confirmation::rounds_section(viewer, id, &names.rounds))
        }
        @if !children.is_empty() && !names.matrix {
            p {
                (locale.pick("پرونده‌هایی که این مصوبه گشود: ", "Cases this resolution opened: "))
                @for (n, child) in children.iter().filter_map(Value::as_str).enumerate() {
                    @if n > 0 { "، " }
                    a.child-case href={ "/cases/" (child) } { (locale.pick("پرونده ", "case ")) (number(locale, n + 1)) }
                }
            }
        }
        div.actions {
            @if names.matrix {
                a.button href={ "/cases/" (id) "/matrix" } { (locale.pick("جدول تبادل اطلاعات", "Exchange matrix")) }
            }
            a.button.secondary href={ "/cases/" (id) "/board.csv" } download { (locale.pick("دریافت جدول (CSV)", "Download the board (CSV)")) }
            @if open && staff(viewer) {
                a.button.secondary href={ "/cases/" (id) "/cancel" } { (locale.pick("لغو پرونده…", "Cancel the case…")) }
            }
        }
        @if viewer.has_any(crate::web::audit::AUDITORS) {
            (crate::web::audit::state::case_links(locale, id))
        }
        h2 { (locale.pick("جدول وضعیت", "Status board")) }
        (board_region(board, locale, options(viewer, names)))
        p.muted { (locale.pick("این جدول هر چند ثانیه خودبه‌خود به‌روز می‌شود.", "This board updates itself every few seconds.")) }
        @if open && viewer.has_any(&[crate::domain::Role::Secretariat]) {
            (super::practice::panel(viewer, board))
        }
    };
    page(viewer, &board.title, body)
}
