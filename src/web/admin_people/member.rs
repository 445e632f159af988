//! `/admin/members/{id}`: one member — its roles, locale and supervisor to change (with
//! the version the page showed, so a change made meanwhile is not overwritten), disable or
//! enable, and its tokens: listed by id with who issued them and when, when they expire and
//! were last used (never the token), revoked one by one, and a new one issued and shown on
//! the answer to that post only. The handlers are in [`super::member_actions`].

use chrono::{DateTime, Utc};
use maud::{Markup, html};
use uuid::Uuid;

use super::directory::{Directory, locale_name, roles_text, status_chip, supervisor_select};
use super::{FieldErrors, error_at, error_summary, locale_select, role_boxes};
use crate::engine::{Member, TokenInfo};
use crate::web::Viewer;
use crate::web::format::{bdi, clock_time, date};
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};

/// The edit form as shown: the member's values, or what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditForm {
    pub roles: Vec<String>,
    pub locale: String,
    pub supervisor_id: String,
    pub version: i64,
}

impl EditForm {
    pub fn of(member: &Member) -> Self {
        EditForm {
            roles: member
                .roles
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            locale: member.locale.clone(),
            supervisor_id: member.supervisor_id.clone().unwrap_or_default(),
            version: member.version,
        }
    }
}

/// A token just issued: shown on this answer only.
pub struct Issued {
    pub token_id: Uuid,
    pub token: String,
}

/// Everything the page shows besides the member.
pub struct MemberView<'a> {
    pub directory: &'a Directory,
    pub tokens: &'a [TokenInfo],
    pub edit: EditForm,
    /// What was typed as the new token's last day.
    pub expires_on: String,
    pub errors: FieldErrors,
    pub issued: Option<Issued>,
}

/// The member page: pure, from the member and its view to markup.
pub fn member_page(viewer: &Viewer, member: &Member, view: &MemberView) -> Markup {
    let locale = viewer.locale;
    let errors = &view.errors;
    let base = format!("/admin/members/{}", member.id);
    let body = html! {
        p { a href="/admin/members" { (locale.pick("همهٔ اعضا", "All members")) } }
        @if let Some(issued) = &view.issued { (token_once(locale, issued)) }
        (error_summary(locale, errors))
        (facts(locale, member, view.directory))
        form.panel method="post" action=(base) novalidate {
            h2 { (locale.pick("نقش‌ها، زبان و سرپرست", "Roles, language and supervisor")) }
            (csrf_field(viewer))
            input type="hidden" name="version" value=(view.edit.version);
            (role_boxes(locale, errors, &view.edit.roles))
            (locale_select(locale, errors, &view.edit.locale))
            (supervisor_select(locale, view.directory, errors, &view.edit.supervisor_id, Some(&member.id)))
            div.actions { button.primary type="submit" { (locale.pick("ثبت تغییرها", "Save the changes")) } }
        }
        (disable_form(viewer, member, &base))
        section.panel #tokens aria-labelledby="tokens-heading" {
            h2 #tokens-heading { (locale.pick("توکن‌ها", "Tokens")) }
            (token_table(viewer, view.tokens))
            form.issue-token method="post" action={ (base) "/tokens" } novalidate {
                (csrf_field(viewer))
                div.field {
                    label for="expires_on" { (locale.pick("آخرین روز اعتبار (اختیاری، مانند ۱۴۰۵/۱۲/۲۹)", "Last valid day (optional, e.g. 1405/12/29)")) }
                    (error_at(errors, "expires_on"))
                    input #expires_on type="text" name="expires_on" value=(view.expires_on) inputmode="numeric" dir="ltr"
                        aria-invalid=[super::invalid(errors, "expires_on")] aria-describedby=[super::described(errors, "expires_on")];
                }
                div.actions { button type="submit" { (locale.pick("صدور توکن تازه", "Issue a new token")) } }
            }
        }
    };
    page(viewer, &member.name, body)
}

