//! `/cases/new`: the form that opens a resolution (or a case directly), its post, and the
//! agency picker's filter fragment (`/cases/new/agencies?q=`), which htmx swaps while the
//! secretariat types; without JavaScript every agency is listed.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::new::{FieldErrors, NewCaseForm, RESOLUTION_WORKFLOW, field, incomplete, place_refusal};
use crate::domain::DomainError;
use crate::engine::{AgencyInput, EngineError};
use crate::http::AppState;
use crate::web::Posted;
use crate::web::error::PageError;
use crate::web::format::bdi;
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::session::Viewer;

/// The choices the form offers: registered agencies and workflows (key, title).
pub struct Choices {
    pub agencies: Vec<AgencyInput>,
    pub workflows: Vec<(String, String)>,
}

/// The agencies that may take part: the cluster's members (an outside provider receives
/// no tasks).
async fn cluster_agencies(state: &AppState) -> Result<Vec<AgencyInput>, PageError> {
    let mut agencies = state.engine.agencies().await?;
    agencies.retain(|a| a.in_cluster);
    Ok(agencies)
}

async fn choices(state: &AppState, locale: Locale) -> Result<Choices, PageError> {
    let agencies = cluster_agencies(state).await?;
    let workflows = super::workflow_titles(state, locale)
        .await?
        .into_iter()
        .filter(|(key, _)| key != RESOLUTION_WORKFLOW)
        .collect();
    Ok(Choices {
        agencies,
        workflows,
    })
}

/// `GET /cases/new`
pub async fn form(state: web::Data<AppState>, viewer: Viewer) -> Result<Markup, PageError> {
    let choices = choices(&state, viewer.locale).await?;
    Ok(new_case_page(
        &viewer,
        &NewCaseForm::blank(),
        &choices,
        &FieldErrors::new(),
    ))
}

/// `POST /cases/new`
pub async fn open(
    state: web::Data<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let form = NewCaseForm::from_fields(&form);
    let locale = viewer.locale;
    let mut errors = incomplete(&form, |fa, en| locale.pick(fa, en).to_string());
    if errors.is_empty() {
        match state
            .engine
            .open_case(&viewer.actor, form.open_case())
            .await
        {
            Ok(case) => {
                return Ok(HttpResponse::SeeOther()
                    .insert_header(("location", format!("/cases/{}?notice=case-opened", case.id)))
                    .finish());
            }
            Err(
                EngineError::Invalid(reason) | EngineError::Domain(DomainError::Invalid(reason)),
            ) => {
                let field = place_refusal(&reason);
                errors.insert(field, super::meeting::refusal_text(locale, field, reason));
            }
            Err(error) => return Err(PageError::from(error).in_locale(locale)),
        }
    }
    let choices = choices(&state, locale).await?;
    Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type("text/html; charset=utf-8")
        .body(new_case_page(&viewer, &form, &choices, &errors).into_string()))
}

#[derive(Debug, Deserialize)]
pub struct AgencyFilter {
    #[serde(default)]
    pub q: String,
}

/// `GET /cases/new/agencies?q=…&agency=…`: the agencies whose code or name holds `q`, and
/// those already ticked (so a filter never unticks anything).
pub async fn agencies(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<Vec<(String, String)>>,
) -> Result<Markup, PageError> {
    let q = query
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_lowercase())
        .unwrap_or_default();
    let ticked: Vec<String> = query
        .iter()
        .filter(|(k, _)| k == field::AGENCY)
        .map(|(_, v)| v.clone())
        .collect();
    let agencies = cluster_agencies(&state).await?;
    Ok(agency_list(viewer.locale, &agencies, &ticked, &q))
}

fn matches(agency: &AgencyInput, q: &str) -> bool {
    q.is_empty()
        || agency.code.to_lowercase().contains(q)
        || agency.name_fa.contains(q)
        || agency
            .name_en
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains(q))
}

/// The agency checkboxes: those ticked, then those matching `q`.
pub fn agency_list(locale: Locale, agencies: &[AgencyInput], ticked: &[String], q: &str) -> Markup {
    let shown = agencies
        .iter()
        .filter(|a| ticked.contains(&a.code) || matches(a, q));
    html! {
        ul #agency-list .agency-list {
            @for agency in shown {
                li {
                    label.inline {
                        input type="checkbox" name=(field::AGENCY) value=(agency.code)
                            checked[ticked.contains(&agency.code)];
                        " " (locale.pick(&agency.name_fa, agency.name_en.as_deref().unwrap_or(&agency.name_fa)))
                        " " (bdi(&agency.code))
                    }
                }
            }
        }
    }
}

