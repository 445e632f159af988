//! What the member pages share: the directory they list and offer (members and agencies,
//! read once per page), and the pieces both the list and a member's page draw.

use maud::{Markup, html};

use super::{FieldErrors, error_at, role_name};
use crate::domain::Role;
use crate::engine::{AgencyInput, Member};
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::i18n::Locale;

/// What the page lists and offers.
pub struct Directory {
    pub members: Vec<Member>,
    pub agencies: Vec<AgencyInput>,
}

impl Directory {
    pub async fn load(state: &AppState) -> Result<Self, PageError> {
        Ok(Directory {
            members: state.engine.members().await?,
            agencies: state.engine.agencies().await?,
        })
    }

    /// An agency's name in the reader's language, or its code if unknown.
    pub fn agency_name(&self, locale: Locale, code: &str) -> String {
        self.agencies
            .iter()
            .find(|a| a.code == code)
            .map(|a| locale.pick(&a.name_fa, a.name_en.as_deref().unwrap_or(&a.name_fa)))
            .unwrap_or(code)
            .to_string()
    }

    pub fn member_name(&self, id: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.as_str())
    }
}

pub(crate) fn roles_text(locale: Locale, roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| role_name(locale, *r)).collect();
    names.join(locale.pick("، ", ", "))
}

pub(crate) fn locale_name(locale: &str) -> &'static str {
    if locale == "en" {
        "English"
    } else {
        "فارسی"
    }
}

pub(crate) fn status_chip(locale: Locale, member: &Member) -> Markup {
    html! {
        @if member.disabled {
            span.chip.danger { (locale.pick("غیرفعال", "disabled")) }
        } @else {
            span.chip.ok { (locale.pick("فعال", "active")) }
        }
    }
}

pub(crate) fn agency_select(
    locale: Locale,
    directory: &Directory,
    errors: &FieldErrors,
    chosen: &str,
) -> Markup {
    html! {
        div.field {
            label for="agency" { (locale.pick("دستگاه", "Agency")) }
            (error_at(errors, "agency"))
            select #agency name="agency" aria-invalid=[super::invalid(errors, "agency")] aria-describedby=[super::described(errors, "agency")] {
                option value="" { (locale.pick("— برگزینید —", "— choose —")) }
                @for agency in &directory.agencies {
                    option value=(agency.code) selected[chosen == agency.code] {
                        (directory.agency_name(locale, &agency.code)) " (" (agency.code) ")"
                    }
                }
            }
        }
    }
}

/// The supervisor choice: any member but `except` (the member being edited).
pub(crate) fn supervisor_select(
    locale: Locale,
    directory: &Directory,
    errors: &FieldErrors,
    chosen: &str,
    except: Option<&str>,
) -> Markup {
    html! {
        div.field {
            label for="supervisor_id" { (locale.pick("سرپرست (اختیاری؛ یادآوری‌های دیرکرد به او هم می‌رسد)", "Supervisor (optional; escalations reach them too)")) }
            (error_at(errors, "supervisor_id"))
            select #supervisor_id name="supervisor_id" aria-invalid=[super::invalid(errors, "supervisor_id")] aria-describedby=[super::described(errors, "supervisor_id")] {
                option value="" { (locale.pick("— بدون سرپرست —", "— none —")) }
                @for member in directory.members.iter().filter(|m| Some(m.id.as_str()) != except) {
                    option value=(member.id) selected[chosen == member.id] {
                        (member.name) " (" (member.id) ")"
                    }
                }
            }
        }
    }
}
