//! `/admin/members`: every member with its agency, roles, locale, supervisor and whether it
//! is active, filtered by agency and role in the query string; and the form that registers
//! one (the engine's `register_member`, as `POST /v1/members`).

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::directory::{
    Directory, agency_select, locale_name, roles_text, status_chip, supervisor_select,
};
use super::{
    FieldErrors, all, error_summary, field, locale_select, refusal, role_boxes, role_name,
    see_other, text_input,
};
use crate::domain::Role;
use crate::engine::{Member, MemberInput};
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::format::bdi;
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::{Posted, Viewer};

/// `?agency=CODE&role=NAME`; empty means all.
#[derive(Debug, Default, Deserialize)]
pub struct MemberFilter {
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub role: String,
}

impl MemberFilter {
    fn admits(&self, member: &Member) -> bool {
        (self.agency.is_empty() || member.agency.as_deref() == Some(self.agency.as_str()))
            && (self.role.is_empty() || member.roles.iter().any(|r| r.as_str() == self.role))
    }
}

/// What the add form carries, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberForm {
    pub id: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub roles: Vec<String>,
    pub supervisor_id: String,
    pub locale: String,
}

impl MemberForm {
    fn from_fields(fields: &[(String, String)]) -> Self {
        MemberForm {
            id: field(fields, "id"),
            name: field(fields, "name"),
            email: field(fields, "email"),
            agency: field(fields, "agency"),
            roles: all(fields, "roles"),
            supervisor_id: field(fields, "supervisor_id"),
            locale: field(fields, "locale"),
        }
    }

    fn input(&self) -> MemberInput {
        let some = |text: &str| Some(text.to_string()).filter(|t| !t.is_empty());
        MemberInput {
            id: some(&self.id),
            name: self.name.clone(),
            email: self.email.clone(),
            agency: self.agency.clone(),
            roles: self.roles.clone(),
            supervisor_id: some(&self.supervisor_id),
            locale: some(&self.locale),
        }
    }
}

/// `GET /admin/members`
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    filter: web::Query<MemberFilter>,
) -> Result<Markup, PageError> {
    let directory = Directory::load(&state).await?;
    let form = MemberForm {
        locale: "fa".into(),
        roles: vec!["member".into()],
        ..MemberForm::default()
    };
    Ok(members_page(
        &viewer,
        &directory,
        &filter,
        &form,
        &FieldErrors::new(),
    ))
}

/// `POST /admin/members`
pub async fn add(
    state: web::Data<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let typed = MemberForm::from_fields(&form);
    let reason = match state
        .engine
        .register_member(&viewer.actor, typed.input())
        .await
    {
        Ok(member) => {
            return Ok(see_other(format!(
                "/admin/members/{}?notice=member-added",
                member.id
            )));
        }
        Err(error) => refusal(error, locale)?,
    };
    let (name, text) = place(locale, &reason);
    let errors = FieldErrors::from([(name, text)]);
    let directory = Directory::load(&state).await?;
    let page = members_page(
        &viewer,
        &directory,
        &MemberFilter::default(),
        &typed,
        &errors,
    );
    Ok(super::unprocessable(page))
}

