//! `/admin/agencies`: the registered agencies (members of the cluster and outside
//! providers), a form to add one, and the import of a file in the shape of
//! `fixtures/agencies.json` through the engine's own import (every entry checked first, so
//! a bad entry imports nothing).

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{FieldErrors, error_at, error_summary, field, refusal, see_other, text_input};
use crate::engine::{AgencyInput, ImportFile, ImportProblem, ImportProblemKind, check_import};
use crate::http::AppState;
use crate::web::error::PageError;
use crate::web::format::{bdi, number};
use crate::web::i18n::Locale;
use crate::web::layout::{csrf_field, page};
use crate::web::multipart::PostedFiles;
use crate::web::{Posted, Viewer};

/// What the add form carries, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyForm {
    pub code: String,
    pub name_fa: String,
    pub name_en: String,
    pub in_cluster: bool,
}

impl AgencyForm {
    fn blank() -> Self {
        AgencyForm {
            code: String::new(),
            name_fa: String::new(),
            name_en: String::new(),
            in_cluster: true,
        }
    }

    fn from_fields(fields: &[(String, String)]) -> Self {
        AgencyForm {
            code: field(fields, "code"),
            name_fa: field(fields, "name_fa"),
            name_en: field(fields, "name_en"),
            in_cluster: field(fields, "in_cluster") == "on",
        }
    }

    fn input(&self) -> AgencyInput {
        AgencyInput {
            code: self.code.clone(),
            name_fa: self.name_fa.clone(),
            name_en: Some(self.name_en.clone()).filter(|n| !n.is_empty()),
            cluster: None,
            in_cluster: self.in_cluster,
        }
    }
}

/// What the page says after an import (numbers only: nothing of the query is echoed).
#[derive(Debug, Default, Deserialize)]
pub struct Imported {
    pub imported: Option<u32>,
    pub existing: Option<u32>,
}

/// `GET /admin/agencies`
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    imported: web::Query<Imported>,
) -> Result<Markup, PageError> {
    let agencies = state.engine.agencies().await?;
    let forms = Forms {
        add: AgencyForm::blank(),
        errors: FieldErrors::new(),
        imported: imported.into_inner(),
    };
    Ok(agencies_page(&viewer, &agencies, &forms))
}

/// `POST /admin/agencies`
pub async fn add(
    state: web::Data<AppState>,
    posted: Posted<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let Posted { viewer, form } = posted;
    let locale = viewer.locale;
    let add = AgencyForm::from_fields(&form);
    let reason = match state
        .engine
        .register_agency(&viewer.actor, add.input())
        .await
    {
        Ok(_) => return Ok(see_other("/admin/agencies?notice=agency-added".into())),
        Err(error) => refusal(error, locale)?,
    };
    let mut errors = FieldErrors::new();
    let (name, text) = place(locale, &reason);
    errors.insert(name, text);
    let agencies = state.engine.agencies().await?;
    let forms = Forms {
        add,
        errors,
        imported: Imported::default(),
    };
    Ok(super::unprocessable(agencies_page(
        &viewer, &agencies, &forms,
    )))
}

/// The field a refusal of the add form belongs to, and what it says to people.
fn place(locale: Locale, reason: &str) -> (&'static str, String) {
    let (name, fa) = if reason.contains("already exists") {
        (
            "code",
            "دستگاهی با این کد پیش‌تر ثبت شده است؛ کد دیگری بنویسید.",
        )
    } else if reason.contains("agency code") {
        (
            "code",
            "کد باید ۲ تا ۱۶ نویسه از حروف بزرگ لاتین، رقم و _ باشد و با حرف آغاز شود (مانند MIMT).",
        )
    } else if reason.contains("name_fa") {
        ("name_fa", "نام فارسی دستگاه را بنویسید (حداکثر ۳۰۰ نویسه).")
    } else {
        ("", "")
    };
    let text = match locale {
        Locale::Fa if !fa.is_empty() => fa.to_string(),
        _ => reason.to_string(),
    };
    (name, text)
}