/// The new token, once: selectable as text, and a copy button our script reveals.
fn token_once(locale: Locale, issued: &Issued) -> Markup {
    html! {
        div.notice.ok.token-once role="status" {
            h2 { (locale.pick("توکن تازه صادر شد", "A new token is issued")) }
            p { (locale.pick("این توکن فقط همین یک بار نشان داده می‌شود و جایی نگه داشته نمی‌شود؛ آن را اکنون به دارنده‌اش برسانید.", "This token is shown this once and kept nowhere; hand it to its holder now.")) }
            p { code #new-token .token-value dir="ltr" { (issued.token) } }
            p {
                button.secondary type="button" data-copy="new-token" hidden
                    data-copied=(locale.pick("رونوشت برداشته شد.", "Copied.")) {
                    (locale.pick("رونوشت", "Copy"))
                }
                " " span.muted { (locale.pick("شناسهٔ توکن: ", "Token id: ")) (bdi(&issued.token_id.to_string())) }
            }
        }
    }
}

fn facts(locale: Locale, member: &Member, directory: &Directory) -> Markup {
    html! {
        dl.doc-fields.panel {
            div { dt { (locale.pick("شناسه", "Id")) } dd { (bdi(&member.id)) } }
            div { dt { (locale.pick("رایانامه", "E-mail")) } dd { (bdi(&member.email)) } }
            div { dt { (locale.pick("دستگاه", "Agency")) } dd {
                @if let Some(code) = &member.agency { (directory.agency_name(locale, code)) " " (bdi(code)) }
                @else { "—" }
            } }
            div { dt { (locale.pick("نقش‌ها", "Roles")) } dd { (roles_text(locale, &member.roles)) } }
            div { dt { (locale.pick("زبان", "Language")) } dd { (locale_name(&member.locale)) } }
            div { dt { (locale.pick("وضعیت", "Status")) } dd { (status_chip(locale, member)) } }
        }
    }
}

fn disable_form(viewer: &Viewer, member: &Member, base: &str) -> Markup {
    let locale = viewer.locale;
    html! {
        @if member.id != viewer.member.id {
            form.panel method="post" action={ (base) @if member.disabled { "/enable" } @else { "/disable" } } {
                (csrf_field(viewer))
                @if member.disabled {
                    p { (locale.pick("این عضو غیرفعال است: توکن‌ها و نشست‌هایش پذیرفته نمی‌شوند.", "This member is disabled: its tokens and sessions are refused.")) }
                    button type="submit" { (locale.pick("فعال کردن دوباره", "Enable again")) }
                } @else {
                    p { (locale.pick("غیرفعال کردن: توکن‌ها و نشست‌هایش از همین حالا پذیرفته نمی‌شوند؛ کارهای بازش نزد دستگاهش می‌ماند.", "Disabling: its tokens and sessions are refused from now on; its open tasks stay with its agency.")) }
                    button.danger type="submit" { (locale.pick("غیرفعال کردن", "Disable")) }
                }
            }
        }
    }
}

fn when(locale: Locale, at: Option<DateTime<Utc>>) -> Markup {
    html! {
        @if let Some(at) = at { (date(locale, at)) " " (clock_time(locale, at)) } @else { "—" }
    }
}

fn token_table(viewer: &Viewer, tokens: &[TokenInfo]) -> Markup {
    let locale = viewer.locale;
    let heads = [
        locale.pick("شناسه", "Id"),
        locale.pick("صادرکننده", "Issued by"),
        locale.pick("صدور", "Issued"),
        locale.pick("پایان اعتبار", "Expires"),
        locale.pick("آخرین کاربرد", "Last used"),
        locale.pick("وضعیت", "Status"),
    ];
    html! {
        @if tokens.is_empty() {
            p { (locale.pick("توکنی صادر نشده است.", "No token is issued.")) }
        } @else {
            div.table-wrap {
                table.cards {
                    caption.visually-hidden { (locale.pick("توکن‌های این عضو", "This member's tokens")) }
                    thead { tr { @for head in heads { th scope="col" { (head) } } } }
                    tbody {
                        @for token in tokens {
                            tr {
                                td data-label=(heads[0]) { (bdi(&token.token_id.to_string())) }
                                td data-label=(heads[1]) { (bdi(token.issued_by.as_deref().unwrap_or("—"))) }
                                td data-label=(heads[2]) { (when(locale, Some(token.issued_at))) }
                                td data-label=(heads[3]) { (when(locale, token.expires_at)) }
                                td data-label=(heads[4]) { (when(locale, token.last_used_at)) }
                                td data-label=(heads[5]) { (token_state(viewer, token)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn token_state(viewer: &Viewer, token: &TokenInfo) -> Markup {
    let locale = viewer.locale;
    let expired = token.expires_at.is_some_and(|at| at <= viewer.now);
    html! {
        @if let Some(at) = token.revoked_at {
            span.chip.danger { (locale.pick("باطل شده", "revoked")) } " " (when(locale, Some(at)))
        } @else if expired {
            span.chip.warn { (locale.pick("منقضی", "expired")) }
        } @else {
            form.inline-form method="post" action={ "/admin/members/" (token.member_id) "/tokens/" (token.token_id) "/revoke" } {
                (csrf_field(viewer))
                span.chip.ok { (locale.pick("معتبر", "valid")) } " "
                button.danger type="submit" aria-label={ (locale.pick("باطل کردن توکن ", "Revoke token ")) (token.token_id) } {
                    (locale.pick("باطل کردن", "Revoke"))
                }
            }
        }
    }
}