pub(super) fn error_at(errors: &FieldErrors, name: &str) -> Markup {
    html! {
        @if let Some(message) = errors.get(name) {
            p.field-error id={ (name) "-error" } { (message) }
        }
    }
}

pub(super) fn described(errors: &FieldErrors, name: &str) -> Option<String> {
    errors.contains_key(name).then(|| format!("{name}-error"))
}

/// The new-case page: pure, from what was typed, the choices and the errors to markup.
pub fn new_case_page(
    viewer: &Viewer,
    form: &NewCaseForm,
    choices: &Choices,
    errors: &FieldErrors,
) -> Markup {
    let locale = viewer.locale;
    let invalid = |name: &str| errors.contains_key(name).then_some("true");
    let body = html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { (locale.pick("فرم کامل نیست", "The form is not complete")) }
                ul {
                    @for (name, message) in errors {
                        li {
                            @if name.is_empty() { (message) }
                            @else { a href={ "#" (name) } { (message) } }
                        }
                    }
                }
            }
        }
        // The server says what is missing, at the field and in the summary above, in the
        // page's language; the browser's own checks would stop the form before that.
        form.panel method="post" action="/cases/new" novalidate {
            (csrf_field(viewer))
            div.field {
                label for=(field::TITLE) { (locale.pick("عنوان", "Title")) span.required-mark aria-hidden="true" { "*" } }
                (error_at(errors, field::TITLE))
                input #title type="text" name=(field::TITLE) value=(form.title) required maxlength="500"
                    aria-invalid=[invalid(field::TITLE)] aria-describedby=[described(errors, field::TITLE)];
            }
            div.field {
                label for=(field::TEXT) { (locale.pick("متن مصوبه", "Text of the resolution")) }
                p.help #text-help { (locale.pick("آنچه اعضا به آن رأی می‌دهند. برای گشودن مستقیم پرونده لازم نیست.", "What the members vote on. Not needed to open a case directly.")) }
                (error_at(errors, field::TEXT))
                textarea #text name=(field::TEXT) rows="6"
                    aria-invalid=[invalid(field::TEXT)]
                    aria-describedby={ "text-help" @if errors.contains_key(field::TEXT) { " text-error" } } { (form.text) }
            }
            (super::meeting::meeting_fieldset(locale, &form.meeting, errors))
            fieldset #participants aria-describedby=[described(errors, field::PARTICIPANTS)] {
                legend { (locale.pick("دستگاه‌های شرکت‌کننده", "Taking part")) }
                (error_at(errors, field::PARTICIPANTS))
                label.inline {
                    input type="radio" name=(field::PARTICIPANTS) value="all" checked[form.everyone];
                    " " (locale.pick("همه دستگاه‌های عضو خوشه", "All the cluster's agencies"))
                }
                label.inline {
                    input type="radio" name=(field::PARTICIPANTS) value="chosen" checked[!form.everyone];
                    " " (locale.pick("دستگاه‌های برگزیده:", "The agencies ticked:"))
                }
                div.field {
                    label for="agency-filter" { (locale.pick("جست‌وجوی دستگاه", "Find an agency")) }
                    input #agency-filter type="search" name="q" autocomplete="off"
                        hx-get="/cases/new/agencies" hx-trigger="input changed delay:300ms, search"
                        hx-target="#agency-list" hx-swap="outerHTML" hx-include="#agency-list";
                }
                (agency_list(locale, &choices.agencies, &form.agencies, ""))
            }
            div.field {
                label for=(field::WORKFLOW) { (locale.pick("آنچه پس از تصویب آغاز می‌شود", "What opens on approval")) }
                (error_at(errors, field::WORKFLOW))
                select #workflow name=(field::WORKFLOW) required
                    aria-invalid=[invalid(field::WORKFLOW)] aria-describedby=[described(errors, field::WORKFLOW)] {
                    option value="" { (locale.pick("— برگزینید —", "— choose —")) }
                    @for (key, title) in &choices.workflows {
                        option value=(key) selected[form.workflow == *key] { (title) }
                    }
                }
            }
            (super::meeting::due_fieldset(locale, form, errors))
            div.field {
                label.inline {
                    input type="checkbox" name=(field::DIRECT) value="on" checked[form.direct];
                    " " (locale.pick("بدون رأی‌گیری: پرونده همین حالا گشوده شود", "Without a vote: open the case now"))
                }
            }
            div.actions {
                button.primary type="submit" { (locale.pick("ثبت", "Open")) }
                a.button.secondary href="/cases" { (locale.pick("انصراف", "Cancel")) }
            }
        }
    };
    page(viewer, locale.pick("مصوبهٔ تازه", "New resolution"), body)
}
