//! The administrator's pages for people: agencies (`/admin/agencies`: list, add, import
//! the JSON file), members (`/admin/members`: list with filters, add) and one member
//! (`/admin/members/{id}`: roles, locale and supervisor, disable or enable, tokens issued
//! and revoked). Admins only (the page table says so). Every write calls the same engine
//! command as the API; a refusal is shown at its field with what was typed kept, and
//! nothing is recorded.

pub mod agencies;
pub mod directory;
pub mod member;
pub mod member_actions;
pub mod members;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{Markup, html};

use crate::domain::Role;
use crate::engine::EngineError;
use crate::web::error::PageError;
use crate::web::i18n::Locale;

/// Who may open these pages.
pub const ADMINS: &[Role] = &[Role::Admin];

/// A message per field name (`""` for the form as a whole).
pub type FieldErrors = BTreeMap<&'static str, String>;

/// The last value sent for `name`, trimmed.
pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// Every value sent for `name` (ticked checkboxes).
pub(crate) fn all(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The engine's reason for a refusal the form can show, or the error page for others.
pub(crate) fn refusal(error: EngineError, locale: Locale) -> Result<String, PageError> {
    match error {
        EngineError::Invalid(reason) | EngineError::Conflict(reason) => Ok(reason),
        EngineError::Domain(crate::domain::DomainError::Invalid(reason)) => Ok(reason),
        other => Err(PageError::from(other).in_locale(locale)),
    }
}

/// A page shown again with its errors.
pub(crate) fn unprocessable(page: Markup) -> HttpResponse {
    HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

pub(crate) fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("location", location))
        .finish()
}

pub(crate) fn error_at(errors: &FieldErrors, name: &str) -> Markup {
    html! {
        @if let Some(message) = errors.get(name) {
            p.field-error id={ (name) "-error" } { (message) }
        }
    }
}

pub(crate) fn described(errors: &FieldErrors, name: &str) -> Option<String> {
    errors.contains_key(name).then(|| format!("{name}-error"))
}

pub(crate) fn invalid(errors: &FieldErrors, name: &str) -> Option<&'static str> {
    errors.contains_key(name).then_some("true")
}

/// The summary at the top of a form sent back, each message linking to its field.
pub(crate) fn error_summary(locale: Locale, errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { (locale.pick("ثبت نشد", "Not recorded")) }
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
    }
}

/// A labelled text input with its error and what was typed.
pub(crate) fn text_input(
    errors: &FieldErrors,
    name: &'static str,
    label: &str,
    value: &str,
    kind: &str,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            (error_at(errors, name))
            input id=(name) type=(kind) name=(name) value=(value) dir="auto"
                aria-invalid=[invalid(errors, name)] aria-describedby=[described(errors, name)];
        }
    }
}

/// A role's name for people.
pub(crate) fn role_name(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => locale.pick("مدیر سامانه", "administrator"),
        Role::Secretariat => locale.pick("دبیرخانه", "secretariat"),
        Role::Member => locale.pick("عضو (رابط دستگاه)", "member (focal point)"),
        Role::Auditor => locale.pick("حسابرس", "auditor"),
    }
}

/// The roles as checkboxes, those in `ticked` ticked.
pub(crate) fn role_boxes(locale: Locale, errors: &FieldErrors, ticked: &[String]) -> Markup {
    html! {
        fieldset #roles aria-describedby=[described(errors, "roles")] {
            legend { (locale.pick("نقش‌ها", "Roles")) }
            (error_at(errors, "roles"))
            @for role in Role::ALL {
                label.inline {
                    input type="checkbox" name="roles" value=(role.as_str())
                        checked[ticked.iter().any(|r| r == role.as_str())];
                    " " (role_name(locale, role))
                }
            }
        }
    }
}

/// The locale choice.
pub(crate) fn locale_select(locale: Locale, errors: &FieldErrors, chosen: &str) -> Markup {
    html! {
        div.field {
            label for="locale" { (locale.pick("زبان صفحه‌ها و نامه‌ها", "Language of pages and e-mails")) }
            (error_at(errors, "locale"))
            select #locale name="locale" aria-invalid=[invalid(errors, "locale")] aria-describedby=[described(errors, "locale")] {
                option value="fa" selected[chosen != "en"] { "فارسی" }
                option value="en" lang="en" selected[chosen == "en"] { "English" }
            }
        }
    }
}