/// `POST /admin/agencies/import` (multipart: the file)
pub async fn import(
    state: web::Data<AppState>,
    posted: PostedFiles,
) -> Result<HttpResponse, PageError> {
    let PostedFiles { viewer, files, .. } = posted;
    let locale = viewer.locale;
    let message = match files.iter().find(|f| f.field == "file") {
        None => locale
            .pick("پرونده‌ای برگزیده نشد.", "No file was chosen.")
            .to_string(),
        Some(file) => match serde_json::from_slice::<ImportFile>(&file.bytes) {
            Err(e) => format!(
                "{} ({e})",
                locale.pick(
                    "پرونده به شکل fixtures/agencies.json نیست؛ چیزی ثبت نشد",
                    "The file is not in the shape of fixtures/agencies.json; nothing was imported",
                )
            ),
            Ok(parsed) => match check_import(&parsed) {
                Err(problem) => problem_text(locale, &problem),
                Ok(()) => {
                    let report = state.engine.import_agencies(&viewer.actor, parsed).await;
                    match report {
                        Ok(report) => {
                            return Ok(see_other(format!(
                                "/admin/agencies?imported={}&existing={}",
                                report.created.len(),
                                report.existing.len()
                            )));
                        }
                        Err(error) => refusal(error, locale)?,
                    }
                }
            },
        },
    };
    let agencies = state.engine.agencies().await?;
    let forms = Forms {
        add: AgencyForm::blank(),
        errors: FieldErrors::from([("file", message)]),
        imported: Imported::default(),
    };
    Ok(super::unprocessable(agencies_page(
        &viewer, &agencies, &forms,
    )))
}

/// Why a file imports nothing, naming its entry (counted from one, as people count).
pub(super) fn problem_text(locale: Locale, problem: &ImportProblem) -> String {
    let row = number(locale, problem.index + 1);
    let code = &problem.code;
    match (locale, &problem.kind) {
        (Locale::Fa, ImportProblemKind::Duplicate { first }) => format!(
            "کد «{code}» در ردیف {row} دوباره آمده است (نخستین بار در ردیف {})؛ چیزی ثبت نشد.",
            number(locale, first + 1)
        ),
        (Locale::Fa, ImportProblemKind::BadCode) => format!(
            "کد «{code}» در ردیف {row} درست نیست: ۲ تا ۱۶ نویسه از حروف بزرگ لاتین، رقم و _ که با حرف آغاز شود؛ چیزی ثبت نشد."
        ),
        (Locale::Fa, ImportProblemKind::BadName) => format!(
            "نام فارسی دستگاه «{code}» در ردیف {row} خالی یا بیش از ۳۰۰ نویسه است؛ چیزی ثبت نشد."
        ),
        (Locale::En, _) => problem.to_string(),
    }
}

/// The add form and the import form as they stand.
pub struct Forms {
    pub add: AgencyForm,
    pub errors: FieldErrors,
    pub imported: Imported,
}