/// The field a refusal of a member form belongs to, and what it says to people.
pub(crate) fn place(locale: Locale, reason: &str) -> (&'static str, String) {
    let rules: [(&str, &'static str, &str); 8] = [
        (
            "already exists",
            "id",
            "عضوی با این شناسه پیش‌تر ثبت شده است؛ شناسهٔ دیگری بنویسید یا آن را خالی بگذارید.",
        ),
        (
            "member id",
            "id",
            "شناسه باید ۱ تا ۶۴ نویسه از حروف لاتین، رقم، - _ و . باشد.",
        ),
        ("name must", "name", "نام را بنویسید (حداکثر ۳۰۰ نویسه)."),
        (
            "e-mail",
            "email",
            "نشانی رایانامه درست نیست؛ مانند name@agency.ir بنویسید.",
        ),
        ("role", "roles", "دست‌کم یک نقش برگزینید."),
        (
            "supervisor",
            "supervisor_id",
            "این سرپرست پذیرفته نیست: باید عضو ثبت‌شده‌ای باشد که خودش زیردست این عضو نیست.",
        ),
        ("agency", "agency", "دستگاه را از فهرست برگزینید."),
        ("locale", "locale", "زبان باید فارسی یا انگلیسی باشد."),
    ];
    let (name, fa) = rules
        .iter()
        .find(|(key, ..)| reason.contains(key))
        .map(|(_, name, fa)| (*name, *fa))
        .unwrap_or(("", ""));
    let text = match locale {
        Locale::Fa if !fa.is_empty() => fa.to_string(),
        _ => reason.to_string(),
    };
    (name, text)
}

/// The members page: pure, from the directory, the filter and the add form to markup.
pub fn members_page(
    viewer: &Viewer,
    directory: &Directory,
    filter: &MemberFilter,
    form: &MemberForm,
    errors: &FieldErrors,
) -> Markup {
    let locale = viewer.locale;
    let shown: Vec<&Member> = directory
        .members
        .iter()
        .filter(|m| filter.admits(m))
        .collect();
    let body = html! {
        (error_summary(locale, errors))
        (filters(locale, directory, filter))
        (member_table(locale, directory, &shown))
        form.panel method="post" action="/admin/members" novalidate {
            h2 { (locale.pick("افزودن عضو", "Add a member")) }
            (csrf_field(viewer))
            (text_input(errors, "name", locale.pick("نام و نام خانوادگی", "Full name"), &form.name, "text"))
            (text_input(errors, "email", locale.pick("رایانامه", "E-mail"), &form.email, "email"))
            (agency_select(locale, directory, errors, &form.agency))
            (role_boxes(locale, errors, &form.roles))
            (supervisor_select(locale, directory, errors, &form.supervisor_id, None))
            (locale_select(locale, errors, &form.locale))
            (text_input(errors, "id", locale.pick("شناسه (اختیاری؛ خالی: ساخته می‌شود)", "Id (optional; made up if empty)"), &form.id, "text"))
            div.actions { button.primary type="submit" { (locale.pick("افزودن", "Add")) } }
        }
    };
    page(viewer, locale.pick("اعضا", "Members"), body)
}

fn filters(locale: Locale, directory: &Directory, filter: &MemberFilter) -> Markup {
    html! {
        form.filters.panel method="get" action="/admin/members" role="search" {
            div.field {
                label for="filter-agency" { (locale.pick("دستگاه", "Agency")) }
                select #filter-agency name="agency" {
                    option value="" { (locale.pick("همه", "all")) }
                    @for agency in &directory.agencies {
                        option value=(agency.code) selected[filter.agency == agency.code] {
                            (directory.agency_name(locale, &agency.code)) " (" (agency.code) ")"
                        }
                    }
                }
            }
            div.field {
                label for="filter-role" { (locale.pick("نقش", "Role")) }
                select #filter-role name="role" {
                    option value="" { (locale.pick("همه", "all")) }
                    @for role in Role::ALL {
                        option value=(role.as_str()) selected[filter.role == role.as_str()] { (role_name(locale, role)) }
                    }
                }
            }
            button type="submit" { (locale.pick("نمایش", "Show")) }
        }
    }
}

fn member_table(locale: Locale, directory: &Directory, shown: &[&Member]) -> Markup {
    let heads = [
        locale.pick("نام", "Name"),
        locale.pick("رایانامه", "E-mail"),
        locale.pick("دستگاه", "Agency"),
        locale.pick("نقش‌ها", "Roles"),
        locale.pick("زبان", "Language"),
        locale.pick("سرپرست", "Supervisor"),
        locale.pick("وضعیت", "Status"),
    ];
    html! {
        @if shown.is_empty() {
            p.panel { (locale.pick("عضوی با این ویژگی‌ها نیست.", "No member matches.")) }
        } @else {
            div.table-wrap {
                table.cards {
                    caption.visually-hidden { (locale.pick("اعضا", "Members")) }
                    thead { tr { @for head in heads { th scope="col" { (head) } } } }
                    tbody {
                        @for member in shown {
                            tr {
                                td data-label=(heads[0]) { a href={ "/admin/members/" (member.id) } { (member.name) } }
                                td data-label=(heads[1]) { (bdi(&member.email)) }
                                td data-label=(heads[2]) {
                                    @if let Some(code) = &member.agency {
                                        (directory.agency_name(locale, code)) " " (bdi(code))
                                    } @else { "—" }
                                }
                                td data-label=(heads[3]) { (roles_text(locale, &member.roles)) }
                                td data-label=(heads[4]) { (locale_name(&member.locale)) }
                                td data-label=(heads[5]) {
                                    @if let Some(id) = &member.supervisor_id {
                                        (directory.member_name(id).unwrap_or(id))
                                    } @else { "—" }
                                }
                                td data-label=(heads[6]) { (status_chip(locale, member)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