/// The agencies page: pure, from the agencies and the forms to markup.
pub fn agencies_page(viewer: &Viewer, agencies: &[AgencyInput], forms: &Forms) -> Markup {
    let locale = viewer.locale;
    let errors = &forms.errors;
    let body = html! {
        @if let (Some(created), Some(existing)) = (forms.imported.imported, forms.imported.existing) {
            div.notice.ok role="status" {
                (locale.pick("پرونده خوانده شد: ", "The file was imported: "))
                (number(locale, created)) (locale.pick(" دستگاه ثبت شد و ", " registered, "))
                (number(locale, existing)) (locale.pick(" دستگاه از پیش ثبت بود.", " already registered."))
            }
        }
        (error_summary(locale, errors))
        // The forms come first: the list is long (31 agencies and more), and a form sent
        // back with an error must be where the reader lands.
        form.panel method="post" action="/admin/agencies" novalidate {
            h2 { (locale.pick("افزودن دستگاه", "Add an agency")) }
            (csrf_field(viewer))
            (text_input(errors, "code", locale.pick("کد (لاتین، مانند MIMT)", "Code (e.g. MIMT)"), &forms.add.code, "text"))
            (text_input(errors, "name_fa", locale.pick("نام فارسی", "Persian name"), &forms.add.name_fa, "text"))
            (text_input(errors, "name_en", locale.pick("نام انگلیسی (اختیاری)", "English name (optional)"), &forms.add.name_en, "text"))
            div.field {
                label.inline {
                    input type="checkbox" name="in_cluster" value="on" checked[forms.add.in_cluster];
                    " " (locale.pick("عضو خوشه است (کار به آن سپرده می‌شود)", "A member of the cluster (receives tasks)"))
                }
                p.help { (locale.pick("بدون تیک: تأمین‌کنندهٔ بیرونی داده است؛ نیازها می‌توانند نامش را ببرند ولی کاری به آن سپرده نمی‌شود.", "Unticked: an outside provider of data, which needs may name but which receives no tasks.")) }
            }
            div.actions { button.primary type="submit" { (locale.pick("افزودن", "Add")) } }
        }
        form.panel method="post" action="/admin/agencies/import" enctype="multipart/form-data" novalidate {
            h2 { (locale.pick("درون‌بُرد از پرونده", "Import a file")) }
            (csrf_field(viewer))
            div.field {
                label for="file" { (locale.pick("پرونده JSON به شکل agencies.json", "A JSON file shaped like agencies.json")) }
                p.help #file-help { (locale.pick("هر ردیف پیش از ثبت بررسی می‌شود؛ اگر یکی نادرست باشد هیچ‌کدام ثبت نمی‌شود. دستگاه‌هایی که از پیش ثبت شده‌اند دست نمی‌خورند.", "Every entry is checked before anything is registered; if one is wrong, none is. Agencies already registered are left as they are.")) }
                (error_at(errors, "file"))
                input #file type="file" name="file" accept=".json,application/json"
                    aria-invalid=[super::invalid(errors, "file")]
                    aria-describedby={ "file-help" @if errors.contains_key("file") { " file-error" } };
            }
            div.actions { button type="submit" { (locale.pick("درون‌بُرد", "Import")) } }
        }
        h2 { (locale.pick("دستگاه‌های ثبت‌شده", "Registered agencies")) }
        (agency_table(locale, agencies))
    };
    page(viewer, locale.pick("دستگاه‌ها", "Agencies"), body)
}

fn agency_table(locale: Locale, agencies: &[AgencyInput]) -> Markup {
    let heads = [
        locale.pick("کد", "Code"),
        locale.pick("نام فارسی", "Persian name"),
        locale.pick("نام انگلیسی", "English name"),
        locale.pick("جایگاه", "Standing"),
    ];
    html! {
        @if agencies.is_empty() {
            p.panel { (locale.pick("هنوز دستگاهی ثبت نشده است.", "No agency is registered yet.")) }
        } @else {
            div.table-wrap {
                table.cards {
                    thead { tr { @for head in heads { th scope="col" { (head) } } } }
                    tbody {
                        @for agency in agencies {
                            tr {
                                td data-label=(heads[0]) { (bdi(&agency.code)) }
                                td data-label=(heads[1]) { (agency.name_fa) }
                                td data-label=(heads[2]) { bdi lang="en" { (agency.name_en.as_deref().unwrap_or("")) } }
                                td data-label=(heads[3]) {
                                    @if agency.in_cluster {
                                        span.chip.ok { (locale.pick("عضو خوشه", "cluster member")) }
                                    } @else {
                                        span.chip { (locale.pick("تأمین‌کنندهٔ بیرونی", "outside provider")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
